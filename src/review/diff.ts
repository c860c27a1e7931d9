/**
 * Unified diffs, as GitHub's `patch` field and `git diff` give them, reduced to what a reviewer
 * needs: which new-file lines were added, and which lines a review comment may anchor to.
 */

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

export interface FilePatch {
  hunks: Hunk[];
  /** New-file line numbers added by the change. */
  added: Set<number>;
  /** New-file line numbers a review comment can anchor to on the RIGHT side: added and context lines inside a hunk. */
  commentable: Set<number>;
  /** The hunk index of each commentable line; a multi-line comment must stay within one hunk. */
  hunkOfLine: Map<number, number>;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/u;

export class PatchParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PatchParseError";
  }
}

/** Parses the hunks of one file's patch (the part from the first `@@`). */
export function parsePatch(patch: string): FilePatch {
  const result: FilePatch = { hunks: [], added: new Set(), commentable: new Set(), hunkOfLine: new Map() };
  let newLine = 0;
  let oldRemaining = 0;
  let newRemaining = 0;
  let inHunk = false;
  for (const line of patch.split("\n")) {
    const header = HUNK_HEADER.exec(line);
    if (header) {
      const hunk: Hunk = {
        oldStart: Number(header[1]),
        oldLines: header[2] === undefined ? 1 : Number(header[2]),
        newStart: Number(header[3]),
        newLines: header[4] === undefined ? 1 : Number(header[4]),
      };
      result.hunks.push(hunk);
      newLine = hunk.newStart;
      oldRemaining = hunk.oldLines;
      newRemaining = hunk.newLines;
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    if (line.startsWith("\\")) continue; // "\ No newline at end of file"
    if (oldRemaining <= 0 && newRemaining <= 0) {
      inHunk = false;
      continue;
    }
    const marker = line[0];
    const hunkIndex = result.hunks.length - 1;
    if (marker === "+") {
      result.added.add(newLine);
      result.commentable.add(newLine);
      result.hunkOfLine.set(newLine, hunkIndex);
      newLine++;
      newRemaining--;
    } else if (marker === "-") {
      oldRemaining--;
    } else if (marker === " " || line === "") {
      // An empty line inside a hunk is a context line whose leading space was trimmed.
      result.commentable.add(newLine);
      result.hunkOfLine.set(newLine, hunkIndex);
      newLine++;
      oldRemaining--;
      newRemaining--;
    } else {
      throw new PatchParseError(`unexpected line in hunk: ${JSON.stringify(line.slice(0, 40))}`);
    }
  }
  return result;
}

export interface GitFileDiff {
  path: string;
  previousPath?: string;
  status: "added" | "modified" | "renamed" | "removed";
  patch: string;
  binary: boolean;
}

/** Splits `git diff` output into per-file patches. Paths with spaces need `--no-prefix`-free `a/`/`b/` headers, which git gives by default. */
export function splitGitDiff(output: string): GitFileDiff[] {
  const files: GitFileDiff[] = [];
  let current: GitFileDiff | undefined;
  let patchLines: string[] = [];
  const flush = (): void => {
    if (current) {
      current.patch = patchLines.join("\n");
      files.push(current);
    }
    patchLines = [];
  };
  for (const line of output.split("\n")) {
    if (line.startsWith("diff --git ")) {
      flush();
      const match = /^diff --git a\/(.+) b\/(.+)$/u.exec(line);
      current = { path: match?.[2] ?? "", status: "modified", patch: "", binary: false };
      continue;
    }
    if (!current) continue;
    if (patchLines.length === 0 && !line.startsWith("@@")) {
      if (line.startsWith("new file mode")) current.status = "added";
      else if (line.startsWith("deleted file mode")) current.status = "removed";
      else if (line.startsWith("rename from ")) {
        current.previousPath = line.slice("rename from ".length);
        current.status = "renamed";
      } else if (line.startsWith("rename to ")) current.path = line.slice("rename to ".length);
      else if (line.startsWith("+++ b/")) current.path = line.slice("+++ b/".length);
      else if (line.startsWith("Binary files ")) current.binary = true;
      continue;
    }
    patchLines.push(line);
  }
  flush();
  return files;
}
