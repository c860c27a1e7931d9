import type { SyntaxNode } from "./types.js";

/** Helpers over tree-sitter-python nodes (the engine's JavaScript copies, see syntax-tree.ts). */

export function field(node: SyntaxNode, name: string): SyntaxNode | null {
  return node.childForFieldName(name);
}

/** Strips any number of enclosing parentheses. */
export function unparenthesize(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (let depth = 0; current.type === "parenthesized_expression" && depth < 100; depth++) {
    const inner = current.namedChildren.find((child) => child.type !== "comment");
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** The dotted text of an identifier or attribute chain (`os.path.join`), or null for anything else. */
export function dottedName(node: SyntaxNode): string | null {
  const parts: string[] = [];
  let current: SyntaxNode | null = node;
  for (let depth = 0; current && depth < 64; depth++) {
    if (current.type === "identifier") {
      parts.push(current.text);
      return parts.reverse().join(".");
    }
    if (current.type !== "attribute") return null;
    const attribute = field(current, "attribute");
    if (!attribute) return null;
    parts.push(attribute.text);
    current = field(current, "object");
  }
  return null;
}

/** The last name of a call target: `execute` for `cur.execute(...)`, `open` for `open(...)`. */
export function calleeLastName(call: SyntaxNode): string | null {
  const callee = field(call, "function");
  if (!callee) return null;
  if (callee.type === "identifier") return callee.text;
  if (callee.type === "attribute") return field(callee, "attribute")?.text ?? null;
  return null;
}

export interface CallArguments {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
  /** True when the call spreads `*args` or `**kwargs`, so absent arguments may still be passed. */
  hasSplat: boolean;
}

export function callArguments(call: SyntaxNode): CallArguments {
  const result: CallArguments = { positional: [], keywords: new Map(), hasSplat: false };
  const list = field(call, "arguments");
  if (!list || list.type !== "argument_list") {
    // A call with a generator argument: f(x for x in y).
    if (list) result.positional.push(list);
    return result;
  }
  for (const argument of list.namedChildren) {
    switch (argument.type) {
      case "keyword_argument": {
        const name = field(argument, "name");
        const value = field(argument, "value");
        if (name && value) result.keywords.set(name.text, value);
        break;
      }
      case "list_splat":
      case "dictionary_splat":
        result.hasSplat = true;
        break;
      case "comment":
        break;
      default:
        result.positional.push(argument);
    }
  }
  return result;
}

/** The argument at a position, or passed by keyword. */
export function argument(args: CallArguments, position: number, keyword?: string): SyntaxNode | undefined {
  if (keyword !== undefined) {
    const byKeyword = args.keywords.get(keyword);
    if (byKeyword) return byKeyword;
  }
  return position >= 0 ? args.positional[position] : undefined;
}

export interface StringParts {
  prefix: string;
  isFString: boolean;
  isBytes: boolean;
  isRaw: boolean;
  /** Interpolated expressions of an f-string. */
  interpolations: SyntaxNode[];
}

export function stringParts(node: SyntaxNode): StringParts {
  const start = node.firstChild;
  const quoteText = start?.type === "string_start" ? start.text : '"';
  const prefix = quoteText.replace(/["']+$/u, "").toLowerCase();
  const interpolations: SyntaxNode[] = [];
  if (prefix.includes("f") || prefix.includes("t")) {
    for (const child of node.namedChildren) {
      if (child.type === "interpolation") {
        const expression = field(child, "expression") ?? child.namedChild(0);
        if (expression) interpolations.push(expression);
      }
    }
  }
  return {
    prefix,
    isFString: prefix.includes("f"),
    isBytes: prefix.includes("b"),
    isRaw: prefix.includes("r"),
    interpolations,
  };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\u0007", b: "\b", f: "\f", v: "\v", "0": "\0", "\n": "",
};

function decodeEscape(escape: string): string {
  const body = escape.slice(1);
  const simple = SIMPLE_ESCAPES[body];
  if (simple !== undefined) return simple;
  if (/^(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})$/iu.test(body)) {
    const codePoint = Number.parseInt(body.slice(1), 16);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : escape;
  }
  if (/^[0-7]{1,3}$/u.test(body)) return String.fromCharCode(Number.parseInt(body, 8));
  return escape;
}

const ESCAPE_PATTERN = /\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|[\s\S])/gu;

/**
 * The value of a string literal, with escapes decoded, or null for an f-string with
 * interpolations (its value is not constant).
 */
export function stringLiteralValue(node: SyntaxNode): string | null {
  const parts = stringParts(node);
  if (parts.interpolations.length > 0) return null;
  let value = "";
  for (const child of node.namedChildren) {
    if (child.type !== "string_content") continue;
    const text = child.text;
    value += parts.isRaw || !text.includes("\\") ? text : text.replace(ESCAPE_PATTERN, decodeEscape);
  }
  return value;
}

/** 1-based line and column of a node's start and end, columns in UTF-16 code units, end exclusive. */
export function nodeRange(node: SyntaxNode): { line: number; column: number; endLine: number; endColumn: number } {
  const start = node.startPosition;
  const end = node.endPosition;
  return { line: start.row + 1, column: start.column + 1, endLine: end.row + 1, endColumn: end.column + 1 };
}

export function isInside(inner: SyntaxNode, outer: SyntaxNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}
