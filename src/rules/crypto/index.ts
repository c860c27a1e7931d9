import type { RuleModule } from "../../engine/types.js";
import { weakHash } from "./weak-hash.js";

/** C2 cryptography rules. */
export const cryptoRules: readonly RuleModule[] = [weakHash];
