import type { Scope } from "../../engine/analyses/scopes.js";
import { callArguments, calleeLastName, field, type CallArguments } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ExceptionData, snippet, type Leak } from "./exception-data.js";
import { WebHandlers } from "./web-handlers.js";

/** How a response builder takes the content a client sees. */
interface SinkSpec {
  /** Positional arguments that hold content; -1 for all of them. */
  positions: readonly number[];
  /** Keyword arguments that hold content; "*" for all of them. */
  keywords: readonly string[];
  /** When set, the callee must resolve to one of these names (for names that are common elsewhere). */
  qualified?: ReadonlySet<string>;
}

const BODY: SinkSpec = { positions: [0], keywords: ["content", "data", "body", "text", "response", "json"] };
const ALL: SinkSpec = { positions: [-1], keywords: ["*"] };

const SINKS = new Map<string, SinkSpec>([
  ["jsonify", ALL],
  ["make_response", { positions: [0], keywords: [] }],
  ["Response", BODY],
  ["HttpResponse", BODY],
  ["HttpResponseBadRequest", BODY],
  ["HttpResponseServerError", BODY],
  ["HttpResponseNotFound", BODY],
  ["HttpResponseForbidden", BODY],
  ["JsonResponse", BODY],
  ["JSONResponse", BODY],
  ["PlainTextResponse", BODY],
  ["HTMLResponse", BODY],
  ["ORJSONResponse", BODY],
  ["UJSONResponse", BODY],
  ["json_response", BODY],
  // FastAPI/Starlette HTTPException(status_code, detail); werkzeug's takes `description` first (see below).
  ["HTTPException", { positions: [1], keywords: ["detail", "description"] }],
  ["abort", { positions: [1], keywords: ["description"], qualified: new Set(["flask.abort", "werkzeug.exceptions.abort", "werkzeug.abort"]) }],
  ["render_template", { positions: [], keywords: ["*"] }],
  ["render_template_string", { positions: [], keywords: ["*"] }],
  ["render", { positions: [2], keywords: ["context"], qualified: new Set(["django.shortcuts.render"]) }],
  ["TemplateResponse", { positions: [2], keywords: ["context"] }],
  ["flash", { positions: [0], keywords: ["message"], qualified: new Set(["flask.flash"]) }],
  ["send_error", { positions: [1, 2], keywords: ["message", "explain"] }],
]);

/** `messages.error(request, text)`: Django's messages framework shows the text on the next page. */
const MESSAGE_LEVELS = new Map<string, number>([
  ["error", 1],
  ["warning", 1],
  ["info", 1],
  ["success", 1],
  ["debug", 1],
  ["add_message", 2],
]);
const DJANGO_MESSAGES = "django.contrib.messages.";
const TRACE_HINT = /traceback|format_exc|format_exception|format_tb|extract_tb|exc_info|exception\(/u;

function contentArguments(spec: SinkSpec, args: CallArguments): SyntaxNode[] {
  const values: SyntaxNode[] = [];
  for (const position of spec.positions) {
    if (position === -1) values.push(...args.positional);
    else {
      const value = args.positional[position];
      if (value) values.push(value);
    }
  }
  for (const [keyword, value] of args.keywords) {
    if (spec.keywords.includes("*") || spec.keywords.includes(keyword)) values.push(value);
  }
  return values;
}

function advice(leak: Leak): string {
  return leak.kind === "traceback"
    ? "log it with `logger.exception(...)` and send a generic message (for example `{\"error\": \"internal error\"}`, with an error id if support needs one)"
    : "log the details with `logger.exception(...)` and send a message written for the client (for example `{\"error\": \"internal error\"}`)";
}

export function describeLeak(leak: Leak): string {
  const found = `\`${leak.code}\` (${leak.what})`;
  return leak.via === undefined ? found : `\`${leak.via}\`, built from ${found},`;
}

export const exceptionDetailsToClient: RuleModule = {
  meta: {
    id: "PG-ERR-002",
    name: "exception-details-to-client",
    title: "Exception text or stack trace sent to the client",
    sections: ["G8", "C3"],
    cwe: [209, 497],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports exception details that reach an HTTP response: the caught exception (`e`, `str(e)`, `repr(e)`, `f\"{e}\"`, `e.args`, `e.orig`), `sys.exc_info()`, or a stack trace (`traceback.format_exc()`, `format_exception(...)`), directly or through a local variable, when they are passed to a response builder (Flask `jsonify`, `make_response`, `Response`, `abort(code, description)`, `flash`, `render_template`; Django `HttpResponse*`, `JsonResponse`, `render`, `messages.error`; DRF `Response`; FastAPI/Starlette `HTTPException(detail=...)`, `JSONResponse`; aiohttp `json_response`; `send_error`) or returned from a route or error handler (`return str(e), 500`, `return {\"error\": str(e)}`).",
      whyIsThisBad:
        "Exception text is written for developers: it holds file paths, SQL statements and table names, host names and ports, library versions, sometimes the data being processed. Sent to the client it maps the system for an attacker and helps shape the next attack (for example an SQL error that shows the query). A stack trace shows the code itself.",
      example:
        'from flask import Blueprint, jsonify\n\nbp = Blueprint(\"orders\", __name__)\n\n\n@bp.post("/orders")\ndef func_createOrder():\n    try:\n        return jsonify(func_saveOrder()), 201\n    except Exception as e:\n        return jsonify({"error": str(e)}), 500',
      useInstead:
        'import logging\n\nfrom flask import Blueprint, jsonify\n\nbp = Blueprint(\"orders\", __name__)\nlogger = logging.getLogger(__name__)\n\n\n@bp.post("/orders")\ndef func_createOrder():\n    try:\n        return jsonify(func_saveOrder()), 201\n    except Exception:\n        logger.exception("could not save the order")\n        return jsonify({"error": "could not save the order"}), 500',
      notes:
        "Stack traces are errors; exception text is a warning. Exception text is reported when the caught type may describe internals: a bare `except:`, `Exception`/`BaseException`, built-in system errors (`OSError` and its subclasses, `RuntimeError`, `AttributeError`, `ImportError`, ...) and exceptions of database, network, cloud, subprocess and file libraries (`sqlite3`, `psycopg2`, `sqlalchemy`, `django.db`, `requests`, `httpx`, `subprocess`, `boto3`, ...). Not reported: exceptions written for the client (`*ValidationError`, HTTP exceptions), data errors whose text describes the client's own input (`ValueError`, `KeyError`, `TypeError`, `json.JSONDecodeError`), classes defined in the file or imported from the project (relative imports, and absolute imports of modules pyguard does not know as libraries), and attributes meant for clients (`e.messages`, `e.errors()`, `e.description`, `e.code`, `type(e).__name__`). Any call other than formatting (`str`, `repr`, `format`, `json.dumps`, string methods) is taken to compute a safe message and is not looked into. A plain `return` counts only in functions registered as routes or error handlers.",
    },
  },
  create(context) {
    const handlers = new WebHandlers(context.analyses);
    const data = new ExceptionData(context.analyses, handlers);
    /** Functions with an `except` clause: the only ones whose plain returns are examined. */
    const catching = new Set<Scope>();
    const isSinkCall = (call: SyntaxNode): boolean => {
      const lastName = calleeLastName(call);
      return lastName !== null && (SINKS.has(lastName) || MESSAGE_LEVELS.has(lastName));
    };

    function report(node: SyntaxNode, leak: Leak, where: string): void {
      context.report({
        node,
        severity: leak.kind === "traceback" ? "error" : "warning",
        message: `${describeLeak(leak)} reaches the client ${where}; ${advice(leak)}.`,
      });
    }

    return {
      decorated_definition: handlers.visitDecorated,
      except_clause(node) {
        const scope = handlers.functionAt(node);
        if (scope) catching.add(scope);
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        const spec = SINKS.get(lastName) ?? messageSpec(context, node, lastName);
        if (!spec) return;
        const scope = handlers.functionAt(node);
        if (!scope) return;
        // Outside a function that catches, only a stack trace can be sent: look for one in the text first.
        if (!catching.has(scope) && !handlers.errorHandler(scope) && !TRACE_HINT.test(field(node, "arguments")?.text ?? "")) return;
        const callee = field(node, "function");
        if (!callee) return;
        const resolved = context.analyses.resolve(callee);
        if (resolved?.origin === "local") return;
        if (spec.qualified && !(resolved && spec.qualified.has(resolved.name))) return;
        const args = callArguments(node);
        let values = contentArguments(spec, args);
        // werkzeug's HTTPException(description, response): the text comes first.
        if (lastName === "HTTPException" && resolved?.name.startsWith("werkzeug")) values = [...values, ...args.positional.slice(0, 1)];
        for (const value of values) {
          const leak = data.find(value);
          if (leak) {
            report(node, leak, `in \`${snippet(callee, 40)}(...)\``);
            return;
          }
        }
      },
      return_statement(node) {
        const scope = handlers.functionAt(node);
        if (!scope || !handlers.isRoute(scope)) return;
        if (!catching.has(scope) && !handlers.errorHandler(scope)) return;
        const value = node.namedChildren.find((child) => child.type !== "comment");
        if (!value) return;
        const leak = data.find(value, isSinkCall);
        if (leak) report(node, leak, `as the response of \`${scope.name}\``);
      },
    };
  },
};

function messageSpec(context: RuleContext, call: SyntaxNode, lastName: string): SinkSpec | undefined {
  const position = MESSAGE_LEVELS.get(lastName);
  if (position === undefined) return undefined;
  const callee = field(call, "function");
  if (callee?.type !== "attribute" || field(callee, "object")?.text !== "messages") return undefined;
  const resolved = context.analyses.resolve(callee);
  if (!resolved?.name.startsWith(DJANGO_MESSAGES)) return undefined;
  return { positions: [position], keywords: ["message"] };
}
