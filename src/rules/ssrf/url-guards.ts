import type { Scope } from "../../engine/analyses/scopes.js";
import { callArguments, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";
import { valueOf } from "../input-validation/sink-support.js";

/**
 * Checks on a URL that the engine's guards do not see yet: a comparison of a host taken out of
 * the URL into its own variable (`host = urlparse(url).hostname` then `if host not in ALLOWED`),
 * a prefix check with the host closed by `/`, a validator function (`url_has_allowed_host_and_scheme`,
 * `func_isSafeUrl`), and a check of the resolved address (`ip.is_private`). A check that can be
 * bypassed (PG-SSRF-003's findings) does not count.
 */

const URL_PARSERS: ReadonlySet<string> = new Set(["urllib.parse.urlparse", "urllib.parse.urlsplit", "urlparse.urlparse", "urlparse.urlsplit"]);
const HOST_PARTS: ReadonlySet<string> = new Set(["hostname", "netloc", "host"]);
const HOST_METHODS: ReadonlySet<string> = new Set(["lower", "strip", "rstrip", "casefold"]);
const EXIT_CALLS = /^(?:abort|exit|_exit|sys\.exit|os\._exit|flask\.abort)$/u;
const EARLY_EXITS: ReadonlySet<string> = new Set(["return_statement", "raise_statement", "continue_statement", "break_statement"]);
/** Function names that promise a checked URL or host. `validators.url` only checks the syntax, so names must say more than "valid url". */
const VALIDATOR_NAME = /(?:safe|allowed|allow_?list|white_?list|trusted|permitted|internal|private|public)/iu;
const ADDRESS_CHECK = /\.is_(?:private|loopback|link_local|reserved|global|multicast|unspecified)\b/u;
/** A URL prefix that closes the host: `https://api.example.com/`. */
const CLOSED_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@\\]+[/?#]/iu;

interface Derived {
  /** Names holding `urlparse(url)`. */
  parsed: Set<string>;
  /** Names holding the URL's host. */
  hosts: Set<string>;
}

function isParseOf(context: RuleContext, node: SyntaxNode, url: string): boolean {
  const value = unparenthesize(node);
  if (value.type !== "call") return false;
  const callee = field(value, "function");
  const resolved = callee && (callee.type === "identifier" || callee.type === "attribute") ? context.analyses.resolve(callee) : null;
  if (!resolved || resolved.origin === "local" || !URL_PARSERS.has(resolved.name)) return false;
  const argument = callArguments(value).positional[0];
  return argument !== undefined && unparenthesize(argument).type === "identifier" && unparenthesize(argument).text === url;
}

/** `urlparse(url).hostname`, `parsed.netloc`, `host.lower()`, `(parsed.hostname or "")`. */
function isHostOf(context: RuleContext, node: SyntaxNode, url: string, derived: Derived): boolean {
  let value = unparenthesize(node);
  for (let guard = 0; guard < 4; guard++) {
    if (value.type === "boolean_operator") {
      const left = field(value, "left");
      if (!left) return false;
      value = unparenthesize(left);
      continue;
    }
    if (value.type === "call") {
      const callee = field(value, "function");
      if (callee?.type !== "attribute" || !HOST_METHODS.has(field(callee, "attribute")?.text ?? "")) return false;
      const object = field(callee, "object");
      if (!object) return false;
      value = unparenthesize(object);
      continue;
    }
    break;
  }
  if (value.type === "identifier") return derived.hosts.has(value.text);
  if (value.type !== "attribute" || !HOST_PARTS.has(field(value, "attribute")?.text ?? "")) return false;
  const object = field(value, "object");
  if (!object) return false;
  if (object.type === "identifier") return derived.parsed.has(object.text);
  return isParseOf(context, object, url);
}

function derivedNames(context: RuleContext, scope: Scope, url: string): Derived {
  const derived: Derived = { parsed: new Set(), hosts: new Set() };
  // Two rounds: `parsed = urlparse(url)` may come before or after `host = parsed.hostname` in the map.
  for (let round = 0; round < 2; round++) {
    for (const [name, bindings] of scope.bindings) {
      for (const binding of bindings) {
        if ((binding.kind !== "assignment" && binding.kind !== "walrus") || !binding.value) continue;
        if (isParseOf(context, binding.value, url)) derived.parsed.add(name);
        else if (isHostOf(context, binding.value, url, derived)) derived.hosts.add(name);
      }
    }
  }
  return derived;
}

function comparisonOperator(node: SyntaxNode): string | undefined {
  return node.children.find((child) => !child.isNamed)?.type;
}

/** A condition part that pins down the URL's host: `host in ALLOWED`, `parsed.hostname == "api.example.com"`, `url.startswith("https://api.example.com/")`, `func_isSafeUrl(url)`. */
function pinsHost(context: RuleContext, part: SyntaxNode, url: string, derived: Derived): boolean {
  const expression = unparenthesize(part);
  if (expression.type === "comparison_operator") {
    const operator = comparisonOperator(expression);
    const [left, right] = expression.namedChildren;
    if (!left || !right) return false;
    if (operator === "in" || operator === "not in") return unparenthesize(right).type !== "string" && isHostOf(context, left, url, derived);
    if (operator === "==" || operator === "!=") {
      if (context.analyses.constant(right)) return isHostOf(context, left, url, derived);
      if (context.analyses.constant(left)) return isHostOf(context, right, url, derived);
    }
    return false;
  }
  if (expression.type !== "call") return false;
  const callee = field(expression, "function");
  if (!callee) return false;
  if (callee.type === "attribute" && field(callee, "attribute")?.text === "startswith") {
    const receiver = field(callee, "object");
    if (receiver?.type !== "identifier" || receiver.text !== url) return false;
    const prefixNode = callArguments(expression).positional[0];
    const prefix = prefixNode ? context.analyses.constant(prefixNode)?.value : undefined;
    const prefixes = Array.isArray(prefix) ? prefix : [prefix];
    return prefixes.length > 0 && prefixes.every((each) => typeof each === "string" && CLOSED_PREFIX.test(each));
  }
  if (callee.type === "attribute" && field(callee, "attribute")?.text === "endswith") {
    // `host.endswith(".example.com")`: a suffix that starts at a label boundary.
    const receiver = field(callee, "object");
    const suffixNode = callArguments(expression).positional[0];
    const suffix = suffixNode ? context.analyses.constant(suffixNode)?.value : undefined;
    const suffixes = Array.isArray(suffix) ? suffix : [suffix];
    return receiver !== null && isHostOf(context, receiver, url, derived) && suffixes.every((each) => typeof each === "string" && each.startsWith(".") && each.length > 2);
  }
  const name = callee.type === "attribute" ? (field(callee, "attribute")?.text ?? "") : callee.text;
  if (!VALIDATOR_NAME.test(name)) return false;
  return callArguments(expression).positional.some((argument) => {
    const value = unparenthesize(argument);
    return (value.type === "identifier" && (value.text === url || derived.hosts.has(value.text))) || isHostOf(context, value, url, derived);
  });
}

function exitsEarly(context: RuleContext, block: SyntaxNode | null): boolean {
  const last = block?.lastNamedChild;
  if (!last) return false;
  if (EARLY_EXITS.has(last.type)) return true;
  const call = last.type === "expression_statement" ? last.namedChild(0) : null;
  const callee = call?.type === "call" ? field(call, "function") : null;
  const resolved = callee && (callee.type === "identifier" || callee.type === "attribute") ? context.analyses.resolve(callee) : null;
  return resolved !== null && EXIT_CALLS.test(resolved.name.replace(/^werkzeug\.exceptions\./u, ""));
}

/** The operands of a chain of `and` (or of `or`), parentheses removed. */
function operands(condition: SyntaxNode, joiner: "and" | "or"): SyntaxNode[] {
  const result: SyntaxNode[] = [];
  const pending = [unparenthesize(condition)];
  while (pending.length > 0 && result.length < 16) {
    const current = pending.pop() as SyntaxNode;
    if (current.type === "boolean_operator" && current.children.some((child) => child.type === joiner)) {
      const left = field(current, "left");
      const right = field(current, "right");
      if (right) pending.push(unparenthesize(right));
      if (left) pending.push(unparenthesize(left));
    } else result.push(current);
  }
  return result;
}

/** A test in its negative form: `x not in S`, `x != c`. */
function isNegativeForm(part: SyntaxNode): boolean {
  if (part.type !== "comparison_operator") return false;
  const operator = comparisonOperator(part);
  return operator === "not in" || operator === "!=";
}

/**
 * What a condition establishes: `inside`, the tests that hold in its body (the positive
 * conjuncts); `after`, the tests that hold where it is false (in the `else` branch, and after the
 * `if` when the body exits): the negated disjuncts, `A` of `not A`, `x in S` of `x not in S`.
 */
function facts(condition: SyntaxNode): { inside: SyntaxNode[]; after: SyntaxNode[] } {
  const inside = operands(condition, "and").filter((part) => part.type !== "not_operator" && !isNegativeForm(part));
  const after: SyntaxNode[] = [];
  for (const disjunct of operands(condition, "or")) {
    if (disjunct.type === "not_operator") {
      const argument = field(disjunct, "argument");
      if (argument) after.push(...operands(argument, "and"));
    } else if (isNegativeForm(disjunct)) after.push(disjunct);
  }
  return { inside, after };
}

/** True when the fetch at `sink` only runs after a check that pins down the host of the URL held in `urlNode`. */
export function hostChecked(context: RuleContext, sink: SyntaxNode, urlNode: SyntaxNode, hostNode: SyntaxNode): boolean {
  const url = unparenthesize(urlNode);
  const host = unparenthesize(hostNode);
  // The name the URL was read into, when the sink uses a copy (`target = url`).
  const names = new Set<string>();
  if (url.type === "identifier") {
    names.add(url.text);
    const origin = valueOf(context, url);
    if (origin.type === "identifier") names.add(origin.text);
  }
  // The host itself, when it is a name (`f"https://{host}/x"` after `if host != "api.example.com": abort()`).
  const hostName = host.type === "identifier" && host !== url ? host.text : null;
  if (names.size === 0 && !hostName) return false;
  if (names.size === 0) names.add("");
  const scope = context.analyses.scopes.functionScopeAt(sink) ?? context.analyses.scopes.module;
  const position = sink.startIndex;
  for (const name of names) {
    const derived = derivedNames(context, scope, name);
    if (hostName) derived.hosts.add(hostName);
    for (const { node, scope: ifScope } of context.analyses.flow.ifStatements) {
      if (ifScope !== scope || node.startIndex > position) continue;
      const condition = field(node, "condition");
      const consequence = field(node, "consequence");
      if (!condition || !consequence) continue;
      const { inside, after } = facts(condition);
      const resolvesAddress = ADDRESS_CHECK.test(condition.text);
      if (inside.some((part) => pinsHost(context, part, name, derived)) && position >= consequence.startIndex && position < consequence.endIndex) return true;
      if (!resolvesAddress && !after.some((part) => pinsHost(context, part, name, derived))) continue;
      if (position > node.endIndex && exitsEarly(context, consequence)) {
        const block = node.parent;
        if (block && position < block.endIndex) return true;
      }
      for (const alternative of node.namedChildren) {
        if (alternative.type === "else_clause" && position >= alternative.startIndex && position < alternative.endIndex) return true;
      }
    }
  }
  return validatedBefore(context, scope, names, position);
}

/** `func_ensureAllowedUrl(url)` as a statement before the fetch: a validator that raises. */
function validatedBefore(context: RuleContext, scope: Scope, names: ReadonlySet<string>, position: number): boolean {
  const text = context.source.slice(scope.startIndex, position);
  for (const name of names) {
    if (name === "") continue;
    const pattern = new RegExp(`^\\s*(?:await\\s+)?[\\w.]*(?:safe|allowed|allow_?list|white_?list|trusted|permitted)\\w*\\(\\s*${name}\\s*[,)]`, "imu");
    if (pattern.test(text)) return true;
  }
  return false;
}
