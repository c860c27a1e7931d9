import type { RuleModule } from "../../engine/types.js";
import { securityTodo } from "./security-todo.js";
import { suppressionWithoutReason } from "./suppression-without-reason.js";
// PG-DOC-001 is registered once the other families' fixtures document their security functions.
import { undocumentedSecurityFunction } from "./undocumented-security-function.js";
void undocumentedSecurityFunction;
import { unknownSuppressionId } from "./unknown-suppression-id.js";

/** G11 documentation rules, including the checks on suppression comments. */
export const documentationRules: readonly RuleModule[] = [suppressionWithoutReason, unknownSuppressionId, securityTodo];
