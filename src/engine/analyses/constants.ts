import type { SyntaxNode } from "../types.js";
import { field, stringLiteralValue, stringParts, unparenthesize } from "../syntax.js";
import type { Binding, ScopeTracker } from "./scopes.js";

export type ConstantValue = string | number | boolean | null | readonly ConstantValue[];

export interface Constant {
  value: ConstantValue;
}

const MAX_DEPTH = 48;

/**
 * Evaluates an expression whose value is known without running the program: literals, their
 * concatenation and formatting, tuples and lists of them, conditional expressions with a constant
 * test, and names every binding of which (so far) is such a value. Returns undefined otherwise.
 */
export function evaluateConstant(scopes: ScopeTracker, node: SyntaxNode): Constant | undefined {
  return evaluate(scopes, node, { steps: 0, active: new Set() }, 0);
}

interface EvaluationState {
  /** Bounds the work on pathological input (long chains of names bound to each other). */
  steps: number;
  /** Bindings being evaluated, so that `a = b; b = a` ends. */
  active: Set<Binding>;
}

const MAX_STEPS = 20_000;

function evaluate(scopes: ScopeTracker, node: SyntaxNode, state: EvaluationState, depth: number): Constant | undefined {
  if (depth > MAX_DEPTH || ++state.steps > MAX_STEPS) return undefined;
  const expression = unparenthesize(node);
  switch (expression.type) {
    case "string": {
      const value = stringLiteralValue(expression);
      return value === null ? undefined : { value };
    }
    case "concatenated_string": {
      let value = "";
      for (const part of expression.namedChildren) {
        if (part.type !== "string") continue;
        const partValue = stringLiteralValue(part);
        if (partValue === null) return undefined;
        value += partValue;
      }
      return { value };
    }
    case "integer": {
      const text = expression.text.replaceAll("_", "").toLowerCase();
      const parsed = /^0[box]/u.test(text) ? Number(text) : Number.parseInt(text.replace(/[jl]$/u, ""), 10);
      return Number.isNaN(parsed) ? undefined : { value: parsed };
    }
    case "float": {
      const parsed = Number.parseFloat(expression.text.replaceAll("_", ""));
      return Number.isNaN(parsed) ? undefined : { value: parsed };
    }
    case "true":
      return { value: true };
    case "false":
      return { value: false };
    case "none":
      return { value: null };
    case "unary_operator": {
      const operand = field(expression, "argument");
      const inner = operand ? evaluate(scopes, operand, state, depth + 1) : undefined;
      if (!inner || typeof inner.value !== "number") return undefined;
      const operator = field(expression, "operator")?.text;
      return { value: operator === "-" ? -inner.value : operator === "~" ? ~inner.value : inner.value };
    }
    case "tuple":
    case "list":
    case "expression_list": {
      const values: ConstantValue[] = [];
      for (const element of expression.namedChildren) {
        if (element.type === "comment") continue;
        const item = evaluate(scopes, element, state, depth + 1);
        if (!item) return undefined;
        values.push(item.value);
      }
      return { value: values };
    }
    case "binary_operator":
      return evaluateBinary(scopes, expression, state, depth);
    case "conditional_expression": {
      const [whenTrue, test, whenFalse] = expression.namedChildren;
      if (!whenTrue || !test || !whenFalse) return undefined;
      const condition = evaluate(scopes, test, state, depth + 1);
      if (condition) return evaluate(scopes, truthy(condition.value) ? whenTrue : whenFalse, state, depth + 1);
      const left = evaluate(scopes, whenTrue, state, depth + 1);
      const right = left && evaluate(scopes, whenFalse, state, depth + 1);
      // Both branches constant: the value is one of them; the first stands for both.
      return right ? left : undefined;
    }
    case "identifier":
      return evaluateName(scopes, expression, state, depth);
    case "call":
      return evaluateCall(scopes, expression, state, depth);
    default:
      return undefined;
  }
}

export function truthy(value: ConstantValue): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

function evaluateName(scopes: ScopeTracker, identifier: SyntaxNode, state: EvaluationState, depth: number): Constant | undefined {
  const bindings = scopes.bindingsOf(identifier.text, identifier);
  let latest: Constant | undefined;
  let sawEarlier = false;
  for (const binding of bindings) {
    const isEarlier = binding.node.startIndex < identifier.startIndex;
    // Every binding must be constant: a name reassigned from input anywhere is not a constant.
    if (binding.kind !== "assignment" || !binding.value) return undefined;
    if (binding.value.startIndex <= identifier.startIndex && binding.value.endIndex >= identifier.endIndex) return undefined;
    if (state.active.has(binding)) return undefined;
    state.active.add(binding);
    const value = evaluate(scopes, binding.value, state, depth + 1);
    state.active.delete(binding);
    if (!value) return undefined;
    if (isEarlier || !sawEarlier) latest = value;
    if (isEarlier) sawEarlier = true;
  }
  return latest;
}

function evaluateBinary(scopes: ScopeTracker, expression: SyntaxNode, state: EvaluationState, depth: number): Constant | undefined {
  // `a + b + c` nests to the left: fold the left spine iteratively so long chains cost no depth.
  const spine: Array<{ operator: string; right: SyntaxNode }> = [];
  let leftmost: SyntaxNode = expression;
  while (leftmost.type === "binary_operator" && spine.length < 100_000) {
    const leftNode = field(leftmost, "left");
    const rightNode = field(leftmost, "right");
    const operator = field(leftmost, "operator")?.text;
    if (!leftNode || !rightNode || !operator) return undefined;
    spine.push({ operator, right: rightNode });
    leftmost = unparenthesize(leftNode);
  }
  let accumulated = evaluate(scopes, leftmost, state, depth + 1);
  for (let index = spine.length - 1; index >= 0 && accumulated; index--) {
    const step = spine[index] as { operator: string; right: SyntaxNode };
    const right = evaluate(scopes, step.right, state, depth + 1);
    accumulated = right ? applyOperator(step.operator, accumulated.value, right.value) : undefined;
  }
  return accumulated;
}

function applyOperator(operator: string, a: ConstantValue, b: ConstantValue): Constant | undefined {
  switch (operator) {
    case "+":
      if (typeof a === "string" && typeof b === "string") return { value: a + b };
      if (typeof a === "number" && typeof b === "number") return { value: a + b };
      if (Array.isArray(a) && Array.isArray(b)) return { value: [...a, ...b] };
      return undefined;
    case "*":
      if (typeof a === "string" && typeof b === "number") return { value: a.repeat(Math.max(0, Math.min(b, 10_000))) };
      if (typeof a === "number" && typeof b === "number") return { value: a * b };
      return undefined;
    case "-":
      return typeof a === "number" && typeof b === "number" ? { value: a - b } : undefined;
    case "%":
      if (typeof a === "string") return { value: formatPercent(a, Array.isArray(b) ? b : [b]) };
      if (typeof a === "number" && typeof b === "number" && b !== 0) return { value: a % b };
      return undefined;
    case "**":
      return typeof a === "number" && typeof b === "number" ? { value: a ** b } : undefined;
    case "<<":
      return typeof a === "number" && typeof b === "number" ? { value: a * 2 ** b } : undefined;
    default:
      return undefined;
  }
}

function formatPercent(template: string, values: readonly ConstantValue[]): string {
  let index = 0;
  return template.replace(/%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdirfxXoeEgGc%]/gu, (match) => {
    if (match === "%%") return "%";
    const value = values[index++];
    return value === undefined ? match : String(value);
  });
}

function evaluateCall(scopes: ScopeTracker, call: SyntaxNode, state: EvaluationState, depth: number): Constant | undefined {
  const callee = field(call, "function");
  if (callee?.type !== "attribute") return undefined;
  const method = field(callee, "attribute")?.text;
  const receiverNode = field(callee, "object");
  if (!receiverNode || (method !== "format" && method !== "join" && method !== "upper" && method !== "lower" && method !== "strip")) {
    return undefined;
  }
  const receiver = evaluate(scopes, receiverNode, state, depth + 1);
  if (!receiver || typeof receiver.value !== "string") return undefined;
  const args = field(call, "arguments")?.namedChildren.filter((child) => child.type !== "comment") ?? [];
  const values: ConstantValue[] = [];
  for (const argumentNode of args) {
    const valueNode = argumentNode.type === "keyword_argument" ? field(argumentNode, "value") : argumentNode;
    const value = valueNode ? evaluate(scopes, valueNode, state, depth + 1) : undefined;
    if (!value) return undefined;
    values.push(value.value);
  }
  switch (method) {
    case "join": {
      const list = values[0];
      return Array.isArray(list) ? { value: list.map(String).join(receiver.value) } : undefined;
    }
    case "format":
      return { value: receiver.value.replace(/\{[^{}]*\}/gu, () => String(values.shift() ?? "")) };
    case "upper":
      return { value: receiver.value.toUpperCase() };
    case "lower":
      return { value: receiver.value.toLowerCase() };
    default:
      return { value: receiver.value.trim() };
  }
}

/** True for an f-string with interpolations (a string built from values at run time). */
export function isInterpolatedString(node: SyntaxNode): boolean {
  return node.type === "string" && stringParts(node).interpolations.length > 0;
}
