import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { analyzeBytes, type EngineOptions } from "../engine/analyze.js";
import type { FileError, FileResult } from "../engine/types.js";
import { toPosix } from "./discover.js";

export interface ScanResults {
  results: FileResult[];
}

/** Reads and analyses each file; an unreadable file becomes a per-file error and the scan goes on. */
export async function scanFiles(files: readonly string[], cwd: string, options: EngineOptions): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const file of files) {
    const path = toPosix(relative(cwd, file));
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      const fileError: FileError = { path, kind: "io", message: `cannot read: ${(error as Error).message}` };
      results.push({ path, findings: [], warnings: [], error: fileError });
      continue;
    }
    results.push(analyzeBytes(path, bytes, options));
  }
  return results;
}
