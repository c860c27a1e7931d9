/**
 * The server as `npm start` runs it, in a child process: node on src/github/server.ts (through
 * the TypeScript module hooks, so no build is needed), configured only by environment variables,
 * in an empty working directory (no stray .env). Plus helpers to pick a port and send signed
 * webhooks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { signedDelivery } from "./webhooks.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Compiled (the benchmark's build): run the compiled server; from sources (tests): through the TypeScript hooks. */
const COMPILED = import.meta.url.endsWith(".js");
const ENTRY = join(ROOT, COMPILED ? "src/github/server.js" : "src/github/server.ts");
const NODE_ARGS = COMPILED ? [ENTRY] : ["--import", join(ROOT, "test/support/ts-register.mjs"), ENTRY];

/** A free TCP port on 127.0.0.1 (Probot's Server treats PORT=0 as 3000). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export async function startAppProcess(env: Record<string, string>, timeoutMs = 120_000): Promise<AppProcess> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), "pyguard-app-"));
  const child = spawn(process.execPath, NODE_ARGS, {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/ping`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the app did not start within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs a process to its end (for start-up refusals). */
export async function runAppProcess(env: Record<string, string>, timeoutMs = 120_000): Promise<{ code: number | null; output: string }> {
  const cwd = mkdtempSync(join(tmpdir(), "pyguard-app-"));
  const child = spawn(process.execPath, NODE_ARGS, { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}

/** POSTs a webhook signed with `secret` (or with a forged signature). */
export async function sendWebhook(url: string, secret: string, event: string, payload: unknown, path = "/api/github/webhooks"): Promise<{ status: number; text: string; ms: number }> {
  const delivery = signedDelivery(secret, event, payload);
  const started = Date.now();
  const response = await fetch(`${url}${path}`, { method: "POST", body: delivery.body, headers: delivery.headers });
  const text = await response.text();
  return { status: response.status, text, ms: Date.now() - started };
}

/** Polls until `check` returns a value (not undefined/false). */
export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 60_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until `requests` has not grown for `quietMs`: the app spaces its writes a second apart,
 * so a review posted after the check run arrives within that window.
 */
export async function waitForQuiet(requests: { length: number }, quietMs = 2_500, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = requests.length;
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the app to go quiet");
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (requests.length !== seen) {
      seen = requests.length;
      since = Date.now();
    }
  }
}
