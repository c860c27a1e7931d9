/**
 * Probot wired to the fake GitHub for handler tests: app authentication with a key generated at
 * test time (never a committed PEM), every request through the fake (and its contract checks),
 * retries and throttling off unless asked for, and the log lines captured for assertions.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import { createApp, type PyguardApp } from "../../src/github/app.js";
import { createLogger } from "../../src/github/logger.js";
import type { RuntimeOptions } from "../../src/github/runtime.js";
import { FakeGitHub } from "./fake-github.js";
import { createContractValidator, type ContractValidator } from "./github-contract.js";
import { INSTALLATION_ID } from "./webhooks.js";

export const TEST_APP_ID = 31337;
export const TEST_WEBHOOK_SECRET = "whsec-test-6f1c9a3e82b54d07a1e2";

let keyPair: { privateKey: string } | undefined;

/** An RSA key for the test app, generated once per test process. */
export function testPrivateKey(): string {
  keyPair ??= { privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
  return keyPair.privateKey;
}

let contract: ContractValidator | undefined;

/** The OpenAPI contract check, built once per test file. */
export function contractValidator(): ContractValidator {
  contract ??= createContractValidator();
  return contract;
}

export interface Harness {
  probot: Probot;
  fake: FakeGitHub;
  app: PyguardApp;
  logs: string[];
  /** Delivers a webhook through Probot and waits until the app is idle. */
  receive(name: string, payload: unknown): Promise<void>;
  /** Log lines as objects. */
  logEntries(): Array<Record<string, unknown>>;
}

export interface HarnessOptions {
  retry?: boolean;
  runtime?: RuntimeOptions;
  validate?: boolean;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const privateKey = testPrivateKey();
  const fake = new FakeGitHub({ appId: TEST_APP_ID, privateKey, installationId: INSTALLATION_ID, validators: options.validate === false ? [] : [contractValidator()] });
  const logs: string[] = [];
  const log = createLogger({ level: "debug", secrets: [TEST_WEBHOOK_SECRET, privateKey], destination: { write: (line: string) => void logs.push(line) } });
  const probot = new Probot({
    appId: TEST_APP_ID,
    privateKey,
    secret: TEST_WEBHOOK_SECRET,
    log,
    // The function form: the object form of defaults() does not turn throttling off.
    Octokit: ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
      ...instanceOptions,
      throttle: { enabled: false },
      retry: { enabled: options.retry === true },
    })),
    request: { fetch: fake.fetch },
  });
  const app = createApp(options.runtime);
  await probot.load(app);
  return {
    probot,
    fake,
    app,
    logs,
    async receive(name, payload) {
      await probot.receive({ id: randomUUID(), name, payload } as Parameters<Probot["receive"]>[0]);
      await app.runtime.idle();
    },
    logEntries: () => logs.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
