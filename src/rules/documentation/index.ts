import type { RuleModule } from "../../engine/types.js";
import { securityTodo } from "./security-todo.js";
import { suppressionWithoutReason } from "./suppression-without-reason.js";
import { undocumentedSecurityFunction } from "./undocumented-security-function.js";
import { unknownSuppressionId } from "./unknown-suppression-id.js";

/** G11 documentation rules, including the checks on suppression comments. */
export const documentationRules: readonly RuleModule[] = [undocumentedSecurityFunction, suppressionWithoutReason, unknownSuppressionId, securityTodo];
