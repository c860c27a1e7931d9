/**
 * One review of one pull request, run from the job queue: PR → base-branch config → changed
 * files → pipeline → check run and review (deduplicated) → fixed threads. Every review ends with
 * a completed check run: the pipeline's conclusion, `failure` for an invalid config, or `neutral`
 * with the reason.
 *
 * GitHub asks for a second between writes (Probot's throttling enforces it), so each write
 * costs the reviewer a second. A review that finishes quickly creates its check run completed,
 * in one request; one that takes longer than PROGRESS_DELAY_MS shows it in progress first. A
 * failing gate is published before the review that explains it (failing early is safe); a
 * passing one only after its comments are posted, so that auto-merge cannot overtake them.
 */
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import { ConfigError } from "../config/load.js";
import type { PyguardConfig } from "../config/schema.js";
import type { ReviewInput, ReviewOutcome } from "../review/types.js";
import { checkRunHandle, type CheckResult } from "./checks.js";
import { headFileReader } from "./contents.js";
import { loadBaseConfig } from "./contents.js";
import { describeFailure } from "./errors.js";
import { listExistingFeedback, type ExistingFeedback } from "./existing.js";
import { getPull, listChangedFiles, pullKey, toChangeSet, type PullInfo, type PullTarget } from "./pulls.js";
import { InterruptedError, SupersededError } from "./queue.js";
import { checkAnchors, postReview, reviewBody } from "./review.js";
import { closeFixedThreads } from "./threads.js";

export type ReviewFunction = (input: ReviewInput) => Promise<ReviewOutcome>;

export interface JobSettings {
  review: ReviewFunction;
  /** Files fetched and analysed at once within one review. */
  fileConcurrency: number;
  /** A review still running after this long shows its check run in progress. */
  progressDelayMs: number;
  /** The app's slug, learnt from the first check run this process created (its bot is `<slug>[bot]`). */
  identity: { appSlug?: string };
}

export const PROGRESS_DELAY_MS = 1500;

export interface ReviewJob {
  octokit: ProbotOctokit;
  log: Logger;
  target: PullTarget;
  signal: AbortSignal;
  settings: JobSettings;
  /**
   * The PR as a pull_request webhook described it. A newer push arrives as a newer event that
   * supersedes this job, so the snapshot is as fresh as a fetch; commands and check re-runs
   * carry none, and the PR is fetched.
   */
  snapshot?: PullInfo;
}

function throwIfSuperseded(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new SupersededError("a newer commit");
}

type ConfigResult = { config: PyguardConfig } | { configError: ConfigError } | { fetchError: unknown };

async function readConfig(job: ReviewJob, baseRef: string): Promise<ConfigResult> {
  try {
    return { config: await loadBaseConfig(job.octokit, job.target.owner, job.target.repo, baseRef) };
  } catch (error) {
    return error instanceof ConfigError ? { configError: error } : { fetchError: error };
  }
}

function invalidConfigResult(error: ConfigError, baseRef: string): CheckResult {
  const problems = error.problems.map((problem) => `- ${problem}`).join("\n");
  return {
    conclusion: "failure",
    title: "Invalid pyguard configuration",
    summary:
      `\`.github/pyguard.yml\` on the base branch \`${baseRef}\` is invalid, so pyguard did not review this pull request.\n\n${problems}\n\n` +
      "pyguard reads its configuration from the base branch, so that a pull request cannot weaken its own gate: fix the file on the base branch.",
  };
}

function neutralResult(reason: string): CheckResult {
  return {
    conclusion: "neutral",
    title: "pyguard could not finish the review",
    summary: `pyguard could not finish the review: ${reason}\n\nThe check is neutral. Use the Recheck button or comment \`/pyguard recheck\` to try again.`,
  };
}

function supersededResult(bySha: string): CheckResult {
  const short = /^[0-9a-f]{40}$/u.test(bySha) ? bySha.slice(0, 7) : bySha;
  return { conclusion: "neutral", title: `Superseded by ${short}`, summary: `A newer commit (${short}) was pushed; pyguard reviews that one instead.` };
}

/** Posts the review and tends fixed threads; returns lines for the summary. Never throws. */
async function postFeedback(job: ReviewJob, outcome: ReviewOutcome, config: PyguardConfig, headSha: string, changeSet: ReturnType<typeof toChangeSet>, appSlug: string | undefined): Promise<{ notes: string[]; failed: boolean }> {
  const notes: string[] = [];
  let existing: ExistingFeedback;
  try {
    existing = await listExistingFeedback(job.octokit, job.target, appSlug);
  } catch (error) {
    return { notes: [`Inline comments were not posted: ${describeFailure(error)}`], failed: true };
  }
  const fresh = outcome.comments.filter((comment) => !existing.fingerprints.has(comment.fingerprint));
  const { valid, invalid } = checkAnchors(fresh, changeSet);
  if (invalid.length > 0) job.log.warn({ event: "review.invalid_anchor", count: invalid.length }, "comments whose anchors are not in the diff stay annotations only");
  const blocking = outcome.conclusion === "failure";
  try {
    if (valid.length > 0) {
      const event = config.review.event === "REQUEST_CHANGES" && blocking ? "REQUEST_CHANGES" : "COMMENT";
      const posted = await postReview(job.octokit, job.target, { headSha, event, body: reviewBody(valid.length, blocking), comments: valid }, job.log);
      if (posted.fallback > 0) notes.push(`GitHub did not accept ${posted.fallback} inline comments; those findings are annotations only.`);
    }
    if (!blocking && existing.changesRequested.length > 0) {
      for (const reviewId of existing.changesRequested) {
        await job.octokit.rest.pulls.dismissReview({
          owner: job.target.owner,
          repo: job.target.repo,
          pull_number: job.target.number,
          review_id: reviewId,
          message: `pyguard: no blocking findings remain at ${headSha.slice(0, 7)}.`,
          event: "DISMISS",
        });
      }
    }
  } catch (error) {
    job.log.warn({ event: "review.post_failed", reason: describeFailure(error) }, "the review could not be posted");
    return { notes: [`The inline review could not be posted: ${describeFailure(error)}`], failed: true };
  }
  // A finding is fixed when its comment's fingerprint is gone and its file was fully analysed.
  if (!changeSet.truncated) {
    const unreadable = new Set(outcome.notices.map((notice) => notice.path));
    const fixed = existing.comments.filter((comment) => !outcome.fingerprints.has(comment.fingerprint) && !unreadable.has(comment.path));
    try {
      await closeFixedThreads(job.octokit, job.target, fixed, existing.repliedFixed, headSha, job.log);
    } catch (error) {
      job.log.warn({ event: "threads.failed", reason: describeFailure(error) }, "fixed threads could not be closed");
    }
  }
  return { notes, failed: false };
}

/** Runs the review; resolves with the head SHA reviewed, or undefined when the PR was skipped. */
export async function runReviewJob(job: ReviewJob): Promise<string | undefined> {
  const { octokit, log, target, signal } = job;
  const started = Date.now();
  const pull = job.snapshot ?? (await getPull(octokit, target));
  if (pull.state !== "open") {
    log.info({ event: "review.skipped", pr: pullKey(target), reason: "closed" }, "pull request is closed");
    return undefined;
  }
  const configResult = await readConfig(job, pull.baseRef);
  const reviewDrafts = "config" in configResult && configResult.config.review.reviewDrafts;
  if (pull.draft && !reviewDrafts) {
    log.info({ event: "review.skipped", pr: pullKey(target), reason: "draft" }, "draft pull request skipped (review.reviewDrafts is off)");
    return undefined;
  }
  throwIfSuperseded(signal);
  const check = checkRunHandle(octokit, target.owner, target.repo, pull.headSha, (error) =>
    log.warn({ event: "check.start_failed", reason: describeFailure(error) }, "the in-progress check run could not be created"),
  );
  // A delay of 0 shows every run in progress from the start.
  const progress = job.settings.progressDelayMs > 0 ? setTimeout(() => void check.start(), job.settings.progressDelayMs) : (void check.start(), undefined);
  const identity = job.settings.identity;
  let superseded = false;
  const finish = async (result: CheckResult): Promise<void> => {
    clearTimeout(progress);
    await check.finish(result);
    identity.appSlug ??= check.created?.appSlug;
  };
  try {
    if ("fetchError" in configResult) throw configResult.fetchError;
    if ("configError" in configResult) {
      await finish(invalidConfigResult(configResult.configError, pull.baseRef));
      log.info({ event: "review.completed", pr: pullKey(target), sha: pull.headSha, conclusion: "failure", reason: "invalid config" }, "invalid config");
      return pull.headSha;
    }
    const config = configResult.config;
    const listed = await listChangedFiles(octokit, target);
    const changeSet = toChangeSet(listed, pull.changedFiles);
    throwIfSuperseded(signal);
    const blobShas = new Map(listed.filter((file) => file.sha).map((file) => [file.filename, file.sha as string]));
    const headFiles = headFileReader(octokit, { owner: target.owner, repo: target.repo, headSha: pull.headSha, maxBytes: config.maxFileBytes, blobShas });
    const outcome = await job.settings.review({ changeSet, config, readFile: headFiles.read, concurrency: job.settings.fileConcurrency, headSha: pull.headSha });
    throwIfSuperseded(signal);
    const unread = headFiles.failures.length;
    const readNotes = unread > 0 ? [`${unread} ${unread === 1 ? "file was" : "files were"} not reviewed: ${describeFailure(headFiles.failures[0])}`] : [];
    const withNotes = (notes: readonly string[]): string => (notes.length > 0 ? `${notes.map((note) => `> ${note}`).join("\n")}\n\n${outcome.summary}` : outcome.summary);
    let conclusion = outcome.conclusion;
    if (outcome.conclusion === "failure") {
      await finish({ conclusion, title: outcome.title, summary: withNotes(readNotes), annotations: outcome.annotations });
      const feedback = await postFeedback(job, outcome, config, pull.headSha, changeSet, check.created?.appSlug ?? identity.appSlug);
      if (feedback.notes.length > 0) {
        await check.amend({ title: outcome.title, summary: withNotes([...readNotes, ...feedback.notes]) }).catch((error: unknown) => log.warn({ event: "check.amend_failed", reason: describeFailure(error) }, "the check summary could not be amended"));
      }
    } else {
      const feedback = await postFeedback(job, outcome, config, pull.headSha, changeSet, check.created?.appSlug ?? identity.appSlug);
      // An incomplete run (files GitHub would not serve, or no review posted) cannot pass the gate.
      if (feedback.failed || unread > 0) conclusion = "neutral";
      await finish({ conclusion, title: outcome.title, summary: withNotes([...readNotes, ...feedback.notes]), annotations: outcome.annotations });
    }
    log.info(
      {
        event: "review.completed",
        pr: pullKey(target),
        sha: pull.headSha,
        conclusion,
        files: outcome.filesAnalyzed,
        introduced: outcome.introduced.length,
        durationMs: Date.now() - started,
      },
      "review completed",
    );
    return pull.headSha;
  } catch (error) {
    if (error instanceof SupersededError) {
      log.info({ event: "review.superseded", pr: pullKey(target), sha: pull.headSha, by: error.bySha }, "review superseded by a newer commit");
      superseded = true;
      // A run that nobody saw yet need not exist at all: the newer commit gets its own.
      if (check.created && !check.finished) await finish(supersededResult(error.bySha)).catch((finishError: unknown) => log.error({ event: "check.complete_failed", reason: describeFailure(finishError) }, "cannot complete the check run"));
      return undefined;
    }
    const reason = error instanceof InterruptedError ? "pyguard was restarting." : describeFailure(error);
    log.error({ event: "review.failed", pr: pullKey(target), sha: pull.headSha, reason }, "review failed");
    if (!check.finished) await finish(neutralResult(reason)).catch((finishError: unknown) => log.error({ event: "check.complete_failed", reason: describeFailure(finishError) }, "cannot complete the check run"));
    return undefined;
  } finally {
    clearTimeout(progress);
    if (!check.finished && !(superseded && !check.created)) {
      await finish(neutralResult("the review stopped unexpectedly")).catch(() => undefined);
    }
  }
}
