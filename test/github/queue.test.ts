import { describe, expect, test } from "vitest";
import { JobQueue, type Job, type SupersededError } from "../../src/github/queue.js";

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** A job that waits for its gate and records what happened. */
function job(key: string, sha: string | undefined, log: string[], gate?: Promise<void>, force = false): Job {
  return {
    key,
    force,
    ...(sha ? { sha } : {}),
    async run(signal) {
      log.push(`start ${key}@${sha ?? "?"}`);
      if (gate) await Promise.race([gate, new Promise((resolve) => signal.addEventListener("abort", resolve))]);
      if (signal.aborted) {
        log.push(`aborted ${key}@${sha ?? "?"} by ${(signal.reason as SupersededError).bySha}`);
        return undefined;
      }
      log.push(`done ${key}@${sha ?? "?"}`);
      return sha ?? "head";
    },
  };
}

describe("the job queue", () => {
  test("runs at most `concurrency` jobs, never two of one pull request", async () => {
    const queue = new JobQueue({ concurrency: 2 });
    const log: string[] = [];
    const gate = deferred();
    queue.enqueue(job("a#1", "s1", log, gate.promise));
    queue.enqueue(job("a#2", "s2", log, gate.promise));
    queue.enqueue(job("a#3", "s3", log, gate.promise));
    expect(queue.active).toBe(2);
    expect(queue.pending).toBe(1);
    gate.resolve();
    await queue.idle();
    expect(log.filter((line) => line.startsWith("done"))).toHaveLength(3);
  });

  test("a newer head SHA replaces a queued job and aborts a running one", async () => {
    const queue = new JobQueue({ concurrency: 1 });
    const log: string[] = [];
    const gate = deferred();
    expect(queue.enqueue(job("a#1", "s1", log, gate.promise))).toBe("queued");
    expect(queue.enqueue(job("b#1", "t1", log))).toBe("queued");
    expect(queue.enqueue(job("b#1", "t2", log))).toBe("replaced");
    expect(queue.enqueue(job("a#1", "s2", log))).toBe("queued");
    await queue.idle();
    expect(log).toEqual(["start a#1@s1", "aborted a#1@s1 by s2", "start b#1@t2", "done b#1@t2", "start a#1@s2", "done a#1@s2"]);
    gate.resolve();
  });

  test("the same SHA is not reviewed twice in a row, unless forced", async () => {
    const queue = new JobQueue({ concurrency: 1 });
    const log: string[] = [];
    const gate = deferred();
    queue.enqueue(job("a#1", "s1", log, gate.promise));
    expect(queue.enqueue(job("a#1", "s1", log))).toBe("duplicate");
    expect(queue.enqueue(job("a#1", undefined, log))).toBe("duplicate");
    gate.resolve();
    await queue.idle();
    expect(queue.enqueue(job("a#1", "s1", log))).toBe("duplicate");
    expect(queue.enqueue(job("a#1", undefined, log, undefined, true))).toBe("queued");
    await queue.idle();
    expect(log.filter((line) => line.startsWith("done"))).toEqual(["done a#1@s1", "done a#1@?"]);
  });

  test("a recheck while a review runs waits for it instead of aborting it", async () => {
    const queue = new JobQueue({ concurrency: 1 });
    const log: string[] = [];
    const gate = deferred();
    queue.enqueue(job("a#1", "s1", log, gate.promise));
    expect(queue.enqueue(job("a#1", undefined, log, undefined, true))).toBe("queued");
    gate.resolve();
    await queue.idle();
    expect(log).toEqual(["start a#1@s1", "done a#1@s1", "start a#1@?", "done a#1@?"]);
  });

  test("a fresh SHA expires after recentMs", async () => {
    let now = 0;
    const queue = new JobQueue({ concurrency: 1, recentMs: 1000, now: () => now });
    const log: string[] = [];
    queue.enqueue(job("a#1", "s1", log));
    await queue.idle();
    now = 2000;
    expect(queue.enqueue(job("a#1", "s1", log))).toBe("queued");
    await queue.idle();
  });

  test("refuses jobs beyond maxQueued, and reports jobs that throw", async () => {
    const errors: string[] = [];
    const queue = new JobQueue({ concurrency: 1, maxQueued: 1, onError: (failed) => errors.push(failed.key) });
    const gate = deferred();
    const log: string[] = [];
    queue.enqueue(job("a#1", "s1", log, gate.promise));
    queue.enqueue({ key: "b#1", force: false, run: async () => Promise.reject(new Error("boom")) });
    expect(queue.enqueue(job("c#1", "u1", log))).toBe("full");
    gate.resolve();
    await queue.idle();
    expect(errors).toEqual(["b#1"]);
  });
});
