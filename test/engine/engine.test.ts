import { describe, expect, it } from "vitest";
import { analyzeBytes, analyzeSource } from "../../src/engine/analyze.js";
import type { RuleModule } from "../../src/engine/types.js";
import { ALL_RULES, suppressionVocabulary } from "../../src/rules/index.js";
import { evalExec } from "../../src/rules/dynamic-code/eval-exec.js";
import { analyze, engineOptions } from "../support/engine.js";

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const evalFindings = (source: string) => analyze(source).findings.filter((finding) => finding.ruleId === "PG-DYN-001");

describe("engine input handling", () => {
  it("reports binary input as a per-file error", () => {
    const result = analyzeBytes("blob.py", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]), engineOptions());
    expect(result.error).toMatchObject({ kind: "binary", path: "blob.py" });
    expect(result.findings).toEqual([]);
  });

  it("reports invalid UTF-8 and honours a PEP 263 coding declaration", () => {
    const latin1 = new Uint8Array([...encode("x = '"), 0xe9, ...encode("'\neval(userInput)\n")]);
    expect(analyzeBytes("bad.py", latin1, engineOptions()).error).toMatchObject({ kind: "encoding" });
    const declared = new Uint8Array([...encode("# -*- coding: latin-1 -*-\n"), ...latin1]);
    const result = analyzeBytes("declared.py", declared, engineOptions());
    expect(result.error).toBeUndefined();
    expect(result.findings.map((finding) => finding.line)).toEqual([3]);
    const unknown = analyzeBytes("odd.py", encode("# coding: klingon\nx = 1\n"), engineOptions());
    expect(unknown.error?.message).toMatch(/klingon/u);
  });

  it("skips files over the size limit with a notice", () => {
    const result = analyzeBytes("big.py", encode("x = 1\n".repeat(100)), { ...engineOptions(), maxFileBytes: 100 });
    expect(result.error).toMatchObject({ kind: "too-large" });
    expect(result.error?.message).toMatch(/600 bytes is over the 100-byte limit/u);
  });

  it("survives very deep nesting without overflowing the stack", () => {
    const depth = 20_000;
    const nested = `x = ${"[".repeat(depth)}eval(userInput)${"]".repeat(depth)}\n`;
    expect(() => analyze(nested)).not.toThrow();
    const chain = `query = ${Array.from({ length: 5_000 }, (_, index) => `"part${index}"`).join(" + ")}\neval(query)\n`;
    expect(evalFindings(chain)).toEqual([]);
    const functions = Array.from({ length: 300 }, (_, index) => `${"    ".repeat(index)}def func_level${index}(value):\n`).join("") + `${"    ".repeat(300)}return eval(value)\n`;
    expect(evalFindings(functions)).toHaveLength(1);
  });

  it("still analyses a file with a syntax error, drops findings inside the broken region and warns", () => {
    const source = "def func_ok(userInput):\n    return eval(userInput)\n\ndef broken(:\n    eval(userInput) +* ]\n\nexec(userInput)\n";
    const result = analyze(source);
    expect(result.warnings).toEqual([expect.objectContaining({ kind: "parse", path: "snippet.py" })]);
    const lines = result.findings.filter((finding) => finding.ruleId === "PG-DYN-001").map((finding) => finding.line);
    expect(lines).toContain(2);
    expect(lines).toContain(7);
  });
});

describe("findings", () => {
  it("have 1-based ranges and the rule's sections and CWE", () => {
    const [finding] = evalFindings("x = 1\nresult = eval(input())\n");
    expect(finding).toMatchObject({ line: 2, column: 10, endLine: 2, endColumn: 23, sections: ["G4", "C3"], cwe: [95], severity: "error", suppressed: false });
  });

  it("keep their fingerprint when code moves, and tell identical code apart", () => {
    const before = "def func_run(userInput):\n    return eval(userInput)\n";
    const after = "import os\n\n\n# a comment\ndef func_run(userInput):\n    return eval(userInput)\n";
    expect(evalFindings(after)[0]?.fingerprint).toBe(evalFindings(before)[0]?.fingerprint);
    const otherFunction = "def func_other(userInput):\n    return eval(userInput)\n";
    expect(evalFindings(otherFunction)[0]?.fingerprint).not.toBe(evalFindings(before)[0]?.fingerprint);
    const twice = evalFindings("def func_run(userInput):\n    eval(userInput)\n    eval(userInput)\n");
    expect(new Set(twice.map((finding) => finding.fingerprint)).size).toBe(2);
  });

  it("keeps a rule's crash to that rule and that file", () => {
    const crashing: RuleModule = {
      meta: { ...evalExec.meta, id: "PG-TEST-001", name: "crashes" },
      create: () => ({
        call() {
          throw new Error("boom");
        },
      }),
    };
    const result = analyzeSource("crash.py", "eval(userInput)\n", {
      rules: [{ rule: crashing, options: {} }, { rule: evalExec, options: {} }],
      vocabulary: suppressionVocabulary(ALL_RULES),
    });
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(["PG-DYN-001"]);
    expect(result.warnings).toEqual([expect.objectContaining({ kind: "rule-error", message: expect.stringMatching(/PG-TEST-001.*boom/u) })]);
  });
});

describe("shared analyses", () => {
  it("resolve aliased imports and ignore local look-alikes", () => {
    const source = [
      "from builtins import eval as evaluate",
      "import builtins as b",
      "evaluate(userInput)",
      "b.exec(userInput)",
      "model.eval(userInput)",
      "",
    ].join("\n");
    expect(evalFindings(source).map((finding) => finding.line)).toEqual([3, 4]);
  });

  it("treat names bound only to constants as constants, and names ever bound to input as not", () => {
    const source = [
      'code = "print(1)"',
      "exec(code)",
      'other = "x"',
      "other = input()",
      "exec(other)",
      'joined = ", ".join(["a", "b"])',
      "eval(joined)",
      "",
    ].join("\n");
    expect(evalFindings(source).map((finding) => finding.line)).toEqual([5]);
  });
});

describe("the syntax tree copy", () => {
  it("agrees with the source text on offsets, positions and fields, astral characters included", async () => {
    const { parseSource } = await import("../../src/engine/parse.js");
    const source = 'greeting = "😀 é"\ndef func_go(a, b="€😀"):\n    return call(a, key="😀")  # ü\n';
    const { root, nodes } = parseSource(source);
    const picked = root.descendantsOfType(["identifier", "string", "call"]);
    expect(picked.length).toBeGreaterThan(8);
    for (const node of picked) {
      expect(source.slice(node.startIndex, node.endIndex)).toBe(node.text);
      const before = source.slice(0, node.startIndex).split("\n");
      expect(node.startPosition).toEqual({ row: before.length - 1, column: (before.at(-1) ?? "").length });
    }
    const call = picked.find((node) => node.type === "call");
    expect(call?.childForFieldName("function")?.text).toBe("call");
    expect(call?.childForFieldName("arguments")?.namedChildren.map((child) => child.type)).toEqual(["identifier", "keyword_argument"]);
    expect(call?.parent?.type).toBe("return_statement");
    expect(nodes[0]).toBe(root);
    expect(nodes.map((node) => node.startIndex)).toEqual([...nodes.map((node) => node.startIndex)].sort((a, b) => a - b));
  });

  it("marks syntax errors and missing tokens up to the root", async () => {
    const { parseSource } = await import("../../src/engine/parse.js");
    const { root, nodes } = parseSource("def func_broken(:\n    pass\nvalue = (1, 2\n");
    expect(root.hasError).toBe(true);
    expect(nodes.some((node) => node.type === "ERROR" || node.isMissing)).toBe(true);
    expect(parseSource("value = 1\n").root.hasError).toBe(false);
  });
});

describe("the walk", () => {
  it("hands each lambda to visitors once, with its parameters in its scope", () => {
    const seen: string[] = [];
    const lambdaProbe: RuleModule = {
      meta: { ...evalExec.meta, id: "PG-TEST-003", name: "lambda-probe" },
      create: (context) => ({
        lambda(node) {
          const scope = context.analyses.scopes.scopeOf(node);
          seen.push(`${node.startPosition.row + 1}:${[...(scope?.bindings.keys() ?? [])].join(",")}`);
        },
      }),
    };
    analyzeSource("l.py", "double = lambda value, factor=2: value * factor\n", { rules: [{ rule: lambdaProbe, options: {} }], vocabulary: suppressionVocabulary(ALL_RULES) });
    expect(seen).toEqual(["1:value,factor"]);
  });
});
