/**
 * The `pyguard` check run: completed with the pipeline's conclusion, title and summary, every
 * introduced finding as an annotation (50 per request, since GitHub appends them), and a Recheck
 * button. A quick review creates it completed in one request; a long one shows it in progress
 * first (see job.ts). Output is cut to GitHub's limits here, whatever the caller passes.
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

function checkOutput(result: CheckResult): { output: { title: string; summary: string; text?: string }; annotations: ApiAnnotation[][] } {
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
  return { output, annotations: batches(all, ANNOTATIONS_PER_REQUEST) };
}

/**
 * Completes the run. Annotations beyond the first 50 go in earlier in-progress updates, so
 * the completing request carries the last batch and the conclusion lands last.
 */
export async function completeCheckRun(octokit: ProbotOctokit, check: CheckRef, result: CheckResult): Promise<number> {
  const { output, annotations: parts } = checkOutput(result);
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

/** Replaces a completed run's title and summary (notes learnt after it completed). */
export async function amendCheckSummary(octokit: ProbotOctokit, check: CheckRef, result: Pick<CheckResult, "title" | "summary">): Promise<void> {
  await octokit.rest.checks.update({
    owner: check.owner,
    repo: check.repo,
    check_run_id: check.id,
    output: { title: truncate(result.title, 255), summary: truncate(result.summary, MAX_OUTPUT_CHARS) },
  });
}

/** The run of one review, created when first needed: in progress by `start`, or completed at once by `finish`. */
export interface CheckRunHandle {
  /** Shows the run in progress; a no-op once it exists. Never throws (a failure is retried by `finish`). */
  start(): Promise<void>;
  /** Completes the run, creating it if needed: one request when there are at most 50 annotations. */
  finish(result: CheckResult): Promise<void>;
  /** Changes the summary of the finished run. */
  amend(result: Pick<CheckResult, "title" | "summary">): Promise<void>;
  readonly created: CreatedCheck | undefined;
  readonly finished: boolean;
}

export function checkRunHandle(octokit: ProbotOctokit, owner: string, repo: string, headSha: string, onStartFailure: (error: unknown) => void = () => undefined): CheckRunHandle {
  let created: CreatedCheck | undefined;
  let creating: Promise<void> | undefined;
  let finished = false;
  const handle: CheckRunHandle = {
    get created() {
      return created;
    },
    get finished() {
      return finished;
    },
    start() {
      creating ??= createCheckRun(octokit, owner, repo, headSha).then(
        (check) => {
          created = check;
        },
        (error: unknown) => {
          creating = undefined;
          onStartFailure(error);
        },
      );
      return creating;
    },
    async finish(result) {
      if (creating) await creating;
      if (created) {
        await completeCheckRun(octokit, created, result);
        finished = true;
        return;
      }
      const { output, annotations } = checkOutput(result);
      if (annotations.length > 1) {
        await handle.start();
        if (!created) await handle.start();
        if (!created) throw new Error("the check run could not be created");
        await completeCheckRun(octokit, created, result);
        finished = true;
        return;
      }
      const first = annotations[0] ?? [];
      const { data } = await octokit.rest.checks.create({
        owner,
        repo,
        name: CHECK_NAME,
        head_sha: headSha,
        status: "completed",
        conclusion: result.conclusion,
        started_at: new Date().toISOString(),
        completed_at: new Date().toISOString(),
        output: first.length > 0 ? { ...output, annotations: first } : output,
        actions: [RECHECK_BUTTON],
      });
      created = { owner, repo, id: data.id, appSlug: data.app?.slug ?? undefined };
      finished = true;
    },
    async amend(result) {
      if (!created) throw new Error("the check run does not exist yet");
      await amendCheckSummary(octokit, created, result);
    },
  };
  return handle;
}
