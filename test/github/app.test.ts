/**
 * The app through Probot (`probot.receive`) against the fake GitHub, with payloads from
 * @octokit/webhooks-examples and every outgoing request checked against GitHub's OpenAPI
 * description.
 */
import { afterEach, describe, expect, test } from "vitest";
import { FAKE_BOT_LOGIN, type FakeRepo } from "../support/fake-github.js";
import { createHarness, type Harness } from "../support/probot-harness.js";
import { checkRunPayload, checkSuitePayload, issueCommentPayload, pullRequestPayload } from "../support/webhooks.js";

const CLEAN = `"""Helpers."""


def func_double(value):
    """Double it."""
    return value * 2
`;

const WITH_EVAL = `"""Helpers."""


def func_double(value):
    """Double it."""
    return value * 2


def func_calculate():
    """Evaluate an expression."""
    return eval(input())
`;

let harness: Harness;

afterEach(() => {
  expect(harness.fake.violations).toEqual([]);
});

function lastCheckRun(repo: FakeRepo) {
  const run = repo.checkRuns[repo.checkRuns.length - 1];
  if (!run) throw new Error("no check run");
  return run;
}

async function openPull(files: Record<string, string | null>, base: Record<string, string> = {}, options: { draft?: boolean } = {}) {
  harness = await createHarness();
  const repo = harness.fake.addRepo("octo", "shop", base);
  const pull = harness.fake.openPull(repo, 7, files, options);
  return { repo, pull };
}

describe("a pull request", () => {
  test("an introduced finding is commented inline on its added line and fails the check", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL }, { "app/calc.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));

    expect(repo.checkRuns).toHaveLength(1);
    const run = lastCheckRun(repo);
    expect(run).toMatchObject({ name: "pyguard", head_sha: pull.headSha, status: "completed", conclusion: "failure" });
    expect(run.annotations.map((annotation) => `${String(annotation.path)}:${String(annotation.start_line)}`)).toEqual(["app/calc.py:11"]);
    expect(run.actions).toEqual([expect.objectContaining({ identifier: "recheck", label: "Recheck" })]);
    expect(repo.reviews).toHaveLength(1);
    expect(repo.reviews[0]).toMatchObject({ event: "COMMENT", commit_id: pull.headSha });
    expect(repo.reviewComments.map((comment) => `${comment.path}:${comment.line}:${comment.side}`)).toEqual(["app/calc.py:11:RIGHT"]);
    expect(repo.reviewComments[0]?.body).toMatch(/<!-- pyguard:fingerprint=[0-9a-f.]+ -->/u);
    // A quick review creates its check run completed, in one request; a failing gate goes out before the review.
    const checkCalls = harness.fake.requests.filter((request) => request.path.includes("/check-runs"));
    expect(checkCalls.map((request) => [request.method, (request.body as { status: string }).status])).toEqual([["POST", "completed"]]);
    const order = harness.fake.calls().filter((call) => call.startsWith("POST"));
    expect(order.indexOf("POST /repos/octo/shop/check-runs")).toBeLessThan(order.indexOf("POST /repos/octo/shop/pulls/7/reviews"));
    expect(harness.fake.calls()).toContain("GET /repos/octo/shop/contents/.github/pyguard.yml");
  });

  test("a pre-existing finding in a touched file is advisory: no comment, summary only", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL.replace('"""Double it."""', '"""Double the value."""') }, { "app/calc.py": WITH_EVAL });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));

    expect(repo.reviews).toEqual([]);
    expect(repo.reviewComments).toEqual([]);
    const run = lastCheckRun(repo);
    expect(run.conclusion).toBe("neutral");
    expect(run.annotations).toEqual([]);
    expect(run.output.summary).toMatch(/PG-DYN-001/u);
  });

  test("a push that only moves code posts nothing new; a push that fixes it resolves the thread", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL }, { "app/calc.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    expect(repo.reviewComments).toHaveLength(1);

    harness.fake.push(repo, 7, { "app/calc.py": `"""Helpers."""\n\nimport math\n\n${WITH_EVAL.split("\n").slice(1).join("\n")}` });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "synchronize"));
    expect(repo.checkRuns).toHaveLength(2);
    expect(lastCheckRun(repo).conclusion).toBe("failure");
    expect(repo.reviews).toHaveLength(1);
    expect(repo.reviewComments).toHaveLength(1);

    const fixedSha = harness.fake.push(repo, 7, { "app/calc.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "synchronize"));
    expect(lastCheckRun(repo).conclusion).toBe("success");
    expect(repo.reviews).toHaveLength(1);
    expect(repo.reviewComments[0]?.resolved).toBe(true);
    expect(harness.fake.calls()).toContain("POST /graphql");
    expect(lastCheckRun(repo).head_sha).toBe(fixedSha);
  });

  test("when threads cannot be resolved, the fix is announced once in a reply", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL }, { "app/calc.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    harness.fake.faults.push({ method: "POST", path: /^\/graphql$/u, status: 403, body: { message: "Resource not accessible by integration" }, times: 10 });
    harness.fake.push(repo, 7, { "app/calc.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "synchronize"));
    const replies = repo.reviewComments.filter((comment) => comment.in_reply_to_id !== undefined);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatch(/^Fixed in [0-9a-f]{7}/u);

    harness.fake.push(repo, 7, { "app/other.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "synchronize"));
    expect(repo.reviewComments.filter((comment) => comment.in_reply_to_id !== undefined)).toHaveLength(1);
  });

  test("a pull_request event is reviewed from its payload; commands and re-runs fetch the PR", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL }, { "app/calc.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    expect(lastCheckRun(repo).conclusion).toBe("failure");
    expect(harness.fake.calls()).not.toContain("GET /repos/octo/shop/pulls/7");
    await harness.receive("check_run", checkRunPayload(repo, pull.headSha, "rerequested", { pulls: [pull] }));
    expect(harness.fake.calls()).toContain("GET /repos/octo/shop/pulls/7");
  });

  test("a review that takes longer than the progress delay shows its check run in progress first", async () => {
    harness = await createHarness({ runtime: { progressDelayMs: 0 } });
    const repo = harness.fake.addRepo("octo", "shop", { "app/calc.py": CLEAN });
    const pull = harness.fake.openPull(repo, 7, { "app/calc.py": WITH_EVAL });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    const checkCalls = harness.fake.requests.filter((request) => request.path.includes("/check-runs"));
    expect(checkCalls.map((request) => [request.method, (request.body as { status: string }).status])).toEqual([
      ["POST", "in_progress"],
      ["PATCH", "completed"],
    ]);
    expect(repo.checkRuns).toHaveLength(1);
    expect(lastCheckRun(repo).conclusion).toBe("failure");
  });

  test("a non-failing gate is published only after its advisory comments are posted", async () => {
    const advisory = `${CLEAN}\n\ndef func_calculate(expression):\n    """Evaluate a trusted expression."""\n    return eval(expression)\n`;
    const { repo, pull } = await openPull({ "app/calc.py": advisory }, { "app/calc.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    expect(repo.reviewComments.map((comment) => comment.path)).toEqual(["app/calc.py"]);
    expect(lastCheckRun(repo).conclusion).toBe("neutral");
    const posts = harness.fake.calls().filter((call) => call.startsWith("POST"));
    expect(posts.indexOf("POST /repos/octo/shop/pulls/7/reviews")).toBeGreaterThanOrEqual(0);
    expect(posts.indexOf("POST /repos/octo/shop/pulls/7/reviews")).toBeLessThan(posts.indexOf("POST /repos/octo/shop/check-runs"));
  });

  test("no review at all when nothing is found", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    expect(repo.reviews).toEqual([]);
    expect(lastCheckRun(repo)).toMatchObject({ status: "completed", conclusion: "success" });
  });

  test("a draft is skipped until it is ready for review", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL }, {}, { draft: true });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    expect(repo.checkRuns).toEqual([]);
    pull.draft = false;
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "ready_for_review"));
    expect(lastCheckRun(repo).conclusion).toBe("failure");
  });

  test("drafts are reviewed when the base branch's config says so", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL }, { ".github/pyguard.yml": "review:\n  reviewDrafts: true\n" }, { draft: true });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    expect(lastCheckRun(repo).conclusion).toBe("failure");
  });

  test("the same head SHA is reviewed once for a push's pull_request and check_suite events", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "synchronize"));
    await harness.receive("check_suite", checkSuitePayload(repo, pull.headSha, "requested", [pull]));
    expect(repo.checkRuns).toHaveLength(1);
  });

  test("REQUEST_CHANGES when configured, dismissed once nothing blocks", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL }, { ".github/pyguard.yml": "review:\n  event: REQUEST_CHANGES\n", "app/calc.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    expect(repo.reviews[0]).toMatchObject({ event: "REQUEST_CHANGES", state: "CHANGES_REQUESTED" });
    harness.fake.push(repo, 7, { "app/calc.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "synchronize"));
    expect(repo.reviews[0]?.state).toBe("DISMISSED");
  });
});

describe("configuration", () => {
  test("is read from the base branch: a PR cannot weaken its own gate, and the summary says so", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL, ".github/pyguard.yml": "rules:\n  PG-DYN-001: off\n" }, { "app/calc.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    const run = lastCheckRun(repo);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(/applies after merge/u);
    const configRead = harness.fake.requests.find((request) => request.path.endsWith("/contents/.github/pyguard.yml"));
    expect(configRead?.query.get("ref")).toBe("main");
  });

  test("an invalid config fails the check with the problems explained", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": CLEAN }, { ".github/pyguard.yml": "failOn: sometimes\nunknownKey: 1\n" });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    const run = lastCheckRun(repo);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Invalid pyguard configuration" } });
    expect(run.output.summary).toMatch(/failOn/u);
    expect(run.output.summary).toMatch(/unknownKey/u);
    expect(harness.fake.calls().some((call) => call.endsWith("/files"))).toBe(false);
  });
});

describe("re-runs", () => {
  test("check_suite.requested without pull_requests (a fork) finds the PR by head SHA", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL });
    await harness.receive("check_suite", checkSuitePayload(repo, pull.headSha, "requested"));
    expect(harness.fake.calls()).toContain(`GET /repos/octo/shop/commits/${pull.headSha}/pulls`);
    expect(lastCheckRun(repo).conclusion).toBe("failure");
  });

  test("check_suite.requested for a commit no PR has does nothing", async () => {
    harness = await createHarness();
    const repo = harness.fake.addRepo("octo", "shop", {});
    await harness.receive("check_suite", checkSuitePayload(repo, "a".repeat(40), "requested"));
    expect(repo.checkRuns).toEqual([]);
  });

  test("Re-run (check_run.rerequested) and the Recheck button review the same commit again", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    await harness.receive("check_run", checkRunPayload(repo, pull.headSha, "rerequested", { pulls: [pull] }));
    await harness.receive("check_run", checkRunPayload(repo, pull.headSha, "requested_action", { pulls: [pull] }));
    await harness.receive("check_suite", checkSuitePayload(repo, pull.headSha, "rerequested"));
    expect(repo.checkRuns).toHaveLength(4);
    expect(repo.checkRuns.every((run) => run.conclusion === "failure")).toBe(true);
    // Still one comment: the fingerprint is already on the PR.
    expect(repo.reviewComments).toHaveLength(1);
  });

  test("other check runs and unknown actions are ignored", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL });
    await harness.receive("check_run", checkRunPayload(repo, pull.headSha, "rerequested", { pulls: [pull], name: "lint" }));
    await harness.receive("check_run", checkRunPayload(repo, pull.headSha, "requested_action", { pulls: [pull], identifier: "deploy" }));
    expect(repo.checkRuns).toEqual([]);
  });
});

describe("commands", () => {
  test("/pyguard recheck from a writer: 👀 and a new review", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL });
    repo.permissions.set("maintainer", { permission: "write", role_name: "maintain" });
    await harness.receive("issue_comment", issueCommentPayload(repo, pull.number, "/pyguard recheck", { login: "maintainer" }, 555));
    expect(repo.reactions).toEqual([{ commentId: 555, content: "eyes" }]);
    expect(lastCheckRun(repo).conclusion).toBe("failure");
  });

  test("/pyguard recheck from a read-only user is refused and logged as a security event", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL });
    repo.permissions.set("visitor", { permission: "read", role_name: "read" });
    await harness.receive("issue_comment", issueCommentPayload(repo, pull.number, "/pyguard recheck", { login: "visitor" }));
    await harness.receive("issue_comment", issueCommentPayload(repo, pull.number, "/pyguard recheck", { login: "stranger" }));
    expect(repo.checkRuns).toEqual([]);
    expect(repo.reactions).toEqual([]);
    const denied = harness.logEntries().filter((entry) => entry.event === "security.recheck_denied");
    expect(denied).toEqual([
      expect.objectContaining({ level: 40, user: "visitor", repo: "octo/shop", permission: "read" }),
      expect.objectContaining({ level: 40, user: "stranger", repo: "octo/shop", permission: "none" }),
    ]);
  });

  test("bots are never obeyed, including pyguard itself", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL });
    await harness.receive("issue_comment", issueCommentPayload(repo, pull.number, "/pyguard recheck", { login: FAKE_BOT_LOGIN, type: "Bot" }));
    await harness.receive("issue_comment", issueCommentPayload(repo, pull.number, "/pyguard recheck", { login: "renovate[bot]", type: "Bot" }));
    expect(harness.fake.requests).toEqual([]);
  });

  test("/pyguard help answers readers once", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": CLEAN });
    repo.permissions.set("reader", { permission: "read", role_name: "read" });
    const payload = issueCommentPayload(repo, pull.number, "Thanks!\n/pyguard help", { login: "reader" }, 777);
    await harness.receive("issue_comment", payload);
    await harness.receive("issue_comment", payload);
    await harness.receive("issue_comment", issueCommentPayload(repo, pull.number, "/pyguard help", { login: "reader" }, 778));
    await harness.receive("issue_comment", issueCommentPayload(repo, pull.number, "/pyguard help", { login: "outsider" }, 779));
    expect(repo.issueComments).toHaveLength(1);
    expect(repo.issueComments[0]?.body).toMatch(/\/pyguard recheck/u);
  });

  test("comments on issues and other text are ignored", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": CLEAN });
    const onIssue = issueCommentPayload(repo, pull.number, "/pyguard recheck", { login: "someone" });
    delete onIssue.issue.pull_request;
    await harness.receive("issue_comment", onIssue);
    await harness.receive("issue_comment", issueCommentPayload(repo, pull.number, "please run pyguard recheck", { login: "someone" }));
    await harness.receive("issue_comment", issueCommentPayload(repo, pull.number, "> /pyguard recheck\nno", { login: "someone" }));
    expect(harness.fake.requests).toEqual([]);
  });
});

describe("robustness and logs", () => {
  test("an unexpected payload is logged and ignored", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL });
    const payload = pullRequestPayload(repo, pull, "opened");
    payload.pull_request.head.sha = "not-a-sha";
    await harness.receive("pull_request", payload);
    const broken = checkSuitePayload(repo, pull.headSha, "requested");
    delete broken.repository;
    await harness.receive("check_suite", broken);
    expect(harness.fake.requests).toEqual([]);
    expect(harness.logEntries().filter((entry) => entry.event === "webhook.invalid_payload")).toHaveLength(2);
  });

  test("logs are JSON lines without tokens, the private key or the webhook secret", async () => {
    const { repo, pull } = await openPull({ "app/calc.py": WITH_EVAL });
    // Secrets pushed into the logs on purpose: an error message and a logged object.
    harness.probot.log.info({ token: "ghs_0123456789abcdefghijABCDEFGHIJ", headers: { authorization: "token abc" } }, "probe");
    harness.probot.log.error(new Error(`boom with ${"ghs_" + "Z".repeat(30)} inside`));
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "opened"));
    await harness.receive("issue_comment", issueCommentPayload(repo, pull.number, "/pyguard recheck", { login: "nobody" }));
    const { TEST_WEBHOOK_SECRET, testPrivateKey } = await import("../support/probot-harness.js");
    const output = harness.logs.join("");
    expect(harness.fake.issuedTokens.length).toBeGreaterThan(0);
    for (const token of harness.fake.issuedTokens) expect(output).not.toContain(token);
    expect(output).not.toContain("ghs_0123456789");
    expect(output).not.toContain("ZZZZZZZZZZ");
    expect(output).not.toContain(TEST_WEBHOOK_SECRET);
    const keyBody = testPrivateKey().split("\n").filter((line) => line && !line.startsWith("-----"));
    for (const line of keyBody) expect(output).not.toContain(line);
    expect(output).not.toContain("PRIVATE KEY");
    expect(harness.logEntries().some((entry) => entry.event === "review.completed")).toBe(true);
  });
});

describe("the contract check", () => {
  test("saw the operations pyguard uses", async () => {
    const { contractValidator } = await import("../support/probot-harness.js");
    harness = await createHarness();
    expect([...contractValidator().operations].sort()).toEqual(
      expect.arrayContaining([
        "checks/create",
        "checks/update",
        "issues/create-comment",
        "pulls/create-review",
        "pulls/get",
        "pulls/list-files",
        "pulls/list-review-comments",
        "pulls/list-reviews",
        "reactions/create-for-issue-comment",
        "repos/get-collaborator-permission-level",
        "repos/get-content",
        "repos/list-pull-requests-associated-with-commit",
        "pulls/create-reply-for-review-comment",
        "pulls/dismiss-review",
      ]),
    );
  });
});
