/**
 * Webhook handlers: validate the payload, work out which pull requests the event is about, and
 * queue their reviews. They return at once; GitHub gives a webhook 10 seconds and does not
 * redeliver, so the work happens in the queue.
 */
import type { Context } from "probot";
import { CHECK_NAME, RECHECK_ACTION } from "../review/markers.js";
import { checkRunEvent, checkSuiteEvent, parsePayload, pullRequestEvent, type LinkedPull, type Repository } from "./payloads.js";
import { findPullsForSha, type PullInfo } from "./pulls.js";
import type { Runtime } from "./runtime.js";
import type { z } from "zod";

export const PULL_REQUEST_ACTIONS = ["opened", "synchronize", "reopened", "ready_for_review"] as const;

type AnyContext = Pick<Context, "id" | "name" | "payload" | "octokit" | "log">;

/** Validates a payload; logs and returns undefined when it is not what GitHub documents. */
export function validPayload<T>(context: AnyContext, schema: z.ZodType<T>): T | undefined {
  const parsed = parsePayload(schema, context.payload);
  if (!parsed.ok) {
    context.log.warn({ event: "webhook.invalid_payload", name: context.name, delivery: context.id, problems: parsed.problems }, "unexpected webhook payload ignored");
    return undefined;
  }
  return parsed.data;
}

/** True the first time a delivery id is seen (GitHub's redeliveries keep the id). */
export function firstDelivery(context: AnyContext, runtime: Runtime): boolean {
  if (!runtime.deliveries.check(context.id)) return true;
  context.log.info({ event: "webhook.redelivery", delivery: context.id }, "delivery already handled");
  return false;
}

export function handlePullRequest(context: AnyContext, runtime: Runtime): void {
  const payload = validPayload(context, pullRequestEvent);
  if (!payload || !firstDelivery(context, runtime)) return;
  if (!(PULL_REQUEST_ACTIONS as readonly string[]).includes(payload.action) || payload.pull_request.state !== "open") return;
  const pull = payload.pull_request;
  const target = { owner: payload.repository.owner.login, repo: payload.repository.name, number: pull.number };
  const snapshot: PullInfo | undefined =
    pull.base && pull.changed_files !== undefined
      ? { number: pull.number, state: pull.state, draft: pull.draft === true, headSha: pull.head.sha, baseRef: pull.base.ref, changedFiles: pull.changed_files }
      : undefined;
  runtime.schedule(context.octokit, context.log, target, pull.head.sha, false, snapshot);
}

/**
 * Queues the pull requests of a commit: the payload's own list, or a lookup by head SHA (forks).
 * A recheck (force) names no SHA to the queue: it reviews the PR's current head after any running
 * review, instead of superseding it.
 */
function scheduleForCommit(context: AnyContext, runtime: Runtime, repository: Repository, sha: string, pulls: readonly LinkedPull[], force: boolean): void {
  const queuedSha = force ? undefined : sha;
  const owner = repository.owner.login;
  const repo = repository.name;
  const own = pulls.filter((pull) => pull.base?.repo?.id === undefined || pull.base.repo.id === repository.id);
  if (own.length > 0) {
    for (const pull of own) runtime.schedule(context.octokit, context.log, { owner, repo, number: pull.number }, queuedSha, force);
    return;
  }
  runtime.background(context.log, "pulls.lookup", async () => {
    const numbers = await findPullsForSha(context.octokit, owner, repo, sha);
    if (numbers.length === 0) context.log.debug({ event: "review.no_pull", sha }, "no open pull request has this head");
    for (const number of numbers) runtime.schedule(context.octokit, context.log, { owner, repo, number }, queuedSha, force);
  });
}

export function handleCheckRun(context: AnyContext, runtime: Runtime): void {
  const payload = validPayload(context, checkRunEvent);
  if (!payload || !firstDelivery(context, runtime)) return;
  if (payload.check_run.name !== CHECK_NAME) return;
  if (payload.action === "requested_action" && payload.requested_action?.identifier !== RECHECK_ACTION) return;
  if (payload.action !== "rerequested" && payload.action !== "requested_action") return;
  scheduleForCommit(context, runtime, payload.repository, payload.check_run.head_sha, payload.check_run.pull_requests, true);
}

export function handleCheckSuite(context: AnyContext, runtime: Runtime): void {
  const payload = validPayload(context, checkSuiteEvent);
  if (!payload || !firstDelivery(context, runtime)) return;
  if (payload.action !== "requested" && payload.action !== "rerequested") return;
  scheduleForCommit(context, runtime, payload.repository, payload.check_suite.head_sha, payload.check_suite.pull_requests, payload.action === "rerequested");
}
