import type { RuleModule } from "../../engine/types.js";

/** G3/C3 input validation (taint) rules. */
export const inputValidationRules: readonly RuleModule[] = [];
