/**
 * Measures one pull-request review against the fake GitHub: the time from the webhook to the
 * completed check run, and the GitHub requests it took. "process" runs the real server (as
 * `npm start` does, Probot's throttling on: writes at least 1 s apart, reviews 3 s); "in-process"
 * runs the app through probot.receive with throttling off, which is the app's own cost.
 * Reusable from a bench script: `await measurePullRequestReview({ files: 100 })`.
 */
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { FakeGitHub, type FakeRepo } from "./fake-github.js";
import { sendWebhook, startAppProcess, waitFor, waitForQuiet } from "./app-process.js";
import { createHarness, TEST_APP_ID, TEST_WEBHOOK_SECRET, testPrivateKey } from "./probot-harness.js";
import { INSTALLATION_ID, pullRequestPayload } from "./webhooks.js";

export interface BenchOptions {
  /** Changed Python files in the pull request. */
  files: number;
  /** Every n-th file adds a finding (0: none). */
  findingEvery?: number;
  mode?: "process" | "in-process";
  /** Simulated GitHub latency per request, in milliseconds. */
  latencyMs?: number;
}

export interface BenchResult {
  mode: "process" | "in-process";
  files: number;
  /** Webhook sent → check run completed. */
  ms: number;
  /** The webhook's HTTP answer time (process mode). */
  webhookAnswerMs?: number;
  /** Webhook → the app's last request (the review, when it follows the check run). */
  lastRequestMs?: number;
  /** The app process's peak resident memory (Linux /proc VmHWM), when known. */
  appPeakRssMb?: number;
  requests: number;
  byOperation: Record<string, number>;
  conclusion: string | null;
  inlineComments: number;
  annotations: number;
}

function pythonFile(index: number, withFinding: boolean): string {
  const body = Array.from({ length: 12 }, (_, line) => `    total = total + ${line}  # step ${line}`).join("\n");
  const finding = withFinding ? `\n\ndef func_evaluate${index}():\n    """Evaluate."""\n    return eval(input())\n` : "";
  return `"""Module ${index}."""\n\n\ndef func_compute${index}(total):\n    """Compute."""\n${body}\n    return total\n${finding}`;
}

function populate(fake: FakeGitHub, options: BenchOptions): FakeRepo {
  const repo = fake.addRepo("bench", "service", {});
  const files: Record<string, string> = {};
  for (let index = 0; index < options.files; index++) {
    const withFinding = (options.findingEvery ?? 10) > 0 && index % (options.findingEvery ?? 10) === 0;
    files[`service/module_${String(index).padStart(4, "0")}.py`] = pythonFile(index, withFinding);
  }
  fake.openPull(repo, 1, files);
  return repo;
}

function summarize(fake: FakeGitHub, repo: FakeRepo, mode: BenchResult["mode"], files: number, ms: number): BenchResult {
  const byOperation: Record<string, number> = {};
  for (const request of fake.requests) {
    const route = `${request.method} ${request.path.replace(/\/contents\/.+$/u, "/contents/{path}").replace(/\/\d+(?=\/|$)/gu, "/{n}")}`;
    byOperation[route] = (byOperation[route] ?? 0) + 1;
  }
  const run = repo.checkRuns[repo.checkRuns.length - 1];
  return {
    mode,
    files,
    ms,
    requests: fake.requests.length,
    byOperation,
    conclusion: run?.conclusion ?? null,
    inlineComments: repo.reviewComments.length,
    annotations: run?.annotations.length ?? 0,
  };
}

export async function measurePullRequestReview(options: BenchOptions): Promise<BenchResult> {
  const mode = options.mode ?? "process";
  if (mode === "in-process") {
    const harness = await createHarness({ validate: false });
    harness.fake.latencyMs = options.latencyMs ?? 0;
    const repo = populate(harness.fake, options);
    const pull = repo.pulls.get(1);
    if (!pull) throw new Error("no pull request");
    const started = Date.now();
    await harness.probot.receive({ id: randomUUID(), name: "pull_request", payload: pullRequestPayload(repo, pull, "opened") } as never);
    await harness.app.runtime.idle();
    return summarize(harness.fake, repo, mode, options.files, Date.now() - started);
  }
  const fake = new FakeGitHub({ appId: TEST_APP_ID, privateKey: testPrivateKey(), installationId: INSTALLATION_ID });
  fake.latencyMs = options.latencyMs ?? 0;
  const host = await fake.listen();
  const repo = populate(fake, options);
  const pull = repo.pulls.get(1);
  if (!pull) throw new Error("no pull request");
  const app = await startAppProcess({ APP_ID: String(TEST_APP_ID), PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, GHE_HOST: host, GHE_PROTOCOL: "http", LOG_LEVEL: "warn", NODE_ENV: "production" });
  try {
    const started = Date.now();
    const answer = await sendWebhook(app.url, TEST_WEBHOOK_SECRET, "pull_request", pullRequestPayload(repo, pull, "opened"));
    if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}: ${answer.text}`);
    await waitFor(() => repo.checkRuns.some((run) => run.status === "completed"), 300_000, "the completed check run");
    const completedAt = fake.requests.find((request) => request.path.includes("/check-runs") && (request.body as { status?: string }).status === "completed")?.at ?? Date.now();
    // A failing gate is published before its review, which follows a throttled second later.
    await waitForQuiet(fake.requests);
    const lastAt = fake.requests.at(-1)?.at ?? completedAt;
    const appPeakRssMb = peakRssMb(app.child.pid);
    return { ...summarize(fake, repo, mode, options.files, completedAt - started), webhookAnswerMs: answer.ms, lastRequestMs: lastAt - started, ...(appPeakRssMb ? { appPeakRssMb } : {}) };
  } finally {
    await app.stop();
    await fake.close();
  }
}

function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmHWM:\s+(\d+) kB$/mu.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function formatBenchResult(result: BenchResult): string {
  const operations = Object.entries(result.byOperation)
    .sort((a, b) => b[1] - a[1])
    .map(([route, count]) => `    ${String(count).padStart(4)}  ${route}`)
    .join("\n");
  return [
    `pyguard GitHub App, ${result.mode}: a pull request of ${result.files} changed Python files`,
    `  webhook → completed check run: ${result.ms} ms${result.webhookAnswerMs !== undefined ? ` (webhook answered in ${result.webhookAnswerMs} ms)` : ""}`,
    ...(result.lastRequestMs !== undefined ? [`  webhook → last request (review posted): ${result.lastRequestMs} ms`] : []),
    ...(result.appPeakRssMb !== undefined ? [`  app peak RSS: ${result.appPeakRssMb.toFixed(0)} MB`] : []),
    `  GitHub requests: ${result.requests}`,
    operations,
    `  conclusion: ${result.conclusion}, inline comments: ${result.inlineComments}, annotations: ${result.annotations}`,
  ].join("\n");
}
