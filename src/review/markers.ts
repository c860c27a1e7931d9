/**
 * Hidden markers in the bot's comments. A finding's fingerprint survives pushes that only move
 * code, so the marker, not the line, says whether a finding was already commented on.
 */
const FINGERPRINT_MARKER = /<!-- pyguard:fingerprint=([0-9a-f.]{8,40}) -->/gu;

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- pyguard:fingerprint=${fingerprint} -->`;
}

/**
 * The last marker wins: pyguard writes its own after everything else in a comment, and a
 * suggestion block quotes the pull request's code verbatim, which could hold a look-alike.
 */
export function fingerprintFromBody(body: string | null | undefined): string | null {
  if (!body) return null;
  let fingerprint: string | null = null;
  for (const match of body.matchAll(FINGERPRINT_MARKER)) fingerprint = match[1] ?? null;
  return fingerprint;
}

/** The check run's name, which branch protection requires. */
export const CHECK_NAME = "pyguard";
/** The identifier of the check run's "Recheck" button (at most 20 characters). */
export const RECHECK_ACTION = "recheck";
