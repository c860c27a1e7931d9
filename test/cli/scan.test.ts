import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

class Capture extends Writable {
  text = "";
  isTTY = false;
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function pyguard(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(argv, { cwd, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "pyguard-scan-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function gitIn(root: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.name=pyguard-test", "-c", "user.email=test@example.invalid", ...args], { cwd: root, stdio: "ignore" });
}

const UNSAFE = "def func_run():\n    return eval(input())\n";
const SAFE = "def func_add(first, second):\n    return first + second\n";

describe("pyguard scan", () => {
  it("prints compiler-style lines and exits 1 on an error finding", async () => {
    const root = project({ "app/unsafe.py": UNSAFE, "app/safe.py": SAFE });
    const result = await pyguard(root, "scan");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^app\/unsafe\.py:2:12 {2}error {4}PG-DYN-001 {2}`eval` runs code .* \[G4, C3\]$/mu);
    expect(result.stdout).toMatch(/1 error, 0 warnings, 0 notes in 2 files\.$/mu);
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("exits 0 on clean code and when nothing reaches --fail-on", async () => {
    const root = project({ "safe.py": SAFE, "unsafe.py": UNSAFE });
    expect((await pyguard(root, "scan", "safe.py")).code).toBe(0);
    writeFileSync(join(root, "config.yml"), "rules:\n  PG-DYN-001: note\n");
    expect((await pyguard(root, "scan", "--config", "config.yml")).code).toBe(0);
    expect((await pyguard(root, "scan", "--config", "config.yml", "--fail-on", "note")).code).toBe(1);
  });

  it("prints the public JSON shape with paths relative to the working directory", async () => {
    const root = project({ "pkg/unsafe.py": UNSAFE, "pkg/blob.py": "\u0000\u0001binary" });
    const result = await pyguard(join(root, "pkg"), "scan", "--format", "json", ".");
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(["version", "findings", "files", "errors", "warnings"]);
    expect(report).toMatchObject({ version: 1, files: 2, errors: [{ path: "blob.py", kind: "binary" }] });
    const [finding] = report.findings as Array<Record<string, unknown>>;
    expect(Object.keys(finding ?? {})).toEqual(
      expect.arrayContaining(["ruleId", "sections", "cwe", "severity", "message", "path", "line", "column", "endLine", "endColumn", "fingerprint", "suppressed"]),
    );
    expect(finding).toMatchObject({ ruleId: "PG-DYN-001", path: "unsafe.py", line: 2, suppressed: false });
  });

  it("writes SARIF 2.1.0 that validates against the official schema", async () => {
    const source = "def func_run(userInput):\n    eval(userInput)  # pyguard: ignore[PG-DYN-001] -- test input only\n    return eval(userInput)\n";
    const root = project({ "unsafe.py": source });
    const result = await pyguard(root, "scan", "--format", "sarif");
    const sarif = JSON.parse(result.stdout) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")) as object;
    // The SARIF 2.1.0 schema is written in JSON Schema draft-04.
    const ajv = new AjvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = (sarif.runs[0]?.results ?? []).filter((entry) => entry.ruleId === "PG-DYN-001");
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ suppressions: [{ kind: "inSource", justification: "test input only" }] });
    expect(results[1]).not.toHaveProperty("suppressions");
  });

  it("reports only lines changed since a git revision with --diff", async () => {
    const root = project({ "old.py": UNSAFE, "keep.py": SAFE });
    gitIn(root, "init", "-q", "-b", "main");
    gitIn(root, "add", ".");
    gitIn(root, "commit", "-qm", "base");
    writeFileSync(join(root, "keep.py"), `${SAFE}\n\ndef func_more(userInput):\n    exec(userInput)\n`);
    writeFileSync(join(root, "new.py"), UNSAFE);
    const result = await pyguard(root, "scan", "--diff", "main", "--format", "json");
    const findings = (JSON.parse(result.stdout) as { findings: Array<{ path: string; line: number; ruleId: string }> }).findings;
    expect(findings.filter((finding) => finding.ruleId === "PG-DYN-001").map((finding) => `${finding.path}:${finding.line}`).sort()).toEqual([
      "keep.py:6",
      "new.py:2",
    ]);
    expect(findings.every((finding) => finding.path !== "old.py")).toBe(true);
    expect(result.code).toBe(1);
    const bad = await pyguard(root, "scan", "--diff", "no-such-branch");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"no-such-branch" is not a commit/u);
  });

  it("exits 2 with a clear message on usage and config errors", async () => {
    const root = project({ "a.py": SAFE, ".github/pyguard.yml": "failOn: sometimes\n" });
    const badConfig = await pyguard(root, "scan");
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('failOn: expected one of "error", "warning", "note"');
    writeFileSync(join(root, "ok.yml"), "failOn: error\n");
    const missing = await pyguard(root, "scan", "nope.py", "--config", "ok.yml");
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("no such file or folder: nope.py") });
    expect((await pyguard(root, "scan", "--format", "xml")).stderr).toContain("--format must be one of: text, json, sarif");
    expect((await pyguard(root, "frobnicate")).code).toBe(2);
  });
});
