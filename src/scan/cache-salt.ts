import { createHash } from "node:crypto";
import type { PyguardConfig } from "../config/schema.js";
import { analyzeSource } from "../engine/analyze.js";
import { evaluateConstant } from "../engine/analyses/constants.js";
import { FlowFacts } from "../engine/analyses/flow.js";
import { resolveName } from "../engine/analyses/names.js";
import { ScopeTracker } from "../engine/analyses/scopes.js";
import { TaintAnalysis } from "../engine/analyses/taint.js";
import { ALL_RULES } from "../rules/index.js";
import { VERSION } from "../version.js";
import { ResultCache } from "./result-cache.js";

/**
 * What a cached result depends on besides the file: pyguard's version, the config, and the code
 * of the engine and of every rule, so that editing a rule during development invalidates it too.
 */
export function cacheSalt(config: PyguardConfig): string {
  const hash = createHash("sha256").update(VERSION).update(JSON.stringify(config));
  for (const code of [analyzeSource, evaluateConstant, resolveName, ScopeTracker, FlowFacts, TaintAnalysis]) hash.update(code.toString());
  for (const rule of ALL_RULES) hash.update(JSON.stringify(rule.meta)).update(rule.create.toString());
  return hash.digest("hex");
}

export function openResultCache(root: string, config: PyguardConfig): Promise<ResultCache> {
  return ResultCache.open(root, cacheSalt(config));
}
