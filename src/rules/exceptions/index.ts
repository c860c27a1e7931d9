import type { RuleModule } from "../../engine/types.js";

/** G8 exception handling rules. */
export const exceptionRules: readonly RuleModule[] = [];
