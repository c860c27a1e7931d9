/**
 * Failure paths: GitHub errors and rate limits, rejected reviews, unreadable and odd files, big
 * pull requests, internal errors, superseded runs. Whatever happens, the check run ends
 * completed and nothing crashes.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import type { ReviewInput } from "../../src/review/types.js";
import { InterruptedError } from "../../src/github/queue.js";
import { reviewChangeSet } from "../../src/review/pipeline.js";
import type { FakeRepo } from "../support/fake-github.js";
import { createHarness, type Harness, type HarnessOptions } from "../support/probot-harness.js";
import { pullRequestPayload } from "../support/webhooks.js";

const CLEAN = `"""Helpers."""


def func_double(value):
    """Double it."""
    return value * 2
`;

const WITH_EVAL = `${CLEAN}

def func_calculate():
    """Evaluate an expression."""
    return eval(input())
`;

const MULTI_LINE_EVAL = `${CLEAN}

def func_calculate():
    """Evaluate an expression."""
    return eval(
        input()
    )
`;

let harness: Harness;

afterEach(() => {
  expect(harness.fake.violations).toEqual([]);
  // Never left in progress.
  for (const repo of harness.fake.repos.values()) for (const run of repo.checkRuns) expect(run.status).toBe("completed");
});

async function setUp(files: Record<string, string | null>, base: Record<string, string> = {}, options: HarnessOptions = {}, pullOptions: Parameters<Harness["fake"]["openPull"]>[3] = {}) {
  harness = await createHarness(options);
  const repo = harness.fake.addRepo("octo", "shop", base);
  const pull = harness.fake.openPull(repo, 7, files, pullOptions);
  return { repo, pull, open: () => harness.receive("pull_request", pullRequestPayload(repo, pull, "opened")) };
}

/** A review pipeline held at a gate (the first call or every call) until `release`, to catch a review mid-run. */
function gatedReview(which: "first" | "every") {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const review = async (input: ReviewInput) => {
    calls++;
    if (which === "every" || calls === 1) await gate;
    return reviewChangeSet(input);
  };
  const started = async (): Promise<void> => {
    while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { review, release: () => release(), started };
}

function onlyRun(repo: FakeRepo) {
  expect(repo.checkRuns).toHaveLength(1);
  return repo.checkRuns[0] as FakeRepo["checkRuns"][number];
}

describe("GitHub errors", () => {
  test("a 5xx that persists ends the run neutral with the reason", async () => {
    const { repo, open } = await setUp({ "app/calc.py": WITH_EVAL });
    harness.fake.faults.push({ method: "GET", path: /\/pulls\/7\/files$/u, status: 502, times: 5 });
    await open();
    const run = onlyRun(repo);
    expect(run.conclusion).toBe("neutral");
    expect(run.output.summary).toContain("GitHub was unavailable (HTTP 502 on GET /repos/octo/shop/pulls/7/files)");
    expect(run.output.summary).not.toMatch(/\bat .+:\d+:\d+/u); // no stack trace
  });

  test("a transient 5xx is retried by Probot's retry plugin", async () => {
    const { repo, open } = await setUp({ "app/calc.py": WITH_EVAL }, {}, { retry: true });
    harness.fake.faults.push({ method: "GET", path: /\/pulls\/7\/files$/u, status: 502, times: 1 });
    await open();
    expect(onlyRun(repo).conclusion).toBe("failure");
    expect(harness.fake.requests.filter((request) => request.path.endsWith("/files")).map((request) => request.status)).toEqual([502, 200]);
  });

  test("a secondary rate limit is not retried (the file becomes a notice); a 429 is", async () => {
    const { repo, open } = await setUp({ "app/calc.py": WITH_EVAL }, {}, { retry: true });
    harness.fake.faults.push({
      method: "GET",
      path: /\/contents\/app\/calc\.py$/u,
      status: 403,
      body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
      headers: { "retry-after": "60" },
      times: 1,
    });
    harness.fake.faults.push({ method: "GET", path: /\/pulls\/7\/comments$/u, status: 429, body: { message: "You have exceeded a secondary rate limit." }, times: 1 });
    await open();
    const run = onlyRun(repo);
    expect(run.output.summary).toMatch(/app\/calc\.py/u);
    expect(run.output.summary).toMatch(/HTTP 403/u);
    // An incomplete review cannot pass the gate.
    expect(run.conclusion).toBe("neutral");
    expect(run.output.summary).toMatch(/1 file was not reviewed: GitHub's rate limit stopped the review/u);
    expect(harness.fake.requests.filter((request) => request.path.endsWith("/contents/app/calc.py"))).toHaveLength(1);
    expect(harness.fake.requests.filter((request) => request.path.endsWith("/pulls/7/comments")).map((request) => request.status)).toEqual([429, 200]);
  });

  test("a rate limit before analysis ends the run neutral with a clear reason", async () => {
    const { repo, open } = await setUp({ "app/calc.py": WITH_EVAL });
    harness.fake.faults.push({ method: "GET", path: /\/pulls\/7\/files$/u, status: 403, body: { message: "You have exceeded a secondary rate limit." }, headers: { "retry-after": "60" } });
    await open();
    const run = onlyRun(repo);
    expect(run.conclusion).toBe("neutral");
    expect(run.output.summary).toMatch(/rate limit stopped the review \(HTTP 403 on GET \/repos\/octo\/shop\/pulls\/7\/files\)/u);
  });

  test("a failed review post keeps a failing gate failing, and says why", async () => {
    const { repo, open } = await setUp({ "app/calc.py": WITH_EVAL });
    harness.fake.faults.push({ method: "POST", path: /\/pulls\/7\/reviews$/u, status: 403, body: { message: "You have exceeded a secondary rate limit." } });
    await open();
    const run = onlyRun(repo);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(/inline review could not be posted/u);
  });

  test("a check run that cannot be created is logged, not crashed on, and the run still ends with the reason", async () => {
    const { repo, open } = await setUp({ "app/calc.py": WITH_EVAL });
    harness.fake.faults.push({ method: "POST", path: /\/check-runs$/u, status: 500, times: 1 });
    await open();
    expect(harness.logEntries().some((entry) => entry.event === "review.failed")).toBe(true);
    const run = onlyRun(repo);
    expect(run.status).toBe("completed");
    expect(run.conclusion).toBe("neutral");
    expect(run.output.summary).toMatch(/could not finish the review/u);
  });

  test("when GitHub refuses every check run, the failure is logged and nothing crashes", async () => {
    const { repo, open } = await setUp({ "app/calc.py": WITH_EVAL });
    harness.fake.faults.push({ method: "POST", path: /\/check-runs$/u, status: 500, times: 10 });
    await open();
    expect(repo.checkRuns).toEqual([]);
    expect(harness.logEntries().some((entry) => entry.event === "review.failed")).toBe(true);
    expect(harness.logEntries().some((entry) => entry.event === "check.complete_failed")).toBe(true);
  });

  test("a failed completion is retried so the run never stays in progress", async () => {
    const { repo, open } = await setUp({ "app/calc.py": WITH_EVAL }, {}, { runtime: { progressDelayMs: 0 } });
    harness.fake.faults.push({ method: "PATCH", path: /\/check-runs\/\d+$/u, status: 500, times: 1 });
    await open();
    const run = onlyRun(repo);
    expect(run.status).toBe("completed");
    expect(run.conclusion).toBe("neutral");
  });
});

describe("422 on the review", () => {
  test("one rejected anchor does not lose the review: it is posted without inline comments", async () => {
    const { repo, pull, open } = await setUp({ "app/calc.py": WITH_EVAL }, { "app/calc.py": CLEAN });
    harness.fake.faults.push({ method: "POST", path: /\/pulls\/7\/reviews$/u, status: 422, body: { message: "Unprocessable Entity", errors: ["Pull request review thread line must be part of the diff"] }, times: 1 });
    await open();
    expect(repo.reviews).toHaveLength(1);
    expect(repo.reviews[0]?.body).toMatch(/annotations/u);
    expect(repo.reviews[0]?.body).toMatch(/<!-- pyguard:fingerprint=/u);
    expect(repo.reviewComments).toEqual([]);
    const run = onlyRun(repo);
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toHaveLength(1);
    expect(run.output.summary).toMatch(/did not accept 1 inline comments/u);

    // The next push does not try the same finding again.
    harness.fake.push(repo, 7, { "app/extra.py": CLEAN });
    await harness.receive("pull_request", pullRequestPayload(repo, pull, "synchronize"));
    expect(repo.reviews).toHaveLength(1);
  });

  test("a rejected multi-line anchor is retried as a single line", async () => {
    const { repo, open } = await setUp({ "app/calc.py": MULTI_LINE_EVAL }, { "app/calc.py": CLEAN });
    harness.fake.faults.push({ method: "POST", path: /\/pulls\/7\/reviews$/u, status: 422, body: { message: "Unprocessable Entity", errors: ["start line must be part of the same hunk"] }, times: 1 });
    await open();
    const attempts = harness.fake.requests.filter((request) => request.method === "POST" && request.path.endsWith("/reviews"));
    expect(attempts).toHaveLength(2);
    const [first, second] = attempts.map((request) => (request.body as { comments: Array<Record<string, unknown>> }).comments[0]);
    expect(first).toHaveProperty("start_line");
    expect(second).not.toHaveProperty("start_line");
    expect(repo.reviewComments).toHaveLength(1);
  });

  test("GitHub's own anchor rules accept everything pyguard posts (no 422 without an injected fault)", async () => {
    const { repo, open } = await setUp({ "app/calc.py": MULTI_LINE_EVAL, "app/more.py": WITH_EVAL }, { "app/calc.py": CLEAN });
    await open();
    expect(harness.fake.requests.filter((request) => request.status === 422)).toEqual([]);
    expect(repo.reviewComments).toHaveLength(2);
  });
});

describe("files", () => {
  test("a missing file is a notice; the others are still reviewed", async () => {
    const { repo, open } = await setUp({ "app/calc.py": WITH_EVAL, "app/gone.py": WITH_EVAL });
    harness.fake.faults.push({ method: "GET", path: /\/contents\/app\/gone\.py$/u, status: 404, body: { message: "Not Found" } });
    await open();
    const run = onlyRun(repo);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(/app\/gone\.py/u);
    expect(run.output.summary).toMatch(/not found at/u);
    expect(repo.reviewComments.map((comment) => comment.path)).toEqual(["app/calc.py"]);
  });

  test("a file with a syntax error does not stop the review", async () => {
    const { repo, open } = await setUp({ "app/broken.py": "def func_broken(:\n    return eval(x\n", "app/calc.py": WITH_EVAL });
    await open();
    const run = onlyRun(repo);
    expect(run.conclusion).toBe("failure");
    expect(repo.reviewComments.map((comment) => comment.path)).toContain("app/calc.py");
  });

  test("a file over maxFileBytes is skipped with a notice", async () => {
    const big = `${WITH_EVAL}\n${"# padding\n".repeat(200)}`;
    const { repo, open } = await setUp({ "app/big.py": big, "app/calc.py": WITH_EVAL }, { ".github/pyguard.yml": "maxFileBytes: 1000\n" });
    await open();
    const run = onlyRun(repo);
    expect(run.output.summary).toMatch(/app\/big\.py/u);
    expect(run.output.summary).toMatch(/maxFileBytes/u);
    expect(repo.reviewComments.map((comment) => comment.path)).toEqual(["app/calc.py"]);
  });

  test("a file without a patch (too large a diff) is analysed; its findings go to the summary", async () => {
    const { repo, open } = await setUp({ "app/huge.py": WITH_EVAL }, {}, {}, { noPatch: ["app/huge.py"] });
    await open();
    const run = onlyRun(repo);
    expect(repo.reviewComments).toEqual([]);
    expect(run.output.summary).toMatch(/app\/huge\.py/u);
    expect(harness.fake.calls()).toContain("GET /repos/octo/shop/contents/app/huge.py");
  });

  test("renamed files are followed, removed and non-Python files are not fetched", async () => {
    const { repo, open } = await setUp(
      { "lib/calc.py": WITH_EVAL, "app/old.py": null, "README.md": "eval(x)\n" },
      { "app/calc.py": CLEAN, "app/old.py": WITH_EVAL },
      {},
      { renames: { "app/calc.py": "lib/calc.py" } },
    );
    await open();
    expect(repo.reviewComments.map((comment) => comment.path)).toEqual(["lib/calc.py"]);
    const fetched = harness.fake.requests.filter((request) => request.path.includes("/contents/") && !request.path.includes(".github")).map((request) => request.path);
    expect(fetched).toEqual(["/repos/octo/shop/contents/lib/calc.py"]);
  });

  test("a pull request of 300 files is listed in pages and reviewed whole", async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 300; index++) files[`pkg/module_${String(index).padStart(3, "0")}.py`] = index % 50 === 0 ? WITH_EVAL : CLEAN;
    const { repo, open } = await setUp(files);
    await open();
    const pages = harness.fake.requests.filter((request) => request.path.endsWith("/pulls/7/files"));
    expect(pages.map((request) => request.query.get("page") ?? "1")).toEqual(["1", "2", "3"]);
    const run = onlyRun(repo);
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toHaveLength(6);
    expect(repo.reviewComments).toHaveLength(6);
  }, 60_000);

  test("more than 50 findings are annotated 50 per request", async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 60; index++) files[`pkg/m${index}.py`] = WITH_EVAL;
    const { repo, open } = await setUp(files);
    await open();
    const run = onlyRun(repo);
    expect(run.annotations).toHaveLength(60);
    const updates = harness.fake.requests.filter((request) => request.method === "PATCH");
    expect(updates.map((request) => ((request.body as { output: { annotations?: unknown[] } }).output.annotations ?? []).length)).toEqual([50, 10]);
    expect((updates[1]?.body as { status: string }).status).toBe("completed");
    // The inline comments are capped by config (25 by default).
    expect(repo.reviewComments).toHaveLength(25);
  }, 60_000);
});

describe("internal failures and superseded runs", () => {
  test("an internal error ends the run neutral, without a stack trace", async () => {
    const review = async (): Promise<never> => {
      throw new TypeError("cannot read properties of undefined");
    };
    const { repo, open } = await setUp({ "app/calc.py": WITH_EVAL }, {}, { runtime: { review } });
    await open();
    const run = onlyRun(repo);
    expect(run.conclusion).toBe("neutral");
    expect(run.output.summary).toContain("internal error (TypeError: cannot read properties of undefined)");
    expect(run.output.summary).not.toMatch(/\.ts:\d+/u);
  });

  test("a newer push supersedes a review nobody saw yet: no run for the old commit, the new one reviews", async () => {
    const { review, release, started } = gatedReview("first");
    const { repo, pull } = await setUp({ "app/calc.py": WITH_EVAL }, {}, { runtime: { review } });
    await harness.probot.receive({ id: randomUUID(), name: "pull_request", payload: pullRequestPayload(repo, pull, "opened") } as never);
    await started();
    const newSha = harness.fake.push(repo, 7, { "app/calc.py": CLEAN });
    await harness.probot.receive({ id: randomUUID(), name: "pull_request", payload: pullRequestPayload(repo, pull, "synchronize") } as never);
    release();
    await harness.app.runtime.idle();
    expect(repo.checkRuns.map((run) => [run.head_sha, run.conclusion])).toEqual([[newSha, "success"]]);
    expect(repo.reviews).toEqual([]);
  });

  test("a newer push supersedes a running review: the old run, shown in progress, ends neutral; the new one reviews", async () => {
    const { review, release, started } = gatedReview("first");
    const { repo, pull } = await setUp({ "app/calc.py": WITH_EVAL }, {}, { runtime: { review, progressDelayMs: 0 } });
    const first = pullRequestPayload(repo, pull, "opened");
    await harness.probot.receive({ id: randomUUID(), name: "pull_request", payload: first } as never);
    await started();
    const oldSha = pull.headSha;
    const newSha = harness.fake.push(repo, 7, { "app/calc.py": CLEAN });
    await harness.probot.receive({ id: randomUUID(), name: "pull_request", payload: pullRequestPayload(repo, pull, "synchronize") } as never);
    release();
    await harness.app.runtime.idle();
    expect(repo.checkRuns.map((run) => [run.head_sha, run.conclusion])).toEqual([
      [oldSha, "neutral"],
      [newSha, "success"],
    ]);
    expect(repo.checkRuns[0]?.output.title).toBe(`Superseded by ${newSha.slice(0, 7)}`);
    expect(repo.reviews).toEqual([]);
  });

  test("a stopping server ends running reviews neutral instead of leaving them in progress", async () => {
    const { review, release, started } = gatedReview("every");
    const { repo, pull } = await setUp({ "app/calc.py": WITH_EVAL }, {}, { runtime: { review } });
    await harness.probot.receive({ id: randomUUID(), name: "pull_request", payload: pullRequestPayload(repo, pull, "opened") } as never);
    await started();
    harness.app.runtime.queue.stop(new InterruptedError());
    release();
    await harness.app.runtime.idle();
    const run = onlyRun(repo);
    expect(run.conclusion).toBe("neutral");
    expect(run.output.summary).toMatch(/pyguard was restarting/u);
    expect(repo.reviews).toEqual([]);
  });

  test("a redelivered webhook (same delivery id) is handled once", async () => {
    const { repo, pull } = await setUp({ "app/calc.py": WITH_EVAL });
    const delivery = { id: "delivery-1", name: "pull_request", payload: pullRequestPayload(repo, pull, "opened") } as never;
    await harness.probot.receive(delivery);
    await harness.app.runtime.idle();
    // Even a forced re-run would not come from a redelivery.
    await harness.probot.receive(delivery);
    await harness.app.runtime.idle();
    expect(repo.checkRuns).toHaveLength(1);
  });
});
