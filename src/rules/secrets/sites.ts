import { callArguments, calleeLastName, field, stringLiteralValue, unparenthesize } from "../../engine/syntax.js";
import type { RuleVisitors, SyntaxNode } from "../../engine/types.js";
import { literalString, targetName } from "./literals.js";

/** Where a literal meets a name. */
export type SiteKind = "assignment" | "keyword" | "dict-key" | "default" | "comparison" | "setdefault";

export interface NamedLiteral {
  kind: SiteKind;
  /** The name, dict key or keyword the literal is bound to or compared with. */
  name: string;
  /** The literal (a string or an implicit concatenation of strings). */
  valueNode: SyntaxNode;
  value: string;
  /** The assignment, keyword argument, pair, parameter, comparison or call. */
  site: SyntaxNode;
}

const LITERAL_TYPES = new Set(["string", "concatenated_string", "parenthesized_expression"]);
const TUPLE_TYPES = new Set(["pattern_list", "tuple_pattern", "tuple", "expression_list", "list_pattern", "list"]);
const EQUALITY = new Set(["==", "!=", "is", "is not"]);
const LOOKUP_METHODS = new Set(["get", "getenv"]);
const SETTERS = new Set(["setdefault", "putenv"]);
const SETTER_SUFFIXES = ["setdefault", "putenv"];

/** True when the source text of `callee` ends with one of `suffixes`: a filter that costs one native call. */
export function calleeEndsWith(source: string, callee: SyntaxNode, suffixes: readonly string[]): boolean {
  const end = callee.endIndex;
  const tail = source.slice(Math.max(0, end - 16), end);
  return suffixes.some((suffix) => tail.endsWith(suffix));
}

function literalOf(node: SyntaxNode | null): { node: SyntaxNode; value: string } | null {
  if (!node || !LITERAL_TYPES.has(node.type)) return null;
  const value = literalString(node);
  return value === null ? null : { node, value };
}

/** The name an operand of a comparison stands for: a variable, attribute, `x["key"]` or `x.get("key")`. */
function operandName(operand: SyntaxNode): string | null {
  if (operand.type === "call") {
    const method = calleeLastName(operand);
    if (!method || !LOOKUP_METHODS.has(method)) return null;
    const first = callArguments(operand).positional[0];
    return first?.type === "string" ? stringLiteralValue(first) : null;
  }
  return targetName(operand);
}

/**
 * Visitors that find every string literal bound to a name: assignments (plain, annotated,
 * attribute and subscript targets, tuple unpacking, chains), keyword arguments, dict entries,
 * parameter defaults, equality comparisons and `setdefault`/`putenv` calls. Each reads only the
 * fields it needs and gives up as soon as the value is not a literal.
 */
export function namedLiteralVisitors(source: string, report: (literal: NamedLiteral) => void): RuleVisitors {
  return {
    assignment(node) {
      let right = field(node, "right");
      if (!right) return;
      while (right.type === "assignment") {
        const inner: SyntaxNode | null = field(right, "right");
        if (!inner) return;
        right = inner;
      }
      const left = field(node, "left");
      if (!left) return;
      if (TUPLE_TYPES.has(left.type) && TUPLE_TYPES.has(right.type)) {
        const targets = left.namedChildren;
        const values = right.namedChildren;
        if (targets.length !== values.length) return;
        targets.forEach((target, index) => {
          const literal = literalOf(values[index] ?? null);
          const name = literal && targetName(target);
          if (literal && name) report({ kind: "assignment", name, valueNode: literal.node, value: literal.value, site: node });
        });
        return;
      }
      const literal = literalOf(right);
      if (!literal) return;
      const name = targetName(left);
      if (name) report({ kind: "assignment", name, valueNode: literal.node, value: literal.value, site: node });
    },
    keyword_argument(node) {
      const literal = literalOf(field(node, "value"));
      if (!literal) return;
      const name = field(node, "name");
      if (name) report({ kind: "keyword", name: name.text, valueNode: literal.node, value: literal.value, site: node });
    },
    pair(node) {
      const literal = literalOf(field(node, "value"));
      if (!literal) return;
      const key = field(node, "key");
      if (key?.type !== "string") return;
      const name = stringLiteralValue(key);
      if (name) report({ kind: "dict-key", name, valueNode: literal.node, value: literal.value, site: node });
    },
    default_parameter(node) {
      const literal = literalOf(field(node, "value"));
      const name = literal && field(node, "name");
      if (literal && name?.type === "identifier") {
        report({ kind: "default", name: name.text, valueNode: literal.node, value: literal.value, site: node });
      }
    },
    typed_default_parameter(node) {
      const literal = literalOf(field(node, "value"));
      const name = literal && field(node, "name");
      if (literal && name?.type === "identifier") {
        report({ kind: "default", name: name.text, valueNode: literal.node, value: literal.value, site: node });
      }
    },
    comparison_operator(node) {
      const children = node.children;
      if (children.length !== 3) return;
      const [leftNode, operator, rightNode] = children as [SyntaxNode, SyntaxNode, SyntaxNode];
      if (!EQUALITY.has(operator.text)) return;
      const left = unparenthesize(leftNode);
      const right = unparenthesize(rightNode);
      const leftLiteral = literalOf(left);
      const rightLiteral = literalOf(right);
      if ((leftLiteral === null) === (rightLiteral === null)) return;
      const literal = (leftLiteral ?? rightLiteral) as { node: SyntaxNode; value: string };
      const name = operandName(leftLiteral ? right : left);
      if (name) report({ kind: "comparison", name, valueNode: literal.node, value: literal.value, site: node });
    },
    call(node) {
      // Calls are many: read the callee's last characters from the source before anything else.
      const callee = field(node, "function");
      if (!callee || !calleeEndsWith(source, callee, SETTER_SUFFIXES)) return;
      const method = calleeLastName(node);
      if (!method || !SETTERS.has(method)) return;
      const args = callArguments(node);
      const key = args.positional[0];
      const literal = literalOf(args.positional[1] ?? null);
      if (!literal || key?.type !== "string") return;
      const name = stringLiteralValue(key);
      if (name) report({ kind: "setdefault", name, valueNode: literal.node, value: literal.value, site: node });
    },
  };
}

/** Runs several rules' visitor sets as one (for a rule that needs both its own visitors and the named literals). */
export function mergeVisitors(...sets: RuleVisitors[]): RuleVisitors {
  const merged: Record<string, (node: SyntaxNode) => void> = {};
  for (const set of sets) {
    for (const [type, visit] of Object.entries(set)) {
      if (!visit || type === "module:exit") continue;
      const previous = merged[type];
      const current = visit as (node: SyntaxNode) => void;
      merged[type] = previous
        ? (node) => {
            previous(node);
            current(node);
          }
        : current;
    }
  }
  return merged as RuleVisitors;
}

/**
 * The name a literal is bound to, found from the literal upward: for the rare literal that only a
 * name can classify (an AWS secret key has no prefix). Costs parent look-ups, so call it last.
 */
export function bindingNameOf(literal: SyntaxNode): string | null {
  let valueNode = literal;
  let parent = literal.parent;
  for (let depth = 0; parent?.type === "parenthesized_expression" && depth < 4; depth++) {
    valueNode = parent;
    parent = parent.parent;
  }
  if (!parent) return null;
  switch (parent.type) {
    case "assignment": {
      const left = field(parent, "left");
      return left && left.startIndex !== valueNode.startIndex ? targetName(left) : null;
    }
    case "keyword_argument":
    case "default_parameter":
    case "typed_default_parameter": {
      const name = field(parent, "name");
      return name && name.startIndex !== valueNode.startIndex ? name.text : null;
    }
    case "pair": {
      const key = field(parent, "key");
      return key?.type === "string" && key.startIndex !== valueNode.startIndex ? stringLiteralValue(key) : null;
    }
    default:
      return null;
  }
}
