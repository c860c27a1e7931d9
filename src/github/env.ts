/**
 * The app's environment, validated once at start. Probot reads the same variables, but it falls
 * back to the webhook secret "development" when WEBHOOK_SECRET is missing, and it starts happily
 * with a key it cannot use: both are refused here with a message that says what to fix.
 */
import { createPrivateKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Empty strings count as unset, as in a .env file with `KEY=`. */
const optionalText = z.preprocess((value) => (value === "" ? undefined : value), z.string().optional());

const WEAK_SECRETS = new Set(["development", "secret", "changeme", "change-me", "password", "webhook-secret", "test"]);

const envSchema = z.object({
  APP_ID: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.string().regex(/^[1-9]\d{0,11}$/u, "must be the numeric App ID from the app's settings page").optional(),
  ),
  PRIVATE_KEY: optionalText,
  PRIVATE_KEY_PATH: optionalText,
  WEBHOOK_SECRET: optionalText,
  PORT: z.preprocess(
    (value) => (value === "" || value === undefined ? "3000" : value),
    z.coerce.number().int().min(1, "must be a TCP port (1-65535)").max(65535, "must be a TCP port (1-65535)"),
  ),
  HOST: z.preprocess((value) => (value === "" || value === undefined ? "localhost" : value), z.string()),
  LOG_LEVEL: z.preprocess(
    (value) => (value === "" || value === undefined ? "info" : String(value).toLowerCase()),
    z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }),
  ),
  WEBHOOK_PATH: z.preprocess(
    (value) => (value === "" || value === undefined ? "/api/github/webhooks" : value),
    z.string().regex(/^\/[\w\-./]*$/u, "must be a URL path starting with /"),
  ),
  GHE_HOST: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .regex(/^[\w.-]+(?::\d{1,5})?$/u, "must be a host name (and optional :port), without protocol or path")
      .optional(),
  ),
  GHE_PROTOCOL: z.preprocess(
    (value) => (value === "" || value === undefined ? "https" : value),
    z.enum(["https", "http"], { message: 'must be "https" or "http"' }),
  ),
  NODE_ENV: optionalText,
  /** A smee.io channel that forwards webhooks to a development machine. */
  WEBHOOK_PROXY_URL: z.preprocess((value) => (value === "" ? undefined : value), z.url({ protocol: /^https?$/u }).optional()),
  /** Where the rule docs are published (docs/rules.md rendered on the web); comments link to it. */
  PYGUARD_DOCS_URL: z.preprocess((value) => (value === "" ? undefined : value), z.url({ protocol: /^https?$/u }).optional()),
  /** Pull requests reviewed at once (each one fetches files and runs the engine). */
  PYGUARD_CONCURRENCY: z.preprocess(
    (value) => (value === "" || value === undefined ? "2" : value),
    z.coerce.number().int().min(1).max(32),
  ),
});

export interface AppCredentials {
  appId: number;
  privateKey: string;
  webhookSecret: string;
}

export interface ServerEnv {
  /** "setup": no credentials at all, so Probot's registration flow (from app.yml) runs instead. */
  mode: "run" | "setup";
  credentials?: AppCredentials;
  port: number;
  host: string;
  logLevel: LogLevel;
  webhookPath: string;
  /** The REST API root: https://api.github.com, or <protocol>://<GHE_HOST>/api/v3. */
  baseUrl: string;
  concurrency: number;
  /** A smee.io channel for development. */
  webhookProxyUrl?: string;
}

export class EnvError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`pyguard cannot start, the environment is invalid:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\nSee .env.example for every variable.`);
    this.name = "EnvError";
  }
}

/** A PEM from PRIVATE_KEY: literal "\n" sequences (one-line env files) and base64 are accepted, as Probot does. */
function normalizePem(value: string): string {
  const text = value.includes("-----BEGIN") ? value : Buffer.from(value, "base64").toString("utf8");
  return text.replace(/\\n/gu, "\n").trim() + "\n";
}

function checkPrivateKey(pem: string, source: string, problems: string[]): string | undefined {
  if (!pem.includes("-----BEGIN")) {
    problems.push(`${source}: is not a PEM private key (download it from the GitHub App's settings page)`);
    return undefined;
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== "rsa") problems.push(`${source}: must be the app's RSA private key`);
  } catch {
    problems.push(`${source}: cannot be read as a private key (PKCS#1 or PKCS#8 PEM expected)`);
    return undefined;
  }
  return pem;
}

function checkWebhookSecret(secret: string | undefined, problems: string[]): void {
  if (secret === undefined) {
    problems.push(
      'WEBHOOK_SECRET: is not set. Probot would fall back to the public value "development" and accept forged webhooks; set the secret configured in the GitHub App (for example `openssl rand -hex 32`)',
    );
  } else if (secret.length < 16 || WEAK_SECRETS.has(secret.toLowerCase()) || new Set(secret).size < 6) {
    problems.push("WEBHOOK_SECRET: is too weak: use at least 16 random characters (for example `openssl rand -hex 32`)");
  }
}

export interface LoadEnvOptions {
  cwd?: string;
}

/** Validates the environment. Throws EnvError listing every problem; never echoes secret values. */
export function parseServerEnv(env: Readonly<Record<string, string | undefined>>, options: LoadEnvOptions = {}): ServerEnv {
  const cwd = options.cwd ?? process.cwd();
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const data = parsed.data;
  const problems: string[] = [];
  const baseUrl = data.GHE_HOST ? `${data.GHE_PROTOCOL}://${data.GHE_HOST}/api/v3` : "https://api.github.com";
  const common = {
    port: data.PORT,
    host: data.HOST,
    logLevel: data.LOG_LEVEL,
    webhookPath: data.WEBHOOK_PATH,
    baseUrl,
    concurrency: data.PYGUARD_CONCURRENCY,
    ...(data.WEBHOOK_PROXY_URL ? { webhookProxyUrl: data.WEBHOOK_PROXY_URL } : {}),
  };

  const hasKey = data.PRIVATE_KEY !== undefined || data.PRIVATE_KEY_PATH !== undefined;
  if (data.APP_ID === undefined && !hasKey && data.WEBHOOK_SECRET === undefined) {
    if (data.NODE_ENV === "production") {
      throw new EnvError(["APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET are required when NODE_ENV=production"]);
    }
    return { mode: "setup", ...common };
  }

  if (data.APP_ID === undefined) problems.push("APP_ID: is not set (the numeric App ID from the app's settings page)");
  let privateKey: string | undefined;
  if (data.PRIVATE_KEY !== undefined && data.PRIVATE_KEY_PATH !== undefined) {
    problems.push("PRIVATE_KEY and PRIVATE_KEY_PATH: set only one of them");
  } else if (data.PRIVATE_KEY !== undefined) {
    privateKey = checkPrivateKey(normalizePem(data.PRIVATE_KEY), "PRIVATE_KEY", problems);
  } else if (data.PRIVATE_KEY_PATH !== undefined) {
    const path = resolve(cwd, data.PRIVATE_KEY_PATH);
    if (!existsSync(path)) problems.push(`PRIVATE_KEY_PATH: no file at ${path}`);
    else privateKey = checkPrivateKey(readFileSync(path, "utf8"), "PRIVATE_KEY_PATH", problems);
  } else {
    problems.push("PRIVATE_KEY or PRIVATE_KEY_PATH: is not set (the app's .pem private key)");
  }
  checkWebhookSecret(data.WEBHOOK_SECRET, problems);
  if (problems.length > 0 || data.APP_ID === undefined || privateKey === undefined || data.WEBHOOK_SECRET === undefined) {
    throw new EnvError(problems);
  }
  return {
    mode: "run",
    credentials: { appId: Number(data.APP_ID), privateKey, webhookSecret: data.WEBHOOK_SECRET },
    ...common,
  };
}
