import type { RuleModule } from "../../engine/types.js";
import { fastPasswordHash } from "./fast-password-hash.js";
import { jwtUnverified } from "./jwt-unverified.js";
import { jwtWithoutExpiry } from "./jwt-without-expiry.js";
import { plaintextPasswordStorage } from "./plaintext-password-storage.js";
import { weakKdfCost } from "./weak-kdf-cost.js";
import { weakPasswordHasherConfig } from "./weak-password-hasher-config.js";

/** C7 digital identity rules. */
export const identityRules: readonly RuleModule[] = [fastPasswordHash, weakKdfCost, weakPasswordHasherConfig, plaintextPasswordStorage, jwtUnverified, jwtWithoutExpiry];
