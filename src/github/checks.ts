/**
 * The `pyguard` check run: created in progress, completed with the pipeline's conclusion, title
 * and summary, every introduced finding as an annotation (50 per request, since GitHub appends
 * them), and a Recheck button. Output is cut to GitHub's limits here, whatever the caller passes.
 */
import type { ProbotOctokit } from "probot";
import { CHECK_NAME, RECHECK_ACTION } from "../review/markers.js";
import type { Annotation, Conclusion } from "../review/types.js";

export const MAX_OUTPUT_CHARS = 65_535;
export const ANNOTATIONS_PER_REQUEST = 50;
/** Annotations per run at most: 20 requests. The summary says when there were more. */
export const MAX_ANNOTATIONS = 1000;

export interface CheckRef {
  owner: string;
  repo: string;
  id: number;
}

export interface CreatedCheck extends CheckRef {
  /** The app's slug, from the check run: its bot user is `<slug>[bot]`. */
  appSlug: string | undefined;
}

export interface CheckResult {
  conclusion: Conclusion;
  title: string;
  summary: string;
  text?: string;
  annotations?: readonly Annotation[];
}

const RECHECK_BUTTON = { label: "Recheck", description: "Run pyguard again on this commit", identifier: RECHECK_ACTION };

/** Cuts text to `max` characters, on a line boundary when one is near, with a note. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = "\n\n… (truncated to fit GitHub's limit)";
  let cut = text.slice(0, max - note.length);
  const lastBreak = cut.lastIndexOf("\n");
  if (lastBreak > cut.length - 2000) cut = cut.slice(0, lastBreak);
  if (/[\uD800-\uDBFF]$/u.test(cut)) cut = cut.slice(0, -1);
  return cut + note;
}

interface ApiAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

export function toApiAnnotation(annotation: Annotation): ApiAnnotation {
  const startLine = Math.max(1, annotation.startLine);
  const endLine = Math.max(startLine, annotation.endLine);
  const result: ApiAnnotation = {
    path: annotation.path,
    start_line: startLine,
    end_line: endLine,
    annotation_level: annotation.level,
    title: truncate(annotation.title, 255),
    message: truncate(annotation.message, 4000),
  };
  // Columns only on a single line, and only as a valid range.
  if (startLine === endLine && annotation.startColumn !== undefined && annotation.endColumn !== undefined && annotation.endColumn >= annotation.startColumn && annotation.startColumn >= 1) {
    result.start_column = annotation.startColumn;
    result.end_column = annotation.endColumn;
  }
  return result;
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

export async function createCheckRun(octokit: ProbotOctokit, owner: string, repo: string, headSha: string): Promise<CreatedCheck> {
  const { data } = await octokit.rest.checks.create({
    owner,
    repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "in_progress",
    started_at: new Date().toISOString(),
    output: { title: "Reviewing the Python changes…", summary: "pyguard is reviewing this pull request." },
  });
  return { owner, repo, id: data.id, appSlug: data.app?.slug ?? undefined };
}

/**
 * Completes the run. Annotations beyond the first 50 go in earlier in-progress updates, so
 * the completing request carries the last batch and the conclusion lands last.
 */
export async function completeCheckRun(octokit: ProbotOctokit, check: CheckRef, result: CheckResult): Promise<number> {
  const all = (result.annotations ?? []).slice(0, MAX_ANNOTATIONS).map(toApiAnnotation);
  let summary = result.summary;
  if ((result.annotations?.length ?? 0) > MAX_ANNOTATIONS) {
    summary += `\n\nOnly the first ${MAX_ANNOTATIONS} of ${result.annotations?.length} findings are annotated.`;
  }
  const output = {
    title: truncate(result.title, 255),
    summary: truncate(summary, MAX_OUTPUT_CHARS),
    ...(result.text ? { text: truncate(result.text, MAX_OUTPUT_CHARS) } : {}),
  };
  const parts = batches(all, ANNOTATIONS_PER_REQUEST);
  const last = parts.pop() ?? [];
  let requests = 0;
  for (const part of parts) {
    await octokit.rest.checks.update({ owner: check.owner, repo: check.repo, check_run_id: check.id, status: "in_progress", output: { ...output, annotations: part } });
    requests++;
  }
  await octokit.rest.checks.update({
    owner: check.owner,
    repo: check.repo,
    check_run_id: check.id,
    status: "completed",
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    output: last.length > 0 ? { ...output, annotations: last } : output,
    actions: [RECHECK_BUTTON],
  });
  return requests + 1;
}
