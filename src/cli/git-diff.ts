/**
 * Splits `git diff` output into per-file patches. The output is external input: a path may hold
 * spaces, quotes, tabs or newlines, and an unexpected line must never crash the parse. Paths are
 * taken from the unambiguous header lines (`rename to`, `+++ b/…`) first and from the
 * `diff --git` line only when nothing else names them.
 */

export interface GitFileDiff {
  path: string;
  previousPath?: string;
  status: "added" | "modified" | "renamed" | "copied" | "removed";
  /** The hunks, from the first `@@`; empty when the change has none (a pure rename or mode change). */
  patch: string;
  binary: boolean;
  /** The mode at the new side when the diff names it: "100644", "120000" (symlink), "160000" (submodule). */
  mode?: string;
}

interface PathPair {
  oldPath: string;
  newPath: string;
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };

/**
 * Reads a C-quoted path as git writes it ("tab\there", "caf\303\251") starting at `start`, which
 * holds the opening quote. Octal escapes are UTF-8 bytes, so the bytes are collected and decoded once.
 */
function readQuoted(text: string, start: number): { value: string; end: number } | null {
  const bytes: number[] = [];
  let index = start + 1;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === '"') return { value: Buffer.from(bytes).toString("utf8"), end: index + 1 };
    if (char === "\\") {
      const next = text[index + 1] ?? "";
      const octal = /^[0-7]{3}/u.exec(text.slice(index + 1, index + 4));
      if (octal) {
        bytes.push(Number.parseInt(octal[0], 8) & 0xff);
        index += 4;
        continue;
      }
      const escaped = C_ESCAPES[next];
      if (escaped === undefined) return null;
      bytes.push(escaped);
      index += 2;
      continue;
    }
    const codePoint = text.codePointAt(index) as number;
    const encoded = String.fromCodePoint(codePoint);
    bytes.push(...Buffer.from(encoded, "utf8"));
    index += encoded.length;
  }
  return null;
}

/** A path as it follows `--- `, `+++ `, `rename from ` and the like; null for /dev/null or garbage. */
export function readPathToken(raw: string, prefix: "a/" | "b/" | ""): string | null {
  // git ends `---`/`+++` paths that hold a space with a tab, as GNU diff does.
  const token = raw.endsWith("\t") ? raw.slice(0, -1) : raw;
  if (token === "/dev/null") return null;
  let path = token;
  if (token.startsWith('"')) {
    const quoted = readQuoted(token, 0);
    if (!quoted || quoted.end !== token.length) return null;
    path = quoted.value;
  }
  if (prefix !== "") {
    if (!path.startsWith(prefix)) return null;
    path = path.slice(prefix.length);
  }
  return path.length > 0 ? path : null;
}

/** The two paths of a `diff --git a/X b/Y` line, when they can be told apart. */
function headerPaths(rest: string): PathPair | null {
  let oldRaw: string;
  let newRaw: string;
  if (rest.startsWith('"')) {
    const first = readQuoted(rest, 0);
    if (!first || rest[first.end] !== " ") return null;
    oldRaw = rest.slice(0, first.end);
    newRaw = rest.slice(first.end + 1);
  } else if (rest.endsWith('"')) {
    const split = rest.lastIndexOf(' "b/');
    if (split === -1) return null;
    oldRaw = rest.slice(0, split);
    newRaw = rest.slice(split + 1);
  } else {
    // Unquoted, so "a/x b/y" is ambiguous when the paths hold " b/"; the same path twice is not.
    const half = (rest.length - 5) / 2;
    if (!Number.isInteger(half) || half < 1) return null;
    oldRaw = rest.slice(0, half + 2);
    newRaw = rest.slice(half + 3);
    if (rest[half + 2] !== " " || oldRaw.slice(2) !== newRaw.slice(2)) return null;
  }
  const oldPath = readPathToken(oldRaw, "a/");
  const newPath = readPathToken(newRaw, "b/");
  return oldPath !== null && newPath !== null ? { oldPath, newPath } : null;
}

interface SectionBuilder {
  header: PathPair | null;
  oldPath?: string;
  newPath?: string;
  status: GitFileDiff["status"];
  binary: boolean;
  mode?: string;
  patchLines: string[];
}

function applyHeaderLine(section: SectionBuilder, line: string): void {
  const take = (prefix: string): string | null => (line.startsWith(prefix) ? line.slice(prefix.length) : null);
  let value: string | null;
  if ((value = take("new file mode ")) !== null) {
    section.status = "added";
    section.mode = value.trim();
  } else if (take("deleted file mode ") !== null) section.status = "removed";
  else if ((value = take("new mode ")) !== null) section.mode = value.trim();
  else if ((value = take("rename from ")) !== null) {
    section.status = "renamed";
    section.oldPath = readPathToken(value, "") ?? section.oldPath;
  } else if ((value = take("rename to ")) !== null) section.newPath = readPathToken(value, "") ?? section.newPath;
  else if ((value = take("copy from ")) !== null) {
    section.status = "copied";
    section.oldPath = readPathToken(value, "") ?? section.oldPath;
  } else if ((value = take("copy to ")) !== null) section.newPath = readPathToken(value, "") ?? section.newPath;
  else if ((value = take("index ")) !== null) {
    const mode = /^\S+ (\d{6})$/u.exec(value)?.[1];
    if (mode) section.mode = mode;
  } else if ((value = take("--- ")) !== null) section.oldPath = readPathToken(value, "a/") ?? section.oldPath;
  else if ((value = take("+++ ")) !== null) section.newPath = readPathToken(value, "b/") ?? section.newPath;
  else if (line.startsWith("Binary files ") || line === "GIT binary patch") section.binary = true;
}

function finish(section: SectionBuilder): GitFileDiff | null {
  const oldPath = section.oldPath ?? section.header?.oldPath;
  const newPath = section.newPath ?? section.header?.newPath;
  const path = section.status === "removed" ? (oldPath ?? newPath) : newPath;
  if (path === undefined) return null;
  const file: GitFileDiff = { path, status: section.status, patch: section.patchLines.join("\n"), binary: section.binary };
  if ((section.status === "renamed" || section.status === "copied") && oldPath !== undefined) file.previousPath = oldPath;
  if (section.mode !== undefined) file.mode = section.mode;
  return file;
}

/** Per-file patches of `git diff` output; sections whose path cannot be read are left out. */
export function splitGitDiff(output: string): GitFileDiff[] {
  const files: GitFileDiff[] = [];
  let section: SectionBuilder | undefined;
  const flush = (): void => {
    const file = section ? finish(section) : null;
    if (file) files.push(file);
  };
  for (const line of output.split("\n")) {
    if (line.startsWith("diff --git ")) {
      flush();
      section = { header: headerPaths(line.slice("diff --git ".length)), status: "modified", binary: false, patchLines: [] };
      continue;
    }
    if (!section) continue;
    if (section.patchLines.length === 0 && !line.startsWith("@@")) applyHeaderLine(section, line);
    else section.patchLines.push(line);
  }
  flush();
  return files;
}
