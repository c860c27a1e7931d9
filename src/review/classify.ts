import { SEVERITY_RANK, type Finding, type Severity } from "../engine/types.js";
import type { ChangedFile, Conclusion } from "./types.js";

/**
 * Three tiers, so a pull request answers only for what it changed: findings that start on an
 * added line are introduced (commented inline, may block); others in a touched file are
 * advisory; files the change does not touch are never analysed at all.
 */
export interface ClassifiedFindings {
  introduced: Finding[];
  suppressed: Finding[];
  advisory: Finding[];
}

/** Whether the change added the line. Without a patch, an added file is new throughout and any other file unknown. */
export function isAddedLine(file: ChangedFile, line: number): boolean {
  if (file.patch) return file.patch.added.has(line);
  return file.status === "added";
}

export function classifyFindings(file: ChangedFile, findings: readonly Finding[]): ClassifiedFindings {
  const classified: ClassifiedFindings = { introduced: [], suppressed: [], advisory: [] };
  for (const finding of findings) {
    if (isAddedLine(file, finding.line)) {
      (finding.suppressed ? classified.suppressed : classified.introduced).push(finding);
    } else if (!finding.suppressed) {
      // A suppressed pre-existing finding was accepted before this change; repeating it is noise.
      classified.advisory.push(finding);
    }
  }
  return classified;
}

export function isBlocking(finding: Finding, failOn: Severity): boolean {
  return !finding.suppressed && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn];
}

/** The one place that decides pass or fail: introduced findings at or above failOn, nothing else. */
export function conclusionOf(introduced: readonly Finding[], advisory: readonly Finding[], failOn: Severity): Conclusion {
  if (introduced.some((finding) => isBlocking(finding, failOn))) return "failure";
  if (introduced.length > 0 || advisory.length > 0) return "neutral";
  return "success";
}

/** Most severe first, then by place: the order comments are posted and findings listed in. */
export function bySeverityThenPlace(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || byPlace(a, b);
}

export function byPlace(a: Finding, b: Finding): number {
  return compareText(a.path, b.path) || a.line - b.line || a.column - b.column || compareText(a.ruleId, b.ruleId);
}

/** Code-unit order, not locale order: the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
