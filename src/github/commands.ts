/**
 * `/pyguard recheck` and `/pyguard help` in pull request comments. A recheck needs write,
 * maintain or admin permission on the repository, checked with the API (author_association says
 * nothing about permission); anyone else is ignored and the attempt logged as a security event.
 * Bots, including pyguard itself, are never obeyed.
 */
import type { ProbotOctokit } from "probot";
import { firstDelivery, validPayload } from "./handlers.js";
import { issueCommentEvent } from "./payloads.js";
import type { Runtime } from "./runtime.js";
import type { Context } from "probot";
import { isNotFound } from "./errors.js";

export type Command = "recheck" | "help";

const COMMAND = /^[ \t]*\/pyguard[ \t]+(recheck|help)\b/imu;

export function parseCommand(body: string | null): Command | null {
  if (!body) return null;
  const match = COMMAND.exec(body.slice(0, 10_000));
  return match ? (match[1]?.toLowerCase() as Command) : null;
}

export const HELP_TEXT = [
  "**pyguard** reviews the Python changes of this pull request against the secure-coding guidelines.",
  "",
  "- `/pyguard recheck`: review the current head commit again (needs write access to the repository).",
  "- `/pyguard help`: this message.",
  "",
  "Findings on lines this pull request adds are commented inline and can fail the `pyguard` check; findings elsewhere in touched files are listed in the check run as advisories. Suppress a finding with a `# pyguard: ignore[RULE-ID] -- reason` comment on its line. The configuration is read from `.github/pyguard.yml` on the base branch.",
  "",
  "<!-- pyguard:help -->",
].join("\n");

type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

/** The commenter's permission: the legacy `permission` (maintain shows as write), refined by role_name. */
export async function permissionOf(octokit: ProbotOctokit, owner: string, repo: string, username: string): Promise<Permission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    const role = (data as { role_name?: string }).role_name;
    if (role === "maintain" || role === "triage") return role;
    const permission = data.permission;
    return permission === "admin" || permission === "write" || permission === "read" ? permission : "none";
  } catch (error) {
    if (isNotFound(error)) return "none";
    throw error;
  }
}

export function canRecheck(permission: Permission): boolean {
  return permission === "admin" || permission === "maintain" || permission === "write";
}

type AnyContext = Pick<Context, "id" | "name" | "payload" | "octokit" | "log">;

export function handleIssueComment(context: AnyContext, runtime: Runtime): void {
  const payload = validPayload(context, issueCommentEvent);
  if (!payload || payload.action !== "created" || !payload.issue.pull_request) return;
  const user = payload.comment.user;
  if (user.type === "Bot" || user.login.endsWith("[bot]")) return;
  const command = parseCommand(payload.comment.body);
  if (!command || !firstDelivery(context, runtime)) return;
  const owner = payload.repository.owner.login;
  const repo = payload.repository.name;
  const target = { owner, repo, number: payload.issue.number };
  const repoName = `${owner}/${repo}`;
  const commentId = payload.comment.id;
  runtime.background(context.log, `command.${command}`, async () => {
    const permission = await permissionOf(context.octokit, owner, repo, user.login);
    if (command === "recheck") {
      if (!canRecheck(permission)) {
        context.log.warn({ event: "security.recheck_denied", user: user.login, repo: repoName, permission, pr: target.number }, "/pyguard recheck refused: the commenter cannot write to the repository");
        return;
      }
      runtime.schedule(context.octokit, context.log, target, undefined, true);
      await context.octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: commentId, content: "eyes" });
      return;
    }
    if (permission === "none") {
      context.log.info({ event: "command.help_ignored", user: user.login, repo: repoName }, "/pyguard help from a user without read access ignored");
      return;
    }
    // Answer each help request once, and a pull request at most once per 10 minutes.
    if (runtime.helpAnswered.check(`comment:${repoName}:${commentId}`) || runtime.helpAnswered.check(`pr:${repoName}#${target.number}`)) return;
    await context.octokit.rest.issues.createComment({ owner, repo, issue_number: target.number, body: HELP_TEXT });
  });
}
