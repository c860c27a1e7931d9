import type { RuleModule } from "../../engine/types.js";

/** G5 SQL rules. */
export const sqlRules: readonly RuleModule[] = [];
