import type { Finding, RuleMeta, Severity } from "../../engine/types.js";
import type { Annotation } from "../types.js";
import { plural, truncatePlain } from "./markdown.js";

const ANNOTATION_LEVEL: Record<Severity, Annotation["level"]> = { error: "failure", warning: "warning", note: "notice" };
/** GitHub's limits on an annotation's title and message. */
const MAX_ANNOTATION_TITLE = 255;
const MAX_ANNOTATION_MESSAGE = 60_000;

export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

export interface TitleFacts {
  introduced: readonly Finding[];
  advisoryCount: number;
  unanalysedFiles: number;
}

/** "2 errors, 1 warning in changed lines", or "No findings in changed lines", plus what else the summary holds. */
export function renderTitle(facts: TitleFacts): string {
  const counts = severityCounts(facts.introduced);
  const parts = (["error", "warning", "note"] as const).filter((severity) => counts[severity] > 0).map((severity) => plural(counts[severity], severity));
  const head = parts.length > 0 ? `${parts.join(", ")} in changed lines` : "No findings in changed lines";
  const extras: string[] = [];
  if (facts.advisoryCount > 0) extras.push(`${facts.advisoryCount.toLocaleString("en-US")} advisory`);
  if (facts.unanalysedFiles > 0) extras.push(`${plural(facts.unanalysedFiles, "file")} not analysed`);
  return extras.length > 0 ? `${head} (${extras.join(", ")})` : head;
}

/** An annotation for an introduced finding; columns only on one line, as GitHub requires. */
export function toAnnotation(finding: Finding, meta: RuleMeta | undefined): Annotation {
  const annotation: Annotation = {
    path: finding.path,
    startLine: finding.line,
    endLine: Math.max(finding.line, finding.endLine),
    level: ANNOTATION_LEVEL[finding.severity],
    title: truncatePlain(`${finding.ruleId}: ${meta?.title ?? finding.ruleId}`, MAX_ANNOTATION_TITLE),
    message: truncatePlain(`${finding.message}\n\nGuidelines: ${finding.sections.join(", ")}`, MAX_ANNOTATION_MESSAGE),
  };
  if (finding.line === finding.endLine) {
    annotation.startColumn = finding.column;
    // The finding's end column is exclusive; GitHub's is the last column of the range.
    annotation.endColumn = Math.max(finding.column, finding.endColumn - 1);
  }
  return annotation;
}
