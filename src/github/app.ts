/**
 * The pyguard GitHub App: a Probot app function. Handlers only validate and queue; reviews run in
 * the in-process queue (see runtime.ts and job.ts).
 */
import type { ApplicationFunction, Probot } from "probot";
import { handleIssueComment } from "./commands.js";
import { handleCheckRun, handleCheckSuite, handlePullRequest, PULL_REQUEST_ACTIONS } from "./handlers.js";
import { createRuntime, type Runtime, type RuntimeOptions } from "./runtime.js";

export type PyguardApp = ApplicationFunction & { runtime: Runtime };

/** An app function with its own runtime (queue), so that tests and servers can wait for it. */
export function createApp(options: RuntimeOptions = {}): PyguardApp {
  const runtime = createRuntime(options);
  const appFn = (app: Probot): void => {
    app.on(
      PULL_REQUEST_ACTIONS.map((action) => `pull_request.${action}` as const),
      async (context) => handlePullRequest(context, runtime),
    );
    app.on(["check_run.rerequested", "check_run.requested_action"], async (context) => handleCheckRun(context, runtime));
    app.on(["check_suite.requested", "check_suite.rerequested"], async (context) => handleCheckSuite(context, runtime));
    app.on("issue_comment.created", async (context) => handleIssueComment(context, runtime));
  };
  return Object.assign(appFn, { runtime });
}

const app: PyguardApp = createApp();
export default app;
