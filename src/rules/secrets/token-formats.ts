import type { Severity } from "../../engine/types.js";
import { hasTestMarker } from "./lexicon.js";

/**
 * Well-known credential formats. Each has a fixed prefix, so one combined pre-filter rejects
 * almost every string before any specific pattern runs.
 */
export interface TokenFormat {
  id: string;
  /** What the message calls it. */
  label: string;
  severity: Severity;
  pattern: RegExp;
  /** Characters of the match that may be shown (a fixed, public prefix); never more than 4. */
  shownPrefix: number;
  /** Extra test on the match. */
  accept?: (match: string, text: string, end: number) => boolean;
}

/** Cheap test run on every string and comment: one of the fixed prefixes occurs. */
export const TOKEN_PREFILTER =
  /AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|hooks\.slack\.com|[rs]k_live_|AIza|PRIVATE KEY|eyJ|SK[0-9a-f]{32}|SG\.|npm_|pypi-AgE|sk-/u;

const MIXED_CHARACTERS = (match: string): boolean => /[0-9]/u.test(match) && /[A-Z]/u.test(match) && /[a-z]/u.test(match);

/** A PEM header with no key under it (`line.startswith("-----BEGIN RSA PRIVATE KEY-----")`) is a marker, not a key. */
function hasPemBody(_match: string, text: string, end: number): boolean {
  const after = text.slice(end, end + 600);
  const stop = after.indexOf("-----");
  const body = (stop >= 0 ? after.slice(0, stop) : after).replace(/\\[nr]|\s|Proc-Type:[^\\\n]*|DEK-Info:[^\\\n]*/gu, "");
  return (body.match(/[A-Za-z0-9+/=]/gu)?.length ?? 0) >= 40;
}

export const TOKEN_FORMATS: readonly TokenFormat[] = [
  {
    id: "aws-access-key-id",
    label: "AWS access key id",
    severity: "error",
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/u,
    shownPrefix: 4,
  },
  {
    id: "github-token",
    label: "GitHub token",
    severity: "error",
    pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/u,
    shownPrefix: 4,
  },
  {
    id: "github-fine-grained-token",
    label: "GitHub fine-grained personal access token",
    severity: "error",
    pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9])/u,
    shownPrefix: 4,
  },
  {
    id: "gitlab-token",
    label: "GitLab personal access token",
    severity: "error",
    pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20}(?![A-Za-z0-9_-])/u,
    shownPrefix: 4,
  },
  {
    id: "slack-token",
    label: "Slack token",
    severity: "error",
    pattern: /(?<![A-Za-z0-9])xox[abprs]-(?:[0-9A-Za-z]+-){1,4}[0-9A-Za-z]{8,}/u,
    shownPrefix: 4,
  },
  {
    id: "slack-webhook",
    label: "Slack incoming-webhook URL",
    severity: "error",
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,}/u,
    shownPrefix: 0,
  },
  {
    id: "stripe-live-key",
    label: "Stripe live secret key",
    severity: "error",
    pattern: /(?<![A-Za-z0-9])[rs]k_live_[0-9A-Za-z]{16,}/u,
    shownPrefix: 3,
  },
  {
    id: "google-api-key",
    label: "Google API key",
    severity: "error",
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/u,
    shownPrefix: 4,
  },
  {
    id: "private-key",
    label: "PEM private key block",
    severity: "error",
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/u,
    shownPrefix: 0,
    accept: hasPemBody,
  },
  {
    id: "twilio-api-key",
    label: "Twilio API key",
    severity: "error",
    pattern: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/u,
    shownPrefix: 2,
  },
  {
    id: "sendgrid-api-key",
    label: "SendGrid API key",
    severity: "error",
    pattern: /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/u,
    shownPrefix: 3,
  },
  {
    id: "npm-token",
    label: "npm access token",
    severity: "error",
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/u,
    shownPrefix: 4,
  },
  {
    id: "pypi-token",
    label: "PyPI API token",
    severity: "error",
    pattern: /(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/u,
    shownPrefix: 4,
  },
  {
    id: "anthropic-api-key",
    label: "Anthropic API key",
    severity: "error",
    pattern: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{40,}/u,
    shownPrefix: 4,
  },
  {
    id: "openai-api-key",
    label: "OpenAI-style API key",
    severity: "error",
    pattern: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}/u,
    shownPrefix: 3,
    accept: (match) => !match.startsWith("sk-ant-") && MIXED_CHARACTERS(match),
  },
  {
    id: "jwt",
    label: "JSON Web Token",
    severity: "warning",
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/u,
    shownPrefix: 4,
  },
];

export interface TokenMatch {
  format: TokenFormat;
  /** The matched text; never put it in a message. */
  text: string;
  /** Marked as a test or documentation value (`AKIAIOSFODNN7EXAMPLE`, `FAKE`): reported as a note. */
  marked: boolean;
}

/** Every known token format in `text`, at most one match per format. */
export function findTokens(text: string): TokenMatch[] {
  if (!TOKEN_PREFILTER.test(text)) return [];
  const found: TokenMatch[] = [];
  for (const format of TOKEN_FORMATS) {
    const match = format.pattern.exec(text);
    if (!match) continue;
    const end = match.index + match[0].length;
    if (format.accept && !format.accept(match[0], text, end)) continue;
    const marked = format.id === "private-key" ? hasTestMarker(text.slice(end, end + 600)) : hasTestMarker(match[0]);
    found.push({ format, text: match[0], marked });
  }
  return found;
}

/** What a finding may show of a token: its public prefix (at most 4 characters) and its length. */
export function describeToken(match: TokenMatch): string {
  // The PEM header names the key type and is not secret; the body is never shown.
  if (match.format.id === "private-key") return `\`${match.text.replaceAll("-", "")}\``;
  const shown = match.text.slice(0, Math.min(match.format.shownPrefix, 4));
  return shown.length > 0 ? `\`${shown}…\`, ${match.text.length} characters` : `${match.text.length} characters`;
}

const AWS_SECRET_SHAPE = /^[A-Za-z0-9/+]{40}$/u;

/**
 * An AWS secret access key has no prefix: 40 base64 characters. It is recognised only under a
 * name that says so (`aws_secret_access_key`, `AWS_SECRET_KEY`, `secretAccessKey`).
 */
export function isAwsSecretKey(value: string, nameWords: readonly string[]): boolean {
  if (value.length !== 40 || !AWS_SECRET_SHAPE.test(value)) return false;
  if (!/[0-9/+]/u.test(value) || !/[A-Z]/u.test(value) || !/[a-z]/u.test(value)) return false;
  return nameWords.includes("secret") && (nameWords.includes("aws") || nameWords.includes("access"));
}

/** True when a value, under a name, is one of the known formats (PG-SEC-002 reports it; the name rule stays quiet). */
export function isKnownTokenValue(value: string, nameWords: readonly string[]): boolean {
  return findTokens(value).length > 0 || isAwsSecretKey(value, nameWords);
}
