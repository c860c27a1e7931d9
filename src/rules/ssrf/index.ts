import type { RuleModule } from "../../engine/types.js";
import { bypassableAllowList } from "./bypassable-allowlist.js";
import { userControlledUrlComponent } from "./url-component.js";
import { userControlledUrl } from "./user-controlled-url.js";

/** C10 server-side request forgery (taint) rules. */
export const ssrfRules: readonly RuleModule[] = [userControlledUrl, userControlledUrlComponent, bypassableAllowList];
