import { parentPort, workerData } from "node:worker_threads";
import type { PyguardConfig } from "../config/schema.js";
import { engineOptionsFor } from "./engine-options.js";
import { readAndAnalyze, type ScanTarget } from "./read-and-analyze.js";

/** A scan worker: builds the engine from the config once, then analyses the batches it is sent. */
const options = engineOptionsFor(workerData as PyguardConfig);
const port = parentPort;
if (!port) throw new Error("scan-worker must run as a worker thread");
port.on("message", (batch: ScanTarget[]) => {
  port.postMessage(batch.map((target) => readAndAnalyze(target, options)));
});
