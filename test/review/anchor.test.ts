import { describe, expect, it } from "vitest";
import { anchorFinding, isValidAnchor } from "../../src/review/anchor.js";
import { countLines, parsePatch, wholeFileAddedPatch } from "../../src/review/diff.js";
import { suggestedLines } from "../../src/review/suggestion.js";
import type { Finding, Fix } from "../../src/engine/types.js";

const range = (line: number, endLine: number, endColumn = 5): Finding => ({
  ruleId: "PG-TST-001",
  sections: ["G4"],
  cwe: [],
  severity: "error",
  message: "m",
  path: "a.py",
  line,
  column: 1,
  endLine,
  endColumn,
  fingerprint: "f",
  suppressed: false,
});

// Hunk 0: new lines 1-4 (2 and 3 added); hunk 1: new lines 10-12 (11 added).
const PATCH = parsePatch(["@@ -1,2 +1,4 @@", " a", "+b", "+c", " d", "@@ -8,2 +10,3 @@", " x", "+y", " z"].join("\n"));

describe("anchoring", () => {
  it("anchors a range inside one hunk", () => {
    expect(anchorFinding(range(2, 4), PATCH)).toEqual({ startLine: 2, line: 4 });
  });

  it("falls back to the first added line when the range crosses hunks or leaves the diff", () => {
    expect(anchorFinding(range(3, 11), PATCH)).toEqual({ line: 3 });
    expect(anchorFinding(range(2, 7), PATCH)).toEqual({ line: 2 });
  });

  it("does not stretch a range that ends at column 1 of the next line", () => {
    expect(anchorFinding(range(2, 3, 1), PATCH)).toEqual({ line: 2 });
  });

  it("cannot anchor without a patch or without an added line", () => {
    expect(anchorFinding(range(2, 2), null)).toBeNull();
    expect(anchorFinding(range(5, 6), PATCH)).toBeNull();
  });

  it("validates what GitHub would accept", () => {
    expect(isValidAnchor({ line: 4 }, PATCH)).toBe(true);
    expect(isValidAnchor({ line: 7 }, PATCH)).toBe(false);
    expect(isValidAnchor({ startLine: 4, line: 10 }, PATCH)).toBe(false);
    expect(isValidAnchor({ startLine: 4, line: 4 }, PATCH)).toBe(false);
  });

  it("builds a whole-file patch for a new file", () => {
    const patch = wholeFileAddedPatch(countLines(new TextEncoder().encode("a\nb\nc")));
    expect([...patch.added]).toEqual([1, 2, 3]);
    expect(isValidAnchor({ startLine: 1, line: 3 }, patch)).toBe(true);
    expect(countLines(new TextEncoder().encode("a\n"))).toBe(1);
    expect(countLines(new Uint8Array())).toBe(0);
  });
});

describe("suggestions", () => {
  const lines = ["first = 1", "value = unsafe(x)  # note", "last = 3"];
  const fix = (overrides: Partial<Fix>): Fix => ({ description: "d", line: 2, column: 9, endLine: 2, endColumn: 15, replacement: "safe", ...overrides });

  it("splices the fix into the anchored line", () => {
    expect(suggestedLines(fix({}), { line: 2 }, lines)).toEqual(["value = safe(x)  # note"]);
  });

  it("replaces every anchored line", () => {
    expect(suggestedLines(fix({}), { startLine: 1, line: 3 }, lines)).toEqual(["first = 1", "value = safe(x)  # note", "last = 3"]);
  });

  it("deletes a whole line when the fix takes its line end", () => {
    expect(suggestedLines(fix({ column: 1, endLine: 3, endColumn: 1, replacement: "" }), { line: 2 }, lines)).toEqual([]);
  });

  it("refuses fixes outside the anchor, out of the file, or that change nothing", () => {
    expect(suggestedLines(fix({ line: 1, column: 1 }), { line: 2 }, lines)).toBeNull();
    expect(suggestedLines(fix({ endColumn: 99 }), { line: 2 }, lines)).toBeNull();
    expect(suggestedLines(fix({ replacement: "unsafe" }), { line: 2 }, lines)).toBeNull();
    expect(suggestedLines(fix({ column: 3, endLine: 3, endColumn: 1, replacement: "x" }), { line: 2 }, lines)).toBeNull();
  });
});
