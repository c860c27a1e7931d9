import type { FileAnalyses } from "../../engine/analyses/index.js";
import type { Scope } from "../../engine/analyses/scopes.js";
import { callArguments, field } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";

/**
 * Which functions handle web requests. The engine has no notion of a route yet, so this records
 * what the walk shows: functions under a route decorator (`@app.route`, `@bp.get`,
 * `@router.post`, `@api_view`, `@view_config`…), error handlers (`@app.errorhandler(Exception)`,
 * `@app.exception_handler(...)`), and functions with a `request` parameter (Django and DRF views,
 * Starlette endpoints). Feed it `decorated_definition` nodes; it answers for function scopes.
 */

/** Decorator names (last dotted part) that register a function as a route or view. */
const ROUTE_DECORATORS = new Set([
  "route", "get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket", "api_view", "action",
  "view_config", "require_http_methods", "require_GET", "require_POST", "require_safe",
]);

/** Decorator names that register an error handler, whose parameter is the exception. */
const ERROR_HANDLER_DECORATORS = new Set(["errorhandler", "app_errorhandler", "exception_handler"]);

const REQUEST_PARAMETERS = ["request", "req"];

export interface ErrorHandler {
  /** The parameter that receives the exception (the last one: Flask passes only it, FastAPI passes `request, exc`). */
  parameter: string | null;
  /** What the decorator registers the handler for: `Exception`, `500`, `HTTPException`. */
  handles: SyntaxNode[];
}

/** `@app.route(...)`, `@bp.get`, `@api_view([...])`: the decorator's last name, read from its text. */
const DECORATOR_NAME = /^@\s*(?:[A-Za-z_][\w]*\s*\.\s*)*([A-Za-z_]\w*)/u;

function lastParameterName(definition: SyntaxNode): string | null {
  const parameters = field(definition, "parameters");
  const names = (parameters?.namedChildren ?? []).filter((child) => child.type !== "comment");
  const last = names[names.length - 1];
  if (!last) return null;
  if (last.type === "identifier") return last.text;
  if (last.type === "typed_parameter") return last.namedChildren.find((child) => child.type === "identifier")?.text ?? null;
  if (last.type === "default_parameter" || last.type === "typed_default_parameter") return field(last, "name")?.text ?? null;
  return null;
}

export class WebHandlers {
  private readonly routes = new Set<number>();
  private readonly errorHandlers = new Map<number, ErrorHandler>();
  private readonly requestParameters = new Map<Scope, boolean>();

  constructor(private readonly analyses: FileAnalyses) {}

  /** Visitor for `decorated_definition`. */
  readonly visitDecorated = (node: SyntaxNode): void => {
    const children = node.namedChildren;
    const definition = children[children.length - 1];
    if (definition?.type !== "function_definition") return;
    for (const child of children) {
      if (child.type !== "decorator") continue;
      const name = DECORATOR_NAME.exec(child.text)?.[1];
      if (name === undefined) continue;
      if (ROUTE_DECORATORS.has(name)) {
        this.routes.add(definition.startIndex);
      } else if (ERROR_HANDLER_DECORATORS.has(name)) {
        const call = child.firstNamedChild;
        if (call?.type !== "call") continue;
        const handles = callArguments(call).positional;
        this.errorHandlers.set(definition.startIndex, { parameter: lastParameterName(definition), handles });
        this.routes.add(definition.startIndex);
      }
    }
  };

  /** A route, view or error handler: its return value is the response. */
  isRoute(scope: Scope): boolean {
    return scope.kind === "function" && this.routes.has(scope.startIndex);
  }

  errorHandler(scope: Scope): ErrorHandler | undefined {
    return scope.kind === "function" ? this.errorHandlers.get(scope.startIndex) : undefined;
  }

  /** A route, or a function that receives the request (a Django or DRF view, a helper called with it). */
  handlesRequests(scope: Scope): boolean {
    if (this.isRoute(scope)) return true;
    let known = this.requestParameters.get(scope);
    if (known === undefined) {
      known = REQUEST_PARAMETERS.some((name) => scope.bindings.get(name)?.some((binding) => binding.kind === "parameter") ?? false);
      this.requestParameters.set(scope, known);
    }
    return known;
  }

  functionAt(node: SyntaxNode): Scope | null {
    return this.analyses.scopes.functionScopeAt(node);
  }
}
