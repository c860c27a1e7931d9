import type { SyntaxNode } from "../types.js";
import { callArguments, field, stringParts, unparenthesize } from "../syntax.js";
import { truthy, type Constant } from "./constants.js";
import type { FlowFacts } from "./flow.js";
import { analyseBranches, guardCovers, type BranchFacts } from "./guards.js";
import type { ResolvedName } from "./names.js";
import type { Binding, Scope, ScopeTracker } from "./scopes.js";
import {
  ARGUMENT_PROPAGATING_METHODS,
  ENVIRONMENT_CALLS,
  FRAMEWORK_PARAMETER_TYPES,
  MUTATING_METHODS,
  NON_PROPAGATING_METHODS,
  PROPAGATING_FUNCTIONS,
  REQUEST_ATTRIBUTES,
  REQUEST_METHODS,
  REQUEST_OBJECTS,
  ROUTE_DECORATORS,
  SAFE_PARAMETER_TYPES,
  SAFE_ROUTE_CONVERTERS,
  SINK_SANITIZERS,
  SOURCE_CALLS,
  UNIVERSAL_SANITIZERS,
  type SinkKind,
} from "./taint-catalogue.js";

export type { SinkKind } from "./taint-catalogue.js";

/** Where untrusted data entered: "request.args" on line 12. */
export interface TaintSource {
  label: string;
  line: number;
}

export interface TaintOptions {
  /** Count environment variables as untrusted (for rules where an operator's input matters). */
  environment?: boolean;
}

type Origin = { kind: "source"; source: TaintSource } | { kind: "parameter"; scope: Scope; name: string };

interface Query {
  sink: SinkKind;
  environment: boolean;
  depth: number;
  steps: { count: number };
  /** Nodes being evaluated, so that cycles (`a = b; b = a`, recursive helpers) end. */
  active: Set<string>;
}

const MAX_DEPTH = 40;
const LOOKUP_METHODS = new Set(["get", "pop", "setdefault"]);
const MAX_STEPS = 4_000;
const MAX_ORIGINS = 6;
const NONE: readonly Origin[] = [];

interface Dependencies {
  scopes: ScopeTracker;
  flow: FlowFacts;
  source: string;
  root: SyntaxNode;
  resolve(node: SyntaxNode): ResolvedName | null;
  constant(node: SyntaxNode): Constant | undefined;
  importsModule(module: string): boolean;
}

function nodeKey(node: SyntaxNode): string {
  return `${node.startIndex}:${node.endIndex}:${node.type}`;
}

function union(target: Origin[], more: readonly Origin[]): void {
  for (const origin of more) {
    if (target.length >= MAX_ORIGINS) return;
    if (!target.some((existing) => sameOrigin(existing, origin))) target.push(origin);
  }
}

function sameOrigin(a: Origin, b: Origin): boolean {
  if (a.kind === "source" && b.kind === "source") return a.source.label === b.source.label && a.source.line === b.source.line;
  if (a.kind === "parameter" && b.kind === "parameter") return a.scope === b.scope && a.name === b.name;
  return false;
}

/**
 * Intra-file taint tracking, demand-driven: a rule asks whether an expression at a sink carries
 * data from a source, and the analysis follows bindings backwards through assignments, string
 * building, containers, guards and the summaries of functions defined in the same file. Results
 * are memoised per node and sink kind, so each fact is worked out once per file.
 */
export class TaintAnalysis {
  private readonly memo = new Map<string, readonly Origin[]>();
  private readonly summaries = new Map<string, readonly Origin[]>();
  private readonly routeParameters = new Map<Scope, Map<string, string> | null>();
  private branches: BranchFacts | undefined;
  private guardsByName: Map<string, BranchFacts["guards"]> | undefined;
  private readonly mutations = new Map<string, readonly Origin[]>();

  constructor(private readonly deps: Dependencies) {}

  /** The source whose data reaches `expression` unsanitised for a sink of kind `sink`, or null. */
  sourceOf(expression: SyntaxNode, sink: SinkKind, options: TaintOptions = {}): TaintSource | null {
    const origins = this.origins(expression, { sink, environment: options.environment ?? false, depth: 0, steps: { count: 0 }, active: new Set() });
    for (const origin of origins) if (origin.kind === "source") return origin.source;
    return null;
  }

  /** A sentence for messages: "`url` comes from `request.args` on line 12". */
  describe(expression: SyntaxNode, source: TaintSource): string {
    const text = expression.text.replace(/\s+/gu, " ");
    const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
    return `\`${shown}\` comes from \`${source.label}\` on line ${source.line}`;
  }

  /** True when the request-like object is the one a web framework hands to a view. */
  isRequestObject(node: SyntaxNode): boolean {
    const expression = unparenthesize(node);
    if (expression.type === "attribute") {
      return field(expression, "object")?.text === "self" && field(expression, "attribute")?.text === "request";
    }
    if (expression.type !== "identifier") return false;
    const resolved = this.deps.resolve(expression);
    if (resolved?.origin === "import") return REQUEST_OBJECTS.has(resolved.name);
    if (expression.text !== "request" && expression.text !== "req") return false;
    const binding = this.deps.scopes.bindingBefore(expression.text, expression) ?? this.deps.scopes.bindingsOf(expression.text, expression)[0];
    return binding?.kind === "parameter";
  }

  private origins(node: SyntaxNode, query: Query): readonly Origin[] {
    if (query.depth > MAX_DEPTH || ++query.steps.count > MAX_STEPS) return NONE;
    const expression = unparenthesize(node);
    const key = `${query.sink}|${query.environment ? 1 : 0}|${nodeKey(expression)}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    if (query.active.has(key)) return NONE;
    query.active.add(key);
    query.depth++;
    let result: readonly Origin[];
    try {
      result = this.compute(expression, query);
    } finally {
      query.depth--;
      query.active.delete(key);
    }
    this.memo.set(key, result);
    return result;
  }

  private compute(expression: SyntaxNode, query: Query): readonly Origin[] {
    switch (expression.type) {
      case "identifier":
        return this.identifierOrigins(expression, query);
      case "attribute":
        return this.attributeOrigins(expression, query);
      case "subscript":
        return this.subscriptOrigins(expression, query);
      case "call":
        return this.callOrigins(expression, query);
      case "string": {
        const parts = stringParts(expression);
        return this.all(parts.interpolations, query);
      }
      case "concatenated_string":
      case "list":
      case "tuple":
      case "set":
      case "expression_list":
      case "await":
      case "list_splat":
      case "dictionary_splat":
      case "pair":
      case "dictionary":
        return this.all(expression.namedChildren.filter((child) => child.type !== "comment"), query);
      case "binary_operator":
      case "boolean_operator": {
        const left = field(expression, "left");
        const right = field(expression, "right");
        return this.all([left, right].filter((child): child is SyntaxNode => child !== null), query);
      }
      case "conditional_expression": {
        const [whenTrue, test, whenFalse] = expression.namedChildren;
        if (!whenTrue || !test || !whenFalse) return NONE;
        const decided = this.deps.constant(test);
        if (decided) return this.origins(truthy(decided.value) ? whenTrue : whenFalse, query);
        return this.all([whenTrue, whenFalse], query);
      }
      case "list_comprehension":
      case "set_comprehension":
      case "generator_expression":
      case "dictionary_comprehension": {
        const body = field(expression, "body");
        return body ? this.origins(body, query) : NONE;
      }
      default:
        return NONE;
    }
  }

  private all(nodes: readonly SyntaxNode[], query: Query): readonly Origin[] {
    const result: Origin[] = [];
    for (const child of nodes) {
      union(result, this.origins(child, query));
      if (result.length >= MAX_ORIGINS) break;
    }
    return result.length === 0 ? NONE : result;
  }

  private branchFacts(): BranchFacts {
    this.branches ??= analyseBranches(this.deps.flow, this.deps);
    return this.branches;
  }

  private isDead(node: SyntaxNode): boolean {
    const start = node.startIndex;
    return this.branchFacts().deadRanges.some((range) => start >= range.start && start < range.end);
  }

  private isGuarded(name: string, use: SyntaxNode, sink: SinkKind): boolean {
    if (!this.guardsByName) {
      this.guardsByName = new Map();
      for (const guard of this.branchFacts().guards) {
        const list = this.guardsByName.get(guard.name);
        if (list) list.push(guard);
        else this.guardsByName.set(guard.name, [guard]);
      }
    }
    const guards = this.guardsByName.get(name);
    if (!guards) return false;
    const start = use.startIndex;
    return guards.some((guard) => start >= guard.start && start < guard.end && guardCovers(guard, sink));
  }

  private identifierOrigins(identifier: SyntaxNode, query: Query): readonly Origin[] {
    const name = identifier.text;
    const bindings = this.deps.scopes.bindingsOf(name, identifier);
    if (bindings.length === 0) return NONE;
    if (this.isGuarded(name, identifier, query.sink)) return NONE;
    const earlier = bindings.filter((binding) => binding.node.startIndex < identifier.startIndex && !this.isDead(binding.site));
    const relevant = earlier.length > 0 ? earlier : bindings.filter((binding) => !this.isDead(binding.site));
    const result: Origin[] = [];
    for (const binding of relevant) {
      union(result, this.bindingOrigins(binding, query));
      if (result.length >= MAX_ORIGINS) return result;
    }
    const scope = relevant[0]?.scope;
    if (scope) {
      for (const write of this.deps.flow.writesTo(scope, name)) union(result, this.origins(write.value, query));
      union(result, this.mutationOrigins(scope, name, query));
    }
    return result.length === 0 ? NONE : result;
  }

  private bindingOrigins(binding: Binding, query: Query): readonly Origin[] {
    switch (binding.kind) {
      case "parameter": {
        const label = this.routeParametersOf(binding.scope)?.get(binding.name);
        if (label) return [{ kind: "source", source: { label, line: binding.node.startPosition.row + 1 } }];
        return [{ kind: "parameter", scope: binding.scope, name: binding.name }];
      }
      case "assignment":
      case "walrus":
      case "with":
        return binding.value ? this.origins(binding.value, query) : NONE;
      case "augmented-assignment": {
        const right = field(binding.site, "right");
        return right ? this.origins(right, query) : NONE;
      }
      case "for": {
        const iterable = field(binding.site, "right");
        return iterable ? this.origins(iterable, query) : NONE;
      }
      default:
        return NONE;
    }
  }

  /** `items.append(value)` and friends put `value` into `items`; found by scanning the scope's text, only when asked. */
  private mutationOrigins(scope: Scope, name: string, query: Query): readonly Origin[] {
    const key = `${query.sink}|${query.environment ? 1 : 0}|${scope.startIndex}|${name}`;
    const known = this.mutations.get(key);
    if (known) return known;
    this.mutations.set(key, NONE);
    const found = this.findMutationOrigins(scope, name, query);
    this.mutations.set(key, found);
    return found;
  }

  private findMutationOrigins(scope: Scope, name: string, query: Query): readonly Origin[] {
    const text = this.deps.source.slice(scope.startIndex, scope.endIndex);
    if (!text.includes(`${name}.`)) return NONE;
    const pattern = new RegExp(`(?<![\\w.])${name.replace(/[$]/gu, "\\$")}\\s*\\.\\s*(?:${MUTATING_METHODS.join("|")})\\s*\\(`, "gu");
    const result: Origin[] = [];
    for (const match of text.matchAll(pattern)) {
      // The method name's identifier, its attribute, then the call.
      const methodStart = scope.startIndex + match.index + match[0].search(/[a-z]+\s*\($/u);
      const call = this.deps.root.descendantForIndex(methodStart)?.parent?.parent;
      if (call?.type !== "call") continue;
      union(result, this.all(callArguments(call).positional, query));
      if (result.length >= MAX_ORIGINS) break;
    }
    return result;
  }

  private attributeOrigins(attribute: SyntaxNode, query: Query): readonly Origin[] {
    const object = field(attribute, "object");
    const name = field(attribute, "attribute")?.text ?? "";
    if (!object) return NONE;
    if (REQUEST_ATTRIBUTES.has(name) && this.isRequestObject(object)) {
      return [{ kind: "source", source: { label: `request.${name}`, line: attribute.startPosition.row + 1 } }];
    }
    const resolved = this.deps.resolve(attribute);
    if (resolved && resolved.origin !== "local") {
      if (resolved.name === "sys.argv") return [{ kind: "source", source: { label: "sys.argv", line: attribute.startPosition.row + 1 } }];
      if (resolved.name === "os.environ" || resolved.name === "os.environb") {
        return query.environment ? [{ kind: "source", source: { label: "os.environ", line: attribute.startPosition.row + 1 } }] : NONE;
      }
      if (resolved.origin === "import") return NONE;
    }
    // The request object itself is not data; its fields are.
    if (this.isRequestObject(object) && (object.type === "identifier" || object.type === "attribute")) return NONE;
    return this.origins(object, query);
  }

  private subscriptOrigins(subscript: SyntaxNode, query: Query): readonly Origin[] {
    const value = field(subscript, "value");
    if (!value) return NONE;
    const keyNode = field(subscript, "subscript");
    const key = keyNode ? this.deps.constant(keyNode) : undefined;
    const container = unparenthesize(value);
    if (container.type === "identifier" && key && (typeof key.value === "string" || typeof key.value === "number")) {
      const perKey = this.keyedOrigins(container, key.value, query);
      if (perKey) return perKey;
    }
    return this.origins(value, query);
  }

  /** `settings["host"]` where `settings` is a dict literal: only what that key holds. Null when the container is not one we can follow. */
  private keyedOrigins(container: SyntaxNode, key: string | number, query: Query): readonly Origin[] | null {
    const bindings = this.deps.scopes.bindingsOf(container.text, container);
    if (bindings.length !== 1) return null;
    const binding = bindings[0] as Binding;
    const literal = binding.kind === "assignment" && binding.value ? unparenthesize(binding.value) : null;
    if (!literal || (literal.type !== "dictionary" && literal.type !== "list" && literal.type !== "tuple")) return null;
    if (this.mutationOrigins(binding.scope, container.text, query).length > 0) return null;
    const result: Origin[] = [];
    if (literal.type === "dictionary") {
      for (const pair of literal.namedChildren) {
        if (pair.type !== "pair") return null;
        const pairKey = field(pair, "key");
        const pairValue = field(pair, "value");
        const constantKey = pairKey ? this.deps.constant(pairKey) : undefined;
        if (!constantKey || !pairValue) return null;
        if (constantKey.value === key) union(result, this.origins(pairValue, query));
      }
    } else if (typeof key === "number") {
      const elements = literal.namedChildren.filter((child) => child.type !== "comment");
      if (elements.some((child) => child.type === "list_splat")) return null;
      const element = elements[key < 0 ? elements.length + key : key];
      if (element) union(result, this.origins(element, query));
    } else return null;
    for (const write of this.deps.flow.writesTo(binding.scope, container.text)) {
      if (write.key === null || write.key === key) union(result, this.origins(write.value, query));
    }
    return result;
  }

  private callOrigins(call: SyntaxNode, query: Query): readonly Origin[] {
    const callee = field(call, "function");
    if (!callee) return NONE;
    const line = call.startPosition.row + 1;
    const resolved = callee.type === "identifier" || callee.type === "attribute" ? this.deps.resolve(callee) : null;
    const external = resolved !== null && resolved.origin !== "local";

    if (external) {
      const sourceLabel = SOURCE_CALLS.get(resolved.name);
      if (sourceLabel) return [{ kind: "source", source: { label: sourceLabel, line } }];
      if (ENVIRONMENT_CALLS.has(resolved.name)) return query.environment ? [{ kind: "source", source: { label: resolved.name, line } }] : NONE;
      if (UNIVERSAL_SANITIZERS.has(resolved.name) || SINK_SANITIZERS[query.sink]?.has(resolved.name)) return NONE;
    }

    if (callee.type === "attribute") {
      const method = field(callee, "attribute")?.text ?? "";
      const receiver = field(callee, "object");
      if (!receiver) return NONE;
      if (REQUEST_METHODS.has(method) && this.isRequestObject(receiver)) {
        return [{ kind: "source", source: { label: `request.${method}()`, line } }];
      }
      if (NON_PROPAGATING_METHODS.has(method)) return NONE;
      const local = this.localFunctionOrigins(call, callee, query);
      if (local) return local;
      const result: Origin[] = [...this.origins(receiver, query)];
      // A method of tainted data carries it on; so do string-building methods of constants
      // (`"{}".format(x)`) and known propagating functions. An unknown API's result does not.
      // `requests.get(url, params=x)` is a module function, not `dict.get`: only data methods carry their arguments.
      const moduleFunction = external && resolved.origin === "import";
      if (result.length > 0 || (ARGUMENT_PROPAGATING_METHODS.has(method) && !moduleFunction) || (external && this.propagates(resolved.name))) {
        // `mapping.get(key, default)`: the key picks a value, it is not the value; the default may be.
        union(result, LOOKUP_METHODS.has(method) ? this.lookupDefaultOrigins(call, query) : this.argumentOrigins(call, query));
      }
      return result;
    }

    if (callee.type === "identifier") {
      const local = this.localFunctionOrigins(call, callee, query);
      if (local) return local;
      if (external && this.propagates(resolved.name)) return this.argumentOrigins(call, query);
    }
    return NONE;
  }

  /** Known propagators, and sanitizers for other sinks (`shlex.quote` output is still tainted for SQL). */
  private propagates(name: string): boolean {
    if (PROPAGATING_FUNCTIONS.has(name)) return true;
    for (const sanitizers of Object.values(SINK_SANITIZERS)) if (sanitizers?.has(name)) return true;
    return false;
  }

  private lookupDefaultOrigins(call: SyntaxNode, query: Query): readonly Origin[] {
    const args = callArguments(call);
    return this.all([...args.positional.slice(1), ...args.keywords.values()], query);
  }

  private argumentOrigins(call: SyntaxNode, query: Query): readonly Origin[] {
    const args = callArguments(call);
    return this.all([...args.positional, ...args.keywords.values()], query);
  }

  /** A call to a function of this file: its summary (which parameters reach its return value), applied to the arguments. */
  private localFunctionOrigins(call: SyntaxNode, callee: SyntaxNode, query: Query): readonly Origin[] | null {
    const target = this.localFunction(callee);
    if (!target) return null;
    const scope = this.deps.scopes.scopeOf(target.definition);
    if (!scope) return null;
    const summaryKey = `${query.sink}|${query.environment ? 1 : 0}|${target.definition.startIndex}`;
    let summary = this.summaries.get(summaryKey);
    if (!summary) {
      this.summaries.set(summaryKey, NONE);
      summary = this.all(this.deps.flow.returnsOf(scope), query);
      this.summaries.set(summaryKey, summary);
    }
    const result: Origin[] = [];
    const args = callArguments(call);
    const parameters = this.parameterNames(scope);
    for (const origin of summary) {
      if (origin.kind === "source") {
        union(result, [origin]);
        continue;
      }
      if (origin.scope !== scope) {
        union(result, [origin]);
        continue;
      }
      const index = parameters.indexOf(origin.name) - (target.bound ? 1 : 0);
      const argument = args.keywords.get(origin.name) ?? (index >= 0 ? args.positional[index] : undefined);
      if (argument) union(result, this.origins(argument, query));
    }
    return result;
  }

  private localFunction(callee: SyntaxNode): { definition: SyntaxNode; bound: boolean } | null {
    if (callee.type === "identifier") {
      const binding = this.deps.scopes.bindingsOf(callee.text, callee).find((candidate) => candidate.kind === "function");
      return binding ? { definition: binding.site, bound: false } : null;
    }
    // self.helper(x): a method of the enclosing class.
    const object = field(callee, "object");
    const method = field(callee, "attribute")?.text;
    if (object?.text !== "self" || !method) return null;
    for (let scope: Scope | null = this.deps.scopes.scopeAt(callee); scope; scope = scope.parent) {
      if (scope.kind !== "class") continue;
      const binding = scope.bindings.get(method)?.find((candidate) => candidate.kind === "function");
      return binding ? { definition: binding.site, bound: true } : null;
    }
    return null;
  }

  private parameterNames(scope: Scope): string[] {
    const names: Array<{ name: string; start: number }> = [];
    for (const [name, bindings] of scope.bindings) {
      const parameter = bindings.find((binding) => binding.kind === "parameter");
      if (parameter) names.push({ name, start: parameter.node.startIndex });
    }
    return names.sort((a, b) => a.start - b.start).map((entry) => entry.name);
  }

  /** Parameters a web framework fills from the request: label per name, or null for an ordinary function. */
  private routeParametersOf(scope: Scope): Map<string, string> | null {
    if (this.routeParameters.has(scope)) return this.routeParameters.get(scope) ?? null;
    const result = scope.kind === "function" ? this.findRouteParameters(scope) : null;
    this.routeParameters.set(scope, result);
    return result;
  }

  private findRouteParameters(scope: Scope): Map<string, string> | null {
    const definition = scope.node;
    const parameters = field(definition, "parameters")?.namedChildren ?? [];
    const names = this.parameterNames(scope);
    for (const decorator of this.deps.flow.decoratorsOf(definition)) {
      if (decorator.type !== "call") continue;
      const callee = field(decorator, "function");
      const method = callee?.type === "attribute" ? field(callee, "attribute")?.text : callee?.text;
      if (!method || !ROUTE_DECORATORS.has(method)) continue;
      const pathNode = callArguments(decorator).positional[0];
      const path = pathNode ? this.deps.constant(pathNode) : undefined;
      const pathText = typeof path?.value === "string" ? path.value : "";
      const result = new Map<string, string>();
      const flaskVariables = [...pathText.matchAll(/<(?:([a-zA-Z_]+):)?([a-zA-Z_]\w*)>/gu)];
      if (flaskVariables.length > 0 || (!this.deps.importsModule("fastapi") && !pathText.includes("{"))) {
        for (const variable of flaskVariables) {
          const converter = variable[1];
          const name = variable[2] as string;
          if (converter && SAFE_ROUTE_CONVERTERS.has(converter)) continue;
          if (names.includes(name)) result.set(name, `route parameter ${name}`);
        }
        return result;
      }
      // FastAPI and Starlette: every parameter is client data unless a dependency, a framework object or a validated type.
      for (const parameter of parameters) {
        const nameNode = parameter.type === "identifier" ? parameter : field(parameter, "name") ?? parameter.namedChild(0);
        if (!nameNode || nameNode.type !== "identifier") continue;
        const annotation = field(parameter, "type")?.text ?? "";
        const defaultValue = field(parameter, "value")?.text ?? "";
        if (/^Depends\(|^Security\(/u.test(defaultValue)) continue;
        const baseType = annotation.replace(/^(Optional|Annotated)\[/u, "").split(/[[,|\] ]/u)[0] ?? "";
        if (SAFE_PARAMETER_TYPES.has(baseType) || FRAMEWORK_PARAMETER_TYPES.has(baseType)) continue;
        if (/Depends\(|Security\(/u.test(annotation)) continue;
        result.set(nameNode.text, `route parameter ${nameNode.text}`);
      }
      return result;
    }
    // Django and DRF function views: `def view(request, slug)` takes URL parameters after the request.
    if ((this.deps.importsModule("django") || this.deps.importsModule("rest_framework")) && names[0] === "request") {
      const result = new Map<string, string>();
      for (const name of names.slice(1)) result.set(name, `route parameter ${name}`);
      return result;
    }
    return null;
  }
}
