import { parseSuppression, type Suppression } from "../../engine/analyses/suppressions.js";
import type { RuleModule } from "../../engine/types.js";

/** Only comments that mention one of the directives are parsed. */
export const DIRECTIVE_HINT = /pyguard|nosec/iu;

/**
 * A reason says something in words. The engine's parser takes whatever follows `--`; text that
 * starts another comment (`-- # noqa`) or has no letters is not a reason.
 */
export function hasWrittenReason(reason: string | null): boolean {
  if (reason === null) return false;
  const text = reason.trim();
  return !text.startsWith("#") && /\p{L}/u.test(text);
}

function expectedForm(suppression: Suppression): string {
  const ids = suppression.ids.length > 0 ? suppression.ids.join(", ") : "PG-XXX-000";
  return suppression.style === "pyguard"
    ? `# pyguard: ignore[${ids}] -- <why this is safe>`
    : `# nosec ${suppression.ids.length > 0 ? ids : "<Bandit or pyguard id>"} -- <why this is safe>`;
}

export const suppressionWithoutReason: RuleModule = {
  meta: {
    id: "PG-DOC-002",
    name: "suppression-without-reason",
    title: "Suppression comment without a written reason",
    sections: ["G11"],
    cwe: [],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports `# pyguard: ignore[…]` and `# nosec` comments that give no reason after `--` (or `:`).",
      whyIsThisBad:
        "A suppression is a security decision: someone judged a finding safe. Without the reason, reviewers cannot check the judgement, and nobody can tell later whether it still holds after the code around it changed.",
      example: 'cursor.execute(query)  # pyguard: ignore[PG-SQL-001]',
      useInstead:
        'cursor.execute(query)  # pyguard: ignore[PG-SQL-001] -- query is a constant chosen from REPORT_QUERIES',
      notes:
        "The reason follows `--` (or `—`, or `:`) on the same comment: `# pyguard: ignore[PG-SQL-001] -- <reason>`, `# nosec B608 -- <reason>`. A suppression cannot silence the finding about itself; a standalone comment on the line above can.",
    },
  },
  create(context) {
    return {
      comment(node) {
        const text = node.text;
        if (!DIRECTIVE_HINT.test(text)) return;
        const suppression = parseSuppression(node, context.source);
        if (!suppression || hasWrittenReason(suppression.reason)) return;
        const directive = suppression.style === "pyguard" ? "`# pyguard: ignore`" : "`# nosec`";
        const scope =
          suppression.ids.length === 0
            ? " It also names no rule, so it silences every rule on its line; name the ids it is meant for."
            : "";
        context.report({
          node,
          message: `This ${directive} gives no reason for ignoring the finding; write why it is safe: \`${expectedForm(suppression)}\`.${scope}`,
        });
      },
    };
  },
};
