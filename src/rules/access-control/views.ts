import { field } from "../../engine/syntax.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";
import { nameWords } from "../configuration/helpers.js";

/** Class-based views: which framework, which state-changing handlers, which class-level settings. */

export type ViewFramework = "django" | "drf" | "flask" | "tornado" | "starlette";

const FRAMEWORK_PACKAGES: ReadonlyArray<[string, ViewFramework]> = [
  ["rest_framework.", "drf"],
  ["django.", "django"],
  ["flask_restful.", "flask"],
  ["flask_restx.", "flask"],
  ["flask_smorest.", "flask"],
  ["flask.", "flask"],
  ["tornado.", "tornado"],
  ["starlette.", "starlette"],
  ["fastapi.", "starlette"],
];

/** Bases that are views, by last name. */
const VIEW_BASES = new Set([
  "View", "TemplateView", "RedirectView", "FormView", "CreateView", "UpdateView", "DeleteView", "DetailView", "ListView",
  "ProcessFormView", "BaseFormView", "BaseCreateView", "BaseUpdateView", "BaseDeleteView",
  "APIView", "GenericAPIView", "ViewSet", "GenericViewSet", "ModelViewSet", "ReadOnlyModelViewSet", "ViewSetMixin",
  "CreateAPIView", "ListCreateAPIView", "UpdateAPIView", "RetrieveUpdateAPIView", "DestroyAPIView", "RetrieveDestroyAPIView",
  "RetrieveUpdateDestroyAPIView", "ListAPIView", "RetrieveAPIView",
  "CreateModelMixin", "UpdateModelMixin", "DestroyModelMixin",
  "MethodView", "Resource", "RequestHandler", "HTTPEndpoint",
]);

/** Handlers a base class provides without the subclass defining them. */
const IMPLICIT_HANDLERS: ReadonlyMap<string, readonly string[]> = new Map([
  ["FormView", ["post"]],
  ["CreateView", ["post"]],
  ["UpdateView", ["post"]],
  ["DeleteView", ["post", "delete"]],
  ["ModelViewSet", ["create", "update", "partial_update", "destroy"]],
  ["CreateAPIView", ["create"]],
  ["ListCreateAPIView", ["create"]],
  ["UpdateAPIView", ["update", "partial_update"]],
  ["RetrieveUpdateAPIView", ["update", "partial_update"]],
  ["DestroyAPIView", ["destroy"]],
  ["RetrieveDestroyAPIView", ["destroy"]],
  ["RetrieveUpdateDestroyAPIView", ["update", "partial_update", "destroy"]],
  ["CreateModelMixin", ["create"]],
  ["UpdateModelMixin", ["update", "partial_update"]],
  ["DestroyModelMixin", ["destroy"]],
]);

/** Handler methods that change state, and the HTTP method each answers. */
export const MUTATING_HANDLERS: ReadonlyMap<string, string> = new Map([
  ["post", "POST"],
  ["put", "PUT"],
  ["patch", "PATCH"],
  ["delete", "DELETE"],
  ["create", "POST"],
  ["update", "PUT"],
  ["partial_update", "PATCH"],
  ["destroy", "DELETE"],
]);

const AUTH_MIXIN = /^(?:LoginRequired|PermissionRequired|UserPassesTest|StaffuserRequired|SuperuserRequired|GroupRequired|StaffRequired|AdminRequired|MultiplePermissionsRequired)Mixin$/u;
const AUTH_BASE_WORDS = new Set(["login", "auth", "authenticated", "permission", "permissions", "protected", "secure", "secured", "staff", "admin", "role", "roles", "private", "owner", "restricted", "superuser"]);
const MUTATING_ACTION_METHOD = /["'](?:post|put|patch|delete)["']/iu;
const CLASS_SETTINGS = new Set(["permission_classes", "authentication_classes", "decorators", "method_decorators", "http_method_names"]);

export interface ViewMethod {
  name: string;
  definition: SyntaxNode;
  decorators: SyntaxNode[];
  /** HTTP method it answers, or "action" for a DRF `@action(methods=[...])`. */
  verb: string;
}

export interface ViewClass {
  node: SyntaxNode;
  name: string;
  framework: ViewFramework | null;
  /** Defined state-changing handlers, and `@action`s with a state-changing method. */
  mutating: ViewMethod[];
  /** State-changing handlers a base provides (ModelViewSet's create/update/destroy). */
  implicit: string[];
  /** Class-level settings: permission_classes, authentication_classes, decorators, method_decorators, http_method_names. */
  settings: Map<string, SyntaxNode>;
  /** LoginRequiredMixin and friends, or a base whose name says it protects (ProtectedView). */
  authBase: boolean;
  /** `get_permissions` or `dispatch` overridden: access may be decided there. */
  overrides: Set<string>;
  /** The class is a view of a known framework (directly or through a view of this file). */
  isView: boolean;
}

/** Analyzes a class definition; `local` holds the views of this file seen so far, by name. */
export function analyzeViewClass(context: RuleContext, node: SyntaxNode, local: ReadonlyMap<string, ViewClass>): ViewClass {
  const info: ViewClass = {
    node,
    name: field(node, "name")?.text ?? "",
    framework: null,
    mutating: [],
    implicit: [],
    settings: new Map(),
    authBase: false,
    overrides: new Set(),
    isView: false,
  };
  const bases = field(node, "superclasses");
  for (const base of bases?.namedChildren ?? []) {
    if (base.type !== "identifier" && base.type !== "attribute") continue;
    const lastName = base.type === "identifier" ? base.text : (field(base, "attribute")?.text ?? "");
    const inherited = base.type === "identifier" ? local.get(base.text) : undefined;
    if (inherited) {
      info.isView ||= inherited.isView;
      info.framework ??= inherited.framework;
      info.authBase ||= inherited.authBase;
      info.implicit.push(...inherited.implicit);
      info.mutating.push(...inherited.mutating);
      for (const [key, value] of inherited.settings) info.settings.set(key, value);
      for (const override of inherited.overrides) info.overrides.add(override);
      continue;
    }
    if (AUTH_MIXIN.test(lastName)) {
      info.authBase = true;
      continue;
    }
    if (!VIEW_BASES.has(lastName)) {
      // A project base (`ProtectedView`, `StaffMixin`) whose name says it protects.
      if (nameWords(lastName).some((word) => AUTH_BASE_WORDS.has(word))) info.authBase = true;
      continue;
    }
    const resolved = context.analyses.resolve(base);
    const framework = resolved && resolved.origin === "import" ? FRAMEWORK_PACKAGES.find(([prefix]) => resolved.name.startsWith(prefix))?.[1] : undefined;
    if (framework) {
      info.isView = true;
      // DRF views subclass Django's View; the most specific framework wins.
      if (info.framework === null || framework === "drf") info.framework = framework;
      info.implicit.push(...(IMPLICIT_HANDLERS.get(lastName) ?? []));
    }
  }
  // Only views need their body read (most classes of a file are models, forms, helpers).
  if (!info.isView) return info;
  const body = field(node, "body");
  for (const statement of body?.namedChildren ?? []) {
    switch (statement.type) {
      case "expression_statement": {
        const assignment = statement.namedChild(0);
        if (assignment?.type !== "assignment") break;
        const left = field(assignment, "left");
        const right = field(assignment, "right");
        if (left?.type === "identifier" && right && CLASS_SETTINGS.has(left.text)) info.settings.set(left.text, right);
        break;
      }
      case "function_definition":
        addMethod(info, statement, []);
        break;
      case "decorated_definition": {
        const definition = field(statement, "definition");
        if (definition?.type !== "function_definition") break;
        const decorators = statement.namedChildren.filter((child) => child.type === "decorator").map((child) => child.namedChild(0)).filter((child): child is SyntaxNode => child !== null);
        addMethod(info, definition, decorators);
        break;
      }
      default:
        break;
    }
  }
  return info;
}

function addMethod(info: ViewClass, definition: SyntaxNode, decorators: SyntaxNode[]): void {
  const name = field(definition, "name")?.text;
  if (!name) return;
  if (name === "get_permissions" || name === "dispatch" || name === "initial" || name === "check_permissions" || name === "prepare") {
    info.overrides.add(name);
    // A decorated dispatch (@method_decorator(login_required)) is judged by the rules.
    if (name === "dispatch" && decorators.length > 0) info.mutating.push({ name, definition, decorators, verb: "dispatch" });
    return;
  }
  const verb = MUTATING_HANDLERS.get(name);
  if (verb) {
    info.mutating = info.mutating.filter((method) => method.name !== name);
    info.mutating.push({ name, definition, decorators, verb });
    return;
  }
  // DRF @action(detail=True, methods=["post"])
  const action = decorators.find((decorator) => decorator.type === "call" && /(?:^|\.)action$/u.test(field(decorator, "function")?.text ?? ""));
  if (action && MUTATING_ACTION_METHOD.test(field(action, "arguments")?.text ?? "")) {
    info.mutating.push({ name, definition, decorators, verb: "action" });
  }
}

/** The state-changing handlers of a view, restricted by `http_method_names` when it is a constant list. */
export function mutatingHandlers(context: RuleContext, view: ViewClass): { methods: ViewMethod[]; implicit: string[] } {
  const methods = view.mutating.filter((method) => method.verb !== "dispatch");
  const allowedNode = view.settings.get("http_method_names");
  const allowed = allowedNode ? context.analyses.constant(allowedNode) : undefined;
  if (!allowed || !Array.isArray(allowed.value)) return { methods, implicit: [...new Set(view.implicit)].filter((name) => !methods.some((method) => method.name === name)) };
  const verbs = new Set(allowed.value.map((value) => String(value).toUpperCase()));
  const keep = (name: string): boolean => verbs.has(MUTATING_HANDLERS.get(name) ?? "");
  return {
    methods: methods.filter((method) => method.verb === "action" || keep(method.name)),
    implicit: [...new Set(view.implicit)].filter((name) => keep(name) && !methods.some((method) => method.name === name)),
  };
}
