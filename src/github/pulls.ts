/** Reading pull requests: the PR itself, the PRs of a commit, and the changed files as a ChangeSet. */
import type { ProbotOctokit } from "probot";
import { CONFIG_PATH } from "../config/load.js";
import { parsePatch } from "../review/diff.js";
import type { ChangedFile, ChangeSet } from "../review/types.js";

export interface PullTarget {
  owner: string;
  repo: string;
  number: number;
}

export interface PullInfo {
  number: number;
  state: string;
  draft: boolean;
  headSha: string;
  baseRef: string;
  changedFiles: number;
}

/** GitHub lists at most this many files of a pull request. */
export const MAX_LISTED_FILES = 3000;

export function pullKey(target: PullTarget): string {
  return `${target.owner}/${target.repo}#${target.number}`;
}

export async function getPull(octokit: ProbotOctokit, target: PullTarget): Promise<PullInfo> {
  const { data } = await octokit.rest.pulls.get({ owner: target.owner, repo: target.repo, pull_number: target.number });
  return {
    number: data.number,
    state: data.state,
    draft: data.draft === true,
    headSha: data.head.sha,
    baseRef: data.base.ref,
    changedFiles: data.changed_files,
  };
}

/**
 * The open pull requests whose head is `sha`. check_suite and check_run payloads leave
 * pull_requests empty for forks, so the commit is looked up, then the open PRs are scanned.
 */
export async function findPullsForSha(octokit: ProbotOctokit, owner: string, repo: string, sha: string): Promise<number[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, per_page: 100 });
  const associated = data.filter((pull) => pull.state === "open" && pull.head.sha === sha).map((pull) => pull.number);
  if (associated.length > 0) return associated;
  const found: number[] = [];
  let pages = 0;
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.list, { owner, repo, state: "open", per_page: 100 })) {
    for (const pull of page.data) if (pull.head.sha === sha) found.push(pull.number);
    if (++pages >= 10) break;
  }
  return found;
}

export interface ListedFile {
  filename: string;
  previous_filename?: string;
  status: ChangedFile["status"];
  patch?: string;
  sha?: string | null;
}

/** The PR's files, 100 a page, up to GitHub's 3000. */
export async function listChangedFiles(octokit: ProbotOctokit, target: PullTarget): Promise<ListedFile[]> {
  const files: ListedFile[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
    owner: target.owner,
    repo: target.repo,
    pull_number: target.number,
    per_page: 100,
  });
  for await (const page of pages) {
    for (const file of page.data) files.push(file as ListedFile);
    if (files.length >= MAX_LISTED_FILES) break;
  }
  return files.slice(0, MAX_LISTED_FILES);
}

function safePatch(patch: string | undefined): ChangedFile["patch"] {
  if (patch === undefined) return null;
  try {
    return parsePatch(patch);
  } catch {
    return null;
  }
}

/** The pipeline's ChangeSet: every listed file (the pipeline selects), patches parsed, config edits flagged. */
export function toChangeSet(files: readonly ListedFile[], totalFiles: number): ChangeSet {
  const changed: ChangedFile[] = files.map((file) => ({
    path: file.filename,
    ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
    status: file.status,
    patch: safePatch(file.patch),
  }));
  return {
    files: changed,
    changesConfig: files.some((file) => file.filename === CONFIG_PATH || file.previous_filename === CONFIG_PATH),
    truncated: totalFiles > files.length,
  };
}
