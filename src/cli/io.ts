import type { Writable } from "node:stream";
import type { FetchLike } from "../rules/components/osv-client.js";

export interface CliIo {
  cwd: string;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  /** HTTP for the opt-in online lookups (PG-DEP-005's `osv` option); the global fetch when absent, a fake in tests. */
  fetch?: FetchLike;
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}
