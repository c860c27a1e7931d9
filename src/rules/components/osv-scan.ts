import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { EngineOptions } from "../../engine/analyze.js";
import { fingerprintOf } from "../../engine/fingerprint.js";
import { manifestSuppressions, parseManifest } from "../../engine/manifests/analyze-manifest.js";
import { manifestKind } from "../../engine/manifests/kinds.js";
import { applySuppressions } from "../../engine/suppress.js";
import type { FileResult, Finding } from "../../engine/types.js";
import { entryLabel } from "./manifest-support.js";
import { queryOsv, pinKey, type FetchLike } from "./osv-client.js";
import { exactPins, vulnerableVersion, type ExactPin } from "./vulnerable-version.js";

/**
 * PG-DEP-005's online half, for `pyguard scan`: when the rule's option `osv` is true, the exact
 * pins of the scanned manifests go to OSV in one batch and every pin OSV lists becomes a
 * PG-DEP-005 finding marked "OSV", with the manifest's suppression comments applied. The engine
 * stays pure and offline; this runs after the scan, where the CLI may do I/O.
 */
export interface OsvScanSettings {
  /** The scan's results, paths relative to `cwd`. */
  results: readonly FileResult[];
  cwd: string;
  engine: EngineOptions;
  fetch: FetchLike;
  timeoutMs?: number;
  readText?: (absolutePath: string) => Promise<string>;
}

export interface OsvScanOutcome {
  results: FileResult[];
  /** Why the lookup did not happen or failed, for a notice on stderr. */
  notice?: string;
}

const RULE_ID = vulnerableVersion.meta.id;

function osvUrl(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}

function findingFor(pin: ExactPin, ids: readonly string[], path: string, severity: Finding["severity"]): Finding {
  const { meta } = vulnerableVersion;
  const shownIds = ids.slice(0, 5).join(", ") + (ids.length > 5 ? ` and ${ids.length - 5} more` : "");
  return {
    ruleId: meta.id,
    sections: [...meta.sections],
    cwe: [...meta.cwe],
    severity,
    message: `\`${entryLabel(pin.requirement)}\` is affected by ${ids.length === 1 ? "an advisory" : `${ids.length} advisories`} in OSV: ${shownIds} (${osvUrl(ids[0] as string)}); upgrade to a version they list as fixed (source: OSV).`,
    path,
    ...pin.requirement.range,
    fingerprint: fingerprintOf(meta.id, path, "", `${pin.requirement.text} (OSV)`),
    suppressed: false,
  };
}

/** Adds OSV's findings to the results when PG-DEP-005 runs with `osv: true`; returns null when it does not. */
export async function addOsvFindings(settings: OsvScanSettings): Promise<OsvScanOutcome | null> {
  const active = settings.engine.rules.find((entry) => entry.rule.meta.id === RULE_ID);
  if (!active || active.options.osv !== true) return null;
  const readText = settings.readText ?? ((path: string) => readFile(path, "utf8"));

  const manifests: Array<{ index: number; source: string; pins: ExactPin[] }> = [];
  for (let index = 0; index < settings.results.length; index++) {
    const result = settings.results[index] as FileResult;
    if (result.error || manifestKind(result.path) === null) continue;
    try {
      const source = await readText(resolve(settings.cwd, result.path));
      const pins = exactPins(parseManifest(result.path, source));
      if (pins.length > 0) manifests.push({ index, source, pins });
    } catch {
      // Unreadable or unparsable now: the scan already reported it.
    }
  }
  const results = [...settings.results];
  if (manifests.length === 0) return { results };

  const answer = await queryOsv(
    manifests.flatMap(({ pins }) => pins.map((pin) => ({ name: pin.requirement.name, version: pin.version }))),
    { fetch: settings.fetch, ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}) },
  );
  if (!answer.ok) return { results, notice: `OSV lookup for PG-DEP-005 skipped: ${answer.error}` };

  const severity = active.severityOverride ?? vulnerableVersion.meta.defaultSeverity;
  for (const { index, source, pins } of manifests) {
    const result = results[index] as FileResult;
    const found: Finding[] = [];
    for (const pin of pins) {
      const ids = answer.advisories.get(pinKey({ name: pin.requirement.name, version: pin.version }));
      if (ids) found.push(findingFor(pin, ids, result.path, severity));
    }
    if (found.length === 0) continue;
    applySuppressions(found, manifestSuppressions(source), settings.engine);
    const findings = [...result.findings, ...found].sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
    results[index] = { ...result, findings };
  }
  return { results };
}
