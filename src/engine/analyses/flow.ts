import type { SyntaxNode } from "../types.js";
import { field, unparenthesize } from "../syntax.js";
import type { Scope, ScopeTracker } from "./scopes.js";

/** Node types the flow facts need from the walk, beyond the scope analysis's. */
export const FLOW_NODE_TYPES = ["return_statement", "if_statement", "decorated_definition", "assignment"] as const;

/** `items["key"] = value` or `obj.field = value`: a write into a container or object bound to `name`. */
export interface ElementWrite {
  name: string;
  /** The constant key or attribute name, when known. */
  key: string | number | null;
  value: SyntaxNode;
  site: SyntaxNode;
}

/**
 * Facts about control and data flow that the taint analysis and rules share: return values per
 * function, `if` statements (guards and dead branches), decorators, and writes into containers.
 * Recorded during the engine's recording pass.
 */
export class FlowFacts {
  private readonly returns = new Map<Scope, SyntaxNode[]>();
  private readonly writes = new Map<Scope, Map<string, ElementWrite[]>>();
  private readonly decorators = new Map<number, SyntaxNode[]>();
  readonly ifStatements: Array<{ node: SyntaxNode; scope: Scope }> = [];

  constructor(private readonly scopes: ScopeTracker) {}

  enter(node: SyntaxNode): void {
    switch (node.type) {
      case "return_statement": {
        const value = node.namedChild(0);
        if (!value) return;
        const scope = this.scopes.scopeAt(node);
        const list = this.returns.get(scope);
        if (list) list.push(value);
        else this.returns.set(scope, [value]);
        return;
      }
      case "if_statement":
        this.ifStatements.push({ node, scope: this.scopes.scopeAt(node) });
        return;
      case "decorated_definition": {
        const definition = field(node, "definition");
        if (!definition) return;
        this.decorators.set(
          definition.startIndex,
          node.namedChildren.filter((child) => child.type === "decorator"),
        );
        return;
      }
      case "assignment":
        this.recordWrite(node);
        return;
      default:
        return;
    }
  }

  /** The expressions a function returns. */
  returnsOf(scope: Scope): readonly SyntaxNode[] {
    return this.returns.get(scope) ?? [];
  }

  /** The decorators of a function or class definition (the expressions after `@`). */
  decoratorsOf(definition: SyntaxNode): SyntaxNode[] {
    return (this.decorators.get(definition.startIndex) ?? []).map((decorator) => decorator.namedChild(0)).filter((node): node is SyntaxNode => node !== null);
  }

  /** Writes into the container or object a name is bound to, in one scope. */
  writesTo(scope: Scope, name: string): readonly ElementWrite[] {
    return this.writes.get(scope)?.get(name) ?? [];
  }

  private recordWrite(assignment: SyntaxNode): void {
    const left = field(assignment, "left");
    const value = field(assignment, "right");
    if (!left || !value || (left.type !== "subscript" && left.type !== "attribute")) return;
    const objectNode = field(left, left.type === "subscript" ? "value" : "object");
    if (objectNode?.type !== "identifier") return;
    let key: string | number | null = null;
    if (left.type === "attribute") key = field(left, "attribute")?.text ?? null;
    else {
      const subscript = field(left, "subscript");
      const keyNode = subscript ? unparenthesize(subscript) : null;
      if (keyNode?.type === "string") key = keyNode.text.replace(/^[a-zA-Z]*["']+|["']+$/gu, "");
      else if (keyNode?.type === "integer") key = Number(keyNode.text);
    }
    const scope = this.scopes.scopeAt(assignment);
    let byName = this.writes.get(scope);
    if (!byName) {
      byName = new Map();
      this.writes.set(scope, byName);
    }
    const write: ElementWrite = { name: objectNode.text, key, value, site: assignment };
    const list = byName.get(write.name);
    if (list) list.push(write);
    else byName.set(write.name, [write]);
  }
}
