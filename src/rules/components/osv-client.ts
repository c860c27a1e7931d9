import { z } from "zod";

/**
 * A small client for OSV's batch query (https://google.github.io/osv.dev/post-v1-querybatch/):
 * given exact PyPI pins, which advisories list them. It sends package names and versions only,
 * POSTs to one fixed URL, validates the answer, and turns every failure into a message instead
 * of an exception. `fetch` is injected so that tests never touch the network.
 */
export const OSV_QUERYBATCH_URL = "https://api.osv.dev/v1/querybatch";
/** OSV accepts at most 1000 queries per batch. */
const BATCH_SIZE = 1000;
const DEFAULT_TIMEOUT_MS = 15_000;

export interface OsvPin {
  /** Normalized PyPI name. */
  name: string;
  version: string;
}

/** The subset of the Fetch API the client uses. */
export type FetchLike = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface OsvOptions {
  fetch: FetchLike;
  timeoutMs?: number;
}

export type OsvAnswer =
  | { ok: true; /** Advisory ids per pin, keyed by `pinKey`; pins without advisories are absent. */ advisories: Map<string, string[]> }
  | { ok: false; error: string };

const answerSchema = z.object({
  results: z.array(
    z.object({
      vulns: z.array(z.object({ id: z.string().min(1) }).loose()).optional(),
    }).loose(),
  ),
}).loose();

export function pinKey(pin: OsvPin): string {
  return `${pin.name}==${pin.version}`;
}

/** The request body for a batch of pins. */
export function querybatchBody(pins: readonly OsvPin[]): string {
  return JSON.stringify({ queries: pins.map((pin) => ({ package: { name: pin.name, ecosystem: "PyPI" }, version: pin.version })) });
}

async function queryBatch(pins: readonly OsvPin[], options: OsvOptions, advisories: Map<string, string[]>): Promise<string | null> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let body: unknown;
  try {
    const response = await options.fetch(OSV_QUERYBATCH_URL, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: querybatchBody(pins),
      signal: controller.signal,
    });
    if (!response.ok) return `OSV answered HTTP ${response.status}`;
    body = await response.json();
  } catch (error) {
    if (controller.signal.aborted) return `OSV did not answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`;
    return `could not reach OSV: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
  const parsed = answerSchema.safeParse(body);
  if (!parsed.success) return `OSV's answer was not understood: ${parsed.error.issues[0]?.message ?? "unexpected shape"}`;
  if (parsed.data.results.length !== pins.length) return `OSV answered ${parsed.data.results.length} results for ${pins.length} queries`;
  parsed.data.results.forEach((result, index) => {
    const ids = [...new Set((result.vulns ?? []).map((vuln) => vuln.id))];
    if (ids.length > 0) advisories.set(pinKey(pins[index] as OsvPin), ids);
  });
  return null;
}

/** Asks OSV about each distinct pin; never throws. */
export async function queryOsv(pins: readonly OsvPin[], options: OsvOptions): Promise<OsvAnswer> {
  const distinct = [...new Map(pins.map((pin) => [pinKey(pin), pin])).values()];
  const advisories = new Map<string, string[]>();
  for (let start = 0; start < distinct.length; start += BATCH_SIZE) {
    const error = await queryBatch(distinct.slice(start, start + BATCH_SIZE), options, advisories);
    if (error) return { ok: false, error };
  }
  return { ok: true, advisories };
}
