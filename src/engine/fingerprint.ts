import { createHash } from "node:crypto";

/**
 * A finding's identity across pushes: the rule, the file, the enclosing function or class and
 * the matched code with its whitespace folded. No line numbers, so moving code keeps it.
 */
export function fingerprintOf(ruleId: string, path: string, scopeName: string, matchedText: string): string {
  const normalized = matchedText.replace(/\s+/gu, " ").trim().slice(0, 1000);
  return createHash("sha256").update(`${ruleId}\0${path}\0${scopeName}\0${normalized}`).digest("hex").slice(0, 24);
}

/** Identical code twice in one scope gets the same base fingerprint; the occurrence number keeps them apart. */
export function disambiguateFingerprints(findings: Array<{ fingerprint: string }>): void {
  const seen = new Map<string, number>();
  for (const finding of findings) {
    const count = seen.get(finding.fingerprint) ?? 0;
    seen.set(finding.fingerprint, count + 1);
    if (count > 0) finding.fingerprint = `${finding.fingerprint}.${count + 1}`;
  }
}
