import { describe, expect, it } from "vitest";
import { isValidAnchor } from "../../src/review/anchor.js";
import { fingerprintFromBody } from "../../src/review/markers.js";
import type { ChangedFile, ReviewOutcome } from "../../src/review/types.js";
import { addedFile, configWith, modifiedFile, review, TEST_RULES } from "./support.js";

const withTestRules = (files: ChangedFile[], contents: Record<string, string>, maxInlineComments = 25): Promise<ReviewOutcome> =>
  review(files, contents, {
    rules: TEST_RULES,
    config: configWith((config) => {
      config.review.maxInlineComments = maxInlineComments;
    }),
  });

/** Every comment the pipeline returns must be one GitHub accepts for that file's patch. */
function expectValidAnchors(outcome: ReviewOutcome, files: readonly ChangedFile[]): void {
  for (const comment of outcome.comments) {
    const patch = files.find((file) => file.path === comment.path)?.patch;
    expect(patch, comment.path).toBeTruthy();
    if (patch) expect(isValidAnchor(comment, patch)).toBe(true);
  }
}

describe("ordering and cap", () => {
  const source = ["markNote(a)", "markWarning(b)", "markError(c)", "markNote(d)", "markError(e)", ""].join("\n");

  it("posts the most severe first, then by path and line, up to review.maxInlineComments", async () => {
    const files = [addedFile("b.py", source), addedFile("a.py", source)];
    const outcome = await withTestRules(files, { "a.py": source, "b.py": source }, 5);
    expect(outcome.comments.map((comment) => `${comment.severity} ${comment.path}:${comment.line}`)).toEqual([
      "error a.py:3",
      "error a.py:5",
      "error b.py:3",
      "error b.py:5",
      "warning a.py:2",
    ]);
    // Annotations are not capped: every introduced finding has one.
    expect(outcome.annotations).toHaveLength(10);
    expect(outcome.annotations.map((annotation) => annotation.level)).toContain("notice");
    expect(outcome.summary).toContain("5 introduced findings have an inline comment; the other 5");
    expectValidAnchors(outcome, files);
  });

  it("posts no comments with a cap of 0 and still fails on blocking findings", async () => {
    const outcome = await withTestRules([addedFile("a.py", source)], { "a.py": source }, 0);
    expect(outcome.comments).toEqual([]);
    expect(outcome.conclusion).toBe("failure");
  });
});

describe("multi-line findings", () => {
  const source = ["value = 1", "markError(", "    value,", ")", "other = 2", ""].join("\n");

  it("anchor startLine..line when both ends are commentable in one hunk", async () => {
    const files = [modifiedFile("a.py", source, [2, 3, 4])];
    const outcome = await withTestRules(files, { "a.py": source });
    expect(outcome.comments).toHaveLength(1);
    expect(outcome.comments[0]).toMatchObject({ startLine: 2, startSide: "RIGHT", line: 4, side: "RIGHT" });
    expect(outcome.annotations[0]).toMatchObject({ startLine: 2, endLine: 4 });
    expect(outcome.annotations[0]?.startColumn).toBeUndefined();
    expectValidAnchors(outcome, files);
  });

  it("fall back to the first added line when the end is outside the diff", async () => {
    const long = ["markError(", ...Array.from({ length: 10 }, (_, index) => `    value${index},`), ")", ""].join("\n");
    const files = [modifiedFile("a.py", long, [1], 1)];
    const outcome = await withTestRules(files, { "a.py": long });
    expect(outcome.comments).toHaveLength(1);
    expect(outcome.comments[0]?.line).toBe(1);
    expect(outcome.comments[0]?.startLine).toBeUndefined();
    expectValidAnchors(outcome, files);
  });

  it("fall back to one line when the ends are commentable but in different hunks", async () => {
    const long = ["markError(", ...Array.from({ length: 10 }, (_, index) => `    value${index},`), ")", ""].join("\n");
    const files = [modifiedFile("a.py", long, [1, 12], 0)];
    expect(files[0]?.patch?.hunks).toHaveLength(2);
    const outcome = await withTestRules(files, { "a.py": long });
    expect(outcome.comments.map((comment) => [comment.startLine, comment.line])).toEqual([[undefined, 1]]);
    expectValidAnchors(outcome, files);
  });

  it("leave an unanchorable finding to the annotations and the summary", async () => {
    const noPatch: ChangedFile = { path: "a.py", status: "added", patch: null };
    const unanchored = await withTestRules([noPatch], { "a.py": "markError(x)\n" });
    expect(unanchored.comments).toEqual([]);
    expect(unanchored.annotations).toHaveLength(1);
    expect(unanchored.summary).toContain("`a.py:1`");
  });
});

describe("suggestions", () => {
  it("suggest the fixed line when the fix lies in the anchored line", async () => {
    const source = "result = fixMe(1)  # keep this comment\n";
    const outcome = await withTestRules([addedFile("a.py", source)], { "a.py": source });
    expect(outcome.comments[0]?.body).toContain("```suggestion\nresult = fixedCall(1)  # keep this comment\n```");
    expect(outcome.comments[0]?.body).toContain("**How to fix it:** Call `fixedCall` instead");
  });

  it("suggest every line of a multi-line anchor, with the fix spliced in", async () => {
    const source = ["fixArgument(", "    unsafeValue,", ")", ""].join("\n");
    const outcome = await withTestRules([addedFile("a.py", source)], { "a.py": source });
    expect(outcome.comments[0]).toMatchObject({ startLine: 1, line: 3 });
    expect(outcome.comments[0]?.body).toContain("```suggestion\nfixArgument(\n    safeValue,\n)\n```");
  });

  it("leave the suggestion out when the fix reaches outside the anchored line", async () => {
    const source = ["fixArgument(", "    unsafeValue,", ")", ""].join("\n");
    const files = [modifiedFile("a.py", source, [1], 0)];
    const outcome = await withTestRules(files, { "a.py": source });
    expect(outcome.comments[0]?.line).toBe(1);
    expect(outcome.comments[0]?.body).not.toContain("```suggestion");
    expect(outcome.comments[0]?.body).toContain("Pass `safeValue`");
  });
});

describe("fingerprint markers", () => {
  it("read the comment's own fingerprint even when a suggestion quotes a look-alike from the code", async () => {
    const source = 'fixMe("<!-- pyguard:fingerprint=deadbeefdeadbeef -->")\n';
    const outcome = await withTestRules([addedFile("a.py", source)], { "a.py": source });
    const [comment] = outcome.comments;
    expect(comment?.body).toContain("```suggestion\nfixedCall(");
    expect(comment && fingerprintFromBody(comment.body)).toBe(comment?.fingerprint);
  });
});
