/**
 * A small unified-diff writer for the fake GitHub: the patch GitHub's pulls.listFiles returns
 * (hunks only, three lines of context), and the lines a review comment may anchor to.
 */

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Lines with their marker: " ", "+" or "-". */
  lines: string[];
}

type Op = { kind: " " | "+" | "-"; text: string };

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The edit script by longest common subsequence (fine for test-sized files). */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  // Trim the common prefix and suffix first: most test edits are local.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  const n = midA.length;
  const m = midB.length;
  const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = table[i] as Uint32Array;
      row[j] = midA[i] === midB[j] ? (table[i + 1] as Uint32Array)[j + 1]! + 1 : Math.max((table[i + 1] as Uint32Array)[j]!, row[j + 1]!);
    }
  }
  const ops: Op[] = a.slice(0, prefix).map((text) => ({ kind: " ", text }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      ops.push({ kind: " ", text: midA[i] as string });
      i++;
      j++;
    } else if (j < m && (i >= n || (table[i] as Uint32Array)[j + 1]! >= (table[i + 1] as Uint32Array)[j]!)) {
      ops.push({ kind: "+", text: midB[j] as string });
      j++;
    } else {
      ops.push({ kind: "-", text: midA[i] as string });
      i++;
    }
  }
  for (const text of a.slice(a.length - suffix)) ops.push({ kind: " ", text });
  return ops;
}

export function diffHunks(before: string, after: string, context = 3): DiffHunk[] {
  const ops = editScript(splitLines(before), splitLines(after));
  const changed = ops.map((op, index) => (op.kind === " " ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return [];
  // Group changes whose context windows touch.
  const groups: Array<[number, number]> = [];
  for (const index of changed) {
    const last = groups[groups.length - 1];
    if (last && index - last[1] <= context * 2) last[1] = index;
    else groups.push([index, index]);
  }
  const hunks: DiffHunk[] = [];
  for (const [first, last] of groups) {
    const start = Math.max(0, first - context);
    const end = Math.min(ops.length - 1, last + context);
    let oldLine = 1;
    let newLine = 1;
    for (let index = 0; index < start; index++) {
      const op = ops[index] as Op;
      if (op.kind !== "+") oldLine++;
      if (op.kind !== "-") newLine++;
    }
    const hunk: DiffHunk = { oldStart: oldLine, oldLines: 0, newStart: newLine, newLines: 0, lines: [] };
    for (let index = start; index <= end; index++) {
      const op = ops[index] as Op;
      hunk.lines.push(op.kind + op.text);
      if (op.kind !== "+") hunk.oldLines++;
      if (op.kind !== "-") hunk.newLines++;
    }
    // git writes an empty side's start as the line before.
    if (hunk.oldLines === 0) hunk.oldStart--;
    if (hunk.newLines === 0) hunk.newStart--;
    hunks.push(hunk);
  }
  return hunks;
}

export function renderPatch(hunks: readonly DiffHunk[]): string {
  return hunks.map((hunk) => `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@\n${hunk.lines.join("\n")}`).join("\n");
}

/** RIGHT-side lines a comment may anchor to, with their hunk index. */
export function rightSideLines(hunks: readonly DiffHunk[]): Map<number, number> {
  const lines = new Map<number, number>();
  hunks.forEach((hunk, index) => {
    let line = hunk.newStart;
    for (const text of hunk.lines) {
      if (text.startsWith("-")) continue;
      lines.set(line, index);
      line++;
    }
  });
  return lines;
}

/** New-side lines the change added. */
export function addedLines(hunks: readonly DiffHunk[]): Set<number> {
  const added = new Set<number>();
  for (const hunk of hunks) {
    let line = hunk.newStart;
    for (const text of hunk.lines) {
      if (text.startsWith("-")) continue;
      if (text.startsWith("+")) added.add(line);
      line++;
    }
  }
  return added;
}
