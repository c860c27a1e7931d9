import type { RuleModule, SuppressionVocabulary } from "../engine/types.js";
import { evalExec } from "./dynamic-code/eval-exec.js";

/** Every rule pyguard ships, in the order of the docs. Adding a rule means adding it here. */
export const ALL_RULES: readonly RuleModule[] = [evalExec];

export function ruleById(id: string): RuleModule | undefined {
  return ALL_RULES.find((rule) => rule.meta.id === id);
}

export function suppressionVocabulary(rules: readonly RuleModule[] = ALL_RULES): SuppressionVocabulary {
  return {
    ruleIds: new Set(rules.map((rule) => rule.meta.id)),
    banditIds: new Set(rules.flatMap((rule) => rule.meta.bandit ?? [])),
  };
}
