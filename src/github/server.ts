/**
 * `npm start`: validates the environment (and ./.env), then serves the app with Probot's Server:
 * webhooks on WEBHOOK_PATH, GET /ping for health checks. Without any credentials it starts
 * Probot's GitHub App registration from app.yml instead.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Probot, Server, run } from "probot";
import { createApp } from "./app.js";
import { EnvError, parseServerEnv, type ServerEnv } from "./env.js";
import { createLogger } from "./logger.js";

/** Seconds a stopping server waits for running reviews (their check runs must not stay in progress). */
const DRAIN_SECONDS = 25;

interface Started {
  server: Server;
  stop(): Promise<void>;
}

/** Starts the server for a validated environment. */
async function startServer(env: ServerEnv): Promise<Started> {
  if (env.mode === "setup" || !env.credentials) {
    console.log(`pyguard: no GitHub App credentials; open http://${env.host}:${env.port} to register the app from app.yml`);
    const server = await run(createApp());
    return { server, stop: () => server.stop() };
  }
  const { appId, privateKey, webhookSecret } = env.credentials;
  const log = createLogger({ level: env.logLevel, secrets: [webhookSecret, privateKey] });
  const app = createApp({ concurrency: env.concurrency });
  const server = new Server({
    Probot: Probot.defaults({ appId, privateKey, secret: webhookSecret, baseUrl: env.baseUrl, log }),
    host: env.host,
    port: env.port,
    webhookPath: env.webhookPath,
    log,
  });
  await server.load(app);
  await server.start();
  log.info({ event: "server.started", port: server.port, webhookPath: env.webhookPath, baseUrl: env.baseUrl }, "pyguard is listening");
  const stop = async (): Promise<void> => {
    await server.stop();
    const drained = await Promise.race([
      app.runtime.idle().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), DRAIN_SECONDS * 1000).unref()),
    ]);
    log.info({ event: "server.stopped", drained }, "pyguard stopped");
  };
  return { server, stop };
}

async function main(): Promise<void> {
  const dotEnv = join(process.cwd(), ".env");
  if (existsSync(dotEnv)) process.loadEnvFile(dotEnv);
  let env: ServerEnv;
  try {
    env = parseServerEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const started = await startServer(env);
  if (env.mode === "setup") return;
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.error(`pyguard: ${signal} received, stopping`);
    started.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

await main();
