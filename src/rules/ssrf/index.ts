import type { RuleModule } from "../../engine/types.js";

/** C10 server-side request forgery (taint) rules. */
export const ssrfRules: readonly RuleModule[] = [];
