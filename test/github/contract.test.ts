/** The contract check itself: it must reject what GitHub would. */
import { describe, expect, test } from "vitest";
import type { FakeRequest } from "../support/fake-github.js";
import { contractValidator } from "../support/probot-harness.js";

function request(method: string, path: string, body?: unknown, query = "", accept = "application/vnd.github+json"): FakeRequest {
  return { method, path, query: new URLSearchParams(query), headers: { accept }, body, apiRoot: "https://api.github.com" };
}

const annotation = { path: "a.py", start_line: 1, end_line: 1, annotation_level: "failure", message: "m", title: "t" };
const sha = "0".repeat(40);

describe("the OpenAPI contract check", () => {
  const validate = contractValidator();

  test("accepts well-formed requests", () => {
    expect(validate(request("POST", "/repos/o/r/check-runs", { name: "pyguard", head_sha: sha, status: "in_progress", output: { title: "t", summary: "s" } }))).toEqual([]);
    expect(validate(request("GET", "/repos/o/r/pulls/1/files", undefined, "per_page=100&page=2"))).toEqual([]);
    expect(validate(request("GET", "/repos/o/r/contents/src%2Fa.py", undefined, `ref=${sha}`, "application/vnd.github.v3.raw"))).toEqual([]);
  });

  test("rejects unknown operations, undeclared query parameters and bad bodies", () => {
    expect(validate(request("POST", "/repos/o/r/pulls/1/files"))).toEqual([expect.stringMatching(/no operation/u)]);
    expect(validate(request("GET", "/repos/o/r/pulls/1/files", undefined, "per_page=500"))).toEqual(["per_page is at most 100"]);
    expect(validate(request("GET", "/repos/o/r/pulls/1/files", undefined, "limit=5"))).toEqual([expect.stringMatching(/not declared/u)]);
    expect(validate(request("POST", "/repos/o/r/issues/comments/5/reactions", { content: "party" }))).toEqual([expect.stringMatching(/allowed values/u)]);
    expect(validate(request("PATCH", "/repos/o/r/check-runs/5", { status: "completed" })).join()).toMatch(/conclusion/u);
    expect(validate(request("GET", "/repos/o/r/contents/a.py", undefined, "ref=main"))).toEqual(["contents fetched without the raw media type"]);
  });

  test("enforces GitHub's limits and pyguard's own rules", () => {
    const tooMany = validate(request("PATCH", "/repos/o/r/check-runs/5", { output: { summary: "s".repeat(65_536), annotations: Array(51).fill(annotation) }, actions: [{ label: "Recheck", description: "d", identifier: "x".repeat(21) }] }));
    expect(tooMany.join("\n")).toMatch(/maxItems|more than 50/u);
    expect(tooMany.join("\n")).toMatch(/65535|65,535/u);
    expect(tooMany.join("\n")).toMatch(/identifier/u);
    expect(validate(request("PATCH", "/repos/o/r/check-runs/5", { conclusion: "stale" })).join()).toMatch(/stale/u);
    const review = validate(request("POST", "/repos/o/r/pulls/1/reviews", { commit_id: sha, event: "APPROVE", body: "b", comments: [{ path: "a.py", body: "no marker", line: 3, side: "MIDDLE", start_line: 4, position: 2 }] }));
    expect(review.join("\n")).toMatch(/APPROVE/u);
    expect(review.join("\n")).toMatch(/side MIDDLE/u);
    expect(review.join("\n")).toMatch(/start_line must be before line/u);
    expect(review.join("\n")).toMatch(/fingerprint marker/u);
    expect(review.join("\n")).toMatch(/key "position"/u);
  });

  test("knows only pyguard's GraphQL documents", () => {
    expect(validate(request("POST", "/graphql", { query: "query { viewer { login } }" }))).toEqual([expect.stringMatching(/unexpected GraphQL/u)]);
  });
});
