import type { SyntaxNode } from "../types.js";
import { field } from "../syntax.js";

export type ScopeKind = "module" | "class" | "function" | "lambda" | "comprehension";

export type BindingKind =
  | "assignment"
  | "augmented-assignment"
  | "annotation"
  | "parameter"
  | "import"
  | "function"
  | "class"
  | "for"
  | "with"
  | "except"
  | "walrus"
  | "match"
  | "delete";

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The identifier that is bound. */
  node: SyntaxNode;
  /** The statement or definition that binds it. */
  site: SyntaxNode;
  /** The value assigned, when it can be paired with the name (`x = value`, `a, b = 1, 2`, a parameter default). */
  value?: SyntaxNode;
  /** For imports: the dotted path the name stands for (`subprocess.call` for `from subprocess import call as c`). */
  qualifiedName?: string;
  scope: Scope;
}

export interface Scope {
  kind: ScopeKind;
  node: SyntaxNode;
  /** Name of the class or function, empty for the module and anonymous scopes. */
  name: string;
  parent: Scope | null;
  startIndex: number;
  endIndex: number;
  bindings: Map<string, Binding[]>;
  globals: Set<string>;
  nonlocals: Set<string>;
}

const SCOPE_NODE_KINDS: Record<string, ScopeKind> = {
  function_definition: "function",
  class_definition: "class",
  lambda: "lambda",
  list_comprehension: "comprehension",
  set_comprehension: "comprehension",
  dictionary_comprehension: "comprehension",
  generator_expression: "comprehension",
};

/** Node types the scope analysis must see during the walk. */
export const SCOPE_NODE_TYPES = [
  ...Object.keys(SCOPE_NODE_KINDS),
  "assignment",
  "augmented_assignment",
  "for_statement",
  "for_in_clause",
  "with_item",
  "except_clause",
  "named_expression",
  "global_statement",
  "nonlocal_statement",
  "import_statement",
  "import_from_statement",
  "delete_statement",
] as const;

function newScope(kind: ScopeKind, node: SyntaxNode, name: string, parent: Scope | null): Scope {
  return {
    kind,
    node,
    name,
    parent,
    startIndex: node.startIndex,
    endIndex: node.endIndex,
    bindings: new Map(),
    globals: new Set(),
    nonlocals: new Set(),
  };
}

/**
 * Scopes and bindings. The engine hands every node to `enter` first (recording), then hands the
 * same nodes to `revisit` while the rules run, so a rule sees every binding of the file, even
 * those below it, and `scopeAt`/`top` follow the rule's position.
 */
export class ScopeTracker {
  readonly module: Scope;
  private readonly stack: Scope[];
  private readonly byNode = new Map<number, Scope>();
  /** Every scope but the module's, in source order. */
  private readonly ordered: Scope[] = [];
  readonly wildcardImports: string[] = [];

  constructor(root: SyntaxNode) {
    this.module = newScope("module", root, "", null);
    this.stack = [this.module];
  }

  /** Rewinds to the module scope after recording, ready for `revisit`. */
  finishRecording(): void {
    this.stack.length = 1;
  }

  /** Follows the rules' position: pops the scopes that ended before `node`, opens the one `node` starts. */
  revisit(node: SyntaxNode): void {
    const start = node.startIndex;
    while (this.stack.length > 1 && start >= this.top().endIndex) this.stack.pop();
    if (SCOPE_NODE_KINDS[node.type]) {
      const scope = this.byNode.get(node.startIndex * 4 + (node.type === "class_definition" ? 1 : 0));
      if (scope) this.stack.push(scope);
    }
  }

  /** Pops the scopes that ended before `node` and records what it binds. */
  enter(node: SyntaxNode): void {
    const start = node.startIndex;
    while (this.stack.length > 1 && start >= this.top().endIndex) this.stack.pop();
    const scopeKind = SCOPE_NODE_KINDS[node.type];
    if (scopeKind) {
      this.enterScope(node, scopeKind);
      return;
    }
    this.recordBindings(node);
  }

  top(): Scope {
    return this.stack[this.stack.length - 1] as Scope;
  }

  /**
   * The innermost scope containing `node`, wherever it is in the file. Scopes are recorded in
   * source order and nest without overlapping, so the innermost one is an ancestor of the last
   * scope that starts before the node: a binary search, then a short climb.
   */
  scopeAt(node: SyntaxNode): Scope {
    return this.scopeAtIndex(node.startIndex);
  }

  scopeAtIndex(index: number): Scope {
    const ordered = this.ordered;
    let low = 0;
    let high = ordered.length - 1;
    let candidate = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if ((ordered[middle] as Scope).startIndex <= index) {
        candidate = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    for (let scope: Scope | null = candidate >= 0 ? (ordered[candidate] as Scope) : null; scope; scope = scope.parent) {
      if (index >= scope.startIndex && index < scope.endIndex) return scope;
    }
    return this.module;
  }

  scopeOf(definition: SyntaxNode): Scope | undefined {
    return this.byNode.get(definition.startIndex * 4 + (definition.type === "class_definition" ? 1 : 0));
  }

  /** The nearest function (or lambda) scope around `node`, or null at module or class level. */
  functionScopeAt(node: SyntaxNode): Scope | null {
    for (let scope: Scope | null = this.scopeAt(node); scope; scope = scope.parent) {
      if (scope.kind === "function" || scope.kind === "lambda") return scope;
      if (scope.kind === "module") return null;
    }
    return null;
  }

  /** Resolves `name` as Python would at `node`: local, enclosing functions, module (class bodies only from inside themselves). */
  resolve(name: string, node: SyntaxNode): Scope | null {
    const start = this.scopeAt(node);
    if (start.globals.has(name)) return this.module.bindings.has(name) ? this.module : null;
    for (let scope: Scope | null = start; scope; scope = scope.parent) {
      if (scope !== start && scope.kind === "class") continue;
      if (scope.bindings.has(name) && !scope.nonlocals.has(name)) return scope;
    }
    return null;
  }

  /** Every binding of `name` visible from `node`, in source order. */
  bindingsOf(name: string, node: SyntaxNode): Binding[] {
    const scope = this.resolve(name, node);
    return scope?.bindings.get(name) ?? [];
  }

  /** The last binding of `name` made before `node`. */
  bindingBefore(name: string, node: SyntaxNode): Binding | undefined {
    const bindings = this.bindingsOf(name, node);
    for (let i = bindings.length - 1; i >= 0; i--) {
      const binding = bindings[i] as Binding;
      if (binding.node.startIndex < node.startIndex) return binding;
    }
    return undefined;
  }

  private enterScope(node: SyntaxNode, kind: ScopeKind): void {
    const parent = this.top();
    let name = "";
    if (kind === "function" || kind === "class") {
      const nameNode = field(node, "name");
      if (nameNode) {
        name = nameNode.text;
        this.bind(parent, name, kind === "function" ? "function" : "class", nameNode, node);
      }
    }
    const scope = newScope(kind, node, name, parent);
    this.byNode.set(node.startIndex * 4 + (kind === "class" ? 1 : 0), scope);
    this.ordered.push(scope);
    this.stack.push(scope);
    if (kind === "function" || kind === "lambda") {
      const parameters = field(node, "parameters");
      if (parameters) this.bindParameters(scope, parameters);
    }
  }

  private bindParameters(scope: Scope, parameters: SyntaxNode): void {
    for (const parameter of parameters.namedChildren) {
      let nameNode: SyntaxNode | null = null;
      let value: SyntaxNode | undefined;
      switch (parameter.type) {
        case "identifier":
          nameNode = parameter;
          break;
        case "default_parameter":
        case "typed_default_parameter":
          nameNode = field(parameter, "name");
          value = field(parameter, "value") ?? undefined;
          break;
        case "typed_parameter":
        case "list_splat_pattern":
        case "dictionary_splat_pattern":
          nameNode = parameter.namedChildren.find((child) => child.type === "identifier") ?? null;
          if (!nameNode) {
            const inner = parameter.namedChild(0);
            if (inner && (inner.type === "list_splat_pattern" || inner.type === "dictionary_splat_pattern")) {
              nameNode = inner.namedChild(0);
            }
          }
          break;
        default:
          break;
      }
      if (nameNode?.type === "identifier") this.bind(scope, nameNode.text, "parameter", nameNode, parameter, value);
    }
  }

  private recordBindings(node: SyntaxNode): void {
    const scope = this.scopeForBinding(node);
    switch (node.type) {
      case "assignment": {
        const left = field(node, "left");
        const right = field(node, "right");
        if (!left) return;
        if (!right) {
          if (left.type === "identifier") this.bind(scope, left.text, "annotation", left, node);
          return;
        }
        this.bindTarget(scope, left, "assignment", node, right);
        return;
      }
      case "augmented_assignment": {
        const left = field(node, "left");
        if (left?.type === "identifier") this.bind(scope, left.text, "augmented-assignment", left, node, node);
        return;
      }
      case "for_statement":
      case "for_in_clause": {
        const left = field(node, "left");
        if (left) this.bindTarget(scope, left, "for", node, undefined);
        return;
      }
      case "with_item": {
        const value = field(node, "value");
        if (value?.type === "as_pattern") this.bindAsPattern(scope, value, "with", node);
        return;
      }
      case "except_clause": {
        for (const child of node.namedChildren) {
          if (child.type === "as_pattern") this.bindAsPattern(scope, child, "except", node);
        }
        return;
      }
      case "named_expression": {
        const name = field(node, "name");
        const value = field(node, "value");
        if (name) this.bind(scope, name.text, "walrus", name, node, value ?? undefined);
        return;
      }
      case "global_statement":
        for (const child of node.namedChildren) if (child.type === "identifier") scope.globals.add(child.text);
        return;
      case "nonlocal_statement":
        for (const child of node.namedChildren) if (child.type === "identifier") scope.nonlocals.add(child.text);
        return;
      case "import_statement":
        this.recordImport(scope, node);
        return;
      case "import_from_statement":
        this.recordImportFrom(scope, node);
        return;
      case "delete_statement":
        return;
      default:
        return;
    }
  }

  /** Comprehension variables and walrus targets follow Python's own placement rules. */
  private scopeForBinding(node: SyntaxNode): Scope {
    let scope = this.scopeAt(node);
    if (node.type === "named_expression") {
      while (scope.kind === "comprehension" && scope.parent) scope = scope.parent;
    }
    return scope;
  }

  private bindAsPattern(scope: Scope, pattern: SyntaxNode, kind: BindingKind, site: SyntaxNode): void {
    const alias = field(pattern, "alias");
    const target = alias?.type === "as_pattern_target" ? alias.namedChild(0) : alias;
    if (target) this.bindTarget(scope, target, kind, site, kind === "with" ? (pattern.namedChild(0) ?? undefined) : undefined);
  }

  private bindTarget(scope: Scope, target: SyntaxNode, kind: BindingKind, site: SyntaxNode, value: SyntaxNode | undefined): void {
    const pending: Array<[SyntaxNode, SyntaxNode | undefined]> = [[target, value]];
    for (let guard = 0; pending.length > 0 && guard < 10_000; guard++) {
      const [current, currentValue] = pending.pop() as [SyntaxNode, SyntaxNode | undefined];
      switch (current.type) {
        case "identifier":
          this.bind(scope, current.text, kind, current, site, currentValue);
          break;
        case "pattern_list":
        case "tuple_pattern":
        case "list_pattern":
        case "tuple":
        case "list":
        case "expression_list": {
          const targets = current.namedChildren;
          const values =
            currentValue && ["tuple", "list", "expression_list", "pattern_list"].includes(currentValue.type)
              ? currentValue.namedChildren
              : undefined;
          const pairs = values && values.length === targets.length;
          targets.forEach((child, index) => pending.push([child, pairs ? values[index] : undefined]));
          break;
        }
        case "list_splat_pattern":
        case "list_splat": {
          const inner = current.namedChild(0);
          if (inner) pending.push([inner, undefined]);
          break;
        }
        case "parenthesized_expression": {
          const inner = current.namedChild(0);
          if (inner) pending.push([inner, currentValue]);
          break;
        }
        default:
          // Attribute and subscript targets bind no name.
          break;
      }
    }
  }

  private recordImport(scope: Scope, node: SyntaxNode): void {
    for (const child of node.namedChildren) {
      if (child.type === "dotted_name") {
        // `import os.path` binds `os`, which stands for the package `os`.
        const head = child.namedChild(0);
        if (head) this.bind(scope, head.text, "import", head, node, undefined, head.text);
      } else if (child.type === "aliased_import") {
        const name = field(child, "name");
        const alias = field(child, "alias");
        if (name && alias) this.bind(scope, alias.text, "import", alias, node, undefined, name.text);
      }
    }
  }

  private recordImportFrom(scope: Scope, node: SyntaxNode): void {
    const moduleNode = field(node, "module_name");
    const moduleName = moduleNode ? moduleNode.text : "";
    for (const child of node.namedChildren) {
      if (child === moduleNode || child.startIndex === moduleNode?.startIndex) continue;
      if (child.type === "wildcard_import") {
        this.wildcardImports.push(moduleName);
      } else if (child.type === "dotted_name") {
        const head = child.namedChild(0);
        if (head) this.bind(scope, child.text, "import", head, node, undefined, `${moduleName}.${child.text}`);
      } else if (child.type === "aliased_import") {
        const name = field(child, "name");
        const alias = field(child, "alias");
        if (name && alias) this.bind(scope, alias.text, "import", alias, node, undefined, `${moduleName}.${name.text}`);
      }
    }
  }

  private bind(
    scope: Scope,
    name: string,
    kind: BindingKind,
    node: SyntaxNode,
    site: SyntaxNode,
    value?: SyntaxNode,
    qualifiedName?: string,
  ): void {
    let target = scope;
    if (scope.globals.has(name)) target = this.module;
    const binding: Binding = { name, kind, node, site, scope: target };
    if (value) binding.value = value;
    if (qualifiedName !== undefined) binding.qualifiedName = qualifiedName;
    const list = target.bindings.get(name);
    if (list) list.push(binding);
    else target.bindings.set(name, [binding]);
  }
}
