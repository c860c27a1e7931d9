import { Writable } from "node:stream";
import { describe, expect, test } from "vitest";
import { ANNOTATIONS_PER_REQUEST, batches, MAX_OUTPUT_CHARS, toApiAnnotation, truncate } from "../../src/github/checks.js";
import { canRecheck, parseCommand } from "../../src/github/commands.js";
import { fingerprintsIn, isOwnBot } from "../../src/github/existing.js";
import { createLogger, scrubSecrets } from "../../src/github/logger.js";
import { toChangeSet } from "../../src/github/pulls.js";
import { checkAnchors, toApiComment } from "../../src/github/review.js";
import { fingerprintMarker } from "../../src/review/markers.js";
import type { InlineComment } from "../../src/review/types.js";

const PATCH = "@@ -1,3 +1,5 @@\n a = 1\n+b = 2\n+c = 3\n d = 4\n e = 5\n@@ -20,2 +22,3 @@\n x = 1\n+y = 2\n z = 3";

function comment(overrides: Partial<InlineComment> = {}): InlineComment {
  return { path: "a.py", line: 2, side: "RIGHT", body: "Finding.", fingerprint: "0123456789abcdef", severity: "error", ...overrides };
}

describe("anchors", () => {
  const changeSet = toChangeSet([{ filename: "a.py", status: "modified", patch: PATCH }, { filename: "big.py", status: "modified" }, { filename: "old.py", status: "removed", patch: "@@ -1 +0,0 @@\n-x" }], 3);

  test("only lines of the diff, ranges within one hunk, RIGHT side, files with a patch", () => {
    const { valid, invalid } = checkAnchors(
      [
        comment(),
        comment({ line: 3, startLine: 2, startSide: "RIGHT" }),
        comment({ line: 23, startLine: 3, startSide: "RIGHT" }),
        comment({ line: 10 }),
        comment({ path: "big.py" }),
        comment({ path: "old.py", line: 1 }),
        comment({ path: "missing.py" }),
        comment({ side: "LEFT" as "RIGHT" }),
      ],
      changeSet,
    );
    expect(valid.map((entry) => `${entry.path}:${entry.startLine ?? ""}-${entry.line}`)).toEqual(["a.py:-2", "a.py:2-3"]);
    expect(invalid).toHaveLength(6);
  });

  test("each comment carries its fingerprint marker once", () => {
    expect(toApiComment(comment()).body).toBe(`Finding.\n\n${fingerprintMarker("0123456789abcdef")}`);
    expect(toApiComment(comment({ body: `Finding.\n\n${fingerprintMarker("0123456789abcdef")}` })).body.match(/pyguard:fingerprint/gu)).toHaveLength(1);
    expect(toApiComment(comment({ line: 3, startLine: 2, startSide: "RIGHT" }))).toMatchObject({ start_line: 2, start_side: "RIGHT", line: 3, side: "RIGHT" });
    expect(toApiComment(comment({ line: 3, startLine: 2, startSide: "RIGHT" }), true)).not.toHaveProperty("start_line");
    expect(toApiComment(comment({ body: "x".repeat(70_000) })).body.length).toBeLessThan(65_536);
  });

  test("the change set: config edits flagged, unparsable patches dropped, truncation noted", () => {
    expect(changeSet.files.map((file) => [file.path, file.patch === null])).toEqual([["a.py", false], ["big.py", true], ["old.py", false]]);
    expect(changeSet.changesConfig).toBe(false);
    expect(changeSet.truncated).toBe(false);
    const config = toChangeSet([{ filename: ".github/pyguard.yml", status: "modified", patch: "garbage\n@@ -1 +1 @@\n?x" }], 3001);
    expect(config).toMatchObject({ changesConfig: true, truncated: true });
    expect(config.files[0]?.patch).toBeNull();
  });
});

describe("check-run output", () => {
  test("text is cut under GitHub's limits", () => {
    const cut = truncate(`${"line\n".repeat(20_000)}`, MAX_OUTPUT_CHARS);
    expect(cut.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(cut).toMatch(/truncated/u);
    expect(truncate("short", 10)).toBe("short");
    expect(truncate(`${"a".repeat(99)}😀${"b".repeat(10)}`, 60).length).toBeLessThanOrEqual(60);
  });

  test("annotations: columns only on one line, titles and messages capped, 50 per request", () => {
    expect(toApiAnnotation({ path: "a.py", startLine: 3, endLine: 5, startColumn: 2, endColumn: 9, level: "failure", title: "t", message: "m" })).not.toHaveProperty("start_column");
    expect(toApiAnnotation({ path: "a.py", startLine: 3, endLine: 3, startColumn: 2, endColumn: 9, level: "warning", title: "t".repeat(300), message: "m" })).toMatchObject({ start_column: 2, end_column: 9, annotation_level: "warning" });
    expect(toApiAnnotation({ path: "a.py", startLine: 3, endLine: 3, level: "notice", title: "t".repeat(300), message: "m" }).title.length).toBeLessThanOrEqual(255);
    expect(batches(Array.from({ length: 120 }, (_, index) => index), ANNOTATIONS_PER_REQUEST).map((batch) => batch.length)).toEqual([50, 50, 20]);
  });
});

describe("commands and identity", () => {
  test("commands are recognised at the start of a line only", () => {
    expect(parseCommand("/pyguard recheck")).toBe("recheck");
    expect(parseCommand("Thanks!\n  /PyGuard HELP please")).toBe("help");
    expect(parseCommand("> /pyguard recheck")).toBeNull();
    expect(parseCommand("run /pyguard recheck")).toBeNull();
    expect(parseCommand("/pyguard rechecked")).toBeNull();
    expect(parseCommand(null)).toBeNull();
  });

  test("recheck needs write, maintain or admin", () => {
    expect(["admin", "maintain", "write", "triage", "read", "none"].filter((permission) => canRecheck(permission as never))).toEqual(["admin", "maintain", "write"]);
  });

  test("the bot's own comments are recognised by its login", () => {
    expect(isOwnBot({ login: "pyguard[bot]", type: "Bot" }, "pyguard")).toBe(true);
    expect(isOwnBot({ login: "evil[bot]", type: "Bot" }, "pyguard")).toBe(false);
    expect(isOwnBot({ login: "someone", type: "User" }, undefined)).toBe(false);
    expect(fingerprintsIn(`text\n${fingerprintMarker("aaaaaaaa11")}\n${fingerprintMarker("bbbbbbbb22")}`)).toEqual(["aaaaaaaa11", "bbbbbbbb22"]);
  });
});

describe("log redaction", () => {
  test("tokens, JWTs, PEM keys and given secrets are scrubbed from every line", () => {
    const line = JSON.stringify({ msg: "token ghs_abcdefghijklmnopqrstuvwxyz0123 and eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJlc2lnbmF0dXJl; -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- my-own-secret-value" });
    const scrubbed = scrubSecrets(line, [/my-own-secret-value/gu]);
    expect(scrubbed).not.toMatch(/ghs_|eyJhbG|MIIE|my-own-secret-value/u);
  });

  test("known fields are redacted and configured secrets never written", () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const log = createLogger({ level: "info", secrets: ["super-secret-webhook-value"], destination });
    log.info({ token: "t0ken-value", req: { headers: { authorization: "bearer x", "x-hub-signature-256": "sha256=abc" } } }, "hello super-secret-webhook-value");
    const output = lines.join("");
    expect(output).not.toMatch(/t0ken-value|bearer x|sha256=abc|super-secret-webhook-value/u);
    expect(JSON.parse(output)).toMatchObject({ msg: "hello [REDACTED]", token: "[REDACTED]" });
  });
});
