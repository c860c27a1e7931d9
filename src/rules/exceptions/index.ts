import type { RuleModule } from "../../engine/types.js";
import { exceptionDetailsToClient } from "./exception-details-to-client.js";
import { swallowedException } from "./swallowed-exception.js";
import { tracebackPrinted } from "./traceback-printed.js";

/** G8 exception handling rules. */
export const exceptionRules: readonly RuleModule[] = [swallowedException, exceptionDetailsToClient, tracebackPrinted];
