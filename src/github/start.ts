/** Starts Probot's Server with the pyguard app for a validated environment (see server.ts). */
import { Probot, Server, run } from "probot";
import { createApp } from "./app.js";
import type { ServerEnv } from "./env.js";
import { createLogger } from "./logger.js";
import { InterruptedError } from "./queue.js";

/**
 * Seconds a stopping server waits for running reviews to complete their check runs (neutral,
 * "pyguard was restarting"); under the 10 s Docker and Kubernetes give by default.
 */
const DRAIN_SECONDS = 8;

export interface Started {
  server: Server;
  stop(): Promise<void>;
}

/** Starts the server for a validated environment. */
export async function startServer(env: ServerEnv): Promise<Started> {
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
    ...(env.webhookProxyUrl ? { webhookProxy: env.webhookProxyUrl } : {}),
    log,
  });
  await server.load(app);
  await server.start();
  log.info({ event: "server.started", port: server.port, webhookPath: env.webhookPath, baseUrl: env.baseUrl }, "pyguard is listening");
  const stop = async (): Promise<void> => {
    await server.stop();
    const dropped = app.runtime.queue.stop(new InterruptedError());
    const drained = await Promise.race([
      app.runtime.idle().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), DRAIN_SECONDS * 1000).unref()),
    ]);
    log.info({ event: "server.stopped", drained, dropped }, "pyguard stopped");
  };
  return { server, stop };
}
