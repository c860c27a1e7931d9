/**
 * `npm start`: validates the environment (and ./.env), then serves the app with Probot's Server:
 * webhooks on WEBHOOK_PATH, GET /ping for health checks. Without any credentials it starts
 * Probot's GitHub App registration from app.yml instead.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { EnvError, parseServerEnv, type ServerEnv } from "./env.js";

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
  // Loaded after validation, so that a bad environment is refused at once.
  const { startServer } = await import("./start.js");
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
