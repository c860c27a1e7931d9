import { parseSuppression } from "../../engine/analyses/suppressions.js";
import type { RuleModule } from "../../engine/types.js";
import { GUIDELINE_IDS, isGuidelineId } from "../../guidelines/guidelines.js";
import { DIRECTIVE_HINT } from "./suppression-without-reason.js";

const BANDIT_ID = /^B\d{3}$/u;

/** Levenshtein distance, abandoned once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] as number;
}

/** The closest known id within the distance short ids can afford (1 for three characters, 2 from six). */
export function closestId(id: string, known: Iterable<string>): string | null {
  const limit = id.length <= 3 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(id, candidate, limit);
    if (distance < bestDistance || (distance === bestDistance && best !== null && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : null;
}

export const unknownSuppressionId: RuleModule = {
  meta: {
    id: "PG-DOC-003",
    name: "unknown-suppression-id",
    title: "Suppression names an id that does not exist",
    sections: ["G11"],
    cwe: [],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports ids in `# pyguard: ignore[…]` and `# nosec …` comments that are neither a pyguard rule id (`PG-SQL-001`), a guideline id (`G5`, `C3`) nor, for `# nosec`, a Bandit test id (`B608`). For `# pyguard: ignore`, a Bandit id must be one that a pyguard rule maps. The message suggests the closest known id.",
      whyIsThisBad:
        "A mistyped id suppresses nothing, so the finding it was meant for comes back, or worse, the comment documents a decision that is not in force. Either way the record of what was accepted and why is wrong.",
      example: 'cursor.execute(query)  # pyguard: ignore[PG-SQL-01] -- constant query',
      useInstead: 'cursor.execute(query)  # pyguard: ignore[PG-SQL-001] -- constant query',
      notes:
        "Ids are compared without regard to case. `# nosec` accepts any `B` + three digits, since Bandit has tests that pyguard does not map; `# pyguard: ignore` accepts only the Bandit ids that pyguard rules list.",
    },
  },
  create(context) {
    const { ruleIds, banditIds } = context.vocabulary;
    let candidates: string[] | undefined;

    return {
      comment(node) {
        const text = node.text;
        if (!DIRECTIVE_HINT.test(text)) return;
        const suppression = parseSuppression(node, context.source);
        if (!suppression || suppression.ids.length === 0) return;
        for (const raw of suppression.ids) {
          const id = raw.toUpperCase();
          if (ruleIds.has(id) || isGuidelineId(id)) continue;
          if (BANDIT_ID.test(id) && (suppression.style === "nosec" || banditIds.has(id))) continue;
          candidates ??= [...ruleIds, ...GUIDELINE_IDS, ...banditIds].sort();
          const suggestion = closestId(id, candidates);
          const what = BANDIT_ID.test(id)
            ? `\`${raw}\` is not a Bandit test that any pyguard rule maps`
            : `\`${raw}\` is not a pyguard rule id${suppression.style === "nosec" ? ", guideline id or Bandit test id" : " or guideline id"}`;
          context.report({
            node,
            message: `${what}, so this suppression does not apply to it${suggestion ? `; did you mean \`${suggestion}\`?` : "."}`,
          });
        }
      },
    };
  },
};
