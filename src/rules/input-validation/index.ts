import type { RuleModule } from "../../engine/types.js";
import { headerInjection } from "./header-injection.js";
import { openRedirect } from "./open-redirect.js";
import { pathTraversal } from "./path-traversal.js";
import { reflectedXss } from "./reflected-xss.js";
import { injectionSinkRules } from "./sink-rules.js";
import { templateInjection } from "./template-injection.js";
import { trustBoundary } from "./trust-boundary.js";

/** G3/C3 input validation (taint) rules. */
export const inputValidationRules: readonly RuleModule[] = [pathTraversal, reflectedXss, templateInjection, openRedirect, headerInjection, trustBoundary, ...injectionSinkRules];
