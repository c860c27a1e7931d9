import type { RuleModule } from "../../engine/types.js";

/** G11 documentation rules, including the checks on suppression comments. */
export const documentationRules: readonly RuleModule[] = [];
