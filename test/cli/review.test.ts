import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReviewJsonReport } from "../../src/cli/format/review.js";
import { runCli } from "../../src/cli/main.js";

class Capture extends Writable {
  text = "";
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

const temporary: string[] = [];
afterAll(() => {
  for (const path of temporary) rmSync(path, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const path = mkdtempSync(join(tmpdir(), "pyguard-review-"));
  temporary.push(path);
  return path;
}

function git(root: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "commit.gpgsign=false", ...args], { cwd: root, encoding: "utf8" });
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

function repository(branch = "main"): string {
  const root = temporaryDirectory();
  git(root, "init", "-q", "-b", branch);
  git(root, "config", "user.name", "pyguard test");
  git(root, "config", "user.email", "test@example.invalid");
  return root;
}

function commitAll(root: string, message: string): void {
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", message);
}

const BASE_APP = ["def func_handle(userInput):", "    oldValue = eval(userInput)", "    return oldValue", ""].join("\n");
const BRANCH_APP = [
  BASE_APP.trimEnd(),
  "",
  "def func_added(userInput):",
  "    newValue = eval(userInput)",
  "    return newValue",
  "",
  "def func_multi(userInput):",
  "    multiValue = eval(",
  "        userInput",
  "    )",
  "    return multiValue",
  "",
].join("\n");
const UNSAFE = "def func_run(userInput):\n    return eval(userInput)\n";

/**
 * main: app.py with one eval, and a config that keeps PG-DYN-001 on. feature: two evals added
 * to app.py (one over three lines), a new file under an odd path, and a config that turns
 * PG-DYN-001 off. main then moves on with a file the branch never saw.
 */
function featureRepository(): string {
  const root = repository();
  write(root, { "app.py": BASE_APP, ".github/pyguard.yml": "failOn: error\nrules:\n  PG-DYN-001: error\n" });
  commitAll(root, "base");
  git(root, "checkout", "-q", "-b", "feature");
  write(root, { "app.py": BRANCH_APP, ".github/pyguard.yml": "failOn: error\nrules:\n  PG-DYN-001: \"off\"\n", "pkg dir/naïve módulo.py": UNSAFE });
  commitAll(root, "feature work");
  git(root, "checkout", "-q", "main");
  write(root, { "main_only.py": UNSAFE });
  commitAll(root, "main moves on");
  git(root, "checkout", "-q", "feature");
  return root;
}

describe("pyguard review", () => {
  let root: string;
  beforeAll(() => {
    root = featureRepository();
  });

  it("prints each inline comment with its anchor, then the check run, and exits 1 on a blocking finding", async () => {
    const result = await pyguard(root, "review");
    expect(result.code).toBe(1);
    const anchors = [...result.stdout.matchAll(/^Inline comment \d+ of \d+ on (.+)$/gmu)].map((match) => match[1]);
    expect(anchors).toEqual(["app.py:6", "app.py:10-12", "pkg dir/naïve módulo.py:2"]);
    expect(result.stdout).toContain('Check run "pyguard": failure');
    expect(result.stdout).toContain("Title: 3 errors in changed lines (1 advisory)");
    expect(result.stdout).toContain("<!-- pyguard:fingerprint=");
    expect(result.stdout).not.toContain("main_only.py");
    expect(result.stderr).toContain("since main");
  });

  it("judges the branch by the base branch's config and says the branch's config applies after merge", async () => {
    const result = await pyguard(root, "review");
    expect(result.stdout).toContain("this change edits `.github/pyguard.yml`");
    expect(result.stdout).toContain("applies after merge");
    const withBranchConfig = await pyguard(root, "review", "--config", ".github/pyguard.yml");
    expect(withBranchConfig.code).toBe(0);
    expect(withBranchConfig.stdout).toContain("Title: No findings in changed lines");
  });

  it("includes uncommitted edits and untracked files, every line of which is added", async () => {
    const clone = featureRepository();
    write(clone, { "scratch.py": `x = 1\n${UNSAFE}`, "app.py": `${BRANCH_APP}\nlateValue = eval(input())\n` });
    const result = await pyguard(clone, "review");
    const anchors = [...result.stdout.matchAll(/^Inline comment \d+ of \d+ on (.+)$/gmu)].map((match) => match[1]);
    expect(anchors).toContain("scratch.py:3");
    expect(anchors).toContain("app.py:15");
  });

  it("prints the outcome as JSON with --format json", async () => {
    const result = await pyguard(root, "review", "--format", "json");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as ReviewJsonReport;
    expect(report.version).toBe(1);
    expect(report.conclusion).toBe("failure");
    expect(report.comments.map((comment) => [comment.path, comment.startLine, comment.line])).toEqual([
      ["app.py", undefined, 6],
      ["app.py", 10, 12],
      ["pkg dir/naïve módulo.py", undefined, 2],
    ]);
    expect(report.introduced.map((finding) => `${finding.path}:${finding.line}`)).toEqual(["app.py:6", "app.py:10", "pkg dir/naïve módulo.py:2"]);
    expect(report.advisory.map((finding) => `${finding.path}:${finding.line}`)).toEqual(["app.py:2"]);
    expect(report.annotations).toHaveLength(3);
    expect(report.base.ref).toBe("main");
    expect(Object.keys(report)).toEqual(["version", "conclusion", "title", "summary", "comments", "annotations", "introduced", "advisory", "suppressed", "notices", "base"]);
  });

  it("compares against --base, through its merge-base with HEAD", async () => {
    const sinceParent = await pyguard(root, "review", "--base", "HEAD~1");
    expect(sinceParent.code).toBe(1);
    expect(sinceParent.stdout).toContain("Title: 3 errors in changed lines (1 advisory)");
    const sinceHead = await pyguard(root, "review", "--base", "HEAD");
    expect(sinceHead.code).toBe(0);
    expect(sinceHead.stdout).toContain("No inline comments.");
    expect(sinceHead.stdout).toContain("Title: No findings in changed lines");
  });

  it("uses origin/HEAD in a fresh clone", async () => {
    const origin = featureRepository();
    git(origin, "checkout", "-q", "main");
    const clone = temporaryDirectory();
    execFileSync("git", ["clone", "-q", origin, clone]);
    git(clone, "checkout", "-q", "feature");
    const result = await pyguard(clone, "review");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("since origin/main");
  });

  it("exits 0 when the findings are below failOn", async () => {
    const repo = repository();
    write(repo, { ".github/pyguard.yml": "rules:\n  PG-DYN-001: warning\n", "app.py": BASE_APP });
    commitAll(repo, "base");
    git(repo, "checkout", "-q", "-b", "topic");
    write(repo, { "app.py": BRANCH_APP });
    const result = await pyguard(repo, "review");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Check run "pyguard": neutral');
  });

  it("exits 2 with a clear message without a default branch, a known --base, a repository or a valid config", async () => {
    const trunk = repository("trunk");
    write(trunk, { "app.py": BASE_APP });
    commitAll(trunk, "base");
    const noDefault = await pyguard(trunk, "review");
    expect(noDefault.code).toBe(2);
    expect(noDefault.stderr).toContain("no main or master branch; pass --base REF");

    const unknown = await pyguard(trunk, "review", "--base", "no-such-branch");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"no-such-branch" is not a commit');

    const outside = await pyguard(temporaryDirectory(), "review");
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("needs a git repository");

    write(trunk, { ".github/pyguard.yml": "failOn: sometimes\n" });
    commitAll(trunk, "bad config");
    const badConfig = await pyguard(trunk, "review", "--base", "HEAD");
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain("HEAD:.github/pyguard.yml");
  });
});
