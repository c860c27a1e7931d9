import { resolve } from "node:path";
import { loadConfigFile } from "../../config/load.js";
import { reviewChangeSet } from "../../review/pipeline.js";
import { configAtRevision } from "../base-config.js";
import { formatReviewText, toReviewJson } from "../format/review.js";
import { resolveBase } from "../git-base.js";
import { gitRoot, GitError } from "../git.js";
import type { CliIo } from "../io.js";
import { localChangeSet } from "../local-change-set.js";
import type { ReviewOptions } from "../options.js";

/**
 * `pyguard review`: the pull-request review, run on the local branch through the same pipeline
 * as the GitHub App, so what it prints is what the bot would post. Needs git, not GitHub.
 */
export async function runReview(options: ReviewOptions, io: CliIo): Promise<number> {
  const root = await gitRoot(io.cwd);
  if (root === null) throw new GitError("pyguard review needs a git repository; run it inside one");
  const base = await resolveBase(root, options.base);
  const config =
    options.config !== undefined
      ? await loadConfigFile(resolve(io.cwd, options.config), { required: true })
      : await configAtRevision(root, base.commit, base.ref);
  const change = await localChangeSet(root, base.mergeBase, config);
  for (const problem of change.problems) io.stderr.write(`pyguard: ${problem}\n`);
  io.stderr.write(`pyguard: reviewing the changes since ${base.ref} (merge-base ${base.mergeBase.slice(0, 7)})\n`);

  const outcome = await reviewChangeSet({ changeSet: change.changeSet, config, readFile: change.readFile });
  io.stdout.write(options.format === "json" ? `${JSON.stringify(toReviewJson(outcome, base), null, 2)}\n` : formatReviewText(outcome));
  return outcome.conclusion === "failure" ? 1 : 0;
}
