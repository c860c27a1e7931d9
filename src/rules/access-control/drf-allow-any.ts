import { callArguments, field, stringLiteralValue, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import {
  isDevelopmentSettings,
  isUnconditionalModuleStatement,
  looksLikeDjangoSettings,
  moduleLevelTarget,
  snippet,
} from "../configuration/helpers.js";
import { authSettings, decoratorName, isPublicEndpoint, permissionClassesOpenness } from "./auth-signals.js";
import { analyzeViewClass, mutatingHandlers, type ViewClass } from "./views.js";

const MUTATING_VERBS = /["'](?:POST|PUT|PATCH|DELETE)["']/iu;

export const drfAllowAny: RuleModule = {
  meta: {
    id: "PG-AUTHZ-005",
    name: "drf-open-permissions-on-writes",
    title: "DRF view that changes data open to everyone (AllowAny)",
    sections: ["G9", "C1"],
    cwe: [284, 862],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports Django REST framework views that accept writes from anyone: `permission_classes = [AllowAny]` (or `(AllowAny,)`, or an empty list) on a view with state-changing handlers (`post`/`put`/`patch`/`delete`, a `ModelViewSet`'s or generic view's `create`/`update`/`destroy`, an `@action(methods=[\"post\"])`), `@permission_classes([AllowAny])` on an `@api_view([\"POST\", …])` function, and a `REST_FRAMEWORK` setting whose `DEFAULT_PERMISSION_CLASSES` is `AllowAny`, empty or missing (DRF's default is `AllowAny`).",
      whyIsThisBad:
        "`AllowAny` switches authentication and authorization off for the view: anyone on the internet can create, change or delete the objects it manages. A project-wide `AllowAny` default does the same for every view that does not set its own permissions.",
      example:
        'from rest_framework import viewsets\nfrom rest_framework.permissions import AllowAny\n\nclass OrderViewSet(viewsets.ModelViewSet):\n    permission_classes = [AllowAny]',
      useInstead:
        'from rest_framework import viewsets\nfrom rest_framework.permissions import IsAuthenticated\n\nclass OrderViewSet(viewsets.ModelViewSet):\n    permission_classes = [IsAuthenticated]',
      notes:
        "Read-only views (`ReadOnlyModelViewSet`, `ListAPIView`, views with only `get`, or `http_method_names` without write methods) are not reported, nor are deliberately public endpoints by name or path (sign-up, login, token, password reset, webhooks; see PG-AUTHZ-001's `publicRoutes` option, which this rule shares), nor views that override `get_permissions` (the decision is made there). Settings meant for development or tests (by file name) are exempt.",
    },
  },
  create(context) {
    const settings = authSettings(context.options);
    const views = new Map<string, ViewClass>();

    function checkClass(node: SyntaxNode): void {
      const view = analyzeViewClass(context, node, views);
      if (view.name) views.set(view.name, view);
      if (view.framework !== "drf" || view.overrides.has("get_permissions")) return;
      const permissions = view.settings.get("permission_classes");
      if (!permissions || permissionClassesOpenness(context, permissions) !== "open") return;
      // Only the class that sets it is reported; subclasses inherit the finding.
      const assignment = permissions.parent;
      if (!assignment || assignment.startIndex < node.startIndex || assignment.endIndex > node.endIndex) return;
      const { methods, implicit } = mutatingHandlers(context, view);
      const handlers = [...methods.map((method) => method.name), ...implicit];
      if (handlers.length === 0 || isPublicEndpoint(settings, null, view.name)) return;
      context.report({
        node: assignment,
        message: `\`${view.name}\` sets \`permission_classes = ${snippet(permissions, 30)}\` but changes data (${handlers.map((name) => `\`${name}\``).join(", ")}): anyone can call it without logging in; use \`IsAuthenticated\` or a permission that checks the object's owner, and keep \`AllowAny\` to read-only or deliberately public views.`,
      });
    }

    return {
      class_definition: checkClass,
      decorated_definition(node) {
        const definition = field(node, "definition");
        if (definition?.type !== "function_definition") return;
        const decorators = context.analyses.decoratorsOf(definition);
        let openDecorator: SyntaxNode | null = null;
        let writes = false;
        for (const decorator of decorators) {
          if (decorator.type !== "call") continue;
          const name = decoratorName(decorator);
          if (name === "api_view") writes = MUTATING_VERBS.test(field(decorator, "arguments")?.text ?? "");
          if (name === "permission_classes") {
            const first = callArguments(decorator).positional[0];
            if (first && permissionClassesOpenness(context, first) === "open") openDecorator = decorator;
          }
        }
        if (!openDecorator || !writes) return;
        const functionName = field(definition, "name")?.text ?? "view";
        if (isPublicEndpoint(settings, null, functionName)) return;
        context.report({
          node: openDecorator,
          message: `\`@${snippet(openDecorator, 40)}\` lets anyone call \`${functionName}\`, which accepts writes: use \`IsAuthenticated\` or a permission that checks the object's owner.`,
        });
      },
      assignment(node) {
        const target = moduleLevelTarget(context, node);
        if (target?.text !== "REST_FRAMEWORK" || !isUnconditionalModuleStatement(node)) return;
        const value = field(node, "right");
        const dictionary = value ? unparenthesize(value) : null;
        if (dictionary?.type !== "dictionary") return;
        if (isDevelopmentSettings(context.path) || !looksLikeDjangoSettings(context.path, context.source)) return;
        if (!context.source.includes("DEFAULT_PERMISSION_CLASSES")) {
          context.report({
            node,
            message: "`REST_FRAMEWORK` sets no `DEFAULT_PERMISSION_CLASSES`, so DRF falls back to `AllowAny`: every view that does not set its own `permission_classes` is open to anyone; add `\"DEFAULT_PERMISSION_CLASSES\": [\"rest_framework.permissions.IsAuthenticated\"]`.",
          });
          return;
        }
        for (const pair of dictionary.namedChildren) {
          if (pair.type !== "pair") continue;
          const key = field(pair, "key");
          const pairValue = field(pair, "value");
          if (key?.type !== "string" || stringLiteralValue(key) !== "DEFAULT_PERMISSION_CLASSES" || !pairValue) continue;
          const list = unparenthesize(pairValue);
          const elements = list.type === "list" || list.type === "tuple" ? list.namedChildren.filter((child) => child.type !== "comment") : null;
          if (!elements) continue;
          const open = elements.length === 0 || elements.every((element) => /AllowAny["']?$/u.test(element.text));
          if (!open) continue;
          context.report({
            node: pair,
            message: `\`DEFAULT_PERMISSION_CLASSES\` is ${elements.length === 0 ? "empty" : "`AllowAny`"}: every view that does not set its own \`permission_classes\` is open to anyone; default to \`rest_framework.permissions.IsAuthenticated\` and open the public views one by one.`,
          });
        }
      },
    };
  },
};
