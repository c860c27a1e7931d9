import type { RuleModule } from "../../engine/types.js";
import { djangoSecuritySettings } from "./django-security-settings.js";
import { flaskSecurityHeaders } from "./flask-security-headers.js";
import { insecureCookie } from "./insecure-cookie.js";
import { wildcardAllowOrigin } from "./wildcard-allow-origin.js";

/** C8 browser security features rules. */
export const browserRules: readonly RuleModule[] = [insecureCookie, flaskSecurityHeaders, djangoSecuritySettings, wildcardAllowOrigin];
