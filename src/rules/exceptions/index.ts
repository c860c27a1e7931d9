import type { RuleModule } from "../../engine/types.js";
import { exceptionDetailsToClient } from "./exception-details-to-client.js";
import { swallowedException } from "./swallowed-exception.js";

/** G8 exception handling rules. */
export const exceptionRules: readonly RuleModule[] = [swallowedException, exceptionDetailsToClient];
