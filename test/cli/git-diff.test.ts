import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, chmodSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readPathToken, splitGitDiff } from "../../src/cli/git-diff.js";
import { parsePatch } from "../../src/review/diff.js";

describe("splitGitDiff on hand-written output", () => {
  it("reads statuses, renames, modes and binary markers", () => {
    const output = [
      "diff --git a/new.py b/new.py",
      "new file mode 100644",
      "index 0000000..1111111",
      "--- /dev/null",
      "+++ b/new.py",
      "@@ -0,0 +1 @@",
      "+x = 1",
      "diff --git a/gone.py b/gone.py",
      "deleted file mode 100644",
      "--- a/gone.py",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-x = 1",
      "diff --git a/old name.py b/new name.py",
      "similarity index 100%",
      "rename from old name.py",
      "rename to new name.py",
      "diff --git a/blob.py b/blob.py",
      "index 1111111..2222222 100644",
      "Binary files a/blob.py and b/blob.py differ",
      "",
    ].join("\n");
    const files = splitGitDiff(output);
    expect(files.map(({ path, status, previousPath, binary, mode }) => ({ path, status, previousPath, binary, mode }))).toEqual([
      { path: "new.py", status: "added", previousPath: undefined, binary: false, mode: "100644" },
      { path: "gone.py", status: "removed", previousPath: undefined, binary: false, mode: undefined },
      { path: "new name.py", status: "renamed", previousPath: "old name.py", binary: false, mode: undefined },
      { path: "blob.py", status: "modified", previousPath: undefined, binary: true, mode: "100644" },
    ]);
    expect([...parsePatch(files[0]?.patch ?? "").added]).toEqual([1]);
    expect(files[2]?.patch).toBe("");
  });

  it("reads C-quoted paths with escapes and UTF-8 octal bytes", () => {
    expect(readPathToken('"b/tab\\there \\"q\\".py"', "b/")).toBe('tab\there "q".py');
    expect(readPathToken('"b/caf\\303\\251.py"', "b/")).toBe("café.py");
    expect(readPathToken("b/with space.py\t", "b/")).toBe("with space.py");
    expect(readPathToken("/dev/null", "a/")).toBeNull();
    expect(readPathToken('"b/unterminated', "b/")).toBeNull();
    expect(readPathToken("no-prefix.py", "b/")).toBeNull();
  });

  it("survives garbage without throwing, and leaves out what it cannot name", () => {
    const garbage = ["diff --git a/x b/y b/z", "@@ nonsense", "diff --git", "+++", 'diff --git "a/bad\\q" b/x', "random text"].join("\n");
    expect(() => splitGitDiff(garbage)).not.toThrow();
    expect(splitGitDiff(garbage).every((file) => file.path.length > 0)).toBe(true);
    expect(splitGitDiff("")).toEqual([]);
  });
});

describe("splitGitDiff on real git output", () => {
  const root = mkdtempSync(join(tmpdir(), "pyguard-diff-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const git = (...args: string[]): string => execFileSync("git", args, { cwd: root, encoding: "utf8" });

  it("names every file, however odd its path", () => {
    git("init", "-q", "-b", "main");
    git("config", "user.name", "Test");
    git("config", "user.email", "test@example.com");
    const names = ["plain.py", "with space.py", "a b c b d.py", "tab\tname.py", 'quote"name.py', "naïve.py", "back\\slash.py", "mode.py", "move me.py"];
    for (const name of names) writeFileSync(join(root, name), "x = 1\n");
    symlinkSync("plain.py", join(root, "link.py"));
    git("add", "-A");
    git("-c", "commit.gpgsign=false", "commit", "-q", "-m", "base");
    for (const name of names.filter((name) => name !== "mode.py" && name !== "move me.py")) writeFileSync(join(root, name), "x = 1\ny = 2\n");
    chmodSync(join(root, "mode.py"), 0o755);
    git("mv", "move me.py", "moved here.py");

    for (const quotePath of ["true", "false"]) {
      const output = git("-c", `core.quotePath=${quotePath}`, "diff", "--no-color", "-M", "--src-prefix=a/", "--dst-prefix=b/", "HEAD", "--");
      const files = splitGitDiff(output);
      const byPath = new Map(files.map((file) => [file.path, file]));
      for (const name of names.filter((name) => name !== "move me.py" && name !== "mode.py")) {
        expect(byPath.get(name)?.status, name).toBe("modified");
        expect([...parsePatch(byPath.get(name)?.patch ?? "").added], name).toEqual([2]);
      }
      expect(byPath.get("mode.py")).toMatchObject({ status: "modified", mode: "100755", patch: "" });
      expect(byPath.get("moved here.py")).toMatchObject({ status: "renamed", previousPath: "move me.py" });
    }
  });
});
