import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { nameWords } from "../logging/words.js";
import { classifyCaught, classifyType, exceptParts } from "./caught-types.js";

const SUPPRESS = new Set(["contextlib.suppress"]);
const BROAD_HINT = /\b(?:Base)?Exception\b/u;

/** Functions that release resources: a failure there is often not actionable, so it is reported as a note. */
const CLEANUP_WORDS = new Set([
  "close", "cleanup", "teardown", "shutdown", "dispose", "release", "disconnect", "stop", "terminate", "destroy",
  "finalize", "finalise", "exit", "aexit", "unlink", "remove", "delete",
]);

type Swallow = "pass" | "continue" | "break" | "return";

/** Source ranges, in walk order, that contain the nodes met later (finally clauses, except clauses). */
class OpenRanges {
  private readonly ranges: Array<[number, number]> = [];

  add(node: SyntaxNode): void {
    this.ranges.push([node.startIndex, node.endIndex]);
  }

  /** True when `node` lies inside a recorded range; forgets the ranges that ended before it. */
  contains(node: SyntaxNode): boolean {
    const start = node.startIndex;
    while (this.ranges.length > 0 && (this.ranges[this.ranges.length - 1] as [number, number])[1] <= start) this.ranges.pop();
    for (const [rangeStart, rangeEnd] of this.ranges) if (start > rangeStart && start < rangeEnd) return true;
    return false;
  }
}

/** What the handler does when every statement only ends it quietly: `pass`, `...`, `continue`, `break`, `return <constant>`. */
function swallowKind(context: RuleContext, body: SyntaxNode): Swallow | null {
  let kind: Swallow | null = null;
  for (const statement of body.namedChildren) {
    switch (statement.type) {
      case "comment":
        continue;
      case "pass_statement":
        kind ??= "pass";
        continue;
      case "continue_statement":
        kind = "continue";
        continue;
      case "break_statement":
        kind = "break";
        continue;
      case "expression_statement": {
        const expression = statement.namedChild(0);
        // `...` and a lone string (a comment written as a docstring).
        if (expression?.type === "ellipsis" || expression?.type === "string") {
          kind ??= "pass";
          continue;
        }
        return null;
      }
      case "return_statement": {
        const value = statement.namedChild(0);
        if (value && !isQuietValue(context, value)) return null;
        kind = "return";
        continue;
      }
      default:
        return null;
    }
  }
  return kind;
}

/** A constant fallback: `None`, `False`, `0`, `""`, `[]`, `{}`, a name bound only to a constant. */
function isQuietValue(context: RuleContext, value: SyntaxNode): boolean {
  switch (value.type) {
    case "none":
    case "true":
    case "false":
    case "integer":
    case "float":
      return true;
    case "list":
    case "dictionary":
    case "tuple":
    case "set":
      return value.namedChildren.every((child) => child.type === "comment") || context.analyses.constant(value) !== undefined;
    default:
      return context.analyses.constant(value) !== undefined;
  }
}

function describeSwallow(kind: Swallow, body: SyntaxNode): string {
  switch (kind) {
    case "pass":
      return body.text.includes("...") ? "`...`" : "`pass`";
    case "continue":
      return "`continue`";
    case "break":
      return "`break`";
    default: {
      const statement = body.namedChildren.find((child) => child.type === "return_statement");
      const text = statement ? statement.text.replace(/\s+/gu, " ") : "return";
      return `\`${text.length > 30 ? "return <constant>" : text}\``;
    }
  }
}

function isCleanupFunction(name: string): boolean {
  return nameWords(name).some((word) => CLEANUP_WORDS.has(word));
}

export const swallowedException: RuleModule = {
  meta: {
    id: "PG-ERR-001",
    name: "swallowed-broad-exception",
    title: "Broad exception caught and silently ignored",
    sections: ["G8", "C3"],
    cwe: [390, 396, 703],
    defaultSeverity: "warning",
    bandit: ["B110", "B112"],
    docs: {
      whatItDoes:
        "Reports a bare `except:` or an `except Exception`/`except BaseException` (alone or in a tuple) whose handler only ends quietly (`pass`, `...`, `continue`, `break`, or `return` of a constant such as `None` or `False`), and `with contextlib.suppress(Exception):`. Nothing is logged, nothing is re-raised and the exception is not looked at.",
      whyIsThisBad:
        "Every failure in the `try` block disappears, including the ones nobody expected: a lost database connection, a permission error, a bug, a failed security check. The program carries on in a state nobody planned for, and nothing in the logs says why. A bare `except:` also swallows `KeyboardInterrupt` and `SystemExit`.",
      example:
        'def func_loadProfile(store, userId):\n    try:\n        return store.func_fetch(userId)\n    except Exception:\n        return None',
      useInstead:
        'import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef func_loadProfile(store, userId):\n    try:\n        return store.func_fetch(userId)\n    except KeyError:\n        return None\n    except Exception:\n        logger.exception("could not load profile %s", userId)\n        raise',
      notes:
        "Narrow exceptions are not reported (`except KeyError: pass`, `except ImportError:`, `contextlib.suppress(FileNotFoundError)`): catching what you expect is the fix. A handler that does anything else (logs, prints, calls `traceback.print_exc()`, assigns a fallback, uses the exception) is not reported either; `traceback.print_exc()` at least leaves a trace. Not reported: handlers in `__del__` (Python ignores exceptions there anyway, and logging may no longer work at interpreter shutdown) and handlers inside a `finally:` block or another `except` block (best-effort cleanup while an exception is already on its way; raising there would hide it). In cleanup functions (`close`, `cleanup`, `shutdown`, `__exit__`, `release`, ...) and for `except Exception: return <constant>` (a deliberate fallback value) the finding is a note; `pass`/`continue` after `except Exception`, and any bare `except:` or `except BaseException`, are warnings.",
    },
  },
  create(context) {
    const finallyRanges = new OpenRanges();
    const handlerRanges = new OpenRanges();

    function exempt(node: SyntaxNode): { skip: boolean; cleanup: boolean } {
      const scope = context.analyses.scopes.functionScopeAt(node);
      if (scope?.name === "__del__") return { skip: true, cleanup: false };
      if (finallyRanges.contains(node) || handlerRanges.contains(node)) return { skip: true, cleanup: false };
      return { skip: false, cleanup: scope !== null && isCleanupFunction(scope.name) };
    }

    return {
      finally_clause(node) {
        finallyRanges.add(node);
      },
      except_clause(node) {
        const inside = handlerRanges.contains(node);
        handlerRanges.add(node);
        if (inside) return;
        // The common case, a named exception that is not broad, costs one look at the type's text.
        const first = node.firstNamedChild;
        const typeNode = first?.type === "as_pattern" ? first.firstNamedChild : first?.type === "block" || first?.type === "comment" ? null : first;
        if (typeNode && !BROAD_HINT.test(typeNode.text)) return;
        const { type, body } = exceptParts(node);
        if (!body) return;
        const caught = classifyCaught(context.analyses, type);
        if (!caught.broad) return;
        const kind = swallowKind(context, body);
        if (!kind) return;
        const { skip, cleanup } = exempt(node);
        if (skip) return;
        const bare = type === null;
        const baseException = !bare && /\bBaseException\b/u.test(type.text);
        let severity: Severity = bare || baseException || kind !== "return" ? "warning" : "note";
        if (cleanup) severity = "note";
        const what = bare
          ? "A bare `except:` catches every exception, `KeyboardInterrupt` and `SystemExit` included,"
          : baseException
            ? `\`${caught.label}:\` catches every exception, \`KeyboardInterrupt\` and \`SystemExit\` included,`
            : `\`${caught.label}:\` catches every error`;
        context.report({
          node,
          severity,
          message: `${what} and ${describeSwallow(kind, body)} drops it without a trace; catch the exceptions you expect (for example \`except KeyError:\`), or log it with \`logger.exception(...)\` and re-raise or return an explicit error.`,
        });
      },
      with_item(item) {
        let node = field(item, "value");
        if (node?.type === "as_pattern") node = node.firstNamedChild;
        if (node?.type !== "call" || calleeLastName(node) !== "suppress") return;
        const callee = field(node, "function");
        if (!callee || !matchesQualified(context.analyses.resolve(callee), SUPPRESS)) return;
        const broad = callArguments(node).positional.find((argument) => classifyType(context.analyses, argument).broad);
        if (!broad) return;
        const { skip, cleanup } = exempt(node);
        if (skip) return;
        context.report({
          node,
          severity: cleanup ? "note" : "warning",
          message: `\`contextlib.suppress(${broad.text})\` silently drops every error in its block; suppress only the exceptions you expect (for example \`suppress(FileNotFoundError)\`), or catch and log the rest with \`logger.exception(...)\`.`,
        });
      },
    };
  },
};
