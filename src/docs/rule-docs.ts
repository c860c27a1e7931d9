import { GUIDELINES } from "../guidelines/guidelines.js";
import type { RuleMeta } from "../engine/types.js";

/** The anchor of a rule's section in docs/rules.md. */
export function ruleAnchor(meta: RuleMeta): string {
  return `${meta.id}-${meta.name}`.toLowerCase().replace(/[^a-z0-9-]/gu, "");
}

/**
 * Where a rule's docs live. PYGUARD_DOCS_URL points at the published docs/rules.md (for example
 * the file on the repository's default branch); without it, links are relative to the repository.
 */
export function ruleDocsUrl(meta: RuleMeta, base = process.env.PYGUARD_DOCS_URL): string {
  return `${base && base.length > 0 ? base : "docs/rules.md"}#${ruleAnchor(meta)}`;
}

/** A rule's documentation in Ruff's layout, as Markdown. */
export function ruleMarkdown(meta: RuleMeta, headingLevel = 3): string {
  const heading = "#".repeat(headingLevel);
  const sub = "#".repeat(headingLevel + 1);
  const cwe = meta.cwe.length > 0 ? meta.cwe.map((id) => `[CWE-${id}](https://cwe.mitre.org/data/definitions/${id}.html)`).join(", ") : "none";
  const lines = [
    `${heading} ${meta.id} ${meta.name}`,
    "",
    `**${meta.title}**`,
    "",
    `Guidelines: ${meta.sections.map((section) => `${section} (${GUIDELINES[section].split(":")[0]})`).join("; ")}. CWE: ${cwe}. Default severity: \`${meta.defaultSeverity}\`.${meta.bandit && meta.bandit.length > 0 ? ` Bandit equivalents: ${meta.bandit.join(", ")}.` : ""}`,
    "",
    `${sub} What it does`,
    "",
    meta.docs.whatItDoes,
    "",
    `${sub} Why is this bad?`,
    "",
    meta.docs.whyIsThisBad,
    "",
    `${sub} Example`,
    "",
    "```python",
    meta.docs.example.trimEnd(),
    "```",
    "",
    `${sub} Use instead`,
    "",
    "```python",
    meta.docs.useInstead.trimEnd(),
    "```",
    "",
  ];
  if (meta.docs.notes) lines.push(`${sub} Notes`, "", meta.docs.notes, "");
  return lines.join("\n");
}
