/**
 * What the bot already said on a pull request: its review comments (paginated, only this app's
 * bot user) and the fingerprints they carry, so a push that only moves code posts nothing new.
 */
import type { ProbotOctokit } from "probot";
import { fingerprintFromBody } from "../review/markers.js";
import type { PullTarget } from "./pulls.js";

/** Marks the bot's "fixed" replies, so a fixed finding is announced once. */
export const FIXED_MARKER = "<!-- pyguard:fixed -->";

export interface BotComment {
  id: number;
  nodeId: string;
  path: string;
  fingerprint: string;
}

export interface ExistingFeedback {
  /** Fingerprints already posted: inline comments, and the anchors of a review that fell back to annotations. */
  fingerprints: Set<string>;
  /** The bot's top-level comments that carry a fingerprint (threads it may resolve). */
  comments: BotComment[];
  /** Ids of the bot's comments that already got a "fixed" reply. */
  repliedFixed: Set<number>;
  /** The bot's reviews that request changes (to dismiss once nothing blocks). */
  changesRequested: number[];
}

interface UserLike {
  login: string;
  type?: string;
}

/** The bot user: `<slug>[bot]` when the slug is known, else any bot (comments still need our marker). */
export function isOwnBot(user: UserLike | null | undefined, appSlug: string | undefined): boolean {
  if (!user) return false;
  if (appSlug) return user.login === `${appSlug}[bot]`;
  return user.type === "Bot";
}

/** Every fingerprint marker in a text, one a line (review bodies list several). */
export function fingerprintsIn(body: string | null | undefined): string[] {
  if (!body) return [];
  const found: string[] = [];
  for (const line of body.split("\n")) {
    const fingerprint = fingerprintFromBody(line);
    if (fingerprint) found.push(fingerprint);
  }
  return found;
}

export async function listExistingFeedback(octokit: ProbotOctokit, target: PullTarget, appSlug: string | undefined): Promise<ExistingFeedback> {
  const feedback: ExistingFeedback = { fingerprints: new Set(), comments: [], repliedFixed: new Set(), changesRequested: [] };
  const params = { owner: target.owner, repo: target.repo, pull_number: target.number, per_page: 100 };
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listReviewComments, params)) {
    for (const comment of page.data) {
      if (!isOwnBot(comment.user, appSlug)) continue;
      if (comment.in_reply_to_id) {
        if (comment.body.includes(FIXED_MARKER)) feedback.repliedFixed.add(comment.in_reply_to_id);
        continue;
      }
      const fingerprint = fingerprintFromBody(comment.body);
      if (!fingerprint) continue;
      feedback.fingerprints.add(fingerprint);
      feedback.comments.push({ id: comment.id, nodeId: comment.node_id, path: comment.path, fingerprint });
    }
  }
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listReviews, params)) {
    for (const review of page.data) {
      if (!isOwnBot(review.user, appSlug)) continue;
      for (const fingerprint of fingerprintsIn(review.body)) feedback.fingerprints.add(fingerprint);
      if (review.state === "CHANGES_REQUESTED") feedback.changesRequested.push(review.id);
    }
  }
  return feedback;
}
