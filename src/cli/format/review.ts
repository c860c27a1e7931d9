import type { Annotation, InlineComment, ReviewOutcome } from "../../review/types.js";
import { CHECK_NAME } from "../../review/markers.js";
import type { ReviewBase } from "../git-base.js";
import { toJsonFinding, type JsonFinding } from "./json.js";

/** `path:line`, or `path:start-line` for a comment on a range. */
export function commentAnchor(comment: Pick<InlineComment, "path" | "line" | "startLine">): string {
  return comment.startLine === undefined ? `${comment.path}:${comment.line}` : `${comment.path}:${comment.startLine}-${comment.line}`;
}

function annotationPlace(annotation: Annotation): string {
  const lines = annotation.startLine === annotation.endLine ? `${annotation.startLine}` : `${annotation.startLine}-${annotation.endLine}`;
  return `${annotation.path}:${lines}${annotation.startColumn === undefined ? "" : `:${annotation.startColumn}`}`;
}

const RULE = "─".repeat(72);

/** What the bot would post, in the order a reader meets it on the pull request. */
export function formatReviewText(outcome: ReviewOutcome): string {
  const out: string[] = [];
  if (outcome.comments.length === 0) out.push("No inline comments.", "");
  outcome.comments.forEach((comment, index) => {
    out.push(`Inline comment ${index + 1} of ${outcome.comments.length} on ${commentAnchor(comment)}`, RULE, comment.body, "");
  });
  out.push(`Check run "${CHECK_NAME}": ${outcome.conclusion}`, `Title: ${outcome.title}`, RULE, outcome.summary, "");
  if (outcome.annotations.length > 0) {
    out.push(`Annotations (${outcome.annotations.length}):`);
    for (const annotation of outcome.annotations) out.push(`  ${annotationPlace(annotation)}  ${annotation.level}  ${annotation.title}`);
    out.push("");
  }
  return `${out.join("\n")}`;
}

/** The public JSON shape of `pyguard review --format json`. Version 1: fields are only ever added. */
export interface ReviewJsonReport {
  version: 1;
  conclusion: ReviewOutcome["conclusion"];
  title: string;
  summary: string;
  comments: InlineComment[];
  annotations: Annotation[];
  introduced: JsonFinding[];
  advisory: JsonFinding[];
  suppressed: JsonFinding[];
  notices: Array<{ path: string; message: string; line?: number }>;
  base: ReviewBase;
}

export function toReviewJson(outcome: ReviewOutcome, base: ReviewBase): ReviewJsonReport {
  return {
    version: 1,
    conclusion: outcome.conclusion,
    title: outcome.title,
    summary: outcome.summary,
    comments: outcome.comments,
    annotations: outcome.annotations,
    introduced: outcome.introduced.map(toJsonFinding),
    advisory: outcome.advisory.map(toJsonFinding),
    suppressed: outcome.suppressed.map(toJsonFinding),
    notices: [
      ...outcome.notices.map((notice) => ({ path: notice.path, message: notice.message })),
      ...outcome.warnings.map((warning) => ({ path: warning.path, line: warning.line, message: warning.message })),
    ],
    base,
  };
}
