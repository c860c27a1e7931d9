import type { Suppression, SuppressionTable } from "./analyses/suppressions.js";
import type { EngineOptions } from "./analyze.js";
import type { Finding } from "./types.js";

/** Rules that report on suppression comments; a comment cannot silence the finding about itself. */
export const SUPPRESSION_RULE_IDS: ReadonlySet<string> = new Set(["PG-DOC-002", "PG-DOC-003"]);

function covers(suppression: Suppression, finding: Finding, banditByRule: ReadonlyMap<string, readonly string[]>): boolean {
  if (suppression.ids.length === 0) return true;
  const bandit = banditByRule.get(finding.ruleId) ?? [];
  return suppression.ids.some((id) => {
    const upper = id.toUpperCase();
    return upper === finding.ruleId || (finding.sections as string[]).includes(upper) || bandit.includes(upper);
  });
}

/** Marks suppressed findings; they stay in the results with the comment and its reason. */
export function applySuppressions(findings: Finding[], table: SuppressionTable, options: EngineOptions): void {
  if (table.all.length === 0) return;
  const banditByRule = new Map<string, readonly string[]>();
  for (const active of options.rules) banditByRule.set(active.rule.meta.id, active.rule.meta.bandit ?? []);
  for (const finding of findings) {
    for (const suppression of table.at(finding.line)) {
      if (SUPPRESSION_RULE_IDS.has(finding.ruleId) && suppression.line === finding.line) continue;
      if (!covers(suppression, finding, banditByRule)) continue;
      finding.suppressed = true;
      finding.suppression = { comment: suppression.text, reason: suppression.reason };
      break;
    }
  }
}
