import type { RuleModule } from "../../engine/types.js";
import { functionName } from "./function-name.js";
import { variableName } from "./variable-name.js";

/** G1/G2 naming rules. */
export const namingRules: readonly RuleModule[] = [functionName, variableName];
