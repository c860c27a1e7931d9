/**
 * Structured pino logs (one JSON object a line) that never carry a credential: known fields are
 * redacted by path, and every written line is scrubbed of anything shaped like a GitHub token, a
 * JWT or a PEM key, and of the configured secrets themselves, wherever they hide (error messages,
 * nested request objects, payload echoes).
 */
import { pino, type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./env.js";

const REDACT_PATHS = [
  "token",
  "*.token",
  "privateKey",
  "*.privateKey",
  "secret",
  "*.secret",
  "webhookSecret",
  "*.webhookSecret",
  "authorization",
  "headers.authorization",
  "*.headers.authorization",
  "request.headers.authorization",
  "err.request.headers.authorization",
  "req.headers.authorization",
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'headers["x-hub-signature-256"]',
];

const CENSOR = "[REDACTED]";

const SECRET_SHAPES: readonly RegExp[] = [
  // GitHub tokens: installation (ghs_), user (ghu_, gho_), personal (ghp_, github_pat_), refresh (ghr_).
  /\b(?:gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,})/gu,
  // Older GitHub Enterprise Server installation tokens.
  /\bv1\.[0-9a-f]{40}\b/gu,
  // JWTs (the app's own token, signed with the private key).
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/gu,
  // PEM private keys, raw or JSON-escaped.
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/gu,
  // Authorization header values.
  /\b(?:token|bearer)\s+[A-Za-z0-9._-]{16,}/giu,
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

/** Secrets given literally: the value, its JSON-escaped form, and each long line of a PEM body. */
function literalPatterns(secrets: readonly string[]): RegExp[] {
  const fragments = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    fragments.add(secret);
    fragments.add(JSON.stringify(secret).slice(1, -1));
    for (const line of secret.split(/\r?\n|\\n/u)) if (line.length >= 16 && !line.startsWith("-----")) fragments.add(line);
  }
  return [...fragments].sort((a, b) => b.length - a.length).map((fragment) => new RegExp(escapeRegExp(fragment), "gu"));
}

/** Removes credentials from one serialized log line. */
export function scrubSecrets(line: string, literals: readonly RegExp[] = []): string {
  let result = line;
  for (const pattern of literals) result = result.replace(pattern, CENSOR);
  for (const pattern of SECRET_SHAPES) result = result.replace(pattern, CENSOR);
  return result;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Values that must never be written (the webhook secret, the private key). */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const literals = literalPatterns(options.secrets ?? []);
  return pino(
    {
      level: options.level,
      name: "pyguard",
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      hooks: { streamWrite: (line) => scrubSecrets(line, literals) },
    },
    options.destination ?? pino.destination(1),
  );
}
