import { describe, expect, it } from "vitest";
import { fingerprintFromBody } from "../../src/review/markers.js";
import { toAnnotation, renderTitle } from "../../src/review/render/check-run.js";
import { codeSpan, fencedBlock, inlineMarkdown, tableCell } from "../../src/review/render/markdown.js";
import type { Finding } from "../../src/engine/types.js";

describe("markdown of untrusted text", () => {
  it("keeps a code span whole when it truncates", () => {
    const text = `start \`${"x".repeat(50)}\` end`;
    expect(inlineMarkdown(text, 20)).toBe("start…");
    expect(inlineMarkdown(text, 200)).toBe(text);
  });

  it("escapes HTML and mentions outside code spans only", () => {
    expect(inlineMarkdown("a <b> @team `<b> @team`")).toBe("a &lt;b&gt; @\u200bteam `<b> @team`");
  });

  it("breaks a fingerprint marker wherever it appears", () => {
    const marker = "<!-- pyguard:fingerprint=0123456789abcdef -->";
    expect(fingerprintFromBody(inlineMarkdown(`\`${marker}\``))).toBeNull();
    expect(fingerprintFromBody(codeSpan(marker))).toBeNull();
    expect(fingerprintFromBody(inlineMarkdown(marker))).toBeNull();
  });

  it("folds line breaks into one line", () => {
    expect(inlineMarkdown("one\n  two\r\nthree")).toBe("one two three");
  });

  it("wraps any path in a code span that holds", () => {
    expect(codeSpan("plain.py")).toBe("`plain.py`");
    expect(codeSpan("odd`name.py")).toBe("``odd`name.py``");
    expect(codeSpan("`start.py")).toBe("`` `start.py ``");
    expect(codeSpan("tab\there\nnewline.py")).toBe("`tab\\there\\nnewline.py`");
  });

  it("fences a block longer than any fence inside it", () => {
    expect(fencedBlock("suggestion", "x = 1")).toBe("```suggestion\nx = 1\n```");
    expect(fencedBlock("suggestion", "doc = '''\n```\n'''")).toBe("````suggestion\ndoc = '''\n```\n'''\n````");
    expect(fencedBlock("suggestion", "")).toBe("```suggestion\n```");
  });

  it("escapes pipes in table cells", () => {
    expect(tableCell("a | b")).toBe("a \\| b");
  });
});

const finding = (overrides: Partial<Finding>): Finding => ({
  ruleId: "PG-DYN-001",
  sections: ["G4", "C3"],
  cwe: [95],
  severity: "error",
  message: "m",
  path: "a.py",
  line: 3,
  column: 5,
  endLine: 3,
  endColumn: 9,
  fingerprint: "0123456789abcdef",
  suppressed: false,
  ...overrides,
});

describe("check-run parts", () => {
  it("titles count introduced findings by severity", () => {
    expect(renderTitle({ introduced: [finding({}), finding({}), finding({ severity: "warning" })], advisoryCount: 0, unanalysedFiles: 0 })).toBe(
      "2 errors, 1 warning in changed lines",
    );
    expect(renderTitle({ introduced: [], advisoryCount: 3, unanalysedFiles: 0 })).toBe("No findings in changed lines (3 advisory)");
  });

  it("gives annotations columns only on one line, and a title of at most 255 characters", () => {
    expect(toAnnotation(finding({}), undefined)).toMatchObject({ startLine: 3, endLine: 3, startColumn: 5, endColumn: 8, level: "failure" });
    const multiLine = toAnnotation(finding({ endLine: 5, severity: "note" }), undefined);
    expect(multiLine).toMatchObject({ startLine: 3, endLine: 5, level: "notice" });
    expect(multiLine.startColumn).toBeUndefined();
    expect(multiLine.endColumn).toBeUndefined();
    const meta = { title: "t".repeat(400) } as Parameters<typeof toAnnotation>[1];
    expect(toAnnotation(finding({ severity: "warning" }), meta).title.length).toBeLessThanOrEqual(255);
  });
});

describe("comment bodies", () => {
  it("offer a suppression only for findings that a suppression can silence", async () => {
    const { renderCommentBody } = await import("../../src/review/render/comment.js");
    const body = (ruleId: string): string => renderCommentBody({ finding: finding({ ruleId }), meta: undefined, suggestion: null });
    expect(body("PG-DYN-001")).toContain("# pyguard: ignore[PG-DYN-001] -- <reason>");
    expect(body("PG-DOC-002")).not.toContain("# pyguard: ignore[PG-DOC-002]");
    expect(fingerprintFromBody(body("PG-DYN-001"))).toBe("0123456789abcdef");
  });

  it("drop a suggestion that would make the body too long", async () => {
    const { renderCommentBody, MAX_COMMENT_BODY } = await import("../../src/review/render/comment.js");
    const fix = { description: "d", line: 3, column: 1, endLine: 3, endColumn: 2, replacement: "x" };
    const suggestion = Array.from({ length: 5000 }, () => "y = 1  # a long line of code that repeats");
    const body = renderCommentBody({ finding: finding({ fix }), meta: undefined, suggestion });
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_BODY);
    expect(body).not.toContain("```suggestion");
    expect(fingerprintFromBody(body)).toBe("0123456789abcdef");
  });
});
