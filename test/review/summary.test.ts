import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/engine/types.js";
import { MAX_SUMMARY_LENGTH, renderSummary, type SummaryFacts } from "../../src/review/render/summary.js";
import type { ChangedFile } from "../../src/review/types.js";
import { addedFile, configWith, modifiedFile, review, TEST_RULES } from "./support.js";

/** The summary must stay valid Markdown after truncation: whole rows, whole code spans, whole comments. */
function expectWellFormed(summary: string): void {
  expect(summary.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
  for (const line of summary.split("\n")) {
    if (line.startsWith("|")) expect(line.endsWith("|"), line).toBe(true);
    expect((line.match(/`/gu) ?? []).length % 2, line).toBe(0);
  }
  expect((summary.match(/<!--/gu) ?? []).length).toBe((summary.match(/-->/gu) ?? []).length);
}

describe("summary", () => {
  it("groups counts by guideline id in the guidelines' order, then lists blocking, non-blocking, advisory and suppressed findings", async () => {
    const source = [
      "markError(a)",
      "markWarning(b)",
      "fixMe(c)",
      "markError(d)  # pyguard: ignore[PG-TST-001] -- test fixture",
      "markNote(e)",
      "",
    ].join("\n");
    const files = [modifiedFile("a.py", source, [1, 2, 3, 4])];
    const outcome = await review(files, { "a.py": source }, { rules: TEST_RULES });
    const summary = outcome.summary;

    expect(summary).toContain("| **G4** | Avoid using eval(), exec(), or other dynamic code execution functions. | 2 | 1 |");
    expect(summary).toContain("| **G6** | Never hardcode sensitive information");
    expect(summary.indexOf("| **G4**")).toBeLessThan(summary.indexOf("| **G6**"));
    expect(summary.indexOf("| **G6**")).toBeLessThan(summary.indexOf("| **C3**"));

    const headings = [...summary.matchAll(/^### (.*)$/gmu)].map((match) => match[1]);
    expect(headings).toEqual([
      "Blocking: introduced, at or above `error`",
      "Introduced, below `error` (not blocking)",
      "Advisory: already in the changed files",
      "Suppressed on changed lines",
    ]);
    expect(summary).toMatch(/Blocking[^\n]*\n\n- \*\*error\*\* \[PG-TST-001\]\(docs\/rules\.md#pg-tst-001-marker-call\) at `a\.py:1`/u);
    expect(summary).toContain("reason: test fixture");
    expect(summary.startsWith("**1 finding blocks this change**")).toBe(true);
    expectWellFormed(summary);
  });

  it("stays under 65,535 characters with 5,000 findings, keeps the notices and says how much it left out", async () => {
    const lines = Array.from({ length: 5000 }, (_, index) => (index % 2 === 0 ? `markError(value${index})` : `markWarning(value${index})`));
    const source = `${lines.join("\n")}\n`;
    const added = Array.from({ length: 2500 }, (_, index) => index + 1);
    const files: ChangedFile[] = [modifiedFile("many.py", source, added), { path: "huge.py", status: "modified", patch: null, size: 10_000_000 }];
    const outcome = await review(files, { "many.py": source }, { rules: TEST_RULES, config: configWith(() => undefined) });

    expect(outcome.introduced).toHaveLength(2500);
    expect(outcome.advisory).toHaveLength(2500);
    expect(outcome.annotations).toHaveLength(2500);
    expect(outcome.comments).toHaveLength(25);
    expectWellFormed(outcome.summary);
    expect(outcome.summary).toContain("`huge.py`: skipped: 10000000 bytes is over");
    expect(outcome.summary).toMatch(/_[\d,]+ items were left out to keep this summary under GitHub's 65,535-character limit \([\d,]+ blocking, 1,250 introduced, not blocking, 2,500 advisory\)/u);
    expect(outcome.summary.trimEnd().endsWith("lists them all._")).toBe(true);
  });

  it("never cuts inside a code span when a message is long", () => {
    const finding: Finding = {
      ruleId: "PG-TST-001",
      sections: ["G4"],
      cwe: [],
      severity: "error",
      message: `${"word ".repeat(50)}\`${"code".repeat(100)}\` tail`,
      path: "a.py",
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
      fingerprint: "0123456789abcdef",
      suppressed: false,
    };
    const facts: SummaryFacts = {
      conclusion: "failure",
      failOn: "error",
      introduced: Array.from({ length: 400 }, () => finding),
      advisory: [],
      suppressed: [],
      notices: [],
      warnings: [],
      filesAnalyzed: 1,
      commentCount: 0,
      maxInlineComments: 25,
      changesConfig: true,
      incompleteChangeSet: false,
      ruleMeta: () => undefined,
    };
    const summary = renderSummary(facts);
    expectWellFormed(summary);
    expect(summary).not.toContain("codecode");
    expect(summary).toContain("applies after merge");
    expect(summary).toContain("left out");
  });
});

describe("a finding's text from the pull request", () => {
  it("cannot inject HTML or mentions into the summary, even when a backtick in the code unbalances the message", async () => {
    const source = 'def func_run(userInput):\n    return eval(userInput + "`<img src=x> @everyone")\n';
    const outcome = await review([addedFile("a.py", source)], { "a.py": source });
    const outsideCode = outcome.summary.replace(/`[^`]*`/gu, "");
    expect(outcome.summary).toContain("PG-DYN-001");
    expect(outsideCode).not.toContain("<img");
    expect(outsideCode).toContain("&lt;img");
    expect(outsideCode).not.toMatch(/@everyone/u);
  });
});
