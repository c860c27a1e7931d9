import { callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { WebHandlers } from "../exceptions/web-handlers.js";
import { AuthFunctions, isCredentialCheckCall } from "./auth-checks.js";
import { textLogs } from "./log-calls.js";

type Status = 401 | 403;

/** Exceptions and responses that deny access, by their last name. */
const DENIALS = new Map<string, Status>([
  ["PermissionDenied", 403],
  ["Forbidden", 403],
  ["HTTPForbidden", 403],
  ["HttpResponseForbidden", 403],
  ["permission_denied", 403],
  ["Unauthorized", 401],
  ["NotAuthenticated", 401],
  ["HTTPUnauthorized", 401],
  ["AuthenticationFailed", 401],
]);
/** Calls that deny access when given a 401 or 403 status. */
const STATUS_CALLS = new Set([
  "abort", "HTTPException", "Response", "JsonResponse", "HttpResponse", "JSONResponse", "PlainTextResponse", "HTMLResponse",
  "make_response",
]);
/** Denials that only mean something when raised or returned (`raise PermissionDenied()`), unlike `abort(403)`, which raises. */
const CONSTRUCTED = new Set(["PermissionDenied", "Forbidden", "HTTPForbidden", "Unauthorized", "NotAuthenticated", "HTTPUnauthorized", "AuthenticationFailed"]);
const ERROR_HANDLER_DECORATORS = new Set(["errorhandler", "app_errorhandler", "exception_handler"]);
/** Error handlers registered for these catch every denial. */
const CATCH_ALL = new Set(["HTTPException", "Exception", "APIException", "BaseException"]);

const MAX_SIBLINGS = 40;

function statusOf(context: RuleContext, node: SyntaxNode | undefined): Status | null {
  if (!node) return null;
  const constant = context.analyses.constant(node);
  if (constant?.value === 401 || constant?.value === 403) return constant.value;
  if (node.type !== "attribute" && node.type !== "identifier") return null;
  const text = node.text;
  if (/HTTP_403|FORBIDDEN/u.test(text)) return 403;
  if (/HTTP_401|UNAUTHORI[SZ]ED/u.test(text)) return 401;
  return null;
}

function lastNameOf(expression: SyntaxNode): string | null {
  if (expression.type === "identifier") return expression.text;
  if (expression.type === "attribute") return field(expression, "attribute")?.text ?? null;
  return null;
}

/** The statement (a child of a block) that holds `node`. */
function statementOf(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (let depth = 0; depth < 16; depth++) {
    const parent = current.parent;
    if (!parent || parent.type === "block" || parent.type === "module") return current;
    current = parent;
  }
  return current;
}

/** True when a statement before `statement` in its block logs. */
function loggedBefore(statement: SyntaxNode): boolean {
  let sibling = statement.previousNamedSibling;
  for (let count = 0; sibling && count < MAX_SIBLINGS; count++) {
    if (sibling.type !== "comment" && textLogs(sibling.text)) return true;
    sibling = sibling.previousNamedSibling;
  }
  return false;
}

interface Pending {
  node: SyntaxNode;
  status: Status;
  shown: string;
}

function snippet(node: SyntaxNode, limit = 40): string {
  const text = node.text.replace(/\s+/gu, " ");
  if (text.length <= limit) return text;
  const callee = node.type === "call" ? field(node, "function") : null;
  return callee && callee.text.length < limit ? `${callee.text}(...)` : `${text.slice(0, limit - 1)}…`;
}

export const accessDeniedNotLogged: RuleModule = {
  meta: {
    id: "PG-LOG-002",
    name: "access-denied-not-logged",
    title: "Access-control failure not logged",
    sections: ["C9"],
    cwe: [778],
    defaultSeverity: "note",
    docs: {
      whatItDoes:
        "Reports a denial of access with no logging call before it in the same block: `abort(403)`/`abort(401)`, `raise PermissionDenied`/`Forbidden`/`Unauthorized`/`NotAuthenticated`, `HTTPException(status_code=403)`, `HttpResponseForbidden(...)`, DRF `self.permission_denied(...)`, a response built with `status=403`, or `return ..., 403`. Not reported when the file registers an error handler for that status (or for all HTTP errors) that logs.",
      whyIsThisBad:
        "Repeated access-control failures are the trace of someone probing for resources they may not use: other users' records, admin functions, guessed ids. When the application does not record them, nobody notices the probing or can reconstruct it after a breach.",
      example:
        'from flask import Blueprint, abort\nfrom flask_login import current_user\n\nbp = Blueprint("admin", __name__)\n\n\n@bp.get("/admin/users")\ndef func_listUsers():\n    if not current_user.isAdmin:\n        abort(403)\n    return func_renderUsers()',
      useInstead:
        'import logging\n\nfrom flask import Blueprint, abort, request\nfrom flask_login import current_user\n\nbp = Blueprint("admin", __name__)\nlogger = logging.getLogger("security")\n\n\n@bp.get("/admin/users")\ndef func_listUsers():\n    if not current_user.isAdmin:\n        logger.warning("access denied: user %s to %s", current_user.id, request.path)\n        abort(403)\n    return func_renderUsers()',
      notes:
        "A note: central logging is common and often invisible from the denial (an error handler in another module, middleware, Django's `django.request` logger, which records 4xx responses when the logging configuration routes it). Configure the rule off, or suppress it, when that is in place. 401 answers inside authentication functions are left to PG-LOG-001. Denials in decorators and permission classes that only return `False` (DRF `has_permission`) are not seen. Returns inside an error handler (which render the denial) are not reported.",
    },
  },
  create(context) {
    const handlers = new WebHandlers(context.analyses);
    const auth = new AuthFunctions(context.analyses);
    const pending: Pending[] = [];
    const covered = new Set<Status>();

    function consider(node: SyntaxNode, status: Status, statement: SyntaxNode, shown: string): void {
      const scope = auth.functionAt(node);
      if (!scope || scope.kind !== "function") return;
      if (handlers.errorHandler(scope)) return;
      if (status === 401 && auth.isAuthRelevant(scope)) return;
      if (loggedBefore(statement)) return;
      pending.push({ node, status, shown });
    }

    return {
      decorated_definition(node) {
        handlers.visitDecorated(node);
        let statuses: Status[] = [];
        for (const decorator of node.namedChildren) {
          if (decorator.type !== "decorator" || !/errorhandler|exception_handler/u.test(decorator.text)) continue;
          const call = decorator.namedChildren.find((child) => child.type === "call");
          if (!call || !ERROR_HANDLER_DECORATORS.has(calleeLastName(call) ?? "")) continue;
          const handled = callArguments(call).positional[0];
          if (!handled) continue;
          const status = statusOf(context, handled);
          const name = lastNameOf(handled);
          if (status) statuses.push(status);
          else if (name && DENIALS.has(name)) statuses.push(DENIALS.get(name) as Status);
          else if (name && CATCH_ALL.has(name)) statuses = [401, 403];
        }
        if (statuses.length === 0) return;
        const definition = field(node, "definition");
        const body = definition ? field(definition, "body") : null;
        if (body && textLogs(body.text)) for (const status of statuses) covered.add(status);
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        if (isCredentialCheckCall(node, lastName)) {
          const scope = auth.functionAt(node);
          if (scope) auth.recordCheck(scope, lastName);
          return;
        }
        const denial = DENIALS.get(lastName);
        if (denial) {
          const statement = statementOf(node);
          if (CONSTRUCTED.has(lastName) && statement.type !== "raise_statement" && statement.type !== "return_statement") return;
          consider(node, denial, statement, snippet(node));
          return;
        }
        if (!STATUS_CALLS.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee || context.analyses.resolve(callee)?.origin === "local") return;
        const args = callArguments(node);
        let status: Status | null;
        if (lastName === "abort") status = statusOf(context, args.positional[0] ?? args.keywords.get("code"));
        else if (lastName === "HTTPException") status = statusOf(context, args.keywords.get("status_code") ?? args.positional[0]);
        else if (lastName === "make_response") status = statusOf(context, args.positional[1] ?? args.keywords.get("status"));
        else status = statusOf(context, args.keywords.get("status") ?? args.keywords.get("status_code"));
        if (status) consider(node, status, statementOf(node), snippet(node));
      },
      raise_statement(node) {
        const raised = node.namedChildren.find((child) => child.type !== "comment");
        if (!raised || (raised.type !== "identifier" && raised.type !== "attribute")) return;
        const name = lastNameOf(raised);
        const status = name ? DENIALS.get(name) : undefined;
        if (status) consider(node, status, node, `raise ${snippet(raised)}`);
      },
      return_statement(node) {
        const value = node.firstNamedChild;
        if (!value || (value.type !== "expression_list" && value.type !== "tuple")) return;
        const status = statusOf(context, value.namedChild(1) ?? undefined);
        if (status) consider(node, status, node, snippet(node, 40));
      },
      "module:exit"() {
        for (const { node, status, shown } of pending) {
          if (covered.has(status)) continue;
          const what = status === 403 ? "Access is denied" : "An unauthenticated request is refused";
          context.report({
            node,
            message: `${what} here (\`${shown}\`) and nothing before it in this block logs the refusal; log who was refused what (for example \`logger.warning("access denied: user %s to %s", userId, request.path)\`) here or once in an \`errorhandler(${status})\` that logs, so that probing shows up in monitoring.`,
          });
        }
      },
    };
  },
};
