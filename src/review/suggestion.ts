import type { Fix } from "../engine/types.js";
import type { CommentAnchor } from "./anchor.js";

/** Source lines without their line ends, indexed from 0 for line 1. */
export function sourceLines(text: string): string[] {
  return text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/**
 * The lines of a ```suggestion block: GitHub replaces the whole anchored range with them, so the
 * fix is spliced into that range's text. Null when the fix reaches outside the range, its range
 * does not fit the file, or it changes nothing.
 */
export function suggestedLines(fix: Fix, anchor: CommentAnchor, lines: readonly string[]): string[] | null {
  const first = anchor.startLine ?? anchor.line;
  const last = anchor.line;
  if (fix.endLine < fix.line || (fix.endLine === fix.line && fix.endColumn < fix.column)) return null;
  // A fix that ends at column 1 takes the line end before it: "delete line 5" is 5:1 to 6:1.
  const throughLineEnd = fix.endColumn === 1 && fix.endLine > fix.line;
  const endLine = throughLineEnd ? fix.endLine - 1 : fix.endLine;
  if (fix.line < first || endLine > last) return null;
  const startText = lines[fix.line - 1];
  const endText = throughLineEnd ? "" : lines[fix.endLine - 1];
  if (startText === undefined || endText === undefined || lines[endLine - 1] === undefined) return null;
  if (fix.column < 1 || fix.endColumn < 1 || fix.column - 1 > startText.length || fix.endColumn - 1 > endText.length) return null;

  const original = lines.slice(first - 1, last);
  const middle = splicedLines(`${startText.slice(0, fix.column - 1)}${fix.replacement}`, endText.slice(fix.endColumn - 1), throughLineEnd);
  if (!middle) return null;
  const replaced = [...lines.slice(first - 1, fix.line - 1), ...middle, ...lines.slice(endLine, last)];
  const unchanged = replaced.length === original.length && replaced.every((line, index) => line === original[index]);
  return unchanged ? null : replaced;
}

/**
 * The new text of the fixed lines. When the fix consumed the last line's end, the text must end
 * with a line end of its own (or be empty), or it would join the line after the range.
 */
function splicedLines(head: string, tail: string, throughLineEnd: boolean): string[] | null {
  const text = head + tail;
  if (!throughLineEnd) return text.split(/\r?\n/u);
  if (text === "") return [];
  if (!text.endsWith("\n")) return null;
  return text.replace(/\r?\n$/u, "").split(/\r?\n/u);
}
