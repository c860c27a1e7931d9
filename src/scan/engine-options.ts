import { activeRules } from "../config/resolve.js";
import type { PyguardConfig } from "../config/schema.js";
import type { EngineOptions } from "../engine/analyze.js";
import { ALL_RULES, suppressionVocabulary } from "../rules/index.js";

/** The engine's options for a config: the same in the main thread and in every worker. */
export function engineOptionsFor(config: PyguardConfig): EngineOptions {
  return { rules: activeRules(config, ALL_RULES), vocabulary: suppressionVocabulary(), maxFileBytes: config.maxFileBytes };
}
