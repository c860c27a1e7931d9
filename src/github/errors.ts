/**
 * Turns a failure into a reason a check-run summary can show: the GitHub status and route, or
 * the error's class, never a stack trace, a token or a header.
 */
import { scrubSecrets } from "./logger.js";

export interface GitHubFailure {
  status: number;
  method: string;
  route: string;
  rateLimited: boolean;
}

interface RequestErrorShape {
  status: number;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, string | undefined> };
}

function routeOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/^\/api\/v3(?=\/)/u, "");
  } catch {
    return url.split("?")[0] ?? url;
  }
}

/** The parts of an Octokit RequestError worth reporting, or null for any other error. */
export function gitHubFailure(error: unknown): GitHubFailure | null {
  // Octokit's RequestError, recognised by shape (it is not a direct dependency).
  if (!(error instanceof Error) || !("status" in error) || !("request" in error)) return null;
  const shaped = error as Error & RequestErrorShape;
  const request = shaped.request;
  const status = Number(shaped.status);
  const headers = shaped.response?.headers ?? {};
  const rateLimited =
    status === 429 ||
    (status === 403 && (headers["x-ratelimit-remaining"] === "0" || /\b(secondary )?rate limit/iu.test(error.message)));
  return { status, method: request?.method ?? "?", route: routeOf(request?.url ?? "?"), rateLimited };
}

/** A one-line reason for a summary: safe to show to anyone who can read the pull request. */
export function describeFailure(error: unknown): string {
  const failure = gitHubFailure(error);
  if (failure) {
    if (failure.rateLimited) {
      return `GitHub's rate limit stopped the review (HTTP ${failure.status} on ${failure.method} ${failure.route}). Use the Recheck button or comment \`/pyguard recheck\` later.`;
    }
    if (failure.status >= 500) return `GitHub was unavailable (HTTP ${failure.status} on ${failure.method} ${failure.route}).`;
    return `GitHub refused a request (HTTP ${failure.status} on ${failure.method} ${failure.route}).`;
  }
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message.split("\n")[0]?.slice(0, 200) ?? "" : "";
  return scrubSecrets(`internal error (${name}${message ? `: ${message}` : ""})`);
}

export function isNotFound(error: unknown): boolean {
  return gitHubFailure(error)?.status === 404;
}
