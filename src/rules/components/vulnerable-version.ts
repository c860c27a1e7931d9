import type { Manifest, Requirement } from "../../engine/manifests/types.js";
import type { RuleModule } from "../../engine/types.js";
import { ADVISORIES, ADVISORY_TABLE_DATE, advisoriesFor, type Advisory } from "./advisories.js";
import { entryLabel } from "./manifest-support.js";
import { compareVersionText, exactPin, inRange, parseVersion } from "./pep440.js";
import { specifierStyle } from "./unpinned-version.js";

export interface ExactPin {
  requirement: Requirement;
  /** The pinned version as written (`2.30.0`). */
  version: string;
}

/** The entries of a manifest pinned to exactly one version (`==x.y.z`, Poetry `"x.y.z"`); direct references are not. */
export function exactPins(manifest: Manifest): ExactPin[] {
  const pins: ExactPin[] = [];
  for (const requirement of manifest.requirements) {
    if (requirement.url !== undefined) continue;
    const version = exactPin(requirement.specifier, specifierStyle(manifest, requirement));
    if (version !== null) pins.push({ requirement, version });
  }
  return pins;
}

interface Match {
  advisory: Advisory;
  fixed?: string;
}

function matchesFor(pin: ExactPin): Match[] {
  const version = parseVersion(pin.version);
  if (!version) return [];
  const matches: Match[] = [];
  for (const advisory of advisoriesFor(pin.requirement.name)) {
    const range = advisory.affected.find((candidate) => inRange(version, candidate));
    if (range) matches.push(range.fixed !== undefined ? { advisory, fixed: range.fixed } : { advisory });
  }
  return matches;
}

/** The highest of the fixed versions: the first release that fixes them all (within the ranges met). */
function upgradeTarget(matches: readonly Match[]): string | undefined {
  let best: string | undefined;
  for (const match of matches) {
    if (match.fixed === undefined) continue;
    if (best === undefined || (compareVersionText(match.fixed, best) ?? 0) > 0) best = match.fixed;
  }
  return best;
}

export const vulnerableVersion: RuleModule = {
  meta: {
    id: "PG-DEP-005",
    name: "known-vulnerable-version",
    title: "Dependency pinned to a version with a known vulnerability",
    sections: ["C6", "G7"],
    cwe: [1395, 937],
    defaultSeverity: "error",
    docs: {
      whatItDoes: `Reports dependencies pinned to exactly one version (\`==x.y.z\`, \`===x.y.z\`, Poetry \`"x.y.z"\`) that a known advisory affects, from a small advisory table shipped with pyguard (dated ${ADVISORY_TABLE_DATE}; ${ADVISORIES.length} advisories for ${new Set(ADVISORIES.map((advisory) => advisory.package)).size} widely used packages such as requests, urllib3, Jinja2, Django, Flask, Werkzeug, PyYAML, cryptography and Pillow). With the option \`osv: true\`, \`pyguard scan\` also asks OSV (https://osv.dev) about every exact pin of the scanned manifests.`,
      whyIsThisBad:
        "A published vulnerability comes with a description of how to exploit it, and scanners look for it. Pinning a version that has one ships the hole on purpose, and the pin keeps it there until someone changes it.",
      example: "# requirements.txt\nrequests==2.30.0\n",
      useInstead: "# requirements.txt\nrequests==2.32.3\n",
      notes:
        "Only exact pins are checked: for ranges, which version gets installed is unknown until install time (PG-DEP-001 asks for pins). The offline table is small on purpose and gets old; the finding states its date. For complete coverage enable OSV: `rules: { PG-DEP-005: { options: { osv: true } } }` makes `pyguard scan` send the names and pinned versions (nothing else) to https://api.osv.dev/v1/querybatch and report what it lists, marked \"OSV\"; network failures are reported as a notice and never fail the scan. pip-audit and OSV-Scanner cover lock files as well.",
    },
  },
  create() {
    return {};
  },
  checkManifest(manifest, context) {
    for (const pin of exactPins(manifest)) {
      const matches = matchesFor(pin);
      if (matches.length === 0) continue;
      const target = upgradeTarget(matches);
      const details = matches.map(({ advisory, fixed }) => `${advisory.id} (${advisory.summary}${fixed ? `; fixed in ${fixed}` : ""})`).join(", ");
      const several = matches.length > 1;
      context.report({
        range: pin.requirement.range,
        subject: pin.requirement.text,
        message: `\`${entryLabel(pin.requirement)}\` has ${several ? "known vulnerabilities" : "a known vulnerability"}: ${details}; ${target ? `upgrade to ${target} or later` : "upgrade or replace it"} (pyguard's advisory table of ${ADVISORY_TABLE_DATE}).`,
      });
    }
  },
};
