import { GUIDELINE_IDS, GUIDELINES } from "../guidelines/guidelines.js";
import type { RuleModule } from "../engine/types.js";
import { ruleAnchor, ruleMarkdown } from "./rule-docs.js";

/** docs/rules.md, generated from the rules' meta so that the docs and the behaviour cannot drift. */
export function renderRulesPage(rules: readonly RuleModule[]): string {
  const lines = [
    "# pyguard rules",
    "",
    "<!-- Generated from the rules' meta by `npm run docs`. Do not edit by hand: a test fails when this file is stale. -->",
    "",
    `pyguard ships ${rules.length} rules. Each one names the guideline ids it serves; a finding carries them, and the check-run summary is grouped by them.`,
    "",
    "## Rules by guideline",
    "",
    "| id | guideline | rules (CWE) |",
    "| --- | --- | --- |",
  ];
  for (const id of GUIDELINE_IDS) {
    const serving = rules.filter((rule) => rule.meta.sections.includes(id));
    const cell =
      serving.length === 0
        ? "_none yet_"
        : serving
            .map(({ meta }) => `[${meta.id}](#${ruleAnchor(meta)})${meta.cwe.length > 0 ? ` (${meta.cwe.map((cwe) => `CWE-${cwe}`).join(", ")})` : ""}`)
            .join(", ");
    lines.push(`| ${id} | ${GUIDELINES[id].replaceAll("|", "\\|")} | ${cell} |`);
  }
  lines.push("", "## All rules", "", "| rule | title | severity | guidelines |", "| --- | --- | --- | --- |");
  for (const { meta } of rules) {
    lines.push(`| [${meta.id}](#${ruleAnchor(meta)}) | ${meta.title.replaceAll("|", "\\|")} | ${meta.defaultSeverity} | ${meta.sections.join(", ")} |`);
  }
  lines.push("");
  for (const { meta } of rules) {
    lines.push(`<a id="${ruleAnchor(meta)}"></a>`, "", ruleMarkdown(meta, 2));
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
