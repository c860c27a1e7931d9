import { describe, expect, test } from "vitest";
import { EnvError, parseServerEnv } from "../../src/github/env.js";
import { testPrivateKey } from "../support/probot-harness.js";

const SECRET = "3f9c1b7e5d2a4c6e8f0a1b2c";

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseServerEnv(env);
  } catch (error) {
    if (error instanceof EnvError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("the environment", () => {
  test("no credentials at all: Probot's registration flow, except in production", () => {
    expect(parseServerEnv({})).toMatchObject({ mode: "setup", port: 3000, host: "localhost", webhookPath: "/api/github/webhooks", logLevel: "info", baseUrl: "https://api.github.com" });
    expect(problems({ NODE_ENV: "production" })).toEqual([expect.stringMatching(/required when NODE_ENV=production/u)]);
  });

  test("a complete environment", () => {
    const env = parseServerEnv({ APP_ID: "123", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: SECRET, PORT: "8080", HOST: "0.0.0.0", LOG_LEVEL: "DEBUG", GHE_HOST: "github.example.com", WEBHOOK_PATH: "/hooks" });
    expect(env).toMatchObject({ mode: "run", port: 8080, host: "0.0.0.0", logLevel: "debug", webhookPath: "/hooks", baseUrl: "https://github.example.com/api/v3", credentials: { appId: 123, webhookSecret: SECRET } });
    expect(parseServerEnv({ APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: SECRET, GHE_HOST: "127.0.0.1:9999", GHE_PROTOCOL: "http" }).baseUrl).toBe("http://127.0.0.1:9999/api/v3");
  });

  test("a missing or weak webhook secret is refused, and the message says why", () => {
    const base = { APP_ID: "1", PRIVATE_KEY: testPrivateKey() };
    expect(problems(base)).toEqual([expect.stringMatching(/WEBHOOK_SECRET: is not set. Probot would fall back to the public value "development"/u)]);
    for (const weak of ["development", "short", "aaaaaaaaaaaaaaaaaaaaaaaa", "changeme"]) {
      expect(problems({ ...base, WEBHOOK_SECRET: weak })).toEqual([expect.stringMatching(/WEBHOOK_SECRET: is too weak/u)]);
    }
  });

  test("the private key: PEM, one-line with \\n, base64, or a path; checked, never echoed", () => {
    const pem = testPrivateKey();
    const ok = (env: Record<string, string | undefined>) => parseServerEnv({ APP_ID: "1", WEBHOOK_SECRET: SECRET, ...env }).credentials?.privateKey;
    expect(ok({ PRIVATE_KEY: pem })).toContain("BEGIN PRIVATE KEY");
    expect(ok({ PRIVATE_KEY: pem.replace(/\n/gu, "\\n") })).toContain("BEGIN PRIVATE KEY");
    expect(ok({ PRIVATE_KEY: Buffer.from(pem).toString("base64") })).toContain("BEGIN PRIVATE KEY");
    const garbled = pem.replace(/[A-Z]{6}/u, "AAAAAA").slice(0, 200) + "\n-----END PRIVATE KEY-----\n";
    const found = problems({ APP_ID: "1", WEBHOOK_SECRET: SECRET, PRIVATE_KEY: garbled });
    expect(found).toEqual([expect.stringMatching(/PRIVATE_KEY: cannot be read as a private key/u)]);
    expect(found.join()).not.toContain(garbled.slice(40, 80));
    expect(problems({ APP_ID: "1", WEBHOOK_SECRET: SECRET, PRIVATE_KEY: pem, PRIVATE_KEY_PATH: "/x.pem" })).toEqual([expect.stringMatching(/set only one/u)]);
    expect(problems({ APP_ID: "1", WEBHOOK_SECRET: SECRET, PRIVATE_KEY_PATH: "/nonexistent/app.pem" })).toEqual([expect.stringMatching(/no file at/u)]);
    expect(problems({ APP_ID: "1", WEBHOOK_SECRET: SECRET })).toEqual([expect.stringMatching(/PRIVATE_KEY or PRIVATE_KEY_PATH: is not set/u)]);
  });

  test("every problem is listed at once", () => {
    expect(problems({ WEBHOOK_SECRET: "x" })).toHaveLength(3);
    expect(problems({ PORT: "http", LOG_LEVEL: "loud", GHE_PROTOCOL: "ftp", GHE_HOST: "https://github.example.com/" }).map((problem) => problem.split(":")[0])).toEqual(["PORT", "LOG_LEVEL", "GHE_HOST", "GHE_PROTOCOL"]);
    expect(problems({ APP_ID: "app", PRIVATE_KEY: "x", WEBHOOK_SECRET: SECRET })).toEqual([expect.stringMatching(/^APP_ID: must be the numeric App ID/u)]);
  });
});
