import { matchesQualified } from "../../engine/analyses/names.js";
import { argument, callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { describeFlow, snippet, untrustedSource } from "./flows.js";

const SESSIONS: ReadonlySet<string> = new Set(["flask.session", "flask.globals.session", "quart.session"]);
const REQUEST_GLOBALS: ReadonlySet<string> = new Set(["flask.g", "flask.globals.g", "quart.g"]);
/** Methods of a session that store their arguments. */
const SESSION_WRITERS: ReadonlySet<string> = new Set(["update", "setdefault", "__setitem__"]);
/** A condition that runs a form or serializer's validation: `form.validate_on_submit()`, `serializer.is_valid()`. */
const VALIDATION_CALL = /\.\s*(?:validate_on_submit|validate|is_valid)\s*\(/u;

const ADVICE =
  "later code treats the session as the server's own data; validate the value first (an allow-list, a type conversion such as `int(...)`, a WTForms/Django form or a pydantic/DRF schema) and store the validated value";
const G_ADVICE =
  "code later in the request treats `g` as the server's own data; validate the value first (an allow-list, a type conversion, a form or schema) and store the validated value";

/** Ranges where a form or serializer has been validated: the body of `if form.validate_on_submit():`, or after `if not form.is_valid(): return ...`. */
class ValidatedRanges {
  private ranges: Array<{ start: number; end: number }> | undefined;

  constructor(private readonly context: RuleContext) {}

  covers(node: SyntaxNode): boolean {
    this.ranges ??= this.collect();
    const start = node.startIndex;
    return this.ranges.some((range) => start >= range.start && start < range.end);
  }

  private collect(): Array<{ start: number; end: number }> {
    const ranges: Array<{ start: number; end: number }> = [];
    for (const { node } of this.context.analyses.flow.ifStatements) {
      const condition = field(node, "condition");
      const consequence = field(node, "consequence");
      if (!condition || !consequence || !VALIDATION_CALL.test(condition.text)) continue;
      const expression = unparenthesize(condition);
      if (expression.type !== "not_operator") {
        ranges.push({ start: consequence.startIndex, end: consequence.endIndex });
        continue;
      }
      const last = consequence.lastNamedChild;
      const exits =
        last?.type === "return_statement" ||
        last?.type === "raise_statement" ||
        (last?.type === "expression_statement" && last.namedChild(0)?.type === "call" && calleeLastName(last.namedChild(0) as SyntaxNode) === "abort");
      const block = exits ? node.parent : null;
      if (block) ranges.push({ start: node.endIndex, end: block.endIndex });
      for (const alternative of node.namedChildren) {
        if (alternative.type === "else_clause") ranges.push({ start: alternative.startIndex, end: alternative.endIndex });
      }
    }
    return ranges;
  }
}

export const trustBoundary: RuleModule = {
  meta: {
    id: "PG-INPUT-006",
    name: "trust-boundary-violation",
    title: "Unvalidated request data stored in the session or in flask.g",
    sections: ["G3", "C3"],
    cwe: [501],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports request data stored without validation where the application keeps its own trusted state: Flask's `session[...]` (also `session.update(...)`/`setdefault(...)`), Django's and Starlette's `request.session[...]`, and attributes of Flask's `g`.",
      whyIsThisBad:
        "Code that reads the session or `g` assumes the server put the value there after checking it: a role, a user name, a tenant, a redirect target. Copying raw request data there mixes trusted and untrusted data, so a value the client chose is later used as if the server had vouched for it (privilege changes, injection in code that skips validation for \"internal\" data).",
      example:
        'from flask import Flask, request, session\n\napp = Flask(__name__)\n\n@app.route("/preferences", methods=["POST"])\ndef func_preferences():\n    session["role"] = request.form["role"]\n    return "saved"',
      useInstead:
        'from flask import Flask, abort, request, session\n\napp = Flask(__name__)\nTHEMES = {"dark", "light"}\n\n@app.route("/preferences", methods=["POST"])\ndef func_preferences():\n    theme = request.form.get("theme", "light")\n    if theme not in THEMES:\n        abort(400)\n    session["theme"] = theme\n    return "saved"',
      notes:
        "Not reported: values checked against an allow-list or a pattern (`re.fullmatch`, `isdigit()`), converted (`int`, `uuid.UUID`), read from a validated form or serializer (`form.name.data`, `serializer.validated_data`), stored inside `if form.validate_on_submit():` / `if serializer.is_valid():` (or after `if not form.validate(): return ...`), and values from the database (`user.id`). A local variable that happens to be called `session` (a database or HTTP session) is not Flask's session. Warning: the risk depends on what later code does with the value.",
    },
  },
  create(context) {
    const validated = new ValidatedRanges(context);

    const check = (site: SyntaxNode, value: SyntaxNode, where: string, advice: string): boolean => {
      const source = untrustedSource(context, value, "session");
      if (!source || validated.covers(site)) return false;
      context.report({
        node: site,
        message: `${describeFlow(context, value, source)} and is stored in ${where} without validation: ${advice}.`,
      });
      return true;
    };

    /** `session` (Flask) or `request.session` (Django, Starlette). */
    const isSession = (node: SyntaxNode): boolean => {
      const expression = unparenthesize(node);
      if (expression.type === "identifier") return matchesQualified(context.analyses.resolve(expression), SESSIONS);
      if (expression.type !== "attribute" || field(expression, "attribute")?.text !== "session") return false;
      const owner = field(expression, "object");
      return owner !== null && context.analyses.taint.isRequestObject(owner);
    };

    return {
      assignment(node) {
        const left = field(node, "left");
        const value = field(node, "right");
        if (!left || !value) return;
        if (left.type === "subscript") {
          const container = field(left, "value");
          if (!container || !/session$/u.test(container.text) || !isSession(container)) return;
          check(node, value, `\`${snippet(left, 50)}\``, ADVICE);
          return;
        }
        if (left.type === "attribute") {
          const owner = field(left, "object");
          if (owner?.type !== "identifier" || owner.text === "self" || !matchesQualified(context.analyses.resolve(owner), REQUEST_GLOBALS)) return;
          check(node, value, `\`${snippet(left, 50)}\``, G_ADVICE);
        }
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !SESSION_WRITERS.has(lastName)) return;
        const callee = field(node, "function");
        const receiver = callee?.type === "attribute" ? field(callee, "object") : null;
        if (!receiver || !/session$/u.test(receiver.text) || !isSession(receiver)) return;
        const args = callArguments(node);
        const where = `the session through \`${snippet(callee ?? node, 50)}\``;
        const values = lastName === "update" ? [...args.positional.slice(0, 1), ...args.keywords.values()] : [argument(args, 1, "default")];
        for (const value of values) if (value && check(node, value, where, ADVICE)) return;
      },
    };
  },
};
