import type { RuleModule } from "../../engine/types.js";

/** C7 digital identity rules. */
export const identityRules: readonly RuleModule[] = [];
