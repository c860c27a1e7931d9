import type { RuleModule } from "../../engine/types.js";
import { cleartextHttp } from "./cleartext-http.js";
import { ecbMode } from "./ecb-mode.js";
import { fixedKeyOrIv } from "./fixed-key-iv.js";
import { homemadeCrypto } from "./homemade-crypto.js";
import { obsoleteTls } from "./obsolete-tls.js";
import { timingUnsafeCompare } from "./timing-unsafe-compare.js";
import { tlsVerificationDisabled } from "./tls-verification-disabled.js";
import { weakCipher } from "./weak-cipher.js";
import { weakHash } from "./weak-hash.js";
import { weakKeySize } from "./weak-key-size.js";

/** C2 cryptography rules. */
export const cryptoRules: readonly RuleModule[] = [weakHash, weakCipher, ecbMode, fixedKeyOrIv, weakKeySize, homemadeCrypto, timingUnsafeCompare, cleartextHttp, tlsVerificationDisabled, obsoleteTls];
