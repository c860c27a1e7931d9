/**
 * Closing the loop on fixed findings: the review thread of a comment whose finding is gone is
 * resolved (GraphQL resolveReviewThread), or, when that is not possible, answered once with the
 * commit that fixed it.
 */
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import { FIXED_MARKER, type BotComment } from "./existing.js";
import type { PullTarget } from "./pulls.js";

/** Threads handled per run at most; the rest wait for the next push. */
export const MAX_RESOLVED_PER_RUN = 30;

const THREADS_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { databaseId } } }
      }
    }
  }
}`;

const RESOLVE_MUTATION = `mutation($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } }
}`;

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: Array<{ id: string; isResolved: boolean; comments: { nodes: Array<{ databaseId: number | null }> } }>;
      };
    } | null;
  } | null;
}

/** Thread id and state by the database id of the thread's first comment. */
async function threadsByFirstComment(octokit: ProbotOctokit, target: PullTarget): Promise<Map<number, { id: string; isResolved: boolean }>> {
  const threads = new Map<number, { id: string; isResolved: boolean }>();
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const data: ThreadsPage = await octokit.graphql<ThreadsPage>(THREADS_QUERY, { owner: target.owner, repo: target.repo, number: target.number, cursor });
    const connection = data.repository?.pullRequest?.reviewThreads;
    if (!connection) break;
    for (const node of connection.nodes) {
      const first = node.comments.nodes[0]?.databaseId;
      if (first) threads.set(first, { id: node.id, isResolved: node.isResolved });
    }
    if (!connection.pageInfo.hasNextPage) break;
    cursor = connection.pageInfo.endCursor;
  }
  return threads;
}

export interface FixedThreads {
  resolved: number;
  replied: number;
}

export async function closeFixedThreads(
  octokit: ProbotOctokit,
  target: PullTarget,
  fixed: readonly BotComment[],
  repliedFixed: ReadonlySet<number>,
  headSha: string,
  log: Logger,
): Promise<FixedThreads> {
  const result: FixedThreads = { resolved: 0, replied: 0 };
  if (fixed.length === 0) return result;
  let threads: Map<number, { id: string; isResolved: boolean }> | null = null;
  try {
    threads = await threadsByFirstComment(octokit, target);
  } catch (error) {
    log.info({ event: "threads.query_failed", err: { message: (error as Error).message } }, "cannot list review threads; replying instead");
  }
  let handled = 0;
  for (const comment of fixed) {
    if (handled >= MAX_RESOLVED_PER_RUN) break;
    const thread = threads?.get(comment.id);
    if (thread?.isResolved) continue;
    if (thread) {
      handled++;
      try {
        await octokit.graphql(RESOLVE_MUTATION, { threadId: thread.id });
        result.resolved++;
        continue;
      } catch (error) {
        log.info({ event: "threads.resolve_failed", err: { message: (error as Error).message } }, "cannot resolve a review thread; replying instead");
      }
    }
    if (repliedFixed.has(comment.id)) continue;
    if (!thread) handled++;
    await octokit.rest.pulls.createReplyForReviewComment({
      owner: target.owner,
      repo: target.repo,
      pull_number: target.number,
      comment_id: comment.id,
      body: `Fixed in ${headSha.slice(0, 7)}: pyguard no longer reports this finding.\n\n${FIXED_MARKER}`,
    });
    result.replied++;
  }
  return result;
}
