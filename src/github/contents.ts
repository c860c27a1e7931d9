/**
 * File contents from GitHub: the head revision of changed files (raw media type, streamed and cut
 * off at the size limit, the blob API as a fallback for large files) and the config file from the
 * base branch, so that a pull request cannot weaken its own gate.
 */
import type { ProbotOctokit } from "probot";
import { CONFIG_PATH, ConfigError, defaultConfig, parseConfigText } from "../config/load.js";
import type { PyguardConfig } from "../config/schema.js";
import { FileUnavailable, type ChangedFile, type ReadHeadFile } from "../review/types.js";
import { gitHubFailure } from "./errors.js";

class TooLarge extends Error {}

/** Reads a response body stream, giving up as soon as it passes `limit` bytes. */
async function readLimited(body: unknown, limit: number): Promise<Uint8Array> {
  if (typeof body === "string") return checkSize(Buffer.from(body, "utf8"), limit);
  if (body instanceof ArrayBuffer) return checkSize(new Uint8Array(body), limit);
  if (!body || typeof (body as ReadableStream).getReader !== "function") return new Uint8Array();
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function checkSize(bytes: Uint8Array, limit: number): Uint8Array {
  if (bytes.byteLength > limit) throw new TooLarge();
  return bytes;
}

function isTooLargeError(error: unknown): boolean {
  const failure = gitHubFailure(error);
  if (!failure) return false;
  return failure.status === 413 || ((failure.status === 403 || failure.status === 422) && /too.?large/iu.test((error as Error).message));
}

export interface HeadReader {
  owner: string;
  repo: string;
  headSha: string;
  maxBytes: number;
  /** Blob SHAs from the file listing, for the blob API fallback. */
  blobShas: ReadonlyMap<string, string>;
}

export interface HeadFiles {
  read: ReadHeadFile;
  /**
   * GitHub failures that are not about the file (5xx after retries, rate limits, auth): the
   * pipeline turns any read error into a notice, so the job must know the run is incomplete.
   */
  failures: unknown[];
}

/** Not about the file itself: the run cannot be trusted to be complete. */
function isServiceFailure(error: unknown): boolean {
  const failure = gitHubFailure(error);
  if (!failure) return !(error instanceof TooLarge);
  return failure.status !== 404 && !isTooLargeError(error);
}

/** Reads changed files at the head SHA with the contents API; after a rate limit, stops asking. */
export function headFileReader(octokit: ProbotOctokit, reader: HeadReader): HeadFiles {
  const limitNote = `larger than maxFileBytes (${reader.maxBytes} bytes): skipped`;
  const raw = { mediaType: { format: "raw" }, request: { parseSuccessResponseBody: false } } as const;
  const failures: unknown[] = [];
  const fetchFile = async (file: ChangedFile): Promise<Uint8Array> => {
    try {
      const response = await octokit.rest.repos.getContent({ owner: reader.owner, repo: reader.repo, path: file.path, ref: reader.headSha, ...raw });
      return await readLimited(response.data, reader.maxBytes);
    } catch (error) {
      if (error instanceof TooLarge) throw new FileUnavailable(file.path, limitNote);
      const blobSha = reader.blobShas.get(file.path);
      if (!isTooLargeError(error) || !blobSha) throw error;
      try {
        const response = await octokit.rest.git.getBlob({ owner: reader.owner, repo: reader.repo, file_sha: blobSha, ...raw });
        return await readLimited(response.data, reader.maxBytes);
      } catch (blobError) {
        if (blobError instanceof TooLarge) throw new FileUnavailable(file.path, limitNote);
        throw blobError;
      }
    }
  };
  const read = async (file: ChangedFile): Promise<Uint8Array> => {
    if (failures.some((failure) => gitHubFailure(failure)?.rateLimited)) throw new FileUnavailable(file.path, "not read: GitHub's rate limit was reached during this review");
    try {
      return await fetchFile(file);
    } catch (error) {
      if (error instanceof FileUnavailable) throw error;
      if (isServiceFailure(error)) failures.push(error);
      throw new FileUnavailable(file.path, describeReadFailure(error, reader.headSha));
    }
  };
  return { read, failures };
}

function describeReadFailure(error: unknown, headSha: string): string {
  const failure = gitHubFailure(error);
  if (!failure) return "could not be read";
  if (failure.status === 404) return `not found at ${headSha.slice(0, 7)}`;
  if (isTooLargeError(error)) return "too large for the GitHub API: skipped";
  return `could not be read (GitHub answered HTTP ${failure.status})`;
}

/** The config from .github/pyguard.yml on the base branch; defaults when there is none. Throws ConfigError. */
export async function loadBaseConfig(octokit: ProbotOctokit, owner: string, repo: string, baseRef: string): Promise<PyguardConfig> {
  let text: string;
  try {
    const response = await octokit.rest.repos.getContent({ owner, repo, path: CONFIG_PATH, ref: baseRef, mediaType: { format: "raw" } });
    const data: unknown = response.data;
    text = typeof data === "string" ? data : data instanceof ArrayBuffer ? Buffer.from(data).toString("utf8") : "";
  } catch (error) {
    if (gitHubFailure(error)?.status === 404) return defaultConfig();
    throw error;
  }
  if (text.length > 256 * 1024) throw new ConfigError(`${CONFIG_PATH}@${baseRef}`, ["(file): larger than 256 KiB"]);
  return parseConfigText(text, `${CONFIG_PATH} on ${baseRef}`);
}
