/**
 * Webhook payloads, validated before use: only the fields pyguard reads. An unexpected payload
 * is logged and ignored by the handlers, never trusted and never a crash.
 */
import { z } from "zod";

const repository = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
});

const installation = z.object({ id: z.number().int().positive() }).optional();

const sha = z.string().regex(/^[0-9a-f]{40}$/u);

/** A pull request as check_run and check_suite payloads list them (fork PRs are missing). */
const linkedPull = z.object({
  number: z.number().int().positive(),
  head: z.object({ sha }).optional(),
  base: z.object({ repo: z.object({ id: z.number().int() }).optional() }).optional(),
});

export const pullRequestEvent = z.object({
  action: z.string(),
  pull_request: z.object({
    number: z.number().int().positive(),
    draft: z.boolean().optional(),
    state: z.string(),
    head: z.object({ sha }),
    // With these the payload describes the PR completely, and the review need not fetch it.
    base: z.object({ ref: z.string().min(1) }).optional(),
    changed_files: z.number().int().nonnegative().optional(),
  }),
  repository,
  installation,
});

export const checkRunEvent = z.object({
  action: z.string(),
  check_run: z.object({
    name: z.string(),
    head_sha: sha,
    pull_requests: z.array(linkedPull).default([]),
  }),
  requested_action: z.object({ identifier: z.string() }).nullish(),
  repository,
  installation,
});

export const checkSuiteEvent = z.object({
  action: z.string(),
  check_suite: z.object({
    head_sha: sha,
    pull_requests: z.array(linkedPull).default([]),
  }),
  repository,
  installation,
});

export const issueCommentEvent = z.object({
  action: z.string(),
  issue: z.object({
    number: z.number().int().positive(),
    /** Present only when the issue is a pull request. */
    pull_request: z.object({}).passthrough().nullish(),
  }),
  comment: z.object({
    id: z.number().int().positive(),
    body: z.string().nullable(),
    user: z.object({ login: z.string(), type: z.string() }),
  }),
  repository,
  installation,
});

export type Repository = z.infer<typeof repository>;
export type LinkedPull = z.infer<typeof linkedPull>;

/** Parses a payload; on failure returns the first few problems (paths only, no values). */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): { ok: true; data: T } | { ok: false; problems: string[] } {
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    problems: result.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.code}`),
  };
}
