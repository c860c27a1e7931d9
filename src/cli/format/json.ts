import type { FileResult, Finding } from "../../engine/types.js";

/** The public JSON shape of `pyguard scan --format json`. Version 1: fields are only ever added. */
export interface JsonReport {
  version: 1;
  findings: JsonFinding[];
  files: number;
  errors: Array<{ path: string; kind: string; message: string }>;
  warnings: Array<{ path: string; kind: string; line: number; message: string }>;
}

export type JsonFinding = Pick<
  Finding,
  "ruleId" | "sections" | "cwe" | "severity" | "message" | "path" | "line" | "column" | "endLine" | "endColumn" | "fingerprint" | "suppressed"
> & { suppression?: { reason: string | null }; fix?: Finding["fix"] };

/** One finding in the public JSON shape, shared by `scan` and `review`. */
export function toJsonFinding(finding: Finding): JsonFinding {
  const entry: JsonFinding = {
    ruleId: finding.ruleId,
    sections: finding.sections,
    cwe: finding.cwe,
    severity: finding.severity,
    message: finding.message,
    path: finding.path,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    fingerprint: finding.fingerprint,
    suppressed: finding.suppressed,
  };
  if (finding.suppression) entry.suppression = { reason: finding.suppression.reason };
  if (finding.fix) entry.fix = finding.fix;
  return entry;
}

export function toJsonReport(results: readonly FileResult[], findings: readonly Finding[]): JsonReport {
  return {
    version: 1,
    findings: findings.map(toJsonFinding),
    files: results.length,
    errors: results.flatMap((result) => (result.error ? [{ path: result.error.path, kind: result.error.kind, message: result.error.message }] : [])),
    warnings: results.flatMap((result) => result.warnings.map((warning) => ({ path: warning.path, kind: warning.kind, line: warning.line, message: warning.message }))),
  };
}
