import type { RuleModule } from "../../engine/types.js";

/** C2 cryptography rules. */
export const cryptoRules: readonly RuleModule[] = [];
