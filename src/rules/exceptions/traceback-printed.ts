import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field, type CallArguments } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ExceptionData, snippet } from "./exception-data.js";
import { WebHandlers } from "./web-handlers.js";

const PRINT_FUNCTIONS = new Set(["traceback.print_exc", "traceback.print_exception", "traceback.print_tb", "traceback.print_last", "traceback.print_stack"]);
const STREAM_WRITES = new Set(["sys.stdout.write", "sys.stderr.write"]);
const CGITB_ENABLE = new Set(["cgitb.enable"]);

/** Callee last names worth a look: the cheapest test. */
const CANDIDATES = new Set(["print_exc", "print_exception", "print_tb", "print_last", "print_stack", "print", "write", "enable"]);

type Stream = "stdout" | "stderr" | "file";

/** A printed value can only hold a stack trace if its text names one of these. */
const TRACE_HINT = /traceback|format_exc|format_exception|format_tb|extract_tb|extract_stack|format_stack|TracebackException/u;

/** Where `print(..., file=...)` or `traceback.print_exc(file=...)` writes. */
function destination(context: RuleContext, args: CallArguments, fallback: Stream): Stream {
  const file = args.keywords.get("file");
  if (!file) return fallback;
  const resolved = context.analyses.resolve(file);
  if (resolved?.name === "sys.stdout" && resolved.origin !== "local") return "stdout";
  if (resolved?.name === "sys.stderr" && resolved.origin !== "local") return "stderr";
  return "file";
}

export const tracebackPrinted: RuleModule = {
  meta: {
    id: "PG-ERR-003",
    name: "traceback-printed",
    title: "Stack trace printed instead of logged",
    sections: ["G8", "C3"],
    cwe: [209, 778],
    defaultSeverity: "note",
    docs: {
      whatItDoes:
        "Reports stack traces printed rather than logged: `traceback.print_exc()`, `print_exception(...)`, `print_tb(...)`, `print(traceback.format_exc())` and `sys.stdout.write(traceback.format_exc())`. In a CGI program (a module that imports `cgi` or `cgitb`), standard output is the HTTP response, so a trace printed there is sent to the visitor: an error, and so is `cgitb.enable()` without `display=0`. In a web request handler (a route, error handler or function with a `request` parameter) the trace goes to the server's standard error or output, not the application log: a note.",
      whyIsThisBad:
        "A CGI script's standard output is the page the visitor receives, so a printed stack trace shows file paths, code and data to anyone who can make the script fail. In other web handlers a printed trace is not a leak, but it is not logging either: it has no level, time or request context, it bypasses the log configuration and it is easily lost, so errors go unnoticed.",
      example:
        'import traceback\n\nfrom flask import Blueprint\n\nbp = Blueprint(\"imports\", __name__)\n\n\n@bp.post("/import")\ndef func_importFile():\n    try:\n        func_runImport()\n    except Exception:\n        traceback.print_exc()\n        return "import failed", 500\n    return "ok"',
      useInstead:
        'import logging\n\nfrom flask import Blueprint\n\nbp = Blueprint(\"imports\", __name__)\nlogger = logging.getLogger(__name__)\n\n\n@bp.post("/import")\ndef func_importFile():\n    try:\n        func_runImport()\n    except Exception:\n        logger.exception("import failed")\n        return "import failed", 500\n    return "ok"',
      notes:
        "Command-line programs and scripts are not reported: there the person at the terminal is the operator, and a trace on the console is how Python reports errors. In a CGI program a trace printed to standard error is not reported (it goes to the web server's error log). Sending a trace in a response body is PG-ERR-002's.",
    },
  },
  create(context) {
    const handlers = new WebHandlers(context.analyses);
    const data = new ExceptionData(context.analyses, handlers);
    let cgiModule: boolean | undefined;
    const isCgi = (): boolean => (cgiModule ??= context.analyses.importsModule("cgi") || context.analyses.importsModule("cgitb"));

    function reportTrace(node: SyntaxNode, what: string, stream: Stream): void {
      if (stream === "stdout" && isCgi()) {
        context.report({
          node,
          severity: "error",
          message: `${what} writes the stack trace to standard output, which is the HTTP response of a CGI script: the visitor sees it. Log it with \`logger.exception(...)\` (or print to \`sys.stderr\`) and show a generic error page.`,
        });
        return;
      }
      const scope = handlers.functionAt(node);
      if (!scope || !handlers.handlesRequests(scope)) return;
      const where = stream === "file" ? "to a file" : `to the server's ${stream === "stdout" ? "standard output" : "standard error"}`;
      context.report({
        node,
        severity: "note",
        message: `${what} in the request handler \`${scope.name}\` prints the stack trace ${where}, outside the application log; use \`logger.exception(...)\`, which keeps the trace with its level, time and request context.`,
      });
    }

    return {
      decorated_definition: handlers.visitDecorated,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !CANDIDATES.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        if ((lastName === "print" || lastName === "write") && !TRACE_HINT.test(field(node, "arguments")?.text ?? "")) return;
        if (lastName === "print") {
          if (callee.type !== "identifier" || context.analyses.resolve(callee)?.origin === "local") return;
          const args = callArguments(node);
          const trace = args.positional.map((value) => data.find(value)).find((leak) => leak?.kind === "traceback");
          if (trace) reportTrace(node, `\`print(${snippet(trace.node, 30)})\``, destination(context, args, "stdout"));
          return;
        }
        const resolved = context.analyses.resolve(callee);
        if (lastName === "enable") {
          if (!matchesQualified(resolved, CGITB_ENABLE)) return;
          const display = callArguments(node).keywords.get("display") ?? callArguments(node).positional[0];
          const shown = display ? context.analyses.constant(display) : undefined;
          if (display && (shown === undefined || shown.value === 0 || shown.value === false)) return;
          context.report({
            node,
            severity: "error",
            message: "`cgitb.enable()` shows a detailed traceback, with source lines and local variables, in the page of any request that fails; pass `display=0` and a `logdir` to keep the reports on the server.",
          });
          return;
        }
        if (lastName === "write") {
          if (!matchesQualified(resolved, STREAM_WRITES)) return;
          const trace = callArguments(node).positional.map((value) => data.find(value)).find((leak) => leak?.kind === "traceback");
          if (trace) reportTrace(node, `\`${resolved?.name}(${snippet(trace.node, 30)})\``, resolved?.name === "sys.stdout.write" ? "stdout" : "stderr");
          return;
        }
        if (!matchesQualified(resolved, PRINT_FUNCTIONS)) return;
        reportTrace(node, `\`${snippet(callee, 40)}()\``, destination(context, callArguments(node), "stderr"));
      },
    };
  },
};
