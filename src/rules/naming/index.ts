import type { RuleModule } from "../../engine/types.js";

/** G1/G2 naming rules. */
export const namingRules: readonly RuleModule[] = [];
