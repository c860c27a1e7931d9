import type { FileAnalyses } from "../../engine/analyses/index.js";
import { matchesQualified } from "../../engine/analyses/names.js";
import type { Binding } from "../../engine/analyses/scopes.js";
import { field, stringParts } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";
import { classifyCaught, classifyType, exceptParts } from "./caught-types.js";
import type { WebHandlers } from "./web-handlers.js";

/**
 * Finds exception details in an expression: the caught exception (`e`, `str(e)`, `repr(e)`,
 * `f"{e}"`, `e.args`), a stack trace (`traceback.format_exc()`, `format_exception(...)`) or
 * `sys.exc_info()`, directly or through local variables assigned from them. Only constructions
 * that show their parts as they are are followed (formatting, concatenation, containers, `str()`,
 * string methods); any other call stands for a value computed from the exception, such as a
 * generic message looked up by type, and is not looked into. Bounded: no walk of the tree.
 */

export type LeakKind = "traceback" | "exception";

export interface Leak {
  kind: LeakKind;
  /** The expression that holds the details. */
  node: SyntaxNode;
  /** The code that holds the details, shortened: `e`, `e.args`, `traceback.format_exc()`. */
  code: string;
  /** What it is: "the caught `Exception`", "a stack trace". */
  what: string;
  /** The local variable the details passed through, if any. */
  via?: string;
}

const TRACEBACK_FUNCTIONS = new Set([
  "traceback.format_exc", "traceback.format_exception", "traceback.format_tb", "traceback.format_stack",
  "traceback.extract_tb", "traceback.extract_stack", "traceback.format_list", "traceback.TracebackException",
  "traceback.TracebackException.from_exception", "traceback.StackSummary.extract",
]);
const EXCEPTION_FUNCTIONS = new Set(["sys.exc_info", "sys.exception", "traceback.format_exception_only"]);

/** Last names of the qualified functions above, so that only those calls are resolved. */
const NAMED_LAST_NAMES = new Set(
  [...TRACEBACK_FUNCTIONS, ...EXCEPTION_FUNCTIONS, "json.dumps", "html.escape", "markupsafe.Markup"].map((name) => name.slice(name.lastIndexOf(".") + 1)),
);

/** Calls that show their arguments as they are. */
const TRANSPARENT_FUNCTIONS = new Set(["str", "repr", "format", "ascii", "dict", "list", "tuple"]);
const TRANSPARENT_QUALIFIED = new Set(["json.dumps", "html.escape", "markupsafe.escape", "flask.escape", "markupsafe.Markup"]);
/** String methods whose result shows their receiver and arguments. */
const STRING_METHODS = new Set([
  "format", "join", "strip", "lstrip", "rstrip", "lower", "upper", "replace", "split", "splitlines", "encode", "decode",
  "title", "capitalize", "format_map",
]);

/** Attributes of an exception that carry its details (`e.args`, `e.orig`, `e.stderr`); others (`e.code`, `e.description`, `e.messages`) are meant for clients or carry none. */
const REVEALING_ATTRIBUTES = new Set([
  "args", "message", "msg", "strerror", "filename", "filename2", "orig", "statement", "params", "__traceback__",
  "__cause__", "__context__", "output", "stderr", "stdout", "cmd", "doc", "pgerror", "diag", "response", "reason",
  "with_traceback", "add_note", "__notes__",
]);
/** Attributes at the end of a chain that hold a number or a label, whatever comes before (`e.response.status_code`). */
const SAFE_TAILS = new Set(["status_code", "code", "status", "status_int", "errno", "name", "__name__", "reason", "ok"]);

const MAX_NODES = 200;
const MAX_FOLLOW = 3;

interface Pending {
  node: SyntaxNode;
  depth: number;
  via?: string;
}

export class ExceptionData {
  private readonly caughtCache = new Map<Binding, string | null>();

  constructor(
    private readonly analyses: FileAnalyses,
    private readonly handlers: WebHandlers,
  ) {}

  /**
   * The first exception detail in `expression`. `skipCall` leaves out calls that another check
   * reports on its own (a response built inside a returned tuple).
   */
  find(expression: SyntaxNode, skipCall?: (call: SyntaxNode) => boolean): Leak | null {
    const stack: Pending[] = [{ node: expression, depth: 0 }];
    const followed = new Set<Binding>();
    for (let visited = 0; stack.length > 0 && visited < MAX_NODES; visited++) {
      const { node, depth, via } = stack.pop() as Pending;
      const push = (child: SyntaxNode | null | undefined): void => {
        if (child && child.type !== "comment") stack.push({ node: child, depth, ...(via === undefined ? {} : { via }) });
      };
      switch (node.type) {
        case "identifier": {
          const caught = this.caughtException(node);
          if (caught) return this.leak("exception", node, `the caught \`${caught}\``, via);
          if (depth >= MAX_FOLLOW) break;
          const binding = this.analyses.scopes.bindingBefore(node.text, node);
          if (!binding || followed.has(binding)) break;
          followed.add(binding);
          let value: SyntaxNode | null | undefined;
          if (binding.kind === "assignment") value = binding.value;
          else if (binding.kind === "augmented-assignment") value = field(binding.site, "right");
          if (value) stack.push({ node: value, depth: depth + 1, via: via ?? node.text });
          break;
        }
        case "attribute": {
          const leak = this.attributeLeak(node, via);
          if (leak) return leak;
          break;
        }
        case "call": {
          if (skipCall?.(node)) break;
          const leak = this.callLeak(node, via, push);
          if (leak) return leak;
          break;
        }
        case "string":
          for (const interpolation of stringParts(node).interpolations) push(interpolation);
          break;
        case "concatenated_string":
        case "parenthesized_expression":
        case "tuple":
        case "list":
        case "set":
        case "expression_list":
        case "argument_list":
          for (const child of node.namedChildren) push(child);
          break;
        case "binary_operator":
          push(field(node, "left"));
          push(field(node, "right"));
          break;
        case "conditional_expression": {
          const [whenTrue, , whenFalse] = node.namedChildren.filter((child) => child.type !== "comment");
          push(whenTrue);
          push(whenFalse);
          break;
        }
        case "subscript":
          push(field(node, "value"));
          break;
        case "dictionary":
          for (const pair of node.namedChildren) {
            if (pair.type === "pair") push(field(pair, "value"));
            else if (pair.type === "dictionary_splat") push(pair.namedChild(0));
          }
          break;
        case "keyword_argument":
          push(field(node, "value"));
          break;
        default:
          break;
      }
    }
    return null;
  }

  private leak(kind: LeakKind, node: SyntaxNode, what: string, via: string | undefined): Leak {
    const code = snippet(node, 40);
    return via === undefined ? { kind, node, code, what } : { kind, node, code, what, via };
  }

  /** `e.args`, `e.orig`, `e.args[0]`: details of the caught exception. */
  private attributeLeak(node: SyntaxNode, via: string | undefined): Leak | null {
    let first: string | undefined;
    let root: SyntaxNode | null = node;
    const tail = field(node, "attribute")?.text;
    if (tail !== undefined && SAFE_TAILS.has(tail) && field(node, "object")?.type === "attribute") return null;
    for (let depth = 0; root?.type === "attribute" && depth < 16; depth++) {
      first = field(root, "attribute")?.text;
      root = field(root, "object");
    }
    if (root?.type !== "identifier" || first === undefined || !REVEALING_ATTRIBUTES.has(first)) return null;
    const caught = this.caughtException(root);
    return caught ? this.leak("exception", node, `details of the caught \`${caught}\``, via) : null;
  }

  private callLeak(call: SyntaxNode, via: string | undefined, push: (child: SyntaxNode | null | undefined) => void): Leak | null {
    const callee = field(call, "function");
    if (!callee) return null;
    const lastName = callee.type === "identifier" ? callee.text : callee.type === "attribute" ? field(callee, "attribute")?.text : undefined;
    if (lastName === undefined) return null;
    if (NAMED_LAST_NAMES.has(lastName)) {
      const resolved = this.analyses.resolve(callee);
      if (matchesQualified(resolved, TRACEBACK_FUNCTIONS)) return this.leak("traceback", call, "a stack trace", via);
      if (matchesQualified(resolved, EXCEPTION_FUNCTIONS)) return this.leak("exception", call, "the exception being handled", via);
      if (matchesQualified(resolved, TRANSPARENT_QUALIFIED)) {
        push(field(call, "arguments"));
        return null;
      }
    }
    if (callee.type === "identifier") {
      if (TRANSPARENT_FUNCTIONS.has(lastName) && this.analyses.resolve(callee)?.origin !== "local") push(field(call, "arguments"));
      return null;
    }
    // "".join(traceback.format_exception(...)), TracebackException.from_exception(e).format(), str(e).strip().
    const receiver = field(callee, "object");
    if (receiver && (STRING_METHODS.has(lastName) || (lastName === "format" && receiver.type === "call"))) {
      push(receiver);
      push(field(call, "arguments"));
    }
    return null;
  }

  /**
   * The caught exception that `identifier` names, as written in its `except` clause or error
   * handler decorator, when its text may reveal internals; null otherwise.
   */
  caughtException(identifier: SyntaxNode): string | null {
    const binding = this.analyses.scopes.bindingBefore(identifier.text, identifier);
    if (!binding) return null;
    const known = this.caughtCache.get(binding);
    if (known !== undefined) return known;
    let result: string | null = null;
    if (binding.kind === "except") {
      const { type } = exceptParts(binding.site);
      const caught = classifyCaught(this.analyses, type);
      if (caught.revealing) result = type ? type.text.replace(/\s+/gu, " ") : "exception";
    } else if (binding.kind === "parameter") {
      const handler = this.handlers.errorHandler(binding.scope);
      if (handler && handler.parameter === binding.name) {
        const revealing = handler.handles.find((type) => classifyType(this.analyses, type).revealing);
        if (revealing) result = revealing.text;
      }
    }
    this.caughtCache.set(binding, result);
    return result;
  }
}

export function snippet(node: SyntaxNode, limit = 40): string {
  const text = node.text.replace(/\s+/gu, " ");
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

