import type { RuleModule } from "../../engine/types.js";
import { evalExec } from "./eval-exec.js";

/** G4 dynamic code rules. */
export const dynamicCodeRules: readonly RuleModule[] = [evalExec];
