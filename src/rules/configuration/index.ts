import type { RuleModule } from "../../engine/types.js";
import { bindAllInterfaces } from "./bind-all-interfaces.js";
import { corsCredentials } from "./cors-credentials.js";
import { djangoInsecureSettings } from "./django-insecure-settings.js";
import { flaskDebug } from "./flask-debug.js";
import { insecureTempFile } from "./insecure-temp-file.js";
import { jinjaAutoescape } from "./jinja-autoescape.js";
import { requestTimeout } from "./request-timeout.js";
import { sshHostKey } from "./ssh-host-key.js";

/** C5 secure defaults rules. */
export const configurationRules: readonly RuleModule[] = [
  flaskDebug,
  djangoInsecureSettings,
  corsCredentials,
  jinjaAutoescape,
  sshHostKey,
  insecureTempFile,
  bindAllInterfaces,
  requestTimeout,
];
