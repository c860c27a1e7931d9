import type { RuleModule } from "../../engine/types.js";
import { dynamicImport } from "./dynamic-import.js";
import { evalExec } from "./eval-exec.js";
import { shellCommandInjection } from "./shell-command.js";
import { unsafeDeserialization } from "./unsafe-deserialization.js";

/** G4 dynamic code rules. */
export const dynamicCodeRules: readonly RuleModule[] = [evalExec, dynamicImport, unsafeDeserialization, shellCommandInjection];
