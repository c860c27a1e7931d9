/**
 * The real server, started as `npm start` starts it (a node process configured by environment
 * variables), against the fake GitHub over HTTP (GHE_HOST + GHE_PROTOCOL=http), with signed
 * webhooks. Probot's throttling and retries are on, as in production.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FakeGitHub, type FakePull, type FakeRepo } from "../support/fake-github.js";
import { runAppProcess, sendWebhook, startAppProcess, waitFor, waitForQuiet, type AppProcess } from "../support/app-process.js";
import { contractValidator, TEST_APP_ID, TEST_WEBHOOK_SECRET, testPrivateKey } from "../support/probot-harness.js";
import { addedLines, diffHunks } from "../support/unified-diff.js";
import { INSTALLATION_ID, issueCommentPayload, pullRequestPayload } from "../support/webhooks.js";

const BASE = `"""Orders."""


def func_total(items):
    """Sum the prices."""
    return sum(item.price for item in items)


def func_legacy():
    """Pre-existing: an eval the PR does not touch."""
    return eval(input())
`;

const HEAD = BASE.replace('"""Sum the prices."""', '"""Sum the prices of the items."""') + `

def func_discount():
    """Added by the PR."""
    return eval(input("Discount rule: "))
`;

let fake: FakeGitHub;
let app: AppProcess;
let repo: FakeRepo;
let pull: FakePull;

beforeAll(async () => {
  fake = new FakeGitHub({ appId: TEST_APP_ID, privateKey: testPrivateKey(), installationId: INSTALLATION_ID, validators: [contractValidator()] });
  const host = await fake.listen();
  repo = fake.addRepo("octo", "shop", { "app/orders.py": BASE });
  pull = fake.openPull(repo, 12, { "app/orders.py": HEAD });
  app = await startAppProcess({
    APP_ID: String(TEST_APP_ID),
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    GHE_HOST: host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "debug",
    NODE_ENV: "production",
  });
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

function completedRuns(): number {
  return repo.checkRuns.filter((run) => run.status === "completed").length;
}

describe("the server", () => {
  test("answers GET /ping", async () => {
    const response = await fetch(`${app.url}/ping`);
    expect(await response.text()).toBe("PONG");
  });

  test("a pull request: comments only on added lines, none for pre-existing findings, a failing check", async () => {
    const response = await sendWebhook(app.url, TEST_WEBHOOK_SECRET, "pull_request", pullRequestPayload(repo, pull, "opened"));
    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(5000); // answered at once; the review runs in the queue
    await waitFor(() => completedRuns() === 1, 90_000, "the check run");
    // The failing gate is published first; the review follows, a throttled second later.
    await waitForQuiet(fake.requests);
    const run = repo.checkRuns[0];
    expect(run).toMatchObject({ name: "pyguard", head_sha: pull.headSha, conclusion: "failure" });
    const added = addedLines(diffHunks(BASE, HEAD));
    expect(repo.reviewComments.length).toBeGreaterThan(0);
    for (const comment of repo.reviewComments) expect(added.has(comment.line)).toBe(true);
    // The pre-existing eval (line 11) is not commented, only the added one.
    expect(repo.reviewComments.map((comment) => comment.line)).toEqual([HEAD.split("\n").indexOf('    return eval(input("Discount rule: "))') + 1]);
    expect(run?.output.summary).toMatch(/func_legacy|line 11|:11/u);
    // GitHub Enterprise paths, installation token, contract.
    expect(fake.requests.some((request) => request.path === `/app/installations/${INSTALLATION_ID}/access_tokens`)).toBe(true);
    expect(fake.violations).toEqual([]);
  }, 120_000);

  test("a push that only shifts lines posts no duplicate", async () => {
    fake.push(repo, 12, { "app/orders.py": `"""Orders."""\n\nimport decimal\n${HEAD.slice('"""Orders."""\n'.length)}` });
    const response = await sendWebhook(app.url, TEST_WEBHOOK_SECRET, "pull_request", pullRequestPayload(repo, pull, "synchronize"));
    expect(response.status).toBe(200);
    await waitFor(() => completedRuns() === 2, 90_000, "the second check run");
    await waitForQuiet(fake.requests);
    expect(repo.checkRuns[1]?.conclusion).toBe("failure");
    expect(repo.reviews).toHaveLength(1);
    expect(repo.reviewComments).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  }, 120_000);

  test("/pyguard recheck from a read-only commenter is refused", async () => {
    repo.permissions.set("reader", { permission: "read", role_name: "read" });
    const before = fake.requests.length;
    const response = await sendWebhook(app.url, TEST_WEBHOOK_SECRET, "issue_comment", issueCommentPayload(repo, 12, "/pyguard recheck", { login: "reader" }, 4711));
    expect(response.status).toBe(200);
    await waitFor(() => app.output().includes("security.recheck_denied"), 30_000, "the security log line");
    const after = fake.requests.slice(before).map((request) => `${request.method} ${request.path}`);
    expect(after).toEqual(["GET /repos/octo/shop/collaborators/reader/permission"]);
    expect(repo.reactions).toEqual([]);
    expect(repo.checkRuns).toHaveLength(2);
    const line = app.output().split("\n").find((entry) => entry.includes("security.recheck_denied")) as string;
    expect(JSON.parse(line)).toMatchObject({ level: 40, user: "reader", repo: "octo/shop", permission: "read" });
  }, 60_000);

  test("a forged signature is rejected and triggers nothing", async () => {
    const before = fake.requests.length;
    const forged = await sendWebhook(app.url, "not-the-secret-at-all-0000", "pull_request", pullRequestPayload(repo, pull, "reopened"));
    expect(forged.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.requests.length).toBe(before);
  });

  test("logs are JSON lines without the installation tokens, the key or the secret", () => {
    const output = app.output();
    const lines = output.split("\n").filter((line) => line.startsWith("{"));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(fake.issuedTokens.length).toBeGreaterThan(0);
    for (const token of fake.issuedTokens) expect(output).not.toContain(token);
    expect(output).not.toContain(TEST_WEBHOOK_SECRET);
    for (const keyLine of testPrivateKey().split("\n").filter((line) => line && !line.startsWith("-----"))) expect(output).not.toContain(keyLine);
  });

  test("stops on SIGTERM", async () => {
    expect(await app.stop()).toBe(0);
  }, 60_000);
});

describe("start-up refusals", () => {
  test("a missing WEBHOOK_SECRET is refused with a clear message", async () => {
    const { code, output } = await runAppProcess({ APP_ID: "1", PRIVATE_KEY: testPrivateKey() });
    expect(code).toBe(1);
    expect(output).toMatch(/WEBHOOK_SECRET: is not set/u);
    expect(output).toMatch(/development/u);
    expect(output).not.toContain(testPrivateKey().split("\n")[1] as string);
  }, 60_000);

  test("a weak WEBHOOK_SECRET is refused", async () => {
    const { code, output } = await runAppProcess({ APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "development" });
    expect(code).toBe(1);
    expect(output).toMatch(/WEBHOOK_SECRET: is too weak/u);
  }, 60_000);
});
