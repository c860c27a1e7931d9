import type { RuleModule } from "../../engine/types.js";
import { insecureRandom } from "./insecure-random.js";
import { predictableSeed } from "./predictable-seed.js";
import { shortRandomSecret } from "./short-random-secret.js";
import { uuid1Secret } from "./uuid1-secret.js";

/** G10 randomness rules. */
export const randomnessRules: readonly RuleModule[] = [insecureRandom, predictableSeed, uuid1Secret, shortRandomSecret];
