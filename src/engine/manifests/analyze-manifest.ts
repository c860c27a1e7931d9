import { SuppressionTable, parseSuppressionText } from "../analyses/suppressions.js";
import type { ActiveRule, EngineOptions } from "../analyze.js";
import { disambiguateFingerprints, fingerprintOf } from "../fingerprint.js";
import { applySuppressions } from "../suppress.js";
import type { FileResult, Finding } from "../types.js";
import { manifestKind } from "./kinds.js";
import { parseRequirementsTxt } from "./requirements-txt.js";
import { ManifestParseError, parsePipfile, parsePyproject } from "./toml-manifests.js";
import type { Manifest } from "./types.js";

/** `# pyguard: ignore[...] -- reason` and `# nosec` work in manifests as in Python, on the line or alone on the line above. */
export function manifestSuppressions(source: string): SuppressionTable {
  const table = new SuppressionTable(source);
  source.split(/\r?\n/u).forEach((line, index) => {
    const hash = line.search(/(^|\s)#/u);
    if (hash < 0) return;
    const comment = line.slice(line.indexOf("#", hash));
    const suppression = parseSuppressionText(comment, index + 1, line.slice(0, line.indexOf("#", hash)).trim().length === 0);
    if (suppression) table.insert(suppression);
  });
  return table;
}

export function parseManifest(path: string, source: string): Manifest {
  switch (manifestKind(path)) {
    case "pyproject":
      return parsePyproject(path, source);
    case "pipfile":
      return parsePipfile(path, source);
    default:
      return parseRequirementsTxt(path, source);
  }
}

/** Manifest text in, findings out: the manifest counterpart of analyzeSource. */
export function analyzeManifestSource(path: string, source: string, options: EngineOptions): FileResult {
  let manifest: Manifest;
  try {
    manifest = parseManifest(path, source);
  } catch (error) {
    if (error instanceof ManifestParseError) {
      return { path, findings: [], warnings: [{ path, kind: "parse", line: error.line, message: `${error.message}; the manifest was not checked` }] };
    }
    throw error;
  }
  const findings: Finding[] = [];
  const warnings: FileResult["warnings"] = [];
  for (const active of options.rules) {
    const check = active.rule.checkManifest;
    if (!check) continue;
    try {
      check(manifest, contextFor(active, path, findings));
    } catch (error) {
      warnings.push({ path, kind: "rule-error", line: 1, message: `rule ${active.rule.meta.id} failed and was skipped for this file: ${(error as Error).message}` });
    }
  }
  applySuppressions(findings, manifestSuppressions(source), options);
  findings.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  disambiguateFingerprints(findings);
  return { path, findings, warnings };
}

function contextFor(active: ActiveRule, path: string, findings: Finding[]): Parameters<NonNullable<ActiveRule["rule"]["checkManifest"]>>[1] {
  const { meta } = active.rule;
  return {
    path,
    options: active.options,
    report(descriptor) {
      findings.push({
        ruleId: meta.id,
        sections: [...meta.sections],
        cwe: [...meta.cwe],
        severity: active.severityOverride ?? descriptor.severity ?? meta.defaultSeverity,
        message: descriptor.message,
        path,
        ...descriptor.range,
        fingerprint: fingerprintOf(meta.id, path, "", descriptor.subject),
        suppressed: false,
      });
    },
  };
}
