import type { RuleModule } from "../../engine/types.js";

/** C5 secure defaults rules. */
export const configurationRules: readonly RuleModule[] = [];
