import type { RuleModule } from "../../engine/types.js";

/** C9 security logging rules. */
export const loggingRules: readonly RuleModule[] = [];
