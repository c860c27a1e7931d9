import type { RuleModule } from "../../engine/types.js";

/** G10 randomness rules. */
export const randomnessRules: readonly RuleModule[] = [];
