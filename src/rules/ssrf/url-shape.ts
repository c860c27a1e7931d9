import type { TaintSource } from "../../engine/analyses/taint.js";
import { callArguments, field, stringParts, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";
import { untrustedSource } from "../input-validation/flows.js";
import { valueOf } from "../input-validation/sink-support.js";

/**
 * Where request data sits in a URL that is built from pieces: the whole URL or its host (the
 * client chooses the server: PG-SSRF-001), the rest of an authority whose host is written out
 * or the second argument of `urljoin` (it can still move the request to another host:
 * PG-SSRF-002), or after the authority (a path or query: it cannot change the host; not
 * reported).
 */
export type ShapeKind = "full" | "host" | "authority" | "join";

export interface UrlShape {
  kind: ShapeKind;
  /** The tainted piece. */
  node: SyntaxNode;
  source: TaintSource;
  /** The constant text before the tainted piece. */
  prefix: string;
}

type Part = { text: string } | { node: SyntaxNode };

/** A placeholder for a piece that is neither constant nor tainted (configuration, a parameter). */
const UNKNOWN = "\u0000";
const SCHEME_ONLY = /^(?:[a-z][a-z0-9+.-]*:)?\/\/$/iu;
const OPEN_AUTHORITY = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#\\\u0000]*$/iu;
const HAS_SCHEME = /^(?:[a-z][a-z0-9+.-]*:)?\/\//iu;
/** Constant text that fixes scheme, host and the end of the authority: what follows is a path or a query. */
const FIXED_HOST = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\\u0000]+[/?#]/iu;
const URLJOIN: ReadonlySet<string> = new Set(["urllib.parse.urljoin", "urlparse.urljoin", "requests.compat.urljoin", "six.moves.urllib.parse.urljoin"]);
/** Quoting that encodes `/`, `:` and `@`, so the value cannot start a new authority (`quote_plus(x)`, `quote(x, safe="")`). */
const QUOTE_ALL: ReadonlySet<string> = new Set(["urllib.parse.quote_plus", "urllib.parse.quote", "urllib.quote", "urllib.quote_plus"]);
const PERCENT_FIELD = /%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdirfxXoeEgGc]/gu;
const MAX_DEPTH = 3;

function isUrljoin(context: RuleContext, call: SyntaxNode): boolean {
  const callee = field(call, "function");
  const resolved = callee && (callee.type === "identifier" || callee.type === "attribute") ? context.analyses.resolve(callee) : null;
  return resolved !== null && resolved.origin !== "local" && URLJOIN.has(resolved.name);
}

/** The pieces a string is built from, in order; one node piece when it is not a construction we read. */
function partsOf(context: RuleContext, expression: SyntaxNode, depth: number): Part[] {
  const value = unparenthesize(expression);
  if (depth > MAX_DEPTH) return [{ node: value }];
  switch (value.type) {
    case "string": {
      if (stringParts(value).interpolations.length === 0) {
        const constant = context.analyses.constant(value)?.value;
        return [{ text: typeof constant === "string" ? constant : "" }];
      }
      const parts: Part[] = [];
      for (const child of value.namedChildren) {
        if (child.type === "string_content") parts.push({ text: child.text });
        else if (child.type === "interpolation") {
          const inner = field(child, "expression") ?? child.namedChild(0);
          if (inner) parts.push({ node: inner });
        }
      }
      return parts;
    }
    case "concatenated_string":
      return value.namedChildren.filter((child) => child.type === "string").flatMap((child) => partsOf(context, child, depth + 1));
    case "binary_operator": {
      const operator = field(value, "operator")?.text;
      const left = field(value, "left");
      const right = field(value, "right");
      if (!left || !right) return [{ node: value }];
      if (operator === "+") return [...partsOf(context, left, depth + 1), ...partsOf(context, right, depth + 1)];
      if (operator === "%") {
        const template = context.analyses.constant(left)?.value;
        if (typeof template !== "string") return [{ node: value }];
        const inner = unparenthesize(right);
        const values = inner.type === "tuple" ? inner.namedChildren.filter((child) => child.type !== "comment") : [inner];
        return interleave(template, PERCENT_FIELD, values);
      }
      return [{ node: value }];
    }
    case "call": {
      const callee = field(value, "function");
      if (callee?.type === "attribute" && field(callee, "attribute")?.text === "format") {
        const receiver = field(callee, "object");
        const template = receiver ? context.analyses.constant(receiver)?.value : undefined;
        if (typeof template !== "string") return [{ node: value }];
        const args = callArguments(value);
        return interleave(template, /\{[^{}]*\}/gu, args.positional, args.keywords);
      }
      return [{ node: value }];
    }
    default:
      return [{ node: value }];
  }
}

/** Splits a `%` or `.format` template at its fields and puts the values in between. */
function interleave(template: string, pattern: RegExp, values: readonly SyntaxNode[], keywords?: ReadonlyMap<string, SyntaxNode>): Part[] {
  const parts: Part[] = [];
  let last = 0;
  let index = 0;
  for (const match of template.matchAll(pattern)) {
    parts.push({ text: template.slice(last, match.index) });
    const name = /^\{([A-Za-z_]\w*)/u.exec(match[0])?.[1];
    const value = name && keywords ? keywords.get(name) : values[index++];
    parts.push(value ? { node: value } : { text: UNKNOWN });
    last = match.index + match[0].length;
  }
  parts.push({ text: template.slice(last) });
  return parts;
}

/** The first tainted piece of a URL and the text before it, or null when no piece is tainted. */
function firstTainted(context: RuleContext, parts: readonly Part[]): { node: SyntaxNode; source: TaintSource; prefix: string } | null {
  let prefix = "";
  for (const part of parts) {
    if ("text" in part) {
      prefix += part.text;
      continue;
    }
    const constant = context.analyses.constant(part.node)?.value;
    if (typeof constant === "string" || typeof constant === "number") {
      prefix += String(constant);
      continue;
    }
    if (quotesEverything(context, part.node)) {
      prefix += "x";
      continue;
    }
    const source = untrustedSource(context, part.node, "url");
    if (source) return { node: part.node, source, prefix };
    prefix += UNKNOWN;
  }
  return null;
}

/** `quote_plus(x)` or `quote(x, safe="")`: the value comes out without `/`, `:`, `@` or `?`. */
function quotesEverything(context: RuleContext, node: SyntaxNode): boolean {
  const value = unparenthesize(node);
  if (value.type !== "call") return false;
  const callee = field(value, "function");
  const resolved = callee && (callee.type === "identifier" || callee.type === "attribute") ? context.analyses.resolve(callee) : null;
  if (!resolved || resolved.origin === "local" || !QUOTE_ALL.has(resolved.name)) return false;
  const args = callArguments(value);
  const safe = args.keywords.get("safe") ?? args.positional[1];
  if (!safe) return resolved.name.endsWith("quote_plus");
  const safeValue = context.analyses.constant(safe)?.value;
  return typeof safeValue === "string" && !/[/:@?#\\]/u.test(safeValue);
}

/** True when a built string starts with constant text that fixes scheme and host (`f"https://api.example.com/{x}"`). */
function fixesHost(context: RuleContext, expression: SyntaxNode): boolean {
  let prefix = "";
  for (const part of partsOf(context, valueOf(context, expression), 0)) {
    if (!("text" in part)) {
      const constant = context.analyses.constant(part.node)?.value;
      if (typeof constant !== "string") break;
      prefix += constant;
      continue;
    }
    prefix += part.text;
  }
  return FIXED_HOST.test(prefix);
}

/** A call to a function of this file whose every `return` builds a URL with a fixed host. */
function returnsFixedHost(context: RuleContext, call: SyntaxNode): boolean {
  const callee = field(call, "function");
  if (callee?.type !== "identifier") return false;
  const definition = context.analyses.scopes.bindingsOf(callee.text, callee).find((binding) => binding.kind === "function");
  const scope = definition ? context.analyses.scopes.scopeOf(definition.site) : undefined;
  if (!scope) return false;
  const returned = context.analyses.flow.returnsOf(scope);
  return returned.length > 0 && returned.every((value) => fixesHost(context, value));
}

function classify(found: { node: SyntaxNode; source: TaintSource; prefix: string }): UrlShape | null {
  const { prefix } = found;
  if (prefix.trim() === "") return { ...found, kind: "full" };
  if (SCHEME_ONLY.test(prefix)) return { ...found, kind: "host" };
  if (OPEN_AUTHORITY.test(prefix)) return { ...found, kind: "authority" };
  // After the authority (a path or a query), or after a base we cannot see: not reported.
  return null;
}

/** Where request data sits in the URL `expression`, or null when none reaches it (or only its path or query). */
export function urlShape(context: RuleContext, expression: SyntaxNode, depth = 0): UrlShape | null {
  const expressionNode = unparenthesize(expression);
  if (expressionNode.type === "identifier" && depth < MAX_DEPTH) {
    // A name assigned more than once (`url = DEFAULT` then `url = request.args["u"]` in a branch): judge each value.
    const earlier = context.analyses.scopes
      .bindingsOf(expressionNode.text, expressionNode)
      .filter(
        (binding) =>
          binding.node.startIndex < expressionNode.startIndex &&
          (binding.kind === "assignment" || binding.kind === "walrus") &&
          binding.value !== undefined &&
          // Not the assignment whose value holds this very name (`url = url + "?x"`).
          !(binding.value.startIndex <= expressionNode.startIndex && expressionNode.endIndex <= binding.value.endIndex),
      );
    if (earlier.length > 1) {
      for (const binding of earlier) {
        const shape = urlShape(context, binding.value as SyntaxNode, depth + 1);
        if (shape) return shape;
      }
      return null;
    }
  }
  const value = valueOf(context, expressionNode);
  if (value.type === "call" && depth < MAX_DEPTH) {
    if (isUrljoin(context, value)) return joinShape(context, value, depth);
    if (returnsFixedHost(context, value)) return null;
  }
  const found = firstTainted(context, partsOf(context, value, 0));
  if (!found) return null;
  // A piece at the start that is itself a URL built elsewhere (`f"{base}/x"`): judge that URL.
  if (found.prefix === "" && found.node !== value && depth < MAX_DEPTH) return urlShape(context, found.node, depth + 1);
  return classify(found);
}

/** `urljoin(base, relative)`: a tainted base is judged as a URL; a tainted relative part that can be absolute or start with `//` overrides the base. */
function joinShape(context: RuleContext, call: SyntaxNode, depth: number): UrlShape | null {
  const args = callArguments(call);
  const base = args.positional[0] ?? args.keywords.get("base");
  const relative = args.positional[1] ?? args.keywords.get("url");
  if (base) {
    const baseShape = urlShape(context, base, depth + 1);
    if (baseShape) return baseShape;
  }
  if (!relative) return null;
  const relativeValue = valueOf(context, relative);
  const found = firstTainted(context, partsOf(context, relativeValue, 0));
  if (!found) return null;
  // The whole relative part: name it as the call has it (`path`), not where it was read.
  if (found.node === relativeValue) found.node = unparenthesize(relative);
  if (found.prefix === "" || found.prefix === "/" || found.prefix === "\\") return { ...found, kind: "join" };
  return HAS_SCHEME.test(found.prefix) ? classify(found) : null;
}
