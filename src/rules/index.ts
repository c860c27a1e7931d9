import type { RuleModule, SuppressionVocabulary } from "../engine/types.js";
import { accessControlRules } from "./access-control/index.js";
import { browserRules } from "./browser/index.js";
import { componentRules } from "./components/index.js";
import { configurationRules } from "./configuration/index.js";
import { cryptoRules } from "./crypto/index.js";
import { documentationRules } from "./documentation/index.js";
import { dynamicCodeRules } from "./dynamic-code/index.js";
import { exceptionRules } from "./exceptions/index.js";
import { identityRules } from "./identity/index.js";
import { inputValidationRules } from "./input-validation/index.js";
import { loggingRules } from "./logging/index.js";
import { namingRules } from "./naming/index.js";
import { randomnessRules } from "./randomness/index.js";
import { secretRules } from "./secrets/index.js";
import { sqlRules } from "./sql/index.js";
import { ssrfRules } from "./ssrf/index.js";

/** Every rule pyguard ships, family by family in guideline order; a family's index lists its rules. */
export const ALL_RULES: readonly RuleModule[] = [
  ...namingRules,
  ...inputValidationRules,
  ...dynamicCodeRules,
  ...sqlRules,
  ...secretRules,
  ...componentRules,
  ...exceptionRules,
  ...accessControlRules,
  ...randomnessRules,
  ...documentationRules,
  ...cryptoRules,
  ...configurationRules,
  ...identityRules,
  ...browserRules,
  ...loggingRules,
  ...ssrfRules,
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
