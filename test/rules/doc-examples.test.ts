import { describe, expect, it } from "vitest";
import { ALL_RULES } from "../../src/rules/index.js";
import { analyze } from "../support/engine.js";

/**
 * The "Example" of every rule's docs (docs/rules.md) is reported by the rule, and its "Use
 * instead" is not. Examples of dependency manifests (`# requirements.txt` …) are checked by the
 * manifest fixtures instead.
 */
const MANIFEST_EXAMPLE = /^# (?:requirements[\w.-]*\.txt|pyproject\.toml|Pipfile|setup\.cfg)\b/u;

/** Rules whose severity follows the taint analysis: their example shows the tainted case, an error. */
const TAINT_SEVERITY = new Set(["PG-DYN-001", "PG-DYN-003", "PG-DYN-004", "PG-SQL-001", "PG-SQL-002"]);

function severities(source: string, ruleId: string): string[] {
  return analyze(source, "example.py")
    .findings.filter((finding) => finding.ruleId === ruleId && !finding.suppressed)
    .map((finding) => finding.severity);
}

describe("rule docs examples", () => {
  for (const { meta } of ALL_RULES) {
    if (MANIFEST_EXAMPLE.test(meta.docs.example)) continue;
    it(`${meta.id}: the example is reported, the fix is not`, () => {
      const reported = severities(meta.docs.example, meta.id);
      expect(reported.length, `${meta.id}'s example is not reported`).toBeGreaterThan(0);
      if (TAINT_SEVERITY.has(meta.id)) expect(reported).toContain("error");
      expect(severities(meta.docs.useInstead, meta.id)).toEqual([]);
    });
  }

  it("covers the taint-severity rules", () => {
    const ids = new Set(ALL_RULES.map((rule) => rule.meta.id));
    for (const id of TAINT_SEVERITY) expect(ids.has(id), id).toBe(true);
  });
});
