import type { RuleModule } from "../../engine/types.js";
import { accessDeniedNotLogged } from "./access-denied-not-logged.js";
import { authFailureNotLogged } from "./auth-failure-not-logged.js";
import { sensitiveDataInLogs } from "./sensitive-data-in-logs.js";

/** C9 security logging rules. */
export const loggingRules: readonly RuleModule[] = [authFailureNotLogged, accessDeniedNotLogged, sensitiveDataInLogs];
