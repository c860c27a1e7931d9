import type { Finding } from "../engine/types.js";
import type { FilePatch } from "./diff.js";

/** Where an inline comment sits: `line`, or the range `startLine..line` within one hunk. */
export interface CommentAnchor {
  line: number;
  startLine?: number;
}

/** The last line a finding really covers: a range that ends at column 1 stops at the line before. */
export function lastLineOf(finding: Pick<Finding, "line" | "endLine" | "endColumn">): number {
  const end = finding.endColumn <= 1 && finding.endLine > finding.line ? finding.endLine - 1 : finding.endLine;
  return Math.max(finding.line, end);
}

/**
 * What GitHub accepts, checked here because one bad anchor costs the whole review a 422: the
 * line is commentable, and a range starts before it on a commentable line of the same hunk.
 */
export function isValidAnchor(anchor: CommentAnchor, patch: FilePatch): boolean {
  if (!patch.commentable.has(anchor.line)) return false;
  if (anchor.startLine === undefined) return true;
  return (
    anchor.startLine < anchor.line &&
    patch.commentable.has(anchor.startLine) &&
    patch.hunkOfLine.get(anchor.startLine) === patch.hunkOfLine.get(anchor.line)
  );
}

/**
 * Anchors a finding to the diff: its whole range when both ends are commentable in one hunk,
 * else its first added, commentable line; null when no line of it can carry a comment.
 */
export function anchorFinding(finding: Finding, patch: FilePatch | null): CommentAnchor | null {
  if (!patch) return null;
  const first = finding.line;
  const last = lastLineOf(finding);
  if (last > first) {
    const range = { startLine: first, line: last };
    if (isValidAnchor(range, patch)) return range;
  }
  for (let line = first; line <= last; line++) {
    if (patch.added.has(line) && patch.commentable.has(line)) return { line };
  }
  return null;
}
