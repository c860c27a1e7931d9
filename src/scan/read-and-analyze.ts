import { readFileSync } from "node:fs";
import { analyzeBytes, type EngineOptions } from "../engine/analyze.js";
import type { FileResult } from "../engine/types.js";
import type { ResultCache } from "./result-cache.js";

export interface ScanTarget {
  /** Absolute path to read. */
  absolute: string;
  /** Path shown in findings (relative to the working directory, POSIX). */
  path: string;
}

/**
 * Reads one file and analyses it, through the cache when there is one; an unreadable file becomes
 * a per-file error. The read blocks: a scan has nothing else to do meanwhile, and an awaited read
 * left the thread idle for a tenth of a full stdlib scan.
 */
export function readAndAnalyze(target: ScanTarget, options: EngineOptions, cache?: ResultCache): FileResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(target.absolute);
  } catch (error) {
    return { path: target.path, findings: [], warnings: [], error: { path: target.path, kind: "io", message: `cannot read: ${(error as Error).message}` } };
  }
  const key = cache?.keyFor(target.path, bytes);
  const cached = key ? cache?.get(key) : undefined;
  if (cached) return cached;
  const result = analyzeBytes(target.path, bytes, options);
  if (key) cache?.set(key, result);
  return result;
}
