import { git, GitError, verifyRef } from "./git.js";

/** The revision a local review compares against, as a pull request into it would. */
export interface ReviewBase {
  /** What the user named, or the default branch found: "main", "origin/main", "HEAD~1". */
  ref: string;
  /** The commit that ref names: its config is the one the review uses, as the bot reads the base branch's. */
  commit: string;
  /** Where HEAD's branch left the base: the diff starts here, as GitHub's pull-request diff does. */
  mergeBase: string;
}

async function commitOf(root: string, ref: string): Promise<string | null> {
  try {
    return (await git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim() || null;
  } catch {
    return null;
  }
}

/** origin/HEAD when the clone has it, else main, else master: the branch a pull request would target. */
export async function defaultBranch(root: string): Promise<{ ref: string; commit: string }> {
  try {
    const symbolic = (await git(root, ["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"])).trim();
    const commit = symbolic ? await commitOf(root, symbolic) : null;
    if (commit) return { ref: symbolic.replace(/^refs\/remotes\//u, ""), commit };
  } catch {
    // origin/HEAD is not set: a clone made with --no-checkout, or a repository without a remote.
  }
  for (const branch of ["main", "master"]) {
    const commit = await commitOf(root, `refs/heads/${branch}`);
    if (commit) return { ref: branch, commit };
  }
  throw new GitError("cannot tell which branch this change would merge into: origin/HEAD is not set and there is no main or master branch; pass --base REF");
}

export async function resolveBase(root: string, baseOption: string | undefined): Promise<ReviewBase> {
  const target = baseOption === undefined ? await defaultBranch(root) : { ref: baseOption, commit: await verifyRef(root, baseOption) };
  if ((await commitOf(root, "HEAD")) === null) throw new GitError("HEAD names no commit yet: commit something first");
  let mergeBase: string;
  try {
    mergeBase = (await git(root, ["merge-base", target.commit, "HEAD"])).trim();
  } catch {
    mergeBase = "";
  }
  if (!/^[0-9a-f]{7,64}$/u.test(mergeBase)) throw new GitError(`"${target.ref}" and HEAD have no common ancestor, so there is no change to review`);
  return { ...target, mergeBase };
}
