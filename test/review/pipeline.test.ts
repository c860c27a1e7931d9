import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/load.js";
import { fingerprintFromBody } from "../../src/review/markers.js";
import { reviewChangeSet } from "../../src/review/pipeline.js";
import { FileUnavailable, type ChangedFile } from "../../src/review/types.js";
import { addedFile, configWith, memoryReader, modifiedFile, review } from "./support.js";

/** Line 2 and line 6 call eval; the change adds lines 5-7. */
const APP = [
  "def func_handle():",
  "    oldValue = eval(input())",
  "    return oldValue",
  "",
  "def func_added():",
  "    newValue = eval(input())",
  "    return newValue",
  "",
].join("\n");

const CLEAN = "def func_clean(userInput):\n    return userInput\n";

const places = (findings: ReadonlyArray<{ path: string; line: number; ruleId: string }>): string[] =>
  findings.filter((finding) => finding.ruleId === "PG-DYN-001").map((finding) => `${finding.path}:${finding.line}`);

describe("classification", () => {
  it("introduces findings on added lines, advises on the rest of a touched file, and ignores untouched files", async () => {
    const contents = { "app.py": APP, "untouched.py": APP };
    const reader = memoryReader(contents);
    const files: ChangedFile[] = [modifiedFile("app.py", APP, [5, 6, 7]), { path: "untouched.py", status: "unchanged", patch: null }];
    const outcome = await reviewChangeSet({ changeSet: { files, changesConfig: false }, config: defaultConfig(), readFile: reader });

    expect(places(outcome.introduced)).toEqual(["app.py:6"]);
    expect(places(outcome.advisory)).toEqual(["app.py:2"]);
    expect(reader.requested).toEqual(["app.py"]);
    expect(outcome.filesAnalyzed).toBe(1);
    expect(outcome.conclusion).toBe("failure");
    expect(outcome.comments.map((comment) => `${comment.path}:${comment.line}`)).toEqual(["app.py:6"]);
    expect(outcome.fingerprints).toEqual(new Set(outcome.introduced.map((finding) => finding.fingerprint)));
  });

  it("treats every finding of a modified file without a patch as advisory", async () => {
    const outcome = await review([{ path: "app.py", status: "modified", patch: null }], { "app.py": APP });
    expect(places(outcome.introduced)).toEqual([]);
    expect(places(outcome.advisory)).toEqual(["app.py:2", "app.py:6"]);
    expect(outcome.conclusion).toBe("neutral");
    expect(outcome.comments).toEqual([]);
  });

  it("treats every line of an added file without a patch as added, with annotations but no inline comments", async () => {
    const outcome = await review([{ path: "new.py", status: "added", patch: null }], { "new.py": APP });
    expect(places(outcome.introduced)).toEqual(["new.py:2", "new.py:6"]);
    expect(outcome.comments).toEqual([]);
    expect(outcome.annotations.map((annotation) => `${annotation.path}:${annotation.startLine}`)).toEqual(["new.py:2", "new.py:6"]);
    expect(outcome.conclusion).toBe("failure");
  });

  it("comments on every line of an added file with a patch", async () => {
    const outcome = await review([addedFile("new.py", APP)], { "new.py": APP });
    expect(outcome.comments.map((comment) => comment.line)).toEqual([2, 6]);
  });

  it("drops removed files and follows renames to the new path", async () => {
    const contents = { "new/place.py": APP };
    const reader = memoryReader(contents);
    const renamed: ChangedFile = { ...modifiedFile("new/place.py", APP, [6]), status: "renamed", previousPath: "old/place.py" };
    const files: ChangedFile[] = [{ path: "gone.py", status: "removed", patch: null }, renamed];
    const outcome = await reviewChangeSet({ changeSet: { files, changesConfig: false }, config: defaultConfig(), readFile: reader });
    expect(reader.requested).toEqual(["new/place.py"]);
    expect(places(outcome.introduced)).toEqual(["new/place.py:6"]);
    expect(outcome.comments[0]?.path).toBe("new/place.py");
  });

  it("selects Python files with the config's include and exclude globs", async () => {
    const config = configWith((value) => {
      value.paths.include = ["src/**"];
      value.paths.exclude = ["src/generated/**"];
    });
    const reader = memoryReader({ "src/app.py": APP, "src/generated/api.py": APP, "scripts/tool.py": APP, "src/notes.txt": "eval(x)" });
    const files = ["src/app.py", "src/generated/api.py", "scripts/tool.py", "src/notes.txt"].map((path) => modifiedFile(path, APP, [6]));
    await reviewChangeSet({ changeSet: { files, changesConfig: false }, config, readFile: reader });
    expect(reader.requested).toEqual(["src/app.py"]);
  });

  it("lists suppressed findings on added lines with their reasons, and does not count them", async () => {
    const source = "def func_run(userInput):\n    return eval(userInput)  # pyguard: ignore[PG-DYN-001] -- input is a fixed admin expression\n";
    const outcome = await review([addedFile("app.py", source)], { "app.py": source });
    expect(places(outcome.suppressed)).toEqual(["app.py:2"]);
    expect(places(outcome.introduced)).toEqual([]);
    expect(outcome.conclusion).toBe("success");
    expect(outcome.summary).toContain("Suppressed on changed lines");
    expect(outcome.summary).toContain("input is a fixed admin expression");
    expect(outcome.fingerprints.size).toBe(0);
  });
});

describe("files that cannot be analysed", () => {
  it("turns a binary file, an oversized file and read failures into notices and goes on", async () => {
    const config = configWith((value) => {
      value.maxFileBytes = 1000;
    });
    const contents: Record<string, string | Uint8Array> = {
      "binary.py": new Uint8Array([0x70, 0x00, 0x01, 0x02]),
      "big-unknown-size.py": `${"x = 1\n".repeat(400)}`,
      "good.py": APP,
    };
    const base = memoryReader(contents);
    const reader = Object.assign(async (file: ChangedFile): Promise<Uint8Array> => {
      if (file.path === "gone.py") throw new FileUnavailable(file.path, "the file is not at the head commit");
      if (file.path === "broken.py") throw new Error("socket hang up");
      return base(file);
    });
    const files: ChangedFile[] = [
      { path: "binary.py", status: "added", patch: null },
      { ...modifiedFile("big.py", APP, [6]), size: 5000 },
      modifiedFile("big-unknown-size.py", APP, [1]),
      modifiedFile("gone.py", APP, [6]),
      modifiedFile("broken.py", APP, [6]),
      modifiedFile("good.py", APP, [6]),
    ];
    const outcome = await reviewChangeSet({ changeSet: { files, changesConfig: false }, config, readFile: reader });

    expect(base.requested).not.toContain("big.py");
    const notices = Object.fromEntries(outcome.notices.map((notice) => [notice.path, notice.message]));
    expect(Object.keys(notices).sort()).toEqual(["big-unknown-size.py", "big.py", "binary.py", "broken.py", "gone.py"]);
    expect(notices["binary.py"]).toMatch(/binary/u);
    expect(notices["big.py"]).toMatch(/5000 bytes is over the 1000-byte limit/u);
    expect(notices["big-unknown-size.py"]).toMatch(/over the 1000-byte limit/u);
    expect(notices["gone.py"]).toBe("not analysed: the file is not at the head commit");
    expect(notices["broken.py"]).toMatch(/could not be read \(socket hang up\)/u);
    expect(places(outcome.introduced)).toEqual(["good.py:6"]);
    expect(outcome.filesAnalyzed).toBe(1);
    expect(outcome.title).toBe("1 error in changed lines (1 advisory, 5 files not analysed)");
    for (const path of Object.keys(notices)) expect(outcome.summary).toContain(`\`${path}\``);
  });

  it("reports a syntax error as a warning and keeps the findings outside the broken code", async () => {
    const source = "def func_ok(userInput):\n    return eval(userInput)\n\ndef func_broken(:\n    pass\n";
    const outcome = await review([addedFile("broken.py", source)], { "broken.py": source });
    expect(places(outcome.introduced)).toEqual(["broken.py:2"]);
    expect(outcome.warnings).toHaveLength(1);
    expect(outcome.warnings[0]).toMatchObject({ path: "broken.py", kind: "parse" });
    expect(outcome.summary).toContain("syntax error");
  });

  it("says in the summary that files beyond the listed ones were not reviewed", async () => {
    const outcome = await reviewChangeSet({
      changeSet: { files: [], changesConfig: false, truncated: true },
      config: defaultConfig(),
      readFile: memoryReader({}),
    });
    expect(outcome.summary).toContain("more files than could be fetched");
  });
});

describe("conclusion and title", () => {
  const warningOnly = configWith((value) => {
    value.rules["PG-DYN-001"] = "warning";
  });

  it("fails on introduced findings at or above failOn", async () => {
    const outcome = await review([modifiedFile("app.py", APP, [6])], { "app.py": APP });
    expect(outcome.conclusion).toBe("failure");
    expect(outcome.title).toBe("1 error in changed lines (1 advisory)");
  });

  it("is neutral for introduced findings below failOn", async () => {
    const outcome = await review([modifiedFile("app.py", APP, [6])], { "app.py": APP }, { config: warningOnly });
    expect(outcome.conclusion).toBe("neutral");
    expect(outcome.title).toBe("1 warning in changed lines (1 advisory)");
  });

  it("fails on a warning when failOn is warning", async () => {
    const config = configWith((value) => {
      value.rules["PG-DYN-001"] = "warning";
      value.failOn = "warning";
    });
    const outcome = await review([modifiedFile("app.py", APP, [6])], { "app.py": APP }, { config });
    expect(outcome.conclusion).toBe("failure");
  });

  it("is neutral with advisory findings only, and never fails on them", async () => {
    const outcome = await review([modifiedFile("app.py", APP, [3])], { "app.py": APP });
    expect(outcome.conclusion).toBe("neutral");
    expect(outcome.title).toBe("No findings in changed lines (2 advisory)");
  });

  it("succeeds when the change touches nothing that fires", async () => {
    const outcome = await review([addedFile("clean.py", CLEAN)], { "clean.py": CLEAN });
    expect(outcome.conclusion).toBe("success");
    expect(outcome.title).toBe("No findings in changed lines");
    expect(outcome.summary).toContain("No findings in the changed lines");
  });

  it("says that a config change applies after merge", async () => {
    const outcome = await reviewChangeSet({ changeSet: { files: [], changesConfig: true }, config: defaultConfig(), readFile: memoryReader({}) });
    expect(outcome.summary).toContain("`.github/pyguard.yml`");
    expect(outcome.summary).toContain("applies after merge");
  });
});

describe("inline comments", () => {
  it("carry the guideline's words, why and how, the docs link and the fingerprint marker", async () => {
    const outcome = await review([modifiedFile("app.py", APP, [6])], { "app.py": APP });
    const [comment] = outcome.comments;
    expect(comment).toBeDefined();
    if (!comment) return;
    expect(comment.side).toBe("RIGHT");
    expect(comment.startLine).toBeUndefined();
    expect(comment.body).toContain("PG-DYN-001");
    expect(comment.body).toContain("Avoid using eval(), exec(), or other dynamic code execution functions.");
    expect(comment.body).toContain("**Why it matters:**");
    expect(comment.body).toContain("**How to fix it**");
    expect(comment.body).toContain("#pg-dyn-001-");
    expect(fingerprintFromBody(comment.body)).toBe(comment.fingerprint);
    expect(comment.body.length).toBeLessThan(65_536);
  });

  it("never forwards a fingerprint marker quoted from the pull request's code", async () => {
    const source = 'def func_run(userInput):\n    return eval("<!-- pyguard:fingerprint=deadbeefdeadbeef -->" + userInput)\n';
    const outcome = await review([addedFile("app.py", source)], { "app.py": source });
    const [comment] = outcome.comments;
    expect(comment && fingerprintFromBody(comment.body)).toBe(comment?.fingerprint);
    expect(outcome.summary).not.toContain("<!-- pyguard:fingerprint=deadbeef");
  });
});
