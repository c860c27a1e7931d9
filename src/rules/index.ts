import type { RuleModule, SuppressionVocabulary } from "../engine/types.js";
import { documentationRules } from "./documentation/index.js";
import { dynamicCodeRules } from "./dynamic-code/index.js";
import { namingRules } from "./naming/index.js";
import { secretRules } from "./secrets/index.js";
import { sqlRules } from "./sql/index.js";

/** Every rule pyguard ships, family by family; a family's index lists its rules. */
export const ALL_RULES: readonly RuleModule[] = [
  ...namingRules,
  ...dynamicCodeRules,
  ...sqlRules,
  ...secretRules,
  ...documentationRules,
];

export function ruleById(id: string): RuleModule | undefined {
  return ALL_RULES.find((rule) => rule.meta.id === id);
}

export function suppressionVocabulary(rules: readonly RuleModule[] = ALL_RULES): SuppressionVocabulary {
  return {
    ruleIds: new Set(rules.map((rule) => rule.meta.id)),
    banditIds: new Set(rules.flatMap((rule) => rule.meta.bandit ?? [])),
  };
}
