import { describe, expect, it } from "vitest";
import { analyze, found } from "../support/engine.js";

/** A function whose line 2 produces PG-DYN-001 (bandit B102, B307; sections G4, C3), with `comment` after the call. */
function evalLine(comment: string): string {
  return `def func_run(expression):\n    return eval(expression)${comment ? `  ${comment}` : ""}\n`;
}

function findingsOf(source: string, ruleId: string) {
  return analyze(source).findings.filter((finding) => finding.ruleId === ruleId);
}

describe("suppression comments", () => {
  it("reports the finding when nothing suppresses it", () => {
    expect(found(evalLine(""))).toEqual(["2:PG-DYN-001"]);
  });

  it("a pyguard ignore naming the rule id suppresses it, keeping the finding with the reason", () => {
    const source = evalLine("# pyguard: ignore[PG-DYN-001] -- expression is a key of SAFE_FORMULAS");
    expect(found(source)).toEqual([]);
    const [finding] = findingsOf(source, "PG-DYN-001");
    expect(finding?.suppressed).toBe(true);
    expect(finding?.suppression).toEqual({
      comment: "# pyguard: ignore[PG-DYN-001] -- expression is a key of SAFE_FORMULAS",
      reason: "expression is a key of SAFE_FORMULAS",
    });
  });

  it("matches ids without regard to case", () => {
    expect(found(evalLine("# pyguard: ignore[pg-dyn-001] -- vetted"))).toEqual([]);
  });

  it("a pyguard ignore naming one of the rule's sections suppresses it; another section does not", () => {
    expect(found(evalLine("# pyguard: ignore[G4] -- vetted"))).toEqual([]);
    expect(found(evalLine("# pyguard: ignore[C3] -- vetted"))).toEqual([]);
    expect(found(evalLine("# pyguard: ignore[G5] -- vetted"))).toEqual(["2:PG-DYN-001"]);
  });

  it("a list of ids suppresses when any of them applies", () => {
    expect(found(evalLine("# pyguard: ignore[PG-SQL-001, PG-DYN-001] -- vetted"))).toEqual([]);
  });

  it("a pyguard ignore naming another rule suppresses nothing", () => {
    const source = evalLine("# pyguard: ignore[PG-SQL-001] -- vetted");
    expect(found(source)).toEqual(["2:PG-DYN-001"]);
    expect(findingsOf(source, "PG-DYN-001")[0]?.suppression).toBeUndefined();
  });

  it("a bare # nosec suppresses every rule on its line, with no reason, and is itself reported by PG-DOC-002", () => {
    const source = evalLine("# nosec");
    expect(found(source)).toEqual(["2:PG-DOC-002"]);
    const [finding] = findingsOf(source, "PG-DYN-001");
    expect(finding?.suppressed).toBe(true);
    expect(finding?.suppression).toEqual({ comment: "# nosec", reason: null });
  });

  it("# nosec with a Bandit id suppresses the rules that map that id, and only those", () => {
    expect(found(evalLine("# nosec B102 -- vetted"))).toEqual([]);
    expect(found(evalLine("# nosec B307 -- vetted"))).toEqual([]);
    expect(found(evalLine("# nosec B608 -- vetted"))).toEqual(["2:PG-DYN-001"]);
  });

  it("# nosec without a reason still suppresses, and PG-DOC-002 asks for the reason", () => {
    const source = evalLine("# nosec B102");
    expect(found(source)).toEqual(["2:PG-DOC-002"]);
    expect(findingsOf(source, "PG-DYN-001")[0]?.suppressed).toBe(true);
  });

  it("a comment alone on the line above covers the next line", () => {
    const source = "def func_run(expression):\n    # pyguard: ignore[PG-DYN-001] -- vetted\n    return eval(expression)\n";
    expect(found(source)).toEqual([]);
    const [finding] = findingsOf(source, "PG-DYN-001");
    expect(finding?.line).toBe(3);
    expect(finding?.suppression?.reason).toBe("vetted");
  });

  it("a trailing comment covers its own line only, not the next one", () => {
    const source = "def func_run(expression):\n    value = 1  # pyguard: ignore[PG-DYN-001] -- vetted\n    return eval(expression) + value\n";
    expect(found(source)).toEqual(["3:PG-DYN-001"]);
  });

  it("a comment two lines above, or below, suppresses nothing", () => {
    const above = "def func_run(expression):\n    # pyguard: ignore[PG-DYN-001] -- vetted\n\n    return eval(expression)\n";
    expect(found(above)).toEqual(["4:PG-DYN-001"]);
    const below = "def func_run(expression):\n    result = eval(expression)\n    # pyguard: ignore[PG-DYN-001] -- vetted\n    return result\n";
    expect(found(below)).toEqual(["2:PG-DYN-001"]);
  });

  it("a suppression on an unrelated line suppresses nothing", () => {
    const source = [
      "# nosec -- this file is reviewed",
      "",
      "LIMIT = 10  # pyguard: ignore[PG-DYN-001] -- misplaced",
      "",
      "",
      "def func_run(expression):",
      "    return eval(expression)",
      "",
    ].join("\n");
    expect(found(source)).toEqual(["7:PG-DYN-001"]);
  });

  it("a comment that only mentions the tool is not a suppression", () => {
    expect(found(evalLine("# pyguard checks this call"))).toEqual(["2:PG-DYN-001"]);
  });

  it("a suppression comment cannot silence the finding about itself, but a line-above comment can", () => {
    expect(found(evalLine("# pyguard: ignore[PG-DYN-001, PG-DOC-002]"))).toEqual(["2:PG-DOC-002"]);
    const above =
      "def func_run(expression):\n    # pyguard: ignore[PG-DOC-002] -- legacy marker kept for Bandit\n    return eval(expression)  # nosec B307\n";
    expect(found(above)).toEqual([]);
    expect(findingsOf(above, "PG-DOC-002")[0]?.suppressed).toBe(true);
  });

  it("an unknown id suppresses nothing and is reported by PG-DOC-003", () => {
    const source = evalLine("# pyguard: ignore[PG-DYN-01] -- vetted");
    expect(found(source).sort()).toEqual(["2:PG-DOC-003", "2:PG-DYN-001"]);
    expect(findingsOf(source, "PG-DOC-003")[0]?.message).toContain("did you mean `PG-DYN-001`?");
  });
});

describe("suppression comment parsing", () => {
  it("reads reasons and ids the way people write them, and ignores the words in prose", async () => {
    const { parseSuppression } = await import("../../src/engine/analyses/suppressions.js");
    const { parseSource } = await import("../../src/engine/parse.js");
    const parse = (source: string) => {
      const comment = parseSource(source).root.descendantsOfType("comment")[0];
      return comment ? parseSuppression(comment, source) : null;
    };
    expect(parse("x = 1  # nosec: reviewed by the security team\n")).toMatchObject({ style: "nosec", ids: [], reason: "reviewed by the security team" });
    expect(parse("x = 1  # nosec: B608, B105 -- constant table name\n")).toMatchObject({ ids: ["B608", "B105"], reason: "constant table name" });
    expect(parse("x = 1  # pyguard: ignore[PG-SQL-001] -- # noqa\n")).toMatchObject({ ids: ["PG-SQL-001"], reason: null });
    expect(parse("x = 1  # noqa: E501  # nosec B101 -- test helper\n")).toMatchObject({ style: "nosec", ids: ["B101"], reason: "test helper" });
    expect(parse("# we removed the nosec marker here\n")).toBeNull();
    expect(parse("# see pyguard: ignore docs for the syntax\n")).toBeNull();
  });
});
