import type { FileAnalyses } from "../../engine/analyses/index.js";
import { matchesQualified } from "../../engine/analyses/names.js";
import type { Binding, Scope } from "../../engine/analyses/scopes.js";
import { field, isInside, unparenthesize } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";

/**
 * How a string was put together at run time, for the injection rules (SQL, shell). Starting from
 * one expression (a call's argument), it reads the f-strings, `%` formatting, `.format()`, `+`
 * concatenation, `+=` and `str.join` that build it, following local variables back to the
 * assignments that built them (a bounded number of steps, never a walk of the tree).
 */

export type BuildKind = "f-string" | "percent" | "format" | "concat" | "augmented" | "join";

export interface BuildStep {
  kind: BuildKind;
  /** The expression (or `+=` statement) that builds the string. */
  node: SyntaxNode;
  /** The variable the built string was assigned to, when the step was found by following a name. */
  variable?: string;
  /** Values inserted at this step that are neither constant nor known to be safe. */
  dynamic: SyntaxNode[];
  /** Values inserted at this step through a quoting function (`shlex.quote`). */
  quoted: SyntaxNode[];
}

export interface StringBuild {
  /** Every construction met, outermost last. */
  steps: BuildStep[];
  /** Non-constant values that were not inserted by any construction: the expression itself is (or names) such a value. */
  opaque: SyntaxNode[];
  /** Quoted values that were not inserted by any construction (`os.system(shlex.quote(x))`). */
  quoted: SyntaxNode[];
  /** The constant text of the string, its parts separated by spaces (for keyword checks). */
  text: string;
  /** True when the value is known to be a string (constant or built). */
  isString: boolean;
  /** True when the expression was too large or too deep to read to the end: rules should not report on it. */
  incomplete: boolean;
}

export interface ExamineOptions {
  /** Qualified names of functions whose result is a safely quoted value (`shlex.quote`). */
  quoting?: ReadonlySet<string>;
  /** Values added to lists after their assignment, so that `" AND ".join(conditions)` sees them. */
  additions?: ListAdditions;
}

const ADDING_METHODS = new Set(["append", "extend", "insert"]);

interface Addition {
  start: number;
  call: SyntaxNode;
  method: string;
  scope: Scope;
}

/**
 * Values added to list variables with `append`, `extend` and `insert`, recorded by a rule's
 * `call` visitor as the walk meets them (so, before any later use of the list). Recording is
 * cheap; the calls are matched to a binding only when a sink asks.
 */
export class ListAdditions {
  private readonly byName = new Map<string, Addition[]>();

  constructor(private readonly analyses: FileAnalyses) {}

  /** True for the method names `record` handles: call it for those calls. */
  static handles(method: string): boolean {
    return ADDING_METHODS.has(method);
  }

  record(call: SyntaxNode, method: string): void {
    const callee = field(call, "function");
    const target = callee?.type === "attribute" ? field(callee, "object") : null;
    if (target?.type !== "identifier") return;
    const name = target.text;
    const addition: Addition = { start: call.startIndex, call, method, scope: this.analyses.scopes.scopeAt(call) };
    const list = this.byName.get(name);
    if (list) list.push(addition);
    else this.byName.set(name, [addition]);
  }

  /** The values added to the list bound by `binding` (an assignment) between it and `reference`, in the same scope. */
  valuesFor(binding: Binding, reference: SyntaxNode): SyntaxNode[] {
    const list = this.byName.get(binding.name);
    if (!list || binding.kind !== "assignment") return [];
    const from = binding.node.startIndex;
    const to = reference.startIndex;
    // The next binding of the name in its scope ends the window.
    const siblings = binding.scope.bindings.get(binding.name) ?? [];
    const next = siblings[siblings.indexOf(binding) + 1];
    const end = Math.min(to, next ? next.node.startIndex : Number.POSITIVE_INFINITY);
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((list[middle] as Addition).start <= from) low = middle + 1;
      else high = middle;
    }
    const values: SyntaxNode[] = [];
    for (let i = low; i < list.length && values.length < 64; i++) {
      const addition = list[i] as Addition;
      if (addition.start >= end) break;
      if (addition.scope !== binding.scope) continue;
      const args = field(addition.call, "arguments");
      if (args?.type !== "argument_list") continue;
      const positional = args.namedChildren.filter((child) => child.type !== "comment" && child.type !== "keyword_argument");
      const value = addition.method === "insert" ? positional[1] : positional[0];
      if (value) values.push(value);
    }
    return values;
  }

  get size(): number {
    return this.byName.size;
  }
}

/** Functions whose result cannot carry text chosen by an attacker (numbers and lengths). */
const NUMERIC_CALLS = new Set(["len", "int", "float", "bool", "abs", "round", "builtins.len", "builtins.int", "builtins.float"]);
const RANGE_CALLS = new Set(["range", "builtins.range"]);
const STR_CALLS = new Set(["str", "builtins.str"]);
/** String methods that pass their receiver through. */
const PASS_THROUGH_METHODS = new Set(["strip", "lstrip", "rstrip", "upper", "lower", "title", "casefold", "replace"]);
const ARITHMETIC = new Set(["-", "/", "//", "**", "<<", ">>", "&", "|", "^"]);

/** Names in capitals are constants by convention (`TABLE_NAME`, `settings.CACHE_BACKEND`): configuration, not input. */
const CONSTANT_NAME = /^_?[A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)*_?$/u;
/** Attributes that Python sets itself (`__module__`, `__name__`, `__qualname__`). */
const DUNDER = /^__[a-z][a-z0-9_]*__$/u;
/** Module globals that Python sets itself. */
const MODULE_DUNDERS = new Set(["__name__", "__package__"]);

export function isConstantName(name: string): boolean {
  return name.length > 1 && CONSTANT_NAME.test(name);
}

/** Node types whose constant value `analyses.constant` gives directly. */
const CONSTANT_LEAVES = new Set(["identifier", "string", "concatenated_string", "integer", "float", "true", "false", "none", "unary_operator"]);

const MAX_DEPTH = 12;
const MAX_STEPS = 400;
const MAX_TEXT = 4_000;

interface Piece {
  steps: BuildStep[];
  loose: SyntaxNode[];
  looseQuoted: SyntaxNode[];
  text: string;
  isString: boolean;
}

interface State {
  analyses: FileAnalyses;
  quoting: ReadonlySet<string>;
  budget: number;
  active: Set<Binding>;
  /** Comprehension variables in scope of the expression being read: true when bound to safe values. */
  loopNames: Map<string, boolean>;
  additions: ListAdditions | undefined;
  incomplete: boolean;
}

const EMPTY_SET: ReadonlySet<string> = new Set();

/** Reads how `expression` is built. Bounded: at most a few hundred nodes are looked at. */
export function examineString(analyses: FileAnalyses, expression: SyntaxNode, options: ExamineOptions = {}): StringBuild {
  const state: State = {
    analyses,
    quoting: options.quoting ?? EMPTY_SET,
    budget: MAX_STEPS,
    active: new Set(),
    loopNames: new Map(),
    additions: options.additions && options.additions.size > 0 ? options.additions : undefined,
    incomplete: false,
  };
  const piece = examine(expression, state, 0);
  return {
    steps: piece.steps,
    opaque: piece.loose,
    quoted: piece.looseQuoted,
    text: piece.text,
    isString: piece.isString,
    incomplete: state.incomplete,
  };
}

/** The first construction (in source order) that inserted a dynamic value. */
export function firstDynamicStep(build: StringBuild): BuildStep | undefined {
  let first: BuildStep | undefined;
  for (const step of build.steps) {
    if (step.dynamic.length > 0 && (!first || step.node.startIndex < first.node.startIndex)) first = step;
  }
  return first;
}

const KIND_WORDS: Record<BuildKind, string> = {
  "f-string": "an f-string",
  percent: "`%` formatting",
  format: "`.format()`",
  concat: "`+` concatenation",
  augmented: "`+=`",
  join: "`str.join`",
};

export function describeKind(kind: BuildKind): string {
  return KIND_WORDS[kind];
}

/** Source text of a node for a message: one line, at most `limit` characters. */
export function snippet(node: SyntaxNode, limit = 40): string {
  const text = node.text.replace(/\s+/gu, " ").trim();
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** "`a`, `b` and 2 more" for the values a message names. */
export function listValues(nodes: readonly SyntaxNode[], shown = 3): string {
  const unique: string[] = [];
  for (const node of nodes) {
    const text = `\`${snippet(node)}\``;
    if (!unique.includes(text)) unique.push(text);
  }
  if (unique.length > shown) return `${unique.slice(0, shown).join(", ")} and ${unique.length - shown} more`;
  if (unique.length <= 1) return unique[0] ?? "";
  return `${unique.slice(0, -1).join(", ")} and ${unique.at(-1)}`;
}

function safe(isString: boolean, text = ""): Piece {
  return { steps: [], loose: [], looseQuoted: [], text, isString };
}

function opaque(node: SyntaxNode, isString = false): Piece {
  return { steps: [], loose: [node], looseQuoted: [], text: "", isString };
}

function isClean(piece: Piece): boolean {
  return piece.loose.length === 0 && piece.looseQuoted.length === 0 && piece.steps.every((step) => step.dynamic.length === 0 && step.quoted.length === 0);
}

/** Collects the children's pieces; with `kind`, they become one construction whose inserted values are the children's loose ones. */
function combine(pieces: readonly Piece[], kind: BuildKind | null, node: SyntaxNode, isString: boolean, extraText = ""): Piece {
  const steps: BuildStep[] = [];
  const loose: SyntaxNode[] = [];
  const looseQuoted: SyntaxNode[] = [];
  let text = extraText;
  for (const piece of pieces) {
    for (const step of piece.steps) steps.push(step);
    for (const value of piece.loose) loose.push(value);
    for (const value of piece.looseQuoted) looseQuoted.push(value);
    if (piece.text && text.length < MAX_TEXT) text = text ? `${text} ${piece.text}` : piece.text;
  }
  if (kind === null) return { steps, loose, looseQuoted, text, isString };
  steps.push({ kind, node, dynamic: loose, quoted: looseQuoted });
  return { steps, loose: [], looseQuoted: [], text, isString: true };
}

function examine(node: SyntaxNode, state: State, depth: number): Piece {
  const expression = unparenthesize(node);
  if (depth > MAX_DEPTH || --state.budget < 0) {
    state.incomplete = true;
    return opaque(expression);
  }
  if (expression.type === "identifier") {
    const loop = state.loopNames.get(expression.text);
    if (loop !== undefined) return loop ? safe(false) : opaque(expression);
    // A list that grew after its (constant) assignment is not constant.
    if (state.additions) {
      const binding = bindingAt(state, expression.text, expression);
      if (binding && state.additions.valuesFor(binding, expression).length > 0) return examineName(expression, state, depth);
    }
  }
  if (CONSTANT_LEAVES.has(expression.type)) {
    // Composite expressions are read part by part below: a list that grew with `append` is not
    // the constant its assignment says.
    const constant = state.analyses.constant(expression);
    if (constant) return typeof constant.value === "string" ? safe(true, constant.value.slice(0, MAX_TEXT)) : safe(false);
  }
  switch (expression.type) {
    case "integer":
    case "float":
    case "true":
    case "false":
    case "none":
      return safe(false);
    case "unary_operator":
    case "not_operator": {
      const operand = field(expression, "argument");
      return operand && isClean(examine(operand, state, depth + 1)) ? safe(false) : opaque(expression);
    }
    case "string":
      return examineFString(expression, state, depth);
    case "concatenated_string": {
      const parts = expression.namedChildren.filter((part) => part.type === "string").map((part) => examine(part, state, depth + 1));
      return combine(parts, null, expression, true);
    }
    case "binary_operator":
      return examineBinary(expression, state, depth);
    case "call":
      return examineCall(expression, state, depth);
    case "conditional_expression": {
      const [whenTrue, , whenFalse] = expression.namedChildren;
      if (!whenTrue || !whenFalse) return opaque(expression);
      const a = examine(whenTrue, state, depth + 1);
      const b = examine(whenFalse, state, depth + 1);
      return combine([a, b], null, expression, a.isString || b.isString);
    }
    case "list":
    case "tuple":
    case "set":
    case "expression_list": {
      const pieces: Piece[] = [];
      for (const element of expression.namedChildren) {
        if (element.type === "comment") continue;
        pieces.push(examine(element.type === "list_splat" ? (element.namedChild(0) ?? element) : element, state, depth + 1));
      }
      return combine(pieces, null, expression, false);
    }
    case "dictionary": {
      const pieces: Piece[] = [];
      for (const entry of expression.namedChildren) {
        if (entry.type === "pair") {
          const value = field(entry, "value");
          if (value) pieces.push(examine(value, state, depth + 1));
        } else if (entry.type === "dictionary_splat") {
          pieces.push(examine(entry.namedChild(0) ?? entry, state, depth + 1));
        }
      }
      return combine(pieces, null, expression, false);
    }
    case "list_comprehension":
    case "generator_expression":
    case "set_comprehension":
      return examineComprehension(expression, state, depth);
    case "identifier":
      return examineName(expression, state, depth);
    case "attribute": {
      // `settings.TABLE_NAME` (a constant by convention), `handler.__module__` (set by Python).
      const name = field(expression, "attribute")?.text;
      return name !== undefined && (isConstantName(name) || DUNDER.test(name)) ? safe(false) : opaque(expression);
    }
    default:
      return opaque(expression);
  }
}

function examineFString(expression: SyntaxNode, state: State, depth: number): Piece {
  const pieces: Piece[] = [];
  let text = "";
  for (const child of expression.namedChildren) {
    if (child.type === "string_content") {
      if (text.length < MAX_TEXT) text += child.text;
    } else if (child.type === "interpolation") {
      const inner = field(child, "expression") ?? child.namedChild(0);
      if (inner) pieces.push(examine(inner, state, depth + 1));
      text += " ";
    }
  }
  return combine(pieces, "f-string", expression, true, text.trim());
}

function examineBinary(expression: SyntaxNode, state: State, depth: number): Piece {
  const operator = field(expression, "operator")?.text;
  const left = field(expression, "left");
  const right = field(expression, "right");
  if (!operator || !left || !right) return opaque(expression);
  if (operator === "+") {
    // Flatten the left-leaning chain a + b + c without recursing on it.
    const operands: SyntaxNode[] = [right];
    let current: SyntaxNode = unparenthesize(left);
    for (let guard = 0; guard < 200; guard++) {
      if (current.type !== "binary_operator" || field(current, "operator")?.text !== "+") break;
      const r = field(current, "right");
      const l = field(current, "left");
      if (!r || !l) break;
      operands.push(r);
      current = unparenthesize(l);
    }
    operands.push(current);
    operands.reverse();
    const pieces = operands.map((operand) => examine(operand, state, depth + 1));
    if (!pieces.some((piece) => piece.isString)) {
      return pieces.every(isClean) ? safe(false) : opaque(expression);
    }
    return combine(pieces, "concat", expression, true);
  }
  if (operator === "%") {
    const template = examine(left, state, depth + 1);
    if (!template.isString) {
      const divisor = examine(right, state, depth + 1);
      return isClean(template) && isClean(divisor) ? safe(false) : opaque(expression);
    }
    const values = unparenthesize(right);
    return combine([template, examine(values, state, depth + 1)], "percent", expression, true);
  }
  if (operator === "*" || ARITHMETIC.has(operator)) {
    // "?, " * len(ids), ["%s"] * count, width - 1: safe when both sides are.
    const a = examine(left, state, depth + 1);
    const b = examine(right, state, depth + 1);
    if (isClean(a) && isClean(b)) return safe(operator === "*" && (a.isString || b.isString), a.text || b.text);
    return opaque(expression, operator === "*" && (a.isString || b.isString));
  }
  return opaque(expression);
}

function examineCall(call: SyntaxNode, state: State, depth: number): Piece {
  const callee = field(call, "function");
  if (!callee) return opaque(call);
  if (callee.type === "attribute") {
    const method = field(callee, "attribute")?.text;
    const receiverNode = field(callee, "object");
    if (receiverNode && (method === "format" || method === "join" || (method !== undefined && PASS_THROUGH_METHODS.has(method)))) {
      const receiver = examine(receiverNode, state, depth + 1);
      // `.format` on something that is not a string (psycopg2's sql.SQL) is not string formatting;
      // `shlex.join(...)` is a function of a module.
      if (receiver.isString) {
        const args = argumentValues(call);
        const pieces = [receiver, ...args.map((value) => examine(value, state, depth + 1))];
        if (method === "format") return combine(pieces, "format", call, true);
        if (method === "join") return combine(pieces, "join", call, true);
        return combine(pieces, null, call, true);
      }
    }
  }
  const resolved = state.analyses.resolve(callee);
  if (!resolved || resolved.origin === "local") return opaque(call);
  if (state.quoting.has(resolved.name)) return { steps: [], loose: [], looseQuoted: [call], text: "", isString: true };
  if (matchesQualified(resolved, NUMERIC_CALLS)) return safe(false);
  if (matchesQualified(resolved, RANGE_CALLS) || matchesQualified(resolved, STR_CALLS)) {
    const pieces = argumentValues(call).map((value) => examine(value, state, depth + 1));
    const isString = resolved.name.endsWith("str");
    return pieces.every(isClean) ? safe(isString) : opaque(call, isString);
  }
  return opaque(call);
}

/** Positional and keyword argument values of a call; a splat stands for itself (it is not constant). */
function argumentValues(call: SyntaxNode): SyntaxNode[] {
  const list = field(call, "arguments");
  if (!list) return [];
  if (list.type !== "argument_list") return [list];
  const values: SyntaxNode[] = [];
  for (const child of list.namedChildren) {
    if (child.type === "comment") continue;
    if (child.type === "keyword_argument") {
      const value = field(child, "value");
      if (value) values.push(value);
    } else {
      values.push(child);
    }
  }
  return values;
}

function examineComprehension(expression: SyntaxNode, state: State, depth: number): Piece {
  const body = field(expression, "body");
  if (!body) return opaque(expression);
  const added: Array<[string, boolean | undefined]> = [];
  for (const clause of expression.namedChildren) {
    if (clause.type !== "for_in_clause") continue;
    const left = field(clause, "left");
    const right = field(clause, "right");
    // A loop variable is safe when what it iterates is (a constant list, range(len(ids))).
    const iterableSafe = right ? isClean(examine(right, state, depth + 1)) : false;
    const names = left?.type === "identifier" ? [left] : (left?.namedChildren.filter((child) => child.type === "identifier") ?? []);
    for (const name of names) {
      added.push([name.text, state.loopNames.get(name.text)]);
      state.loopNames.set(name.text, iterableSafe);
    }
  }
  const piece = examine(body, state, depth + 1);
  for (let i = added.length - 1; i >= 0; i--) {
    const [name, previous] = added[i] as [string, boolean | undefined];
    if (previous === undefined) state.loopNames.delete(name);
    else state.loopNames.set(name, previous);
  }
  return combine([piece], null, expression, false);
}

/** The node whose text holds the value a binding was given, to skip the binding when it is the one being read. */
function valueRegion(binding: Binding): SyntaxNode | null {
  switch (binding.kind) {
    case "assignment":
    case "walrus":
      return binding.value ?? null;
    case "augmented-assignment":
      return binding.site;
    case "for":
      return field(binding.site, "right");
    default:
      return null;
  }
}

/** The last binding of `name` before `reference`, skipping the one whose value holds the reference (`q = q + x`). */
function bindingAt(state: State, name: string, reference: SyntaxNode): Binding | undefined {
  let binding = state.analyses.scopes.bindingBefore(name, reference);
  for (let guard = 0; binding && guard < 16; guard++) {
    const region = valueRegion(binding);
    if (!region || !isInside(reference, region)) return binding;
    binding = state.analyses.scopes.bindingBefore(name, binding.node);
  }
  return binding;
}

/** Statements whose body may not run: a binding inside one may leave the earlier value in place. */
const BRANCHING = new Set(["if_statement", "for_statement", "while_statement", "try_statement", "match_statement"]);

/** True when `binding` sits in a branch or loop body that does not also hold `reference`. */
function isConditional(binding: Binding, reference: SyntaxNode): boolean {
  let node = binding.site.parent;
  for (let guard = 0; node && guard < 64; guard++, node = node.parent) {
    if (isInside(reference, node)) return false;
    if (BRANCHING.has(node.type)) return true;
  }
  return false;
}

const COMPREHENSIONS = new Set(["list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"]);

/**
 * The iterable a comprehension around `identifier` binds it from. The walk meets a
 * comprehension's body before its `for` clause, so the scope analysis has not bound the
 * variable yet when a rule looks at a call in the body.
 */
function comprehensionSource(identifier: SyntaxNode): SyntaxNode | null {
  const name = identifier.text;
  let node = identifier.parent;
  for (let guard = 0; node && guard < 32; guard++, node = node.parent) {
    const type = node.type;
    if (type === "block" || type === "module" || type.endsWith("_statement") || type === "function_definition") return null;
    if (!COMPREHENSIONS.has(type)) continue;
    for (const clause of node.namedChildren) {
      if (clause.type !== "for_in_clause") continue;
      const left = field(clause, "left");
      if (!left) continue;
      const bound = left.type === "identifier" ? left.text === name : left.namedChildren.some((child) => child.type === "identifier" && child.text === name);
      if (bound) return left.type === "identifier" ? field(clause, "right") : clause;
    }
  }
  return null;
}

function examineName(identifier: SyntaxNode, state: State, depth: number): Piece {
  const name = identifier.text;
  const source = comprehensionSource(identifier);
  if (source) {
    // Unpacked targets (`for a, b in pairs`) are not followed.
    if (source.type === "for_in_clause") return opaque(identifier);
    return isClean(examine(source, state, depth + 1)) ? safe(false) : opaque(identifier);
  }
  const binding = bindingAt(state, name, identifier);
  if (!binding) return MODULE_DUNDERS.has(name) || isConstantName(name) ? safe(false) : opaque(identifier);
  let piece = examineBinding(identifier, binding, state, depth);
  // `if a: q = f"...{x}"` / `else: q = "..."`: the value before a conditional binding may reach too.
  let current = binding;
  for (let guard = 0; guard < 4 && current.kind !== "augmented-assignment" && isConditional(current, identifier); guard++) {
    const previous = state.analyses.scopes.bindingBefore(name, current.node);
    if (!previous) break;
    const earlier = examineBinding(identifier, previous, state, depth + 1);
    piece = combine([piece, earlier], null, identifier, piece.isString || earlier.isString);
    current = previous;
  }
  // A constant by convention whose value we cannot see (imported, read from the environment).
  if (piece.steps.length === 0 && piece.loose.length === 1 && piece.loose[0] === identifier && isConstantName(name)) return safe(piece.isString);
  return piece;
}

function examineBinding(identifier: SyntaxNode, binding: Binding, state: State, depth: number): Piece {
  if (state.active.has(binding)) return opaque(identifier);
  state.active.add(binding);
  try {
    switch (binding.kind) {
      case "assignment":
      case "walrus": {
        if (!binding.value) return opaque(identifier);
        const value = unparenthesize(binding.value);
        let piece = examine(value, state, depth + 1);
        const added = state.additions?.valuesFor(binding, identifier);
        if (added && added.length > 0) {
          const pieces = [piece];
          for (const element of added) {
            const elementPiece = examine(element, state, depth + 1);
            const last = elementPiece.steps.at(-1);
            if (last && last.node === unparenthesize(element) && last.variable === undefined) last.variable = identifier.text;
            pieces.push(elementPiece);
          }
          piece = combine(pieces, null, value, piece.isString);
        }
        if (piece.steps.length === 0 && piece.loose.length > 0) {
          // Not built here: name the variable, not what it was assigned from.
          return { ...opaque(identifier, piece.isString), looseQuoted: piece.looseQuoted };
        }
        const last = piece.steps.at(-1);
        if (last && isInside(last.node, value) && last.variable === undefined) last.variable = identifier.text;
        return piece;
      }
      case "augmented-assignment": {
        const site = binding.site;
        const right = field(site, "right");
        if (field(site, "operator")?.text !== "+=" || !right) return opaque(identifier);
        const previousBinding = state.analyses.scopes.bindingBefore(identifier.text, binding.node);
        const previous = previousBinding ? examineBinding(identifier, previousBinding, state, depth + 1) : opaque(identifier);
        const added = examine(right, state, depth + 1);
        const lastAdded = added.steps.at(-1);
        if (lastAdded && lastAdded.node === unparenthesize(right) && lastAdded.variable === undefined) lastAdded.variable = identifier.text;
        const isString = previous.isString || added.isString;
        if (!isString) return isClean(previous) && isClean(added) ? safe(false) : opaque(identifier);
        const step: BuildStep = { kind: "augmented", node: site, variable: identifier.text, dynamic: added.loose, quoted: added.looseQuoted };
        const text = [previous.text, added.text].filter(Boolean).join(" ");
        return {
          steps: [...previous.steps, ...added.steps, step],
          loose: previous.loose,
          looseQuoted: previous.looseQuoted,
          text,
          isString: true,
        };
      }
      case "for": {
        const target = field(binding.site, "left");
        const iterable = field(binding.site, "right");
        if (target?.type !== "identifier" || !iterable) return opaque(identifier);
        return isClean(examine(iterable, state, depth + 1)) ? safe(false) : opaque(identifier);
      }
      default:
        return opaque(identifier);
    }
  } finally {
    state.active.delete(binding);
  }
}
