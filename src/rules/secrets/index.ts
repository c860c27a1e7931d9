import type { RuleModule } from "../../engine/types.js";

/** G6 hard-coded secrets rules. */
export const secretRules: readonly RuleModule[] = [];
