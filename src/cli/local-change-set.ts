import { lstat, readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { CONFIG_PATH } from "../config/load.js";
import type { PyguardConfig } from "../config/schema.js";
import { countLines, parsePatch, PatchParseError, wholeFileAddedPatch, type FilePatch } from "../review/diff.js";
import { isPythonPath, pathFilter } from "../review/paths.js";
import { FileUnavailable, type ChangedFile, type ChangeSet, type ReadHeadFile } from "../review/types.js";
import { splitGitDiff, type GitFileDiff } from "./git-diff.js";
import { git } from "./git.js";

/** The working tree's change against a base commit, in the pipeline's terms. */
export interface LocalChange {
  changeSet: ChangeSet;
  readFile: ReadHeadFile;
  /** Things the adapter could not read from git, for standard error. */
  problems: string[];
}

/** The diff GitHub would show, plus uncommitted work: pinned options, so user settings cannot change its shape. */
function diffArguments(mergeBase: string): string[] {
  return [
    "-c",
    "core.quotePath=false",
    "diff",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "-M",
    "--unified=3",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    mergeBase,
    "--",
  ];
}

/** The absolute path of a repository-relative path, refusing anything that would leave the repository. */
function insideRoot(root: string, path: string): string | null {
  const absolute = resolve(root, path);
  const fromRoot = relative(root, absolute);
  if (fromRoot === "" || fromRoot.startsWith("..") || isAbsolute(fromRoot)) return null;
  return absolute;
}

/** Reads head files from the working tree; only regular files inside the repository are read. */
export function workingTreeReader(root: string): ReadHeadFile {
  return async (file) => {
    const absolute = insideRoot(root, file.path);
    if (!absolute) throw new FileUnavailable(file.path, "the path leads outside the repository");
    const info = await lstat(absolute).catch(() => null);
    if (!info) throw new FileUnavailable(file.path, "the file is not in the working tree");
    if (info.isSymbolicLink()) throw new FileUnavailable(file.path, "a symbolic link, not a file");
    if (!info.isFile()) throw new FileUnavailable(file.path, "not a regular file");
    return readFile(absolute);
  };
}

async function sizeOf(root: string, path: string): Promise<number | undefined> {
  const absolute = insideRoot(root, path);
  if (!absolute) return undefined;
  const info = await lstat(absolute).catch(() => null);
  return info?.isFile() ? info.size : undefined;
}

function toChangedFile(diff: GitFileDiff, problems: string[]): ChangedFile {
  let patch: FilePatch | null = null;
  try {
    patch = parsePatch(diff.patch);
  } catch (error) {
    if (!(error instanceof PatchParseError)) throw error;
    problems.push(`could not read the diff of ${diff.path} (${error.message}); its findings are advisory only`);
  }
  const file: ChangedFile = { path: diff.path, status: diff.status, patch };
  if (diff.previousPath !== undefined) file.previousPath = diff.previousPath;
  return file;
}

/** An untracked file is new throughout; its patch is built from its line count, as committing it would give. */
async function untrackedFile(root: string, path: string, maxFileBytes: number): Promise<ChangedFile> {
  const size = await sizeOf(root, path);
  const file: ChangedFile = { path, status: "added", patch: null };
  if (size === undefined) return file;
  file.size = size;
  if (size <= maxFileBytes) {
    const bytes = await readFile(resolve(root, path)).catch(() => null);
    if (bytes) file.patch = wholeFileAddedPatch(countLines(bytes));
  }
  return file;
}

/**
 * The change from `mergeBase` to the working tree: committed, staged and unstaged edits, and
 * untracked files (every line added). Sizes come from the file system, so the pipeline can skip
 * a file that is too large without reading it.
 */
export async function localChangeSet(root: string, mergeBase: string, config: PyguardConfig): Promise<LocalChange> {
  const problems: string[] = [];
  const covered = pathFilter(config.paths.include, config.paths.exclude);
  const reviewable = (path: string): boolean => isPythonPath(path) && covered(path);

  const diffs = splitGitDiff(await git(root, diffArguments(mergeBase)));
  const untracked = (await git(root, ["ls-files", "--others", "--exclude-standard", "-z"])).split("\0").filter((path) => path.length > 0);

  const files: ChangedFile[] = [];
  for (const diff of diffs) {
    const file = toChangedFile(diff, problems);
    if (file.status !== "removed" && reviewable(file.path)) {
      const size = await sizeOf(root, file.path);
      if (size !== undefined) file.size = size;
    }
    files.push(file);
  }
  for (const path of untracked) {
    files.push(reviewable(path) ? await untrackedFile(root, path, config.maxFileBytes) : { path, status: "added", patch: null });
  }
  const changesConfig = diffs.some((diff) => diff.path === CONFIG_PATH || diff.previousPath === CONFIG_PATH) || untracked.includes(CONFIG_PATH);
  return { changeSet: { files, changesConfig }, readFile: workingTreeReader(root), problems };
}
