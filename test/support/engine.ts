import { activeRules } from "../../src/config/resolve.js";
import { defaultConfig } from "../../src/config/load.js";
import type { PyguardConfig } from "../../src/config/schema.js";
import { analyzeSource, type EngineOptions } from "../../src/engine/analyze.js";
import type { FileResult } from "../../src/engine/types.js";
import { ALL_RULES, suppressionVocabulary } from "../../src/rules/index.js";

export function engineOptions(config: PyguardConfig = defaultConfig()): EngineOptions {
  return { rules: activeRules(config, ALL_RULES), vocabulary: suppressionVocabulary(), maxFileBytes: config.maxFileBytes };
}

/** Runs every rule of the default config on a snippet. */
export function analyze(source: string, path = "snippet.py", config?: PyguardConfig): FileResult {
  return analyzeSource(path, source, engineOptions(config));
}

/** `line:ruleId` for each unsuppressed finding, the compact form tests compare. */
export function found(source: string, path?: string, config?: PyguardConfig): string[] {
  return analyze(source, path, config)
    .findings.filter((finding) => !finding.suppressed)
    .map((finding) => `${finding.line}:${finding.ruleId}`);
}

/** Unsuppressed findings of one rule, as `line:severity`. */
export function severitiesOf(source: string, ruleId: string, path = "app.py"): string[] {
  return analyze(source, path)
    .findings.filter((finding) => finding.ruleId === ruleId && !finding.suppressed)
    .map((finding) => `${finding.line}:${finding.severity}`);
}

/** The message of a rule's finding on a line. */
export function messageOn(source: string, ruleId: string, line: number, path = "app.py"): string | undefined {
  return analyze(source, path).findings.find((finding) => finding.ruleId === ruleId && finding.line === line)?.message;
}
