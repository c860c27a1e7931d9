/**
 * The measurement the issue asks for: a pull request of 100 changed Python files against the
 * fake GitHub, webhook to completed check run, and the GitHub requests made. Printed, and
 * bounded loosely so a regression (a request per finding, a lost page) shows.
 */
import { describe, expect, test } from "vitest";
import { formatBenchResult, measurePullRequestReview } from "../support/bench-github.js";

describe("a 100-file pull request", () => {
  test("in process (the app's own cost)", async () => {
    const result = await measurePullRequestReview({ files: 100, mode: "in-process" });
    console.log(formatBenchResult(result));
    expect(result.conclusion).toBe("failure");
    expect(result.inlineComments).toBe(10);
    // token, config, check run (created completed), 1 page of files, 100 contents, comments, reviews, review:
    // the bound is the changed files + 8.
    expect(result.requests).toBeLessThanOrEqual(108);
  }, 120_000);

  test("through the real server, Probot throttling on", async () => {
    const result = await measurePullRequestReview({ files: 100, mode: "process" });
    console.log(formatBenchResult(result));
    expect(result.conclusion).toBe("failure");
    expect(result.webhookAnswerMs).toBeLessThan(5000);
    expect(result.inlineComments).toBe(10);
    expect(result.requests).toBeLessThanOrEqual(108);
  }, 300_000);
});
