import type { RuleModule } from "../../engine/types.js";
import { credentialsInUrl } from "./credentials-in-url.js";
import { hardcodedSecretByName } from "./hardcoded-secret-by-name.js";
import { knownTokenFormat } from "./known-token-format.js";
import { literalAuthTuple } from "./literal-auth-tuple.js";

/** G6 hard-coded secrets rules. */
export const secretRules: readonly RuleModule[] = [hardcodedSecretByName, knownTokenFormat, credentialsInUrl, literalAuthTuple];
