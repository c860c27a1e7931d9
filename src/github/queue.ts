/**
 * The in-process job queue. Webhooks are answered at once and the reviews run here, a bounded
 * number at a time. Jobs are keyed by pull request (owner/repo#number): a newer head SHA replaces a
 * queued job and aborts a running one, and the same SHA is not reviewed twice in a row (a push
 * sends both pull_request.synchronize and check_suite.requested) unless a recheck asks for it.
 */

export class SupersededError extends Error {
  constructor(readonly bySha: string) {
    super(`superseded by ${bySha}`);
    this.name = "SupersededError";
  }
}

/** The server is stopping: running reviews end their check runs instead of being cut off. */
export class InterruptedError extends Error {
  constructor() {
    super("pyguard was restarting");
    this.name = "InterruptedError";
  }
}

export interface Job {
  /** The pull request: owner/repo#number. */
  key: string;
  /** The head SHA the event named, when it named one (a PR comment does not). */
  sha?: string;
  /** A recheck: runs even when this SHA was just reviewed. */
  force: boolean;
  /** Does the work; resolves with the SHA it reviewed (or undefined when it skipped). */
  run(signal: AbortSignal): Promise<string | undefined>;
}

export type EnqueueResult = "queued" | "replaced" | "duplicate" | "full";

interface Running {
  job: Job;
  controller: AbortController;
}

export interface JobQueueOptions {
  concurrency: number;
  /** Jobs waiting at most; more are refused (and logged by the caller). */
  maxQueued?: number;
  /** How long a reviewed SHA counts as fresh for non-forced events. */
  recentMs?: number;
  /** Called with a job that threw (jobs are expected to handle their own errors). */
  onError?: (job: Job, error: unknown) => void;
  now?: () => number;
}

export class JobQueue {
  private readonly waiting: Job[] = [];
  private readonly running = new Map<string, Running>();
  private readonly recent = new Map<string, { sha: string; at: number }>();
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: JobQueueOptions) {}

  get pending(): number {
    return this.waiting.length;
  }

  get active(): number {
    return this.running.size;
  }

  enqueue(job: Job): EnqueueResult {
    if (!job.force && job.sha !== undefined && this.recentlyReviewed(job.key) === job.sha) return "duplicate";
    const current = this.running.get(job.key);
    if (current) {
      const newerSha = job.sha !== undefined && current.job.sha !== undefined && job.sha !== current.job.sha;
      if (newerSha) current.controller.abort(new SupersededError(job.sha as string));
      else if (!job.force) return "duplicate";
    }
    const index = this.waiting.findIndex((waiting) => waiting.key === job.key);
    if (index >= 0) {
      const queued = this.waiting[index] as Job;
      if (!job.force && job.sha !== undefined && job.sha === queued.sha) return "duplicate";
      this.waiting[index] = { ...job, sha: job.sha ?? queued.sha, force: job.force || queued.force };
      return "replaced";
    }
    if (this.waiting.length >= (this.options.maxQueued ?? 1000)) return "full";
    this.waiting.push(job);
    this.pump();
    return "queued";
  }

  /** Drops waiting jobs and aborts running ones with `reason` (they complete their check runs). */
  stop(reason: Error): number {
    const dropped = this.waiting.splice(0).length;
    for (const { controller } of this.running.values()) controller.abort(reason);
    this.pump();
    return dropped;
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.waiting.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private recentlyReviewed(key: string): string | undefined {
    const entry = this.recent.get(key);
    if (!entry) return undefined;
    const now = this.options.now?.() ?? Date.now();
    if (now - entry.at > (this.options.recentMs ?? 10 * 60_000)) {
      this.recent.delete(key);
      return undefined;
    }
    return entry.sha;
  }

  private pump(): void {
    while (this.running.size < this.options.concurrency) {
      const index = this.waiting.findIndex((job) => !this.running.has(job.key));
      if (index < 0) break;
      const [job] = this.waiting.splice(index, 1) as [Job];
      const controller = new AbortController();
      this.running.set(job.key, { job, controller });
      void this.execute(job, controller);
    }
    if (this.waiting.length === 0 && this.running.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async execute(job: Job, controller: AbortController): Promise<void> {
    try {
      const reviewed = await job.run(controller.signal);
      if (reviewed !== undefined && !controller.signal.aborted) {
        this.recent.set(job.key, { sha: reviewed, at: this.options.now?.() ?? Date.now() });
        if (this.recent.size > 5000) this.recent.delete(this.recent.keys().next().value as string);
      }
    } catch (error) {
      this.options.onError?.(job, error);
    } finally {
      this.running.delete(job.key);
      this.pump();
    }
  }
}
