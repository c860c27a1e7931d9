import type { Scope } from "../../engine/analyses/scopes.js";
import { field, stringParts, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";

/**
 * Helpers for the taint rules PG-INPUT-010…015 and PG-SSRF-001…003: what made an object a
 * method is called on (`tree` from `etree.parse(...)`, `session` from `requests.Session()`), the
 * constant text of a built string, and the `if` statements around a use.
 */

/** How an object was made: the imported call that created it and the methods applied since (`etree.parse(f).getroot()`). */
export interface Construction {
  /** Qualified name of the creating call, or of a parameter's annotation. */
  name: string;
  /** Methods called on the created object, in order (`["getroot"]`). */
  methods: string[];
  /** The creating call, when the object comes from one (not for annotated parameters). */
  call: SyntaxNode | null;
  /** True when the object is an item of what was made (`for member in tar.getmembers()`). */
  item: boolean;
}

const MAX_STEPS = 10;

/**
 * Follows a receiver back to the imported call that made it: through names bound by assignment,
 * `with ... as`, `for` loops and annotated parameters, through methods called on the result, and
 * through `self.attribute` set in a method of the same class. Null when the trail is lost.
 */
export function constructionOf(context: RuleContext, node: SyntaxNode): Construction | null {
  const methods: string[] = [];
  let item = false;
  let current = unparenthesize(node);
  for (let step = 0; step < MAX_STEPS; step++) {
    switch (current.type) {
      case "identifier": {
        const binding = context.analyses.scopes.bindingBefore(current.text, current);
        if (!binding) return null;
        if (binding.kind === "assignment" || binding.kind === "walrus" || binding.kind === "with") {
          if (!binding.value) return null;
          current = unparenthesize(binding.value);
          continue;
        }
        if (binding.kind === "for") {
          const iterable = field(binding.site, "right");
          if (!iterable || field(binding.site, "left")?.type !== "identifier") return null;
          item = true;
          current = unparenthesize(iterable);
          continue;
        }
        if (binding.kind === "parameter") {
          const annotation = field(binding.site, "type");
          const typeNode = annotation?.namedChild(0) ?? null;
          const resolved = typeNode && (typeNode.type === "identifier" || typeNode.type === "attribute") ? context.analyses.resolve(typeNode) : null;
          return resolved && resolved.origin !== "local" ? { name: resolved.name, methods, call: null, item } : null;
        }
        return null;
      }
      case "attribute": {
        const value = selfAttributeValue(context, current);
        if (!value) return null;
        current = unparenthesize(value);
        continue;
      }
      case "call": {
        const callee = field(current, "function");
        if (!callee) return null;
        if (callee.type === "identifier" || callee.type === "attribute") {
          const resolved = context.analyses.resolve(callee);
          if (resolved && resolved.origin !== "local") return { name: resolved.name, methods, call: current, item };
        }
        if (callee.type !== "attribute") return null;
        const method = field(callee, "attribute")?.text;
        const object = field(callee, "object");
        if (!method || !object) return null;
        methods.unshift(method);
        current = unparenthesize(object);
        continue;
      }
      default:
        return null;
    }
  }
  return null;
}

/** `self.session` where a method of the enclosing class assigns `self.session = value`: that value. */
function selfAttributeValue(context: RuleContext, attribute: SyntaxNode): SyntaxNode | null {
  const object = field(attribute, "object");
  const name = field(attribute, "attribute")?.text;
  if (object?.type !== "identifier" || object.text !== "self" || !name) return null;
  let owner: Scope | null = context.analyses.scopes.scopeAt(attribute);
  while (owner && owner.kind !== "class") owner = owner.parent;
  if (!owner) return null;
  for (const bindings of owner.bindings.values()) {
    for (const binding of bindings) {
      if (binding.kind !== "function") continue;
      const method = context.analyses.scopes.scopeOf(binding.site);
      if (!method) continue;
      for (const write of context.analyses.flow.writesTo(method, "self")) {
        if (write.key === name && unparenthesize(write.value).type === "call") return write.value;
      }
    }
  }
  return null;
}

/** True when `construction` was made by one of `names` or by a name under one of `prefixes` (`"lxml.etree."`). */
export function madeBy(construction: Construction | null, names: ReadonlySet<string>, prefixes: readonly string[] = []): boolean {
  if (!construction) return false;
  return names.has(construction.name) || prefixes.some((prefix) => construction.name.startsWith(prefix));
}

/** Follows a name to the value of its last assignment before the use (a few steps), or returns the expression. */
export function valueOf(context: RuleContext, node: SyntaxNode): SyntaxNode {
  let current = unparenthesize(node);
  for (let step = 0; step < 4 && current.type === "identifier"; step++) {
    let binding = context.analyses.scopes.bindingBefore(current.text, current);
    // `url = url + "?x"`: the name on the right is the earlier value.
    if (binding?.value && binding.value.startIndex <= current.startIndex && current.endIndex <= binding.value.endIndex) {
      binding = context.analyses.scopes.bindingBefore(current.text, binding.node);
    }
    if (!binding || (binding.kind !== "assignment" && binding.kind !== "walrus") || !binding.value) break;
    current = unparenthesize(binding.value);
  }
  return current;
}

/**
 * The constant text of a string built at run time, its values left out: the parts of an
 * f-string, of a `+` chain, of a `%` template or of a `"...".format()` receiver. Empty for
 * anything else.
 */
export function constantText(context: RuleContext, node: SyntaxNode): string {
  const expression = valueOf(context, node);
  switch (expression.type) {
    case "string": {
      if (stringParts(expression).interpolations.length === 0) return "";
      return expression.namedChildren
        .filter((child) => child.type === "string_content")
        .map((child) => child.text)
        .join(" ");
    }
    case "binary_operator": {
      const parts: string[] = [];
      const pending: SyntaxNode[] = [expression];
      for (let guard = 0; pending.length > 0 && guard < 32; guard++) {
        const current = unparenthesize(pending.pop() as SyntaxNode);
        if (current.type === "binary_operator") {
          const left = field(current, "left");
          const right = field(current, "right");
          if (right) pending.push(right);
          if (left) pending.push(left);
          continue;
        }
        const value = context.analyses.constant(current)?.value;
        if (typeof value === "string") parts.push(value);
      }
      return parts.join(" ");
    }
    case "call": {
      const callee = field(expression, "function");
      if (callee?.type !== "attribute" || field(callee, "attribute")?.text !== "format") return "";
      const receiver = field(callee, "object");
      const value = receiver ? context.analyses.constant(receiver)?.value : undefined;
      return typeof value === "string" ? value : "";
    }
    default:
      return "";
  }
}

/** The `if`/`elif` conditions around `node` in its function, innermost first (bounded; each parent access costs). */
export function enclosingConditions(node: SyntaxNode, limit = 12): SyntaxNode[] {
  const conditions: SyntaxNode[] = [];
  let current = node.parent;
  for (let depth = 0; current && depth < limit; depth++, current = current.parent) {
    const type = current.type;
    if (type === "function_definition" || type === "class_definition" || type === "module") break;
    if (type === "if_statement" || type === "elif_clause" || type === "while_statement") {
      const condition = field(current, "condition");
      if (condition) conditions.push(condition);
    }
  }
  return conditions;
}

/** The operands of `a or b or c` (nested the same way): `[a, b, c]`. */
export function operands(expression: SyntaxNode, operator: string): SyntaxNode[] {
  const parts: SyntaxNode[] = [];
  const pending = [expression];
  while (pending.length > 0 && parts.length < 12) {
    const current = unparenthesize(pending.pop() as SyntaxNode);
    const currentOperator = current.type === "boolean_operator" ? current.children.find((child) => !child.isNamed)?.type : undefined;
    if (currentOperator !== operator) {
      parts.push(current);
      continue;
    }
    const left = field(current, "left");
    const right = field(current, "right");
    if (right) pending.push(right);
    if (left) pending.push(left);
  }
  return parts;
}
