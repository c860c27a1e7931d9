/**
 * Webhook payloads shaped like GitHub's: real examples from @octokit/webhooks-examples (an array
 * of {name, examples[]}), completed with what a pyguard delivery has (installation.id, the PR's
 * number and SHAs, issue.pull_request on a PR comment) and pointed at a fake repository.
 */
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pullFilesOf, type FakePull, type FakeRepo } from "./fake-github.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let examples: Array<{ name: string; examples: Json[] }> | undefined;

function example(name: string, action: string): Json {
  if (!examples) {
    const require = createRequire(import.meta.url);
    examples = JSON.parse(readFileSync(require.resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8")) as Array<{ name: string; examples: Json[] }>;
  }
  const found = examples.find((entry) => entry.name === name)?.examples.find((candidate) => candidate.action === action);
  if (!found) throw new Error(`no ${name}.${action} example`);
  return structuredClone(found);
}

export const INSTALLATION_ID = 4242;

function pointAt(payload: Json, repo: FakeRepo): Json {
  payload.repository = { ...payload.repository, id: repo.id, name: repo.name, full_name: `${repo.owner}/${repo.name}`, owner: { ...payload.repository.owner, login: repo.owner } };
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
  return payload;
}

export function pullRequestPayload(repo: FakeRepo, pull: FakePull, action: "opened" | "synchronize" | "reopened" | "ready_for_review"): Json {
  const payload = pointAt(example("pull_request", action), repo);
  payload.number = pull.number;
  Object.assign(payload.pull_request, { number: pull.number, state: pull.state, draft: pull.draft, changed_files: pullFilesOf(repo, pull).length });
  payload.pull_request.head = { ...payload.pull_request.head, sha: pull.headSha, ref: pull.headRef };
  payload.pull_request.base = { ...payload.pull_request.base, sha: pull.baseSha, ref: pull.baseRef, repo: { ...payload.pull_request.base.repo, id: repo.id } };
  if (action === "synchronize") payload.after = pull.headSha;
  return payload;
}

function linkedPulls(repo: FakeRepo, pulls: readonly FakePull[]): Json[] {
  return pulls.map((pull) => ({
    url: `https://api.github.com/repos/${repo.owner}/${repo.name}/pulls/${pull.number}`,
    id: pull.number,
    number: pull.number,
    head: { ref: pull.headRef, sha: pull.headSha, repo: { id: repo.id, url: "", name: repo.name } },
    base: { ref: pull.baseRef, sha: pull.baseSha, repo: { id: repo.id, url: "", name: repo.name } },
  }));
}

/** check_suite.requested / rerequested; `pulls` empty as for a fork. */
export function checkSuitePayload(repo: FakeRepo, headSha: string, action: "requested" | "rerequested", pulls: readonly FakePull[] = []): Json {
  const payload = pointAt(example("check_suite", action), repo);
  Object.assign(payload.check_suite, { head_sha: headSha, pull_requests: linkedPulls(repo, pulls) });
  return payload;
}

export function checkRunPayload(repo: FakeRepo, headSha: string, action: "rerequested" | "requested_action", options: { pulls?: readonly FakePull[]; identifier?: string; name?: string } = {}): Json {
  const payload = pointAt(example("check_run", action), repo);
  Object.assign(payload.check_run, { name: options.name ?? "pyguard", head_sha: headSha, pull_requests: linkedPulls(repo, options.pulls ?? []) });
  if (action === "requested_action") payload.requested_action = { identifier: options.identifier ?? "recheck" };
  return payload;
}

export function issueCommentPayload(repo: FakeRepo, number: number, body: string, user: { login: string; type?: string }, commentId = Math.floor(Math.random() * 1e9)): Json {
  const payload = pointAt(example("issue_comment", "created"), repo);
  payload.issue = {
    ...payload.issue,
    number,
    pull_request: {
      url: `https://api.github.com/repos/${repo.owner}/${repo.name}/pulls/${number}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${number}`,
      diff_url: `https://github.com/${repo.owner}/${repo.name}/pull/${number}.diff`,
      patch_url: `https://github.com/${repo.owner}/${repo.name}/pull/${number}.patch`,
      merged_at: null,
    },
  };
  payload.comment = { ...payload.comment, id: commentId, body, user: { ...payload.comment.user, login: user.login, type: user.type ?? "User" }, author_association: "CONTRIBUTOR" };
  return payload;
}

/** Headers of a signed delivery, as GitHub sends them. */
export function signedDelivery(secret: string, event: string, payload: unknown): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      "user-agent": "GitHub-Hookshot/test",
    },
  };
}
