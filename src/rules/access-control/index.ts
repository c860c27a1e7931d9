import type { RuleModule } from "../../engine/types.js";

/** G9/C1 access control rules. */
export const accessControlRules: readonly RuleModule[] = [];
