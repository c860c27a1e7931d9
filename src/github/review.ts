/**
 * Posting the review: one per run, only the comments not already on the PR, each anchor checked
 * again against the parsed diff. GitHub must never answer 422; if it does anyway, the review is
 * posted again with single-line anchors, then with no inline comments at all (the findings are
 * check-run annotations already), so one bad anchor never loses the review.
 */
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import { isValidAnchor } from "../review/anchor.js";
import { fingerprintMarker } from "../review/markers.js";
import type { ChangeSet, InlineComment } from "../review/types.js";
import { gitHubFailure } from "./errors.js";
import type { PullTarget } from "./pulls.js";

/** GitHub rejects comment bodies over 65,536 characters. */
const MAX_COMMENT_CHARS = 60_000;

export interface ApiReviewComment {
  path: string;
  body: string;
  line: number;
  side: "RIGHT" | "LEFT";
  start_line?: number;
  start_side?: "RIGHT" | "LEFT";
}

/** Splits comments into those whose anchors the diff accepts and those it would reject. */
export function checkAnchors(comments: readonly InlineComment[], changeSet: ChangeSet): { valid: InlineComment[]; invalid: InlineComment[] } {
  const patches = new Map(changeSet.files.filter((file) => file.status !== "removed").map((file) => [file.path, file.patch]));
  const valid: InlineComment[] = [];
  const invalid: InlineComment[] = [];
  for (const comment of comments) {
    const patch = patches.get(comment.path);
    const sidesOk = comment.side === "RIGHT" && (comment.startLine === undefined || comment.startSide === undefined || comment.startSide === "RIGHT");
    const ok =
      patch !== undefined &&
      patch !== null &&
      sidesOk &&
      Number.isInteger(comment.line) &&
      comment.line > 0 &&
      isValidAnchor({ line: comment.line, ...(comment.startLine !== undefined ? { startLine: comment.startLine } : {}) }, patch);
    (ok ? valid : invalid).push(comment);
  }
  return { valid, invalid };
}

export function toApiComment(comment: InlineComment, singleLine = false): ApiReviewComment {
  const marker = fingerprintMarker(comment.fingerprint);
  let body = comment.body.includes(marker) ? comment.body : `${comment.body}\n\n${marker}`;
  if (body.length > MAX_COMMENT_CHARS) body = `${comment.body.slice(0, MAX_COMMENT_CHARS - 200)}\n\n… (truncated)\n\n${marker}`;
  const api: ApiReviewComment = { path: comment.path, body, line: comment.line, side: "RIGHT" };
  if (!singleLine && comment.startLine !== undefined && comment.startLine < comment.line) {
    api.start_line = comment.startLine;
    api.start_side = "RIGHT";
  }
  return api;
}

export interface ReviewRequest {
  headSha: string;
  event: "COMMENT" | "REQUEST_CHANGES";
  body: string;
  comments: readonly InlineComment[];
}

export interface ReviewPosted {
  /** Inline comments GitHub accepted. */
  inline: number;
  /** Comments that ended up only as annotations (a 422 on every attempt). */
  fallback: number;
  requests: number;
}

function is422(error: unknown): boolean {
  return gitHubFailure(error)?.status === 422;
}

export async function postReview(octokit: ProbotOctokit, target: PullTarget, request: ReviewRequest, log: Logger): Promise<ReviewPosted> {
  const base = { owner: target.owner, repo: target.repo, pull_number: target.number, commit_id: request.headSha, event: request.event };
  const attempt = (comments: ApiReviewComment[], body: string) => octokit.rest.pulls.createReview({ ...base, body, comments });
  try {
    await attempt(request.comments.map((comment) => toApiComment(comment)), request.body);
    return { inline: request.comments.length, fallback: 0, requests: 1 };
  } catch (error) {
    if (!is422(error)) throw error;
    log.warn({ event: "review.rejected", attempt: 1, comments: request.comments.length }, "GitHub rejected the review (422); retrying with single-line anchors");
  }
  const hasRanges = request.comments.some((comment) => comment.startLine !== undefined);
  if (hasRanges) {
    try {
      await attempt(request.comments.map((comment) => toApiComment(comment, true)), request.body);
      return { inline: request.comments.length, fallback: 0, requests: 2 };
    } catch (error) {
      if (!is422(error)) throw error;
      log.warn({ event: "review.rejected", attempt: 2, comments: request.comments.length }, "GitHub rejected the review again (422); posting it without inline comments");
    }
  }
  // Without inline comments: the findings are the check run's annotations. The markers keep the
  // next run from trying (and failing) the same anchors again.
  const markers = request.comments.map((comment) => fingerprintMarker(comment.fingerprint)).join("\n");
  const body = `${request.body}\n\nGitHub did not accept inline comments on these lines; the findings are annotations on the \`pyguard\` check run.\n\n${markers}`;
  await octokit.rest.pulls.createReview({ ...base, body });
  return { inline: 0, fallback: request.comments.length, requests: hasRanges ? 3 : 2 };
}

export function reviewBody(newComments: number, blocking: boolean): string {
  const noun = newComments === 1 ? "finding" : "findings";
  const verdict = blocking ? "The `pyguard` check fails until the blocking findings are fixed." : "None of them blocks the merge.";
  return `**pyguard** found ${newComments} new ${noun} on lines this pull request adds. ${verdict} The check run lists every finding.`;
}
