import type { FileAnalyses } from "../../engine/analyses/index.js";
import { callArguments, calleeLastName, field, stringLiteralValue, unparenthesize } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";

/**
 * Helpers over expressions for the C2, G10 and C7 rules: the name that an expression stands for,
 * shallow searches inside an expression, where a call's value goes, and constant byte strings.
 * Every search is bounded and reads only the fields it needs.
 */

/** Attributes that hold the value of the object before them: `form.password.data` is the password. */
const VALUE_ATTRIBUTES = new Set(["data", "value", "text", "raw", "content", "plain"]);
/** Methods whose result is their receiver transformed: `password.encode()` is still the password. */
const RECEIVER_METHODS = new Set([
  "encode", "decode", "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "hex", "zfill", "ljust", "rjust",
  "replace", "removeprefix", "removesuffix", "title", "capitalize", "format", "copy", "hexdigest", "digest", "tobytes",
]);
/** Methods that read a key out of a mapping: `request.form.get("password")` is the password. */
const KEYED_METHODS = new Set(["get", "getlist", "pop", "getone", "get_one", "getfirst", "setdefault", "getvalue"]);
/** Builtins whose result is their first argument converted: `str(token)` is the token. */
const CONVERSIONS = new Set(["str", "bytes", "bytearray", "repr", "int", "memoryview", "list", "tuple"]);

/** The value of a constant string node, or null. */
export function stringValue(node: SyntaxNode | null | undefined): string | null {
  if (!node) return null;
  const inner = unparenthesize(node);
  if (inner.type === "string") return stringLiteralValue(inner);
  if (inner.type === "concatenated_string") {
    let value = "";
    for (const part of inner.namedChildren) {
      if (part.type !== "string") continue;
      const text = stringLiteralValue(part);
      if (text === null) return null;
      value += text;
    }
    return value;
  }
  return null;
}

/**
 * The name an expression stands for: an identifier, the last attribute (`user.password` →
 * `password`, `form.password.data` → `password`), the constant key of a subscript or a `get`
 * (`request.form["password"]`, `request.POST.get("password")`), the receiver of a string method
 * (`password.encode()`), the argument of a conversion (`str(token)`). Null when there is none.
 */
export function valueName(node: SyntaxNode): string | null {
  let current: SyntaxNode | null = unparenthesize(node);
  for (let depth = 0; current && depth < 6; depth++) {
    switch (current.type) {
      case "identifier":
        return current.text;
      case "attribute": {
        const attribute = field(current, "attribute")?.text ?? null;
        if (attribute && VALUE_ATTRIBUTES.has(attribute)) {
          current = field(current, "object");
          continue;
        }
        return attribute;
      }
      case "subscript": {
        const key = stringValue(field(current, "subscript"));
        if (key !== null) return key;
        current = field(current, "value");
        continue;
      }
      case "call": {
        const callee = field(current, "function");
        if (!callee) return null;
        if (callee.type === "attribute") {
          const method = field(callee, "attribute")?.text ?? "";
          if (KEYED_METHODS.has(method)) {
            const first = callArguments(current).positional[0];
            const key = stringValue(first);
            return key;
          }
          if (RECEIVER_METHODS.has(method)) {
            current = field(callee, "object");
            continue;
          }
          return null;
        }
        if (callee.type === "identifier" && CONVERSIONS.has(callee.text)) {
          current = callArguments(current).positional[0] ?? null;
          continue;
        }
        return null;
      }
      default:
        return null;
    }
  }
  return null;
}

/**
 * Searches an expression, a few levels deep, for a part that satisfies `test` (names, string
 * methods, operands of `+` and `%`, f-string values, call arguments, container elements). Returns
 * the first part found, or null. Bounded: at most `budget` nodes are looked at.
 */
export function findPart(
  expression: SyntaxNode,
  test: (part: SyntaxNode) => boolean,
  maxDepth = 4,
  budget = 32,
): SyntaxNode | null {
  const pending: Array<[SyntaxNode, number]> = [[expression, 0]];
  let seen = 0;
  while (pending.length > 0 && seen < budget) {
    const [raw, depth] = pending.pop() as [SyntaxNode, number];
    const node = unparenthesize(raw);
    seen++;
    if (test(node)) return node;
    if (depth >= maxDepth) continue;
    const next = depth + 1;
    switch (node.type) {
      case "binary_operator": {
        const left = field(node, "left");
        const right = field(node, "right");
        if (right) pending.push([right, next]);
        if (left) pending.push([left, next]);
        break;
      }
      case "string":
        for (const child of node.namedChildren) {
          if (child.type !== "interpolation") continue;
          const inner = field(child, "expression") ?? child.namedChild(0);
          if (inner) pending.push([inner, next]);
        }
        break;
      case "concatenated_string":
      case "tuple":
      case "list":
      case "set":
      case "expression_list":
        for (const child of node.namedChildren) if (child.type !== "comment") pending.push([child, next]);
        break;
      case "conditional_expression": {
        const children = node.namedChildren;
        if (children[0]) pending.push([children[0], next]);
        if (children[2]) pending.push([children[2], next]);
        break;
      }
      case "call": {
        const callee = field(node, "function");
        const args = callArguments(node);
        for (const argument of args.positional.slice(0, 4)) pending.push([argument, next]);
        for (const value of args.keywords.values()) pending.push([value, next]);
        if (callee?.type === "attribute") {
          const receiver = field(callee, "object");
          if (receiver) pending.push([receiver, next]);
        }
        break;
      }
      case "attribute": {
        const object = field(node, "object");
        if (object) pending.push([object, next]);
        break;
      }
      case "subscript": {
        const value = field(node, "value");
        if (value) pending.push([value, next]);
        break;
      }
      case "generator_expression":
      case "list_comprehension": {
        const body = field(node, "body");
        if (body) pending.push([body, next]);
        break;
      }
      case "await": {
        const inner = node.namedChild(0);
        if (inner) pending.push([inner, next]);
        break;
      }
      default:
        break;
    }
  }
  return null;
}

/** Searches an expression for a part whose name (see valueName) satisfies `test`; returns that name. */
export function findNamed(expression: SyntaxNode, test: (name: string) => boolean): string | null {
  let found: string | null = null;
  findPart(expression, (part) => {
    if (part.type !== "identifier" && part.type !== "attribute" && part.type !== "subscript" && part.type !== "call") return false;
    const name = valueName(part);
    if (name !== null && test(name)) {
      found = name;
      return true;
    }
    return false;
  });
  return found;
}

export function sameNode(a: SyntaxNode, b: SyntaxNode): boolean {
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

export type DestinationKind = "variable" | "attribute" | "key" | "keyword" | "return" | "argument" | "none";

export interface Destination {
  kind: DestinationKind;
  /** The name the value is stored under: variable, attribute, dict key, keyword, or the function returned from. */
  name: string;
  /** The node that names the destination (the target, the keyword argument, the call). */
  node: SyntaxNode;
  /** For `keyword` and `argument`: the call that receives the value. */
  call?: SyntaxNode;
  /** For `argument`: the position among the positional arguments (-1 for a keyword). */
  position?: number;
  /** For `argument` through a keyword: the keyword. */
  keyword?: string;
  /** The statement that stores the value (assignment), when there is one. */
  statement?: SyntaxNode;
  /** Names of the calls the value passed through on its way (`join`, `str`). */
  through: string[];
}

/** Calls whose result says nothing about the value passed in: the value goes no further. */
const OPAQUE_CALLS = new Set([
  "len", "range", "sleep", "print", "isinstance", "sorted", "min", "max", "sum", "enumerate", "bool", "round", "abs",
  "debug", "info", "warning", "error", "exception", "log", "critical", "append", "extend", "add", "update", "insert",
  "put", "put_nowait", "submit", "send", "write", "call_later", "wait_for", "timeout", "sample", "seed",
]);

function targetDestination(target: SyntaxNode, statement: SyntaxNode, through: string[]): Destination {
  const inner = unparenthesize(target);
  switch (inner.type) {
    case "identifier":
      return { kind: "variable", name: inner.text, node: inner, statement, through };
    case "attribute":
      return { kind: "attribute", name: field(inner, "attribute")?.text ?? "", node: inner, statement, through };
    case "subscript": {
      const key = stringValue(field(inner, "subscript"));
      return key !== null ? { kind: "key", name: key, node: inner, statement, through } : none(inner, through);
    }
    default:
      return none(inner, through);
  }
}

function none(node: SyntaxNode, through: string[]): Destination {
  return { kind: "none", name: "", node, through };
}

function childIndex(parent: SyntaxNode, child: SyntaxNode): number {
  const children = parent.namedChildren;
  for (let i = 0; i < children.length; i++) if (sameNode(children[i] as SyntaxNode, child)) return i;
  return -1;
}

/**
 * Where the value of `start` (usually a call) goes: up through expressions that carry it
 * (`"".join(random.choice(ALPHABET) for _ in range(8))`, `str(x)`, `x.hex()`, f-strings, `+`) to
 * the assignment target, dict key, keyword argument, function return or call argument that
 * receives it. `isSink` stops the walk at a call that consumes the value (`set_cookie`).
 * Costs a few parent lookups: call it once per candidate, never per visited node.
 */
export function destinationOf(
  start: SyntaxNode,
  isSink: (call: SyntaxNode) => boolean = () => false,
  functionName: (node: SyntaxNode) => string = () => "",
): Destination {
  const through: string[] = [];
  let current = start;
  for (let step = 0; step < 16; step++) {
    const parent = current.parent;
    if (!parent) return none(current, through);
    switch (parent.type) {
      case "parenthesized_expression":
      case "await":
      case "conditional_expression":
      case "boolean_operator":
      case "binary_operator":
      case "unary_operator":
      case "list":
      case "tuple":
      case "set":
      case "list_splat":
      case "interpolation":
      case "string":
      case "concatenated_string":
      case "generator_expression":
      case "list_comprehension":
      case "set_comprehension":
      case "for_in_clause":
      case "subscript":
      case "attribute":
      case "format_expression":
        current = parent;
        continue;
      case "expression_list": {
        const grand = parent.parent;
        if (grand?.type === "assignment" && sameNode(field(grand, "right") ?? parent, parent)) {
          const left = field(grand, "left");
          if (left && (left.type === "pattern_list" || left.type === "tuple_pattern" || left.type === "expression_list")) {
            const target = left.namedChildren[childIndex(parent, current)];
            return target ? targetDestination(target, grand, through) : none(parent, through);
          }
        }
        current = parent;
        continue;
      }
      case "argument_list": {
        const call = parent.parent;
        if (!call || call.type !== "call") return none(parent, through);
        const name = calleeLastName(call) ?? "";
        if (isSink(call)) {
          return { kind: "argument", name, node: call, call, position: childIndex(parent, current), through };
        }
        if (OPAQUE_CALLS.has(name)) return none(call, through);
        through.push(name);
        current = call;
        continue;
      }
      case "call": {
        // A generator as the only argument: f(x for x in y).
        const name = calleeLastName(parent) ?? "";
        if (current.type === "generator_expression") {
          if (isSink(parent)) return { kind: "argument", name, node: parent, call: parent, position: 0, through };
          if (OPAQUE_CALLS.has(name)) return none(parent, through);
          through.push(name);
        }
        current = parent;
        continue;
      }
      case "keyword_argument": {
        const name = field(parent, "name")?.text ?? "";
        const call = parent.parent?.parent;
        if (call?.type === "call" && isSink(call)) return { kind: "argument", name: calleeLastName(call) ?? "", node: call, call, position: -1, keyword: name, through };
        return { kind: "keyword", name, node: parent, ...(call?.type === "call" ? { call } : {}), through };
      }
      case "pair": {
        const key = stringValue(field(parent, "key"));
        return key !== null ? { kind: "key", name: key, node: parent, through } : none(parent, through);
      }
      case "assignment": {
        const left = field(parent, "left");
        if (!left || sameNode(left, current)) return none(parent, through);
        return targetDestination(left, parent, through);
      }
      case "augmented_assignment": {
        const left = field(parent, "left");
        return left ? targetDestination(left, parent, through) : none(parent, through);
      }
      case "named_expression": {
        const name = field(parent, "name");
        return name ? { kind: "variable", name: name.text, node: name, statement: parent, through } : none(parent, through);
      }
      case "return_statement":
      case "yield":
        return { kind: "return", name: functionName(parent), node: parent, through };
      case "default_parameter":
      case "typed_default_parameter": {
        const name = field(parent, "name");
        return name ? { kind: "variable", name: name.text, node: name, through } : none(parent, through);
      }
      default:
        return none(parent, through);
    }
  }
  return none(current, through);
}

/** The name of the function around `node` (not a class), or "". */
export function functionNameAt(analyses: FileAnalyses, node: SyntaxNode): string {
  return analyses.scopes.functionScopeAt(node)?.name ?? "";
}

/**
 * True when `expression` has a value fixed in the source: a constant (literal, names bound only to
 * literals), or a byte string made from one (`bytes(16)`, `b"\0" * 16`, `"k".encode()`,
 * `bytes.fromhex("00…")`, `binascii.unhexlify("…")`, `base64.b64decode("…")`). Names bound only to such
 * values count too.
 */
export function isFixedBytes(analyses: FileAnalyses, expression: SyntaxNode, depth = 0): boolean {
  if (depth > 4) return false;
  const node = unparenthesize(expression);
  if (node.type === "none") return false;
  const constant = analyses.constant(node);
  if (constant) return constant.value !== null;
  switch (node.type) {
    case "call":
      return isFixedBytesCall(analyses, node, depth);
    case "binary_operator": {
      const operator = field(node, "operator")?.text;
      if (operator !== "*" && operator !== "+") return false;
      const left = field(node, "left");
      const right = field(node, "right");
      return !!left && !!right && isFixedBytes(analyses, left, depth + 1) && isFixedBytes(analyses, right, depth + 1);
    }
    case "identifier": {
      const bindings = analyses.scopes.bindingsOf(node.text, node);
      if (bindings.length === 0) return false;
      for (const binding of bindings) {
        if (binding.kind !== "assignment" || !binding.value) return false;
        if (binding.value.startIndex <= node.startIndex && binding.value.endIndex >= node.endIndex) return false;
        if (!isFixedBytes(analyses, binding.value, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

const FIXED_CONSTRUCTORS = new Set(["bytes", "bytearray"]);
const DECODERS = new Set([
  "binascii.unhexlify", "binascii.a2b_hex", "base64.b64decode", "base64.urlsafe_b64decode", "base64.b16decode",
  "base64.b32decode", "base64.standard_b64decode", "bytes.fromhex", "bytearray.fromhex", "codecs.decode",
]);

function isFixedBytesCall(analyses: FileAnalyses, call: SyntaxNode, depth: number): boolean {
  const callee = field(call, "function");
  if (!callee) return false;
  const args = callArguments(call);
  if (args.hasSplat) return false;
  const first = args.positional[0];
  if (callee.type === "identifier" && FIXED_CONSTRUCTORS.has(callee.text)) {
    return !!first && isFixedBytes(analyses, first, depth + 1) && args.positional.slice(1).every((a) => !!analyses.constant(a));
  }
  if (callee.type !== "attribute") return false;
  const method = field(callee, "attribute")?.text;
  if (method === "encode") {
    const receiver = field(callee, "object");
    return !!receiver && isFixedBytes(analyses, receiver, depth + 1);
  }
  const resolved = analyses.resolve(callee);
  if (resolved && resolved.origin !== "local" && DECODERS.has(resolved.name)) {
    return !!first && isFixedBytes(analyses, first, depth + 1);
  }
  return false;
}

/** A short description of a fixed value for messages: `b"0000…"` or the name that holds it. */
export function describeFixed(node: SyntaxNode): string {
  const text = node.text.replace(/\s+/gu, " ");
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
