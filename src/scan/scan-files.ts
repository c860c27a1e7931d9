import { readFileSync } from "node:fs";
import { setImmediate } from "node:timers/promises";
import { availableParallelism } from "node:os";
import { relative, sep } from "node:path";
import { Worker } from "node:worker_threads";
import type { PyguardConfig } from "../config/schema.js";
import type { FileResult } from "../engine/types.js";
import { engineOptionsFor } from "./engine-options.js";
import { readAndAnalyze, type ScanTarget } from "./read-and-analyze.js";
import type { ResultCache } from "./result-cache.js";

export interface ScanSettings {
  config: PyguardConfig;
  cwd: string;
  cache?: ResultCache;
  /** Worker threads to use; 1 scans in this thread. Default: the cores, when there is enough work to repay starting them. */
  threads?: number;
}

/** Below this much uncached source, starting workers (about 150 ms each, parser and rules included) costs more than it saves. */
const PARALLEL_THRESHOLD_BYTES = 1_500_000;
const BATCH_SIZE = 8;
/** A typical Python file, for callers that do not know the sizes (the median stdlib module is about 12 kB). */
const UNKNOWN_FILE_BYTES = 12_000;

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/** Scans files in this thread or across worker threads; results come back in the order of `files`. */
export async function scanFiles(files: readonly string[], settings: ScanSettings, sizes?: ReadonlyMap<string, number>): Promise<FileResult[]> {
  const targets: ScanTarget[] = files.map((absolute) => ({ absolute, path: toPosix(relative(settings.cwd, absolute)) }));
  const results = new Array<FileResult | undefined>(targets.length);
  const keys = new Map<number, string>();
  const pending: number[] = [];
  // Cached files are answered here; only the rest is worth a worker.
  for (let index = 0; index < targets.length; index++) {
    const target = targets[index] as ScanTarget;
    const lookup = settings.cache ? lookUp(target, settings.cache) : undefined;
    if (lookup?.result) results[index] = lookup.result;
    else {
      if (lookup?.key) keys.set(index, lookup.key);
      pending.push(index);
    }
  }
  if (pending.length > 0) {
    const threads = settings.threads ?? chooseThreads(pending.map((index) => sizes?.get((targets[index] as ScanTarget).absolute) ?? UNKNOWN_FILE_BYTES));
    if (threads <= 1 || !workerEntryAvailable()) {
      const options = engineOptionsFor(settings.config);
      for (const index of pending) {
        results[index] = readAndAnalyze(targets[index] as ScanTarget, options);
        // node-tree-sitter frees a parsed tree in a finalizer that runs on the event loop: let it turn.
        await setImmediate();
      }
    } else {
      await scanInWorkers(pending, targets, results, settings.config, threads);
    }
    for (const [index, key] of keys) {
      const result = results[index];
      if (result && !result.error) settings.cache?.set(key, result);
    }
  }
  return results as FileResult[];
}

function lookUp(target: ScanTarget, cache: ResultCache): { key?: string; result?: FileResult } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(target.absolute);
  } catch {
    return {};
  }
  const key = cache.keyFor(target.path, bytes);
  const result = cache.get(key);
  return result ? { key, result } : { key };
}

function chooseThreads(sizes: readonly number[]): number {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total < PARALLEL_THRESHOLD_BYTES) return 1;
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/** Workers load the compiled module; when running from TypeScript sources (tests), scanning stays in this thread. */
function workerEntryAvailable(): boolean {
  return import.meta.url.endsWith(".js");
}

async function scanInWorkers(pending: readonly number[], targets: readonly ScanTarget[], results: Array<FileResult | undefined>, config: PyguardConfig, threads: number): Promise<void> {
  const batches: number[][] = [];
  for (let start = 0; start < pending.length; start += BATCH_SIZE) batches.push(pending.slice(start, start + BATCH_SIZE));
  let next = 0;
  const workerUrl = new URL("./scan-worker.js", import.meta.url);
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: config });
      let current: number[] | undefined;
      const sendNext = (): void => {
        current = batches[next++];
        if (!current) {
          void worker.terminate().then(() => resolve());
          return;
        }
        worker.postMessage(current.map((index) => targets[index]));
      };
      worker.on("message", (batchResults: FileResult[]) => {
        current?.forEach((index, position) => {
          results[index] = batchResults[position];
        });
        sendNext();
      });
      worker.on("error", reject);
      worker.on("exit", (code) => {
        if (code !== 0 && current) reject(new Error(`a scan worker stopped with exit code ${code}`));
      });
      sendNext();
    });
  await Promise.all(Array.from({ length: Math.min(threads, batches.length) }, runWorker));
}
