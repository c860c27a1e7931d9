import type { RuleModule } from "../../engine/types.js";
import { assertAuthorization } from "./assert-authorization.js";
import { csrfDisabled } from "./csrf-disabled.js";
import { drfAllowAny } from "./drf-allow-any.js";
import { filePermissions } from "./file-permissions.js";
import { unauthenticatedRoute } from "./unauthenticated-route.js";

/** G9/C1 access control rules. */
export const accessControlRules: readonly RuleModule[] = [unauthenticatedRoute, assertAuthorization, csrfDisabled, filePermissions, drfAllowAny];
