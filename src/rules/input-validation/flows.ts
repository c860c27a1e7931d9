import { matchesQualified } from "../../engine/analyses/names.js";
import type { Scope } from "../../engine/analyses/scopes.js";
import type { SinkKind, TaintSource } from "../../engine/analyses/taint.js";
import { callArguments, field, stringParts, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";

/**
 * Shared by the input-validation rules: which untrusted data reaches a sink, refined beyond the
 * engine's answer where the engine is knowingly coarse, and which functions are Flask views.
 */

/** Sources that are the operator's own input (a CLI argument, the terminal): no trust boundary is crossed for web sinks. */
const LOCAL_SOURCES: ReadonlySet<string> = new Set(["input()", "raw_input()", "sys.stdin", "sys.argv"]);

/** Django URL parameters that by convention come from `<int:pk>` / `<int:user_id>` converters, which the URLconf (another file) validates. */
const NUMERIC_DJANGO_PARAMETER = /^route parameter (?:pk|id|\w+_id|\w*[a-z]Id)$/u;

/** Functions that join path or URL pieces: their result is tainted only through a tainted piece. */
const JOINERS: ReadonlySet<string> = new Set([
  "os.path.join", "posixpath.join", "ntpath.join", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "str", "os.fspath",
  "os.path.abspath", "os.path.normpath", "os.path.realpath",
]);
/** Lookups whose result comes from the receiver, except for the default value. */
const LOOKUP_METHODS: ReadonlySet<string> = new Set(["get", "pop", "setdefault"]);
const MAX_REFINE_DEPTH = 4;

export function snippet(node: SyntaxNode, limit = 40): string {
  const text = node.text.replace(/\s+/gu, " ");
  return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

/**
 * The untrusted source whose data reaches `expression` for a sink of `kind`, or null. Beyond the
 * engine's `sourceOf`: only data from across a trust boundary (not `input()` or `sys.argv`),
 * not Django's conventionally numeric URL parameters, and no taint through the key of a lookup
 * in a trusted mapping (`FILES.get(name, "index.html")`) or through the tested branch of
 * `x if x in ALLOWED else "default"`.
 */
export function untrustedSource(context: RuleContext, expression: SyntaxNode, kind: SinkKind): TaintSource | null {
  const source = refine(context, expression, kind, 0);
  if (!source || LOCAL_SOURCES.has(source.label)) return null;
  if (NUMERIC_DJANGO_PARAMETER.test(source.label) && context.analyses.importsModule("django") && !context.analyses.importsModule("flask")) return null;
  return source;
}

function refine(context: RuleContext, node: SyntaxNode, kind: SinkKind, depth: number): TaintSource | null {
  const source = context.analyses.taint.sourceOf(node, kind);
  if (!source || depth >= MAX_REFINE_DEPTH) return source;
  const expression = unparenthesize(node);
  switch (expression.type) {
    case "identifier": {
      const bindings = context.analyses.scopes.bindingsOf(expression.text, expression);
      const binding = bindings.length === 1 ? bindings[0] : undefined;
      if (!binding || binding.node.startIndex >= expression.startIndex) return source;
      if ((binding.kind !== "assignment" && binding.kind !== "walrus") || !binding.value) return source;
      // Taint that did not come with the assigned value came through writes into it (`items.append(x)`, `data["k"] = x`).
      if (!context.analyses.taint.sourceOf(binding.value, kind)) return source;
      return refine(context, binding.value, kind, depth + 1);
    }
    case "call": {
      const callee = field(expression, "function");
      if (callee?.type === "attribute") {
        const method = field(callee, "attribute")?.text ?? "";
        const receiver = field(callee, "object");
        if (LOOKUP_METHODS.has(method) && receiver && !context.analyses.taint.sourceOf(receiver, kind)) {
          const fallback = callArguments(expression).positional[1];
          return fallback ? refine(context, fallback, kind, depth + 1) : null;
        }
      }
      if (callee && matchesQualified(context.analyses.resolve(callee), JOINERS)) return firstOf(context, callArguments(expression).positional, kind, depth);
      return source;
    }
    case "binary_operator":
    case "boolean_operator":
      return firstOf(context, [field(expression, "left"), field(expression, "right")], kind, depth);
    case "string":
      return firstOf(context, stringParts(expression).interpolations, kind, depth);
    case "conditional_expression": {
      const [whenTrue, test, whenFalse] = expression.namedChildren;
      if (!whenTrue || !test || !whenFalse) return source;
      const allowed = allowListTest(test);
      const trueName = unparenthesize(whenTrue);
      if (allowed && trueName.type === "identifier" && trueName.text === allowed) return refine(context, whenFalse, kind, depth + 1);
      return firstOf(context, [whenTrue, whenFalse], kind, depth);
    }
    default:
      return source;
  }
}

function firstOf(context: RuleContext, nodes: ReadonlyArray<SyntaxNode | null>, kind: SinkKind, depth: number): TaintSource | null {
  for (const node of nodes) {
    if (!node) continue;
    const source = refine(context, node, kind, depth + 1);
    if (source) return source;
  }
  return null;
}

/**
 * True when every piece of untrusted data in `node` arrives through a name that `covered`
 * accepts at that place (a rule's own check, such as a `..` test for paths): followed through
 * single assignments, joins, string building and conditional values, like `refine`.
 */
export function taintOnlyThrough(context: RuleContext, node: SyntaxNode, kind: SinkKind, covered: (identifier: SyntaxNode) => boolean, depth = 0): boolean {
  if (!context.analyses.taint.sourceOf(node, kind)) return true;
  if (depth >= MAX_REFINE_DEPTH) return false;
  const expression = unparenthesize(node);
  const all = (nodes: ReadonlyArray<SyntaxNode | null>): boolean =>
    nodes.every((child) => child === null || taintOnlyThrough(context, child, kind, covered, depth + 1));
  switch (expression.type) {
    case "identifier": {
      if (covered(expression)) return true;
      const bindings = context.analyses.scopes.bindingsOf(expression.text, expression);
      const binding = bindings.length === 1 ? bindings[0] : undefined;
      if (!binding || binding.node.startIndex >= expression.startIndex || binding.kind !== "assignment" || !binding.value) return false;
      // Taint from writes into the value (`items.append(x)`) is not explained by the value.
      if (!context.analyses.taint.sourceOf(binding.value, kind)) return false;
      return taintOnlyThrough(context, binding.value, kind, covered, depth + 1);
    }
    case "call": {
      const callee = field(expression, "function");
      if (!callee || !matchesQualified(context.analyses.resolve(callee), JOINERS)) return false;
      return all(callArguments(expression).positional);
    }
    case "binary_operator":
    case "boolean_operator":
      return all([field(expression, "left"), field(expression, "right")]);
    case "string":
      return all(stringParts(expression).interpolations);
    case "conditional_expression": {
      const [whenTrue, , whenFalse] = expression.namedChildren;
      return all([whenTrue ?? null, whenFalse ?? null]);
    }
    default:
      return false;
  }
}

/** `name in ALLOWED`: the name an allow-list test pins down. */
function allowListTest(test: SyntaxNode): string | null {
  const expression = unparenthesize(test);
  if (expression.type !== "comparison_operator") return null;
  const operator = expression.children.find((child) => !child.isNamed)?.type;
  const left = expression.namedChild(0);
  return operator === "in" && left?.type === "identifier" ? left.text : null;
}

/** "`url` comes from `request.args` on line 12". */
export function describeFlow(context: RuleContext, expression: SyntaxNode, source: TaintSource): string {
  return context.analyses.taint.describe(expression, source);
}

/** The resolved name of a call's callee when it is imported or global (not a local look-alike), else null. */
export function externalCallee(context: RuleContext, call: SyntaxNode): string | null {
  const callee = field(call, "function");
  if (!callee || (callee.type !== "identifier" && callee.type !== "attribute")) return null;
  const resolved = context.analyses.resolve(callee);
  return resolved && resolved.origin !== "local" ? resolved.name : null;
}

/** Follows a name to the value of its single assignment before `node` (a few steps), else returns the expression itself. */
export function assignedValue(context: RuleContext, node: SyntaxNode): SyntaxNode {
  let current = unparenthesize(node);
  for (let step = 0; step < 4 && current.type === "identifier"; step++) {
    const binding = context.analyses.scopes.bindingBefore(current.text, current);
    if (!binding || (binding.kind !== "assignment" && binding.kind !== "walrus") || !binding.value) break;
    current = unparenthesize(binding.value);
  }
  return current;
}

/** Decorator methods that register a Flask (or Quart) view or error handler. */
const FLASK_VIEW_DECORATORS: ReadonlySet<string> = new Set(["route", "get", "post", "put", "patch", "delete", "errorhandler", "app_errorhandler"]);
const FLASK_CLASS_VIEWS = /\b(?:MethodView|View)\b/u;

/**
 * Functions whose return value Flask turns into the response: route functions, error handlers
 * and the methods of class-based views. A returned `str` is sent as `text/html`.
 */
export class FlaskViews {
  private readonly cache = new Map<Scope, boolean>();
  /** Known once the engine has recorded the imports, after the rules' `create`. */
  private flask: boolean | undefined;

  constructor(private readonly context: RuleContext) {}

  /** The view function that a `return` at `node` returns from, or null. */
  viewAt(node: SyntaxNode): Scope | null {
    this.flask ??= this.context.analyses.importsModule("flask") || this.context.analyses.importsModule("quart");
    if (!this.flask) return null;
    const scope = this.context.analyses.scopes.functionScopeAt(node);
    if (!scope || scope.kind !== "function") return null;
    let known = this.cache.get(scope);
    if (known === undefined) {
      known = this.isView(scope);
      this.cache.set(scope, known);
    }
    return known ? scope : null;
  }

  private isView(scope: Scope): boolean {
    for (const decorator of this.context.analyses.decoratorsOf(scope.node)) {
      if (decorator.type !== "call") continue;
      const callee = field(decorator, "function");
      if (callee?.type === "attribute" && FLASK_VIEW_DECORATORS.has(field(callee, "attribute")?.text ?? "")) return true;
    }
    const owner = scope.parent;
    if (owner?.kind !== "class") return false;
    const bases = field(owner.node, "superclasses");
    return bases !== null && FLASK_CLASS_VIEWS.test(bases.text);
  }
}

/** The value a Flask view returns as the body: `body` of `return body` or `return body, 200[, headers]`. */
export function returnedParts(node: SyntaxNode): SyntaxNode[] {
  const value = node.namedChild(0);
  if (!value) return [];
  const expression = unparenthesize(value);
  if (expression.type === "expression_list" || expression.type === "tuple") return expression.namedChildren.filter((child) => child.type !== "comment");
  return [expression];
}
