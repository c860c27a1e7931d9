/**
 * Hidden markers in the bot's comments. A finding's fingerprint survives pushes that only move
 * code, so the marker, not the line, says whether a finding was already commented on.
 */
const FINGERPRINT_MARKER = /<!-- pyguard:fingerprint=([0-9a-f.]{8,40}) -->/u;

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- pyguard:fingerprint=${fingerprint} -->`;
}

export function fingerprintFromBody(body: string | null | undefined): string | null {
  if (!body) return null;
  return FINGERPRINT_MARKER.exec(body)?.[1] ?? null;
}

/** The check run's name, which branch protection requires. */
export const CHECK_NAME = "pyguard";
/** The identifier of the check run's "Recheck" button (at most 20 characters). */
export const RECHECK_ACTION = "recheck";
