import type { RuleModule } from "../../engine/types.js";

/** G7/C6 components and dependencies rules. */
export const componentRules: readonly RuleModule[] = [];
