import { callArguments, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { assignedCall, calleeMatches, constantValue, isTestPath } from "../configuration/helpers.js";
import {
  authSettings,
  decoratorName,
  hasAuthDependency,
  hasBodyCheck,
  isAuthDecorator,
  isAuthName,
  isPublicEndpoint,
  permissionClassesOpenness,
  type AuthSettings,
} from "./auth-signals.js";
import { analyzeViewClass, mutatingHandlers, type ViewClass, type ViewMethod } from "./views.js";

const ROUTE_METHODS = new Set(["route", "api_route", "get", "post", "put", "patch", "delete"]);
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const ADMIN_PATH = /(?:^|\/)(?:admin|administration|manage|management|internal|debug|_debug|staff|superuser|backoffice)(?:$|[/<{._-])/iu;
const BEFORE_REQUEST = /^(.*)\.before(_app)?_request$/u;
const FLASK_APPS = new Set(["flask.Flask", "quart.Quart"]);
const ROUTERS = new Set(["fastapi.FastAPI", "fastapi.APIRouter", "fastapi.routing.APIRouter"]);
const DJANGO_METHOD_DECORATORS = new Set(["require_POST", "require_http_methods"]);
const REQUEST_METHOD = /\brequest\.method\b/u;

type CandidateKind = "route" | "django-function" | "class";

interface Candidate {
  kind: CandidateKind;
  /** Where the finding goes: the function's or class's name. */
  anchor: SyntaxNode;
  /** The function or class, for body checks. */
  definition: SyntaxNode;
  /** What it handles: `POST /orders`, `POST`, `` `post`, `delete` (inherited) ``. */
  what: string;
  /** The route's receiver (`app`, `bp`, `router`), whose hooks and dependencies may cover it. */
  receiver: SyntaxNode | null;
  path: string | null;
  name: string;
  framework?: ViewClass["framework"];
}

/** A route decorator: `@app.route("/x", methods=["POST"])`, `@router.delete("/x")`. */
function routeOf(context: RuleContext, decorator: SyntaxNode): { methods: string[]; path: string | null; receiver: SyntaxNode } | null {
  if (decorator.type !== "call") return null;
  const callee = field(decorator, "function");
  if (callee?.type !== "attribute") return null;
  const method = field(callee, "attribute")?.text;
  const receiver = field(callee, "object");
  if (!method || !receiver || !ROUTE_METHODS.has(method)) return null;
  const args = callArguments(decorator);
  const pathNode = args.positional[0] ?? args.keywords.get("rule") ?? args.keywords.get("path");
  const pathValue = pathNode ? constantValue(context, pathNode) : undefined;
  if (typeof pathValue?.value !== "string") return null;
  const path = pathValue.value;
  // @mock.patch("pkg.module.func") is not a route.
  if (path !== "" && !path.startsWith("/")) return null;
  let methods: string[];
  if (method === "route" || method === "api_route") {
    const listed = args.keywords.get("methods");
    const value = listed ? constantValue(context, listed) : undefined;
    if (listed && !value) methods = ["?"];
    else methods = value && Array.isArray(value.value) ? value.value.map((item) => String(item).toUpperCase()) : ["GET"];
  } else {
    methods = [method.toUpperCase()];
  }
  return { methods, path, receiver };
}

const VERB = /\b(POST|PUT|PATCH|DELETE)\b/giu;

/** The state-changing HTTP methods named in a text, in order and upper case. */
function verbsIn(text: string): string[] {
  return [...new Set([...text.matchAll(VERB)].map((match) => (match[1] ?? "").toUpperCase()))];
}

const TAIL = "add one, or suppress with the reason if the endpoint is deliberately public";

function message(candidate: Candidate, fastapi: boolean): string {
  switch (candidate.kind) {
    case "route": {
      const admin = candidate.path !== null && ADMIN_PATH.test(candidate.path);
      const what = admin ? `serves ${candidate.what}, an admin, internal or debug path,` : `handles ${candidate.what}, which changes data,`;
      const missing = fastapi
        ? "no user dependency (`Depends(get_current_user)`) on the route, its router or `include_router`, and no check in the body"
        : `no auth decorator (\`@login_required\`, a role or permission check), no check in the body and no auth \`before_request\` hook on \`${candidate.receiver?.text ?? "app"}\``;
      return `\`${candidate.name}\` ${what} with no authentication or authorization check: ${missing}; ${TAIL}.`;
    }
    case "django-function":
      return `\`${candidate.name}\` (a Django view that accepts ${candidate.what}) changes data with no authentication or authorization check: no \`@login_required\`/\`@permission_required\` and no check on \`request.user\` in the body; ${TAIL}.`;
    default: {
      const how =
        candidate.framework === "django"
          ? "no `LoginRequiredMixin`/`PermissionRequiredMixin`, no `@method_decorator(login_required, ...)` and no check in the handlers"
          : candidate.framework === "flask"
            ? "no `decorators = [login_required]` (or `method_decorators`), no auth decorator on the handlers and no check in them"
            : "no auth decorator on the class or its handlers and no check in them";
      return `\`${candidate.name}\` changes data (${candidate.what}) with no authentication or authorization check: ${how}; ${TAIL}.`;
    }
  }
}

/** `decorators = [login_required]`, or Flask-RESTful's `method_decorators = {"post": [login_required]}`. */
function decoratorListHasAuth(context: RuleContext, settings: AuthSettings, value: SyntaxNode): boolean {
  const list = unparenthesize(value);
  for (const child of list.namedChildren) {
    if (child.type === "pair") {
      const inner = field(child, "value");
      if (inner && decoratorListHasAuth(context, settings, inner)) return true;
    } else if (isAuthDecorator(context, settings, child)) {
      return true;
    }
  }
  return false;
}

const CONDITION_PARENTS = new Set(["boolean_operator", "not_operator", "parenthesized_expression"]);

/** True when a comparison is (part of) the condition of an `if`, `elif` or conditional expression. */
function insideCondition(comparison: SyntaxNode): boolean {
  let current: SyntaxNode = comparison;
  for (let depth = 0; depth < 6; depth++) {
    const parent = current.parent;
    if (!parent) return false;
    if (parent.type === "if_statement" || parent.type === "elif_clause" || parent.type === "conditional_expression" || parent.type === "while_statement") return true;
    if (!CONDITION_PARENTS.has(parent.type)) return false;
    current = parent;
  }
  return false;
}

function describeMethods(methods: readonly ViewMethod[], implicit: readonly string[]): string {
  const list = (names: readonly string[]): string => {
    const quoted = names.map((name) => `\`${name}\``);
    return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1) ?? ""}`;
  };
  const own = list(methods.map((method) => method.name));
  const inherited = implicit.length > 0 ? `${list(implicit)} from its base class` : "";
  return own && inherited ? `${own}; ${inherited}` : own || inherited;
}

export const unauthenticatedRoute: RuleModule = {
  meta: {
    id: "PG-AUTHZ-001",
    name: "unauthenticated-state-changing-route",
    title: "Route that changes data, or admin route, without an authentication check",
    sections: ["G9", "C1"],
    cwe: [306, 862],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports request handlers that change data, or sit under an admin-looking path, with no sign of an authentication or authorization check. Handlers: Flask, Quart, FastAPI, Starlette and aiohttp routes with `POST`/`PUT`/`PATCH`/`DELETE` (`@app.route(..., methods=[\"POST\"])`, `@bp.post(...)`, `@router.delete(...)`), any route whose path has an `admin`, `manage`, `internal` or `debug` segment, Django function views that test `request.method == \"POST\"` (or use `@require_POST`/`@require_http_methods`), and class-based views (Django, Flask `MethodView`, Flask-RESTful/RESTX `Resource`, Tornado, Starlette) with `post`/`put`/`patch`/`delete` handlers or an editing base (`CreateView`, `UpdateView`, `DeleteView`, `FormView`).",
      whyIsThisBad:
        "A handler that changes data without checking who calls it lets anyone on the network do it: create orders, delete users, change settings. Admin and debug endpoints without a check hand over the whole application.",
      example:
        'from flask import Blueprint\n\nadmin = Blueprint("admin", __name__)\n\n@admin.route("/admin/users/<int:userId>", methods=["DELETE"])\ndef func_deleteUser(userId):\n    USERS.pop(userId, None)\n    return "", 204',
      useInstead:
        'from flask import Blueprint\nfrom flask_login import login_required\n\nfrom .auth import func_adminRequired\n\nadmin = Blueprint("admin", __name__)\n\n@admin.route("/admin/users/<int:userId>", methods=["DELETE"])\n@login_required\n@func_adminRequired\ndef func_deleteUser(userId):\n    USERS.pop(userId, None)\n    return "", 204',
      notes: [
        "Recognised checks:",
        "- decorators, by their last name: `login_required`, `fresh_login_required`, `jwt_required`, `roles_required`, `roles_accepted`, `permission_required`, `auth_required`, `user_passes_test`, `staff_member_required`, `requires` (Starlette), `authenticated` (Tornado), Flask-Principal `Permission(...).require()`, `method_decorator(<any of these>)`, DRF `permission_classes([...])` other than `AllowAny` and non-empty `authentication_classes([...])`, and project decorators whose name says so (`func_adminRequired`, `func_requireLogin`, `ensure_staff`); the option `authDecorators` (a list of names) adds more;",
        "- FastAPI: a parameter or decorator `dependencies=[...]` with `Depends(...)` on a function whose name mentions the user, auth, a token, verification or a requirement (`Depends(get_current_user)`, `Depends(func_verifyToken)`), any `Security(...)`, an annotation such as `CurrentUser`, and `dependencies=[Depends(...)]` on the `FastAPI(...)`/`APIRouter(...)` the route belongs to or on its `include_router` call in the file;",
        "- class-based views: `LoginRequiredMixin`, `PermissionRequiredMixin`, `UserPassesTestMixin` (and a project base whose name says it protects, such as `ProtectedView`), `permission_classes`/`authentication_classes`, Flask `decorators = [...]`/`method_decorators = [...]` with an auth decorator, an auth decorator on the class or on `dispatch`, or an overridden `dispatch`/`get_permissions`;",
        "- a check in the handler's body: `current_user.is_authenticated`, `request.user.has_perm(...)`, `is_staff`, `abort(401)`/`abort(403)`, `raise PermissionDenied`, `HttpResponseForbidden`, `status_code=403`, `verify_jwt_in_request()`, `if not g.user`, `session.get(\"user_id\")`, a redirect to the login page;",
        "- a Flask `before_request` hook that checks authentication (by its body or its name) covers every route of its blueprint in the file; on the app (or `before_app_request`), every route in the file.",
        "Deliberately public endpoints are skipped by path or function name: login, logout, sign-up, registration, password reset, webhooks, health checks, OAuth callbacks, token endpoints. The option `publicRoutes` (regular expressions, matched against paths and function names) adds more. Django REST framework views are judged by PG-AUTHZ-005 instead: without `permission_classes` they follow the project's `DEFAULT_PERMISSION_CLASSES` (set the option `trustDrfDefaults: false` to report them here too).",
        "Limits: authentication enforced outside the file (Django's `LoginRequiredMiddleware`, an API gateway, a base class imported from elsewhere whose name does not say it protects, a hook registered in another module) cannot be seen. Suppress with the reason (`# pyguard: ignore[PG-AUTHZ-001] -- LoginRequiredMiddleware covers every view`) or turn the rule off for those paths. Test files are exempt.",
      ].join("\n"),
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    const settings: AuthSettings = authSettings(context.options);
    const candidates: Candidate[] = [];
    const seenFunctions = new Set<number>();
    const views = new Map<string, ViewClass>();
    /** Receivers whose `before_request` hook checks auth; "*" for the whole app. */
    const coveredReceivers = new Set<string>();
    const hookRegistrations: Array<{ receiver: string; appWide: boolean; name: string; node: SyntaxNode }> = [];
    const checkMethods = REQUEST_METHOD.test(context.source);
    const checkRegistrations = context.source.includes("before_") || context.source.includes("include_router");

    function functionGuarded(definition: SyntaxNode, decorators: readonly SyntaxNode[]): boolean {
      if (decorators.some((decorator) => isAuthDecorator(context, settings, decorator))) return true;
      const parameters = field(definition, "parameters");
      if (parameters && hasAuthDependency(parameters.text)) return true;
      return hasBodyCheck(context.source.slice(definition.startIndex, definition.endIndex));
    }

    function isAppReceiver(receiver: SyntaxNode): boolean {
      if (receiver.type !== "identifier") return false;
      const created = assignedCall(context, receiver);
      return created !== null ? calleeMatches(context, created, FLASK_APPS) : /^(?:app|application)$/u.test(receiver.text);
    }

    function recordHook(receiver: SyntaxNode, appWide: boolean, covered: boolean): void {
      if (!covered) return;
      coveredReceivers.add(appWide || isAppReceiver(receiver) ? "*" : receiver.text);
    }

    /** FastAPI(dependencies=[Depends(auth)]) or APIRouter(dependencies=[...]) behind a route's receiver. */
    function receiverHasDependencies(receiver: SyntaxNode): boolean {
      const created = assignedCall(context, receiver);
      if (!created || !calleeMatches(context, created, ROUTERS)) return false;
      const dependencies = callArguments(created).keywords.get("dependencies");
      return dependencies !== undefined && hasAuthDependency(dependencies.text);
    }

    function visitFunction(definition: SyntaxNode, decorators: readonly SyntaxNode[]): void {
      const nameNode = field(definition, "name");
      if (!nameNode) return;
      const name = nameNode.text;
      for (const decorator of decorators) {
        // @bp.before_request: a hook, not a route.
        if (decorator.type === "attribute") {
          const hook = BEFORE_REQUEST.exec(decorator.text);
          const receiver = hook ? field(decorator, "object") : null;
          if (hook && receiver) {
            const covered = isAuthName(settings, name) || hasBodyCheck(context.source.slice(definition.startIndex, definition.endIndex));
            recordHook(receiver, hook[2] !== undefined, covered);
            return;
          }
        }
        const route = routeOf(context, decorator);
        if (route) {
          const mutating = route.methods.filter((method) => MUTATING.has(method));
          const admin = route.path !== null && ADMIN_PATH.test(route.path);
          // A function may carry several routes (`@app.get("/a")` above `@app.post("/b")`): the next one may change data.
          if (mutating.length === 0 && !admin) continue;
          if (isPublicEndpoint(settings, route.path, name)) return;
          const dependencies = callArguments(decorator).keywords.get("dependencies");
          if (dependencies && hasAuthDependency(dependencies.text)) return;
          if (functionGuarded(definition, decorators)) return;
          seenFunctions.add(definition.startIndex);
          const verbs = mutating.length > 0 ? mutating.join("/") : route.methods.join("/");
          candidates.push({ kind: "route", anchor: nameNode, definition, what: `\`${verbs} ${route.path || "/"}\``, receiver: route.receiver, path: route.path, name });
          return;
        }
        // Django: @require_POST, @require_http_methods(["POST", ...])
        const decoratorLast = decoratorName(decorator);
        if (decoratorLast && DJANGO_METHOD_DECORATORS.has(decoratorLast)) {
          const listed = decoratorLast === "require_POST" ? "POST" : (field(decorator, "arguments")?.text ?? "");
          const verbs = verbsIn(listed);
          if (verbs.length === 0) return;
          addDjangoView(definition, name, decorators, verbs);
          return;
        }
      }
    }

    function addDjangoView(definition: SyntaxNode, name: string, decorators: readonly SyntaxNode[], verbs: readonly string[]): void {
      if (seenFunctions.has(definition.startIndex)) return;
      seenFunctions.add(definition.startIndex);
      if (isPublicEndpoint(settings, null, name)) return;
      // DRF function views follow DEFAULT_PERMISSION_CLASSES (PG-AUTHZ-005).
      if (settings.trustDrfDefaults && decorators.some((decorator) => decoratorName(decorator) === "api_view")) return;
      if (functionGuarded(definition, decorators)) return;
      const nameNode = field(definition, "name");
      if (nameNode) candidates.push({ kind: "django-function", anchor: nameNode, definition, what: verbs.join("/"), receiver: null, path: null, name });
    }

    function visitClass(node: SyntaxNode): void {
      const view = analyzeViewClass(context, node, views);
      if (view.name) views.set(view.name, view);
      if (!view.isView || view.framework === null) return;
      if (view.framework === "drf" && settings.trustDrfDefaults) return;
      if (view.authBase || view.overrides.has("get_permissions") || view.overrides.has("check_permissions")) return;
      const permissions = view.settings.get("permission_classes");
      if (permissions && permissionClassesOpenness(context, permissions) !== "unknown") return;
      const authentication = view.settings.get("authentication_classes");
      if (authentication && authentication.text.replace(/[\s()[\],]/gu, "") !== "") return;
      for (const key of ["decorators", "method_decorators"]) {
        const value = view.settings.get(key);
        if (value && decoratorListHasAuth(context, settings, value)) return;
      }
      const classDecorators = context.analyses.decoratorsOf(node);
      if (classDecorators.some((decorator) => isAuthDecorator(context, settings, decorator))) return;
      const dispatch = view.mutating.find((method) => method.verb === "dispatch");
      if (dispatch && functionGuarded(dispatch.definition, dispatch.decorators)) return;
      if (view.overrides.has("dispatch") && !dispatch) {
        // An undecorated dispatch override may check access itself.
        return;
      }
      const { methods, implicit } = mutatingHandlers(context, view);
      const open = methods.filter((method) => !functionGuarded(method.definition, method.decorators));
      if (open.length === 0 && implicit.length === 0) return;
      if (isPublicEndpoint(settings, null, view.name)) return;
      const nameNode = field(node, "name");
      if (!nameNode) return;
      candidates.push({ kind: "class", anchor: nameNode, definition: node, what: describeMethods(open, implicit), receiver: null, path: null, name: view.name, framework: view.framework });
    }

    return {
      decorated_definition(node) {
        const definition = field(node, "definition");
        if (definition?.type !== "function_definition") return;
        visitFunction(definition, context.analyses.decoratorsOf(definition));
      },
      class_definition: visitClass,
      comparison_operator(node) {
        if (!checkMethods) return;
        const first = node.namedChild(0);
        if (first?.type !== "attribute" || field(first, "attribute")?.text !== "method") return;
        const verbs = verbsIn(node.text);
        if (verbs.length === 0) return;
        const scope = context.analyses.scopes.functionScopeAt(node);
        // Django function views are module-level functions; nested ones are middleware or helpers.
        if (!scope || scope.kind !== "function" || scope.parent?.kind !== "module") return;
        const definition = scope.node;
        if (seenFunctions.has(definition.startIndex)) return;
        // Django function views take the request first; methods of classes are judged with their class.
        const parameters = field(definition, "parameters");
        const firstParameter = parameters?.namedChild(0);
        if (firstParameter?.type !== "identifier" || firstParameter.text !== "request") return;
        // `return request.method == "POST"` is a helper; a view branches on the method.
        if (!insideCondition(node)) return;
        addDjangoView(definition, scope.name, context.analyses.decoratorsOf(definition), verbs);
      },
      call(node) {
        // app.before_request(func_requireLogin), app.include_router(router, dependencies=[Depends(auth)])
        if (!checkRegistrations) return;
        const callee = field(node, "function");
        if (callee?.type !== "attribute") return;
        const method = field(callee, "attribute")?.text;
        if (method !== "before_request" && method !== "before_app_request" && method !== "include_router") return;
        const receiver = field(callee, "object");
        const args = callArguments(node);
        const first = args.positional[0];
        if (!receiver || !first) return;
        if (method === "include_router") {
          const dependencies = args.keywords.get("dependencies");
          if (dependencies && hasAuthDependency(dependencies.text)) coveredReceivers.add(first.text);
          return;
        }
        if (first.type === "identifier") hookRegistrations.push({ receiver: receiver.text, appWide: method === "before_app_request" || isAppReceiver(receiver), name: first.text, node: first });
      },
      "module:exit"() {
        const fastapi = context.analyses.importsModule("fastapi");
        for (const registration of hookRegistrations) {
          let covered = isAuthName(settings, registration.name);
          if (!covered) {
            const binding = context.analyses.scopes.bindingsOf(registration.name, registration.node).find((candidate) => candidate.kind === "function");
            covered = binding !== undefined && hasBodyCheck(context.source.slice(binding.site.startIndex, binding.site.endIndex));
          }
          if (covered) coveredReceivers.add(registration.appWide ? "*" : registration.receiver);
        }
        for (const candidate of candidates) {
          if (candidate.receiver) {
            if (coveredReceivers.has("*") || coveredReceivers.has(candidate.receiver.text)) continue;
            if (candidate.receiver.type === "identifier" && receiverHasDependencies(candidate.receiver)) continue;
          }
          context.report({ node: candidate.anchor, message: message(candidate, fastapi) });
        }
      },
    };
  },
};
