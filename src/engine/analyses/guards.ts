import type { SyntaxNode } from "../types.js";
import { field, unparenthesize } from "../syntax.js";
import type { Constant } from "./constants.js";
import { truthy } from "./constants.js";
import type { FlowFacts } from "./flow.js";
import type { ResolvedName } from "./names.js";
import type { SinkKind } from "./taint-catalogue.js";

/** The sinks a guard protects: "all" for allow-lists and exact matches. */
export type GuardKind = "all" | "url" | "path";

export interface Guard {
  name: string;
  kind: GuardKind;
  start: number;
  end: number;
}

export interface BranchFacts {
  guards: Guard[];
  /** Source ranges that can never run: the branch a constant condition rules out. */
  deadRanges: Array<{ start: number; end: number }>;
}

const EARLY_EXIT_STATEMENTS = new Set(["return_statement", "raise_statement", "continue_statement", "break_statement"]);
const EXIT_CALLS = new Set(["abort", "exit", "sys.exit", "flask.abort", "werkzeug.exceptions.abort", "os._exit"]);
const VALIDATING_METHODS = new Set(["isdigit", "isnumeric", "isdecimal", "isalnum", "isalpha", "isidentifier", "isascii"]);
const REGEX_MATCHERS = new Set(["re.fullmatch", "re.match"]);
const URL_PARSERS = new Set(["urllib.parse.urlparse", "urllib.parse.urlsplit", "urlparse.urlparse"]);
const URL_PARTS = new Set(["hostname", "netloc", "scheme", "host"]);
const PATH_CONTAINMENT_METHODS = new Set(["startswith", "is_relative_to"]);

interface Helpers {
  resolve(node: SyntaxNode): ResolvedName | null;
  constant(node: SyntaxNode): Constant | undefined;
}

/** The name a condition constrains, and for which sinks, or null when it constrains nothing we recognise. */
function guardedName(condition: SyntaxNode, helpers: Helpers): { name: string; kind: GuardKind } | null {
  const expression = unparenthesize(condition);
  switch (expression.type) {
    case "comparison_operator": {
      const operator = expression.children.find((child) => !child.isNamed)?.type;
      const [left, right] = expression.namedChildren;
      if (!left || !right) return null;
      if (operator === "in" || operator === "not in" || operator === "==") {
        if (operator === "==" && !helpers.constant(right) && !helpers.constant(left)) return null;
        return constrainedName(operator === "==" && helpers.constant(left) ? right : left, helpers);
      }
      return null;
    }
    case "call": {
      const callee = field(expression, "function");
      if (!callee) return null;
      if (callee.type === "attribute") {
        const method = field(callee, "attribute")?.text ?? "";
        const receiver = field(callee, "object");
        if (!receiver) return null;
        if (VALIDATING_METHODS.has(method)) return receiver.type === "identifier" ? { name: receiver.text, kind: "all" } : null;
        if (PATH_CONTAINMENT_METHODS.has(method)) {
          const target = pathTarget(receiver, helpers);
          return target ? { name: target, kind: "path" } : null;
        }
      }
      const resolved = helpers.resolve(callee);
      if (resolved && REGEX_MATCHERS.has(resolved.name)) {
        const subject = field(expression, "arguments")?.namedChildren[1];
        return subject?.type === "identifier" ? { name: subject.text, kind: "all" } : null;
      }
      return null;
    }
    default:
      return null;
  }
}

/** `x`, `x.lower()`, `urlparse(x).hostname`: the name whose value the comparison pins down. */
function constrainedName(node: SyntaxNode, helpers: Helpers): { name: string; kind: GuardKind } | null {
  const expression = unparenthesize(node);
  if (expression.type === "identifier") return { name: expression.text, kind: "all" };
  if (expression.type === "attribute" && URL_PARTS.has(field(expression, "attribute")?.text ?? "")) {
    const parsed = field(expression, "object");
    if (parsed?.type === "call") {
      const parser = field(parsed, "function");
      const argument = field(parsed, "arguments")?.namedChild(0);
      const resolved = parser ? helpers.resolve(parser) : null;
      if (resolved && URL_PARSERS.has(resolved.name) && argument?.type === "identifier") return { name: argument.text, kind: "url" };
    }
    if (parsed?.type === "identifier") return { name: parsed.text, kind: "url" };
  }
  if (expression.type === "call") {
    const callee = field(expression, "function");
    const receiver = callee?.type === "attribute" ? field(callee, "object") : null;
    if (receiver?.type === "identifier") return { name: receiver.text, kind: "all" };
  }
  return null;
}

/** `os.path.realpath(x).startswith(base)` or `Path(x).resolve().is_relative_to(base)` or `x.startswith(...)`. */
function pathTarget(receiver: SyntaxNode, helpers: Helpers): string | null {
  let current = unparenthesize(receiver);
  for (let depth = 0; depth < 4; depth++) {
    if (current.type === "identifier") return current.text;
    if (current.type !== "call") return null;
    const callee = field(current, "function");
    if (!callee) return null;
    if (callee.type === "attribute") {
      const object = field(callee, "object");
      const resolved = helpers.resolve(callee);
      if (resolved && resolved.origin !== "local" && resolved.name.startsWith("os.path.")) {
        const argument = field(current, "arguments")?.namedChild(0);
        if (!argument) return null;
        current = unparenthesize(argument);
        continue;
      }
      if (!object) return null;
      current = unparenthesize(object);
      continue;
    }
    const argument = field(current, "arguments")?.namedChild(0);
    if (!argument) return null;
    current = unparenthesize(argument);
  }
  return null;
}

function isNegated(condition: SyntaxNode): { inner: SyntaxNode; negated: boolean } {
  const expression = unparenthesize(condition);
  if (expression.type === "not_operator") {
    const argument = field(expression, "argument");
    if (argument) return { inner: argument, negated: true };
  }
  if (expression.type === "comparison_operator" && expression.children.some((child) => child.type === "not in")) {
    return { inner: expression, negated: true };
  }
  return { inner: expression, negated: false };
}

function exitsEarly(block: SyntaxNode | null, helpers: Helpers): boolean {
  const last = block?.lastNamedChild;
  if (!last) return false;
  if (EARLY_EXIT_STATEMENTS.has(last.type)) return true;
  if (last.type === "expression_statement") {
    const call = last.namedChild(0);
    const callee = call?.type === "call" ? field(call, "function") : null;
    const resolved = callee ? helpers.resolve(callee) : null;
    return resolved !== null && (EXIT_CALLS.has(resolved.name) || EXIT_CALLS.has(resolved.name.split(".").pop() ?? ""));
  }
  return false;
}

function conjuncts(condition: SyntaxNode): SyntaxNode[] {
  const result: SyntaxNode[] = [];
  const pending = [unparenthesize(condition)];
  while (pending.length > 0 && result.length < 16) {
    const current = pending.pop() as SyntaxNode;
    if (current.type === "boolean_operator" && current.children.some((child) => child.type === "and")) {
      const left = field(current, "left");
      const right = field(current, "right");
      if (left) pending.push(unparenthesize(left));
      if (right) pending.push(unparenthesize(right));
    } else result.push(current);
  }
  return result;
}

/** Works out guards and dead branches from the file's `if` statements, once, on first use. */
export function analyseBranches(flow: FlowFacts, helpers: Helpers): BranchFacts {
  const facts: BranchFacts = { guards: [], deadRanges: [] };
  for (const { node } of flow.ifStatements) {
    const condition = field(node, "condition");
    const consequence = field(node, "consequence");
    if (!condition || !consequence) continue;
    const alternatives = node.namedChildren.filter((child) => child.type === "elif_clause" || child.type === "else_clause");

    const decided = helpers.constant(condition);
    if (decided) {
      if (truthy(decided.value)) {
        for (const alternative of alternatives) facts.deadRanges.push({ start: alternative.startIndex, end: alternative.endIndex });
      } else {
        facts.deadRanges.push({ start: consequence.startIndex, end: consequence.endIndex });
      }
      continue;
    }

    const { inner, negated } = isNegated(condition);
    // `if a and b:` guards the body by both; a negated compound condition is left alone.
    const parts = negated ? [inner] : conjuncts(inner);
    for (const part of parts) {
      const guarded = guardedName(part, helpers);
      if (!guarded) continue;
      if (!negated) {
        facts.guards.push({ ...guarded, start: consequence.startIndex, end: consequence.endIndex });
        continue;
      }
      for (const alternative of alternatives) facts.guards.push({ ...guarded, start: alternative.startIndex, end: alternative.endIndex });
      if (exitsEarly(consequence, helpers)) {
        const block = node.parent;
        if (block) facts.guards.push({ ...guarded, start: node.endIndex, end: block.endIndex });
      }
    }
  }
  return facts;
}

export function guardCovers(guard: Guard, sink: SinkKind): boolean {
  if (guard.kind === "all") return true;
  if (guard.kind === "url") return sink === "url" || sink === "redirect";
  return sink === "path" || sink === "archive";
}
