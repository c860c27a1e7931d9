import type { FileAnalyses } from "../../engine/analyses/index.js";
import { calleeLastName, field } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";
import { nameWords } from "./words.js";

/**
 * What counts as "logging" for the C9 rules, in two forms: a node test for the calls that write
 * to a log or to the console (the sinks of the sensitive-data rule), and a text test for "this
 * branch logs something" (the auth and access-control rules), which is deliberately generous:
 * a helper named `log…`/`audit…`/`record…`, a signal such as `user_login_failed.send`, or a
 * Sentry capture all count, so that those rules only report branches that plainly log nothing.
 */

export const LOG_LEVEL_METHODS: ReadonlySet<string> = new Set([
  "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg",
]);

const LOGGER_WORDS = new Set(["log", "logger", "logging", "structlog", "audit", "syslog", "journal"]);

export type OutputKind = "logger" | "print" | "stream";

/**
 * Classifies a call that writes text out: a logger method (`logging.info`, `logger.warning`,
 * `app.logger.error`, `self.log.debug`, `structlog.get_logger().info`), `print`, or
 * `sys.stdout.write`/`sys.stderr.write`. `lastName` is the callee's last name, already read.
 */
export function outputCallKind(analyses: FileAnalyses, call: SyntaxNode, lastName: string): OutputKind | null {
  const callee = field(call, "function");
  if (!callee) return null;
  if (lastName === "print") {
    if (callee.type !== "identifier") return null;
    return analyses.resolve(callee)?.origin === "local" ? null : "print";
  }
  if (callee.type !== "attribute") return null;
  if (lastName === "write") {
    const resolved = analyses.resolve(callee);
    return resolved && resolved.origin !== "local" && (resolved.name === "sys.stdout.write" || resolved.name === "sys.stderr.write")
      ? "stream"
      : null;
  }
  if (!LOG_LEVEL_METHODS.has(lastName)) return null;
  const receiver = field(callee, "object");
  if (!receiver) return null;
  let receiverName: string | null = null;
  if (receiver.type === "identifier") receiverName = receiver.text;
  else if (receiver.type === "attribute") receiverName = field(receiver, "attribute")?.text ?? null;
  else if (receiver.type === "call") receiverName = calleeLastName(receiver);
  if (receiverName === null) return null;
  if (receiverName === "logging") {
    const resolved = analyses.resolve(callee);
    return resolved?.origin === "import" && resolved.name.startsWith("logging.") ? "logger" : null;
  }
  return nameWords(receiverName).some((word) => LOGGER_WORDS.has(word)) || /^_*log/iu.test(receiverName) ? "logger" : null;
}

/** A logger method call anywhere in a text: `logger.warning(`, `app.logger.info(`, `structlog.get_logger().info(`. */
const LOGGER_METHOD_CALL =
  /[\w.]*?(?:log|Log|LOG|audit|Audit|AUDIT|journal)\w*(?:\([^()]*\))?\.(?:debug|info|warning|warn|error|exception|critical|fatal|log|msg)\s*\(/u;
/** A helper that logs or records the event: `log_failed_login(`, `func_auditEvent(`, `record_attempt(`, `sentry_sdk.capture_message(`. */
const LOGGING_HELPER_CALL =
  /(?:^|[^\w])_*(?:func_)?(?:log|audit|record|track|report|notify|alert|emit|capture|syslog)(?:[A-Z_]\w*)?\s*\(/u;
/** A signal sent for the event: `user_login_failed.send(`, `loginFailed.send_robust(`. */
const FAILURE_SIGNAL = /\w*(?:fail|Fail|FAIL|denied|Denied|DENIED)\w*\.send(?:_robust)?\s*\(/u;

/** True when a piece of code (a branch, a handler body) contains something that logs or records an event. */
export function textLogs(text: string): boolean {
  return LOGGER_METHOD_CALL.test(text) || LOGGING_HELPER_CALL.test(text) || FAILURE_SIGNAL.test(text);
}
