import type { RuleModule } from "../../engine/types.js";

/** C8 browser security features rules. */
export const browserRules: readonly RuleModule[] = [];
