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

/**
 * The patch of a file whose every line is new (an untracked file, say): one hunk over all its
 * lines, each added and commentable, as the diff of the committed file would give.
 */
export function wholeFileAddedPatch(lineCount: number): FilePatch {
  const result: FilePatch = { hunks: [], added: new Set(), commentable: new Set(), hunkOfLine: new Map() };
  if (lineCount <= 0) return result;
  result.hunks.push({ oldStart: 0, oldLines: 0, newStart: 1, newLines: lineCount });
  for (let line = 1; line <= lineCount; line++) {
    result.added.add(line);
    result.commentable.add(line);
    result.hunkOfLine.set(line, 0);
  }
  return result;
}

/** Lines as git counts them: a final newline ends the last line rather than starting another. */
export function countLines(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  let count = 0;
  for (let index = bytes.indexOf(0x0a); index !== -1; index = bytes.indexOf(0x0a, index + 1)) count++;
  return bytes[bytes.length - 1] === 0x0a ? count : count + 1;
}
