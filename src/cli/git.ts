import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitError";
  }
}

/** Runs git without a shell; arguments are passed as a list, never interpolated into a command line. */
export async function git(cwd: string, args: readonly string[], maxBuffer = 256 * 1024 * 1024): Promise<string> {
  try {
    const { stdout } = await run("git", [...args], { cwd, maxBuffer, encoding: "utf8" });
    return stdout;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new GitError(`git ${args.join(" ")} failed: ${detail.split("\n")[0]}`);
  }
}

export async function gitRoot(cwd: string): Promise<string | null> {
  try {
    return (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    return null;
  }
}

/** Checks that REF names a commit, so that a typo is reported as such rather than as an empty diff. */
export async function verifyRef(cwd: string, ref: string): Promise<string> {
  if (ref.startsWith("-")) throw new GitError(`"${ref}" is not a git revision`);
  try {
    return (await git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
  } catch {
    throw new GitError(`"${ref}" is not a commit in this repository`);
  }
}

/** The diff from REF to the working tree, with renames followed and no context lines. */
export async function diffSince(cwd: string, ref: string, contextLines = 0): Promise<string> {
  const commit = await verifyRef(cwd, ref);
  return git(cwd, ["diff", "--no-color", "--no-ext-diff", "-M", `--unified=${contextLines}`, commit, "--"]);
}
