/**
 * The app's in-process state: the review queue, background tasks (permission checks, PR
 * lookups), and short memories that make redeliveries and repeated help requests no-ops.
 */
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import { reviewChangeSet } from "../review/pipeline.js";
import { PROGRESS_DELAY_MS, runReviewJob, type JobSettings, type ReviewFunction } from "./job.js";
import { pullKey, type PullInfo, type PullTarget } from "./pulls.js";
import { JobQueue, type EnqueueResult } from "./queue.js";

/** A bounded set of recently seen keys that forgets after `ttlMs`. */
export class RecentKeys {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  /** True when `key` was seen within the TTL; records it either way. */
  check(key: string, now = Date.now()): boolean {
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.seen.delete(key);
    this.seen.set(key, now);
    if (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value as string);
    return false;
  }
}

export interface RuntimeOptions {
  /** Pull requests reviewed at once. */
  concurrency?: number;
  /** Files fetched and analysed at once within one review. */
  fileConcurrency?: number;
  /** The review pipeline (tests replace it to simulate internal failures). */
  review?: ReviewFunction;
  /** How long a review runs before its check run is shown in progress. */
  progressDelayMs?: number;
}

export interface Runtime {
  queue: JobQueue;
  deliveries: RecentKeys;
  helpAnswered: RecentKeys;
  /** Runs a short background task (not a review), logging its failure. */
  background(log: Logger, name: string, task: () => Promise<void>): void;
  /** Queues a review of a pull request; `snapshot` is the PR as the webhook described it, when it did. */
  schedule(octokit: ProbotOctokit, log: Logger, target: PullTarget, sha: string | undefined, force: boolean, snapshot?: PullInfo): EnqueueResult;
  /** Resolves when no background task and no review is left. */
  idle(): Promise<void>;
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const tasks = new Set<Promise<void>>();
  const settings: JobSettings = { review: options.review ?? reviewChangeSet, fileConcurrency: options.fileConcurrency ?? 8, progressDelayMs: options.progressDelayMs ?? PROGRESS_DELAY_MS, identity: {} };
  const queue = new JobQueue({
    concurrency: options.concurrency ?? 2,
    onError: (job, error) => console.error(`pyguard: review job ${job.key} failed outside its handler`, (error as Error).name),
  });
  const runtime: Runtime = {
    queue,
    deliveries: new RecentKeys(60 * 60_000),
    helpAnswered: new RecentKeys(10 * 60_000),
    background(log, name, task) {
      const promise = task()
        .catch((error: unknown) => log.error({ event: `${name}.failed`, err: { message: (error as Error).message, status: (error as { status?: number }).status } }, `${name} failed`))
        .finally(() => tasks.delete(promise));
      tasks.add(promise);
    },
    schedule(octokit, log, target, sha, force, snapshot) {
      const key = pullKey(target);
      const result = queue.enqueue({
        key,
        force,
        ...(sha ? { sha } : {}),
        run: async (signal) => {
          try {
            return await runReviewJob({ octokit, log, target, signal, settings, ...(snapshot ? { snapshot } : {}) });
          } catch (error) {
            log.error({ event: "review.failed", pr: key, err: { message: (error as Error).message, status: (error as { status?: number }).status } }, "review failed before its check run existed");
            return undefined;
          }
        },
      });
      const level = result === "full" ? "warn" : "info";
      log[level]({ event: "review.enqueued", pr: key, sha, force, result }, `review ${result}`);
      return result;
    },
    async idle() {
      while (tasks.size > 0 || queue.pending > 0 || queue.active > 0) {
        await Promise.all([...tasks]);
        await queue.idle();
      }
    },
  };
  return runtime;
}
