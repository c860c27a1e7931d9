import { ruleMarkdown } from "../../docs/rule-docs.js";
import type { FileResult, Finding, RuleModule, Severity } from "../../engine/types.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", note: "note" };
/** GitHub code scanning reads this property to rank security findings. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: "8.0", warning: "5.0", note: "2.0" };

function uriOf(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** A SARIF 2.1.0 log with one run. */
export function toSarif(results: readonly FileResult[], findings: readonly Finding[], rules: readonly RuleModule[], version: string): object {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.meta.id, index]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "pyguard",
            semanticVersion: version,
            version,
            rules: rules.map(({ meta }) => ({
              id: meta.id,
              name: meta.name,
              shortDescription: { text: meta.title },
              fullDescription: { text: meta.docs.whatItDoes },
              help: { text: `${meta.docs.whyIsThisBad}\n\nUse instead:\n${meta.docs.useInstead}`, markdown: ruleMarkdown(meta) },
              defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
              properties: {
                tags: ["security", ...meta.sections, ...meta.cwe.map((cwe) => `external/cwe/cwe-${cwe}`)],
                "security-severity": SECURITY_SEVERITY[meta.defaultSeverity],
              },
            })),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The directory pyguard ran in." } } },
        artifacts: results.map((result) => ({ location: { uri: uriOf(result.path), uriBaseId: "%SRCROOT%" } })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: results.flatMap((result) => [
              ...(result.error ? [{ level: "warning", message: { text: result.error.message }, locations: [location(result.path)] }] : []),
              ...result.warnings.map((warning) => ({ level: "warning", message: { text: warning.message }, locations: [location(warning.path, warning.line)] })),
            ]),
          },
        ],
        results: findings.map((finding) => {
          const result: Record<string, unknown> = {
            ruleId: finding.ruleId,
            level: LEVEL[finding.severity],
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: uriOf(finding.path), uriBaseId: "%SRCROOT%" },
                  region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
                },
              },
            ],
            partialFingerprints: { "pyguardFingerprint/v1": finding.fingerprint },
            properties: { sections: finding.sections, "security-severity": SECURITY_SEVERITY[finding.severity] },
          };
          const index = ruleIndex.get(finding.ruleId);
          if (index !== undefined) result.ruleIndex = index;
          if (finding.suppressed) {
            result.suppressions = [{ kind: "inSource", justification: finding.suppression?.reason ?? "" }];
          }
          if (finding.fix) {
            result.fixes = [
              {
                description: { text: finding.fix.description },
                artifactChanges: [
                  {
                    artifactLocation: { uri: uriOf(finding.path), uriBaseId: "%SRCROOT%" },
                    replacements: [
                      {
                        deletedRegion: { startLine: finding.fix.line, startColumn: finding.fix.column, endLine: finding.fix.endLine, endColumn: finding.fix.endColumn },
                        insertedContent: { text: finding.fix.replacement },
                      },
                    ],
                  },
                ],
              },
            ];
          }
          return result;
        }),
      },
    ],
  };
}

function location(path: string, line?: number): object {
  const physicalLocation: Record<string, unknown> = { artifactLocation: { uri: uriOf(path), uriBaseId: "%SRCROOT%" } };
  if (line !== undefined) physicalLocation.region = { startLine: line };
  return { physicalLocation };
}
