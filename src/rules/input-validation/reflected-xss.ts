import type { TaintSource } from "../../engine/analyses/taint.js";
import { argument, callArguments, calleeLastName, field, stringParts, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { FlaskViews, assignedValue, describeFlow, externalCallee, returnedParts, snippet, untrustedSource } from "./flows.js";

/** Calls that mark a string as safe HTML, and the argument that must not carry request data. */
const MARKUP_CALLS: ReadonlyMap<string, readonly [number, string]> = new Map<string, readonly [number, string]>([
  ["markupsafe.Markup", [0, "base"]],
  ["flask.Markup", [0, "base"]],
  ["jinja2.Markup", [0, "base"]],
  ["django.utils.safestring.mark_safe", [0, "s"]],
  ["django.utils.safestring.SafeString", [0, "s"]],
  ["django.utils.html.format_html", [0, "format_string"]],
  ["django.utils.html.format_html_join", [1, "format_string"]],
]);

type ResponseKind = "django" | "flask" | "make_response" | "html" | "starlette";

/** Response classes whose body a browser renders as HTML (by default, or always for `HTMLResponse`). */
const RESPONSES: ReadonlyMap<string, ResponseKind> = new Map<string, ResponseKind>([
  ["django.http.HttpResponse", "django"],
  ["django.http.HttpResponseBadRequest", "django"],
  ["django.http.HttpResponseNotFound", "django"],
  ["django.http.HttpResponseForbidden", "django"],
  ["django.http.HttpResponseServerError", "django"],
  ["django.http.HttpResponseGone", "django"],
  ["django.http.response.HttpResponse", "django"],
  ["flask.Response", "flask"],
  ["flask.wrappers.Response", "flask"],
  ["werkzeug.Response", "flask"],
  ["werkzeug.wrappers.Response", "flask"],
  ["werkzeug.wrappers.response.Response", "flask"],
  ["quart.Response", "flask"],
  ["flask.make_response", "make_response"],
  ["quart.make_response", "make_response"],
  ["starlette.responses.HTMLResponse", "html"],
  ["fastapi.responses.HTMLResponse", "html"],
  ["starlette.responses.Response", "starlette"],
  ["fastapi.Response", "starlette"],
  ["fastapi.responses.Response", "starlette"],
]);

const SINK_LAST_NAMES: ReadonlySet<string> = new Set(
  [...MARKUP_CALLS.keys(), ...RESPONSES.keys()].map((name) => name.slice(name.lastIndexOf(".") + 1)),
);
/** Calls a returned value may be that other checks report (or that turn the value into something else). */
const HANDLED_ELSEWHERE: ReadonlySet<string> = new Set([...SINK_LAST_NAMES, "render_template_string", "jsonify", "redirect"]);

/** Where each response kind takes its content type: [position, keyword] pairs; absent means HTML. */
const CONTENT_TYPE_ARGUMENTS: Readonly<Record<ResponseKind, ReadonlyArray<readonly [number, string]>>> = {
  django: [[1, "content_type"]],
  flask: [[3, "mimetype"], [4, "content_type"]],
  make_response: [],
  html: [],
  starlette: [[3, "media_type"]],
};

const BODY_KEYWORDS: Readonly<Record<ResponseKind, string>> = {
  django: "content",
  flask: "response",
  make_response: "response",
  html: "content",
  starlette: "content",
};

/** Sources that hold parsed JSON (dicts and lists), which Flask and DRF serialise as JSON. */
const JSON_SOURCES: ReadonlySet<string> = new Set(["request.json", "request.get_json()"]);
const STRING_METHODS: ReadonlySet<string> = new Set([
  "format", "join", "replace", "strip", "lstrip", "rstrip", "upper", "lower", "title", "capitalize", "decode", "removeprefix", "removesuffix",
]);
const CONTAINERS: ReadonlySet<string> = new Set(["dictionary", "list", "dictionary_comprehension", "list_comprehension", "set", "set_comprehension"]);
const MARKUP_NAMES: ReadonlySet<string> = new Set(["Markup", "escape", "format_html"]);

/** A string built at run time: an f-string, `+`/`%`, or a string method. */
function isStringBuilt(value: SyntaxNode): boolean {
  switch (value.type) {
    case "string":
      return stringParts(value).interpolations.length > 0;
    case "concatenated_string":
      return true;
    case "binary_operator": {
      const operator = field(value, "operator")?.text;
      return operator === "+" || operator === "%";
    }
    case "call": {
      const callee = field(value, "function");
      if (callee?.type === "identifier") return callee.text === "str";
      return callee?.type === "attribute" && STRING_METHODS.has(field(callee, "attribute")?.text ?? "");
    }
    default:
      return false;
  }
}

/** `Markup("<b>%s</b>") % name` and `Markup("<b>{}</b>").format(name)` escape the values they insert. */
function isMarkupTemplate(value: SyntaxNode): boolean {
  let template: SyntaxNode | null = null;
  if (value.type === "binary_operator" && field(value, "operator")?.text === "%") template = field(value, "left");
  else if (value.type === "call") {
    const callee = field(value, "function");
    if (callee?.type === "attribute" && field(callee, "attribute")?.text === "format") template = field(callee, "object");
  }
  if (!template) return false;
  const inner = unparenthesize(template);
  return inner.type === "call" && MARKUP_NAMES.has(calleeLastName(inner) ?? "");
}

/** Markup built by escaping templates, or `+` of such markup and untainted parts: `first + second`. */
function isEscapingMarkup(context: RuleContext, node: SyntaxNode, depth: number): boolean {
  const value = assignedValue(context, node);
  if (isMarkupTemplate(value)) return true;
  if (depth > 4 || value.type !== "binary_operator" || field(value, "operator")?.text !== "+") return false;
  const left = field(value, "left");
  const right = field(value, "right");
  if (!left || !right) return false;
  const safe = (side: SyntaxNode): boolean => !context.analyses.taint.sourceOf(side, "html") || isEscapingMarkup(context, side, depth + 1);
  return safe(left) && safe(right);
}

/** Bodies that are data a framework serialises (dicts, lists, `jsonify`) or markup built by escaping: decided from the code's shape, before any taint query. */
function isDataOrEscapedMarkup(context: RuleContext, value: SyntaxNode): boolean {
  if (CONTAINERS.has(value.type)) return true;
  if (value.type === "call") {
    const lastName = calleeLastName(value) ?? "";
    if (HANDLED_ELSEWHERE.has(lastName) || lastName === "dict" || lastName === "list") return true;
    if (returnsOnlyData(context, value)) return true;
  }
  return isEscapingMarkup(context, value, 0);
}

/** JSON request data returned as it is is sent back as JSON; only text built from it is HTML. */
function isJsonPassThrough(context: RuleContext, value: SyntaxNode, source: TaintSource): boolean {
  const json = JSON_SOURCES.has(source.label) || (source.label === "request.data" && context.analyses.importsModule("rest_framework"));
  return json && !isStringBuilt(value);
}

/** A call to a function of this file that returns only dicts, lists or `jsonify(...)`. */
function returnsOnlyData(context: RuleContext, call: SyntaxNode): boolean {
  const callee = field(call, "function");
  if (callee?.type !== "identifier") return false;
  const definition = context.analyses.scopes.bindingsOf(callee.text, callee).find((binding) => binding.kind === "function");
  const scope = definition ? context.analyses.scopes.scopeOf(definition.site) : undefined;
  if (!scope) return false;
  const returned = context.analyses.flow.returnsOf(scope);
  return (
    returned.length > 0 &&
    returned.every((value) => {
      const expression = unparenthesize(value);
      return CONTAINERS.has(expression.type) || (expression.type === "call" && calleeLastName(expression) === "jsonify");
    })
  );
}

function isHtmlType(context: RuleContext, node: SyntaxNode): boolean | null {
  const constant = context.analyses.constant(node);
  if (!constant) return null;
  return typeof constant.value === "string" && /html/iu.test(constant.value);
}

/** Whether a response call sends HTML: true, false, or null when its content type is not known. */
function sendsHtml(context: RuleContext, kind: ResponseKind, call: SyntaxNode): boolean | null {
  if (kind === "html") return true;
  const args = callArguments(call);
  let declared: SyntaxNode | undefined;
  for (const [position, keyword] of CONTENT_TYPE_ARGUMENTS[kind]) {
    declared = argument(args, position, keyword);
    if (declared) break;
  }
  if (!declared) {
    // Starlette sends no content type at all then; Django, Flask and make_response default to text/html.
    if (kind === "starlette") return false;
    return args.hasSplat ? null : true;
  }
  return isHtmlType(context, declared);
}

/**
 * `response = make_response(text)` followed by `response.mimetype = "text/plain"` (or
 * `response.headers["Content-Type"] = ...`, Django `response["Content-Type"] = ...`) with a type
 * that is not HTML: the body is not sent as HTML after all. Read from the function's text, once per finding.
 */
function retypedLater(context: RuleContext, call: SyntaxNode): boolean {
  const assignment = call.parent;
  if (assignment?.type !== "assignment") return false;
  const target = field(assignment, "left");
  if (target?.type !== "identifier") return false;
  const scope = context.analyses.scopes.scopeAt(call);
  const text = context.source.slice(assignment.endIndex, scope.endIndex);
  // A Python identifier has no regular-expression syntax in it.
  const name = target.text;
  const pattern = new RegExp(
    `(?<![\\w.])${name}\\s*(?:\\.\\s*(?:mimetype|content_type)|(?:\\.\\s*headers\\s*)?\\[\\s*["']content-type["']\\s*\\])\\s*=\\s*["']([^"']*)["']`,
    "iu",
  );
  const match = pattern.exec(text);
  return match !== null && !/html/iu.test(match[1] ?? "");
}

function markupAdvice(name: string): string {
  if (name.endsWith("format_html") || name.endsWith("format_html_join")) {
    return "`format_html` escapes only its arguments, not the format string: pass the values as arguments (`format_html(\"<b>{}</b>\", value)`)";
  }
  if (name.startsWith("django")) return "escape it (`django.utils.html.escape`) or build the markup with `format_html(\"<b>{}</b>\", value)`, which escapes the values";
  return "escape it (`markupsafe.escape(value)`) or build the markup with `Markup(\"<b>{}</b>\").format(value)`, which escapes the values";
}

const RESPONSE_ADVICE =
  "render a template (autoescaped), escape the value (`html.escape`, `markupsafe.escape`, Django `escape`), or send it as JSON or `text/plain`";

export const reflectedXss: RuleModule = {
  meta: {
    id: "PG-INPUT-002",
    name: "reflected-xss",
    title: "Request data sent back as HTML without escaping",
    sections: ["G3", "C3"],
    cwe: [79, 80],
    defaultSeverity: "error",
    bandit: ["B703", "B704", "B308"],
    docs: {
      whatItDoes:
        "Reports request data that reaches an HTML response unescaped: the body of Django `HttpResponse` (and its error subclasses), Flask/Werkzeug `Response` and `make_response` (their default type is `text/html`), Starlette/FastAPI `HTMLResponse` and `Response(media_type=\"text/html\")`; a string returned from a Flask view or error handler (Flask sends a `str` as `text/html`); and values marked safe with `Markup`, `mark_safe`, `SafeString`, or formatted into the format string of `format_html`.",
      whyIsThisBad:
        "The browser parses the value as part of the page. A link carrying `<script>…</script>` (or an `onerror=` attribute) runs the attacker's script in the victim's session: it reads the page, acts as the user and steals tokens that are not `HttpOnly`.",
      example:
        'from flask import Flask, request\n\napp = Flask(__name__)\n\n@app.route("/hello")\ndef func_hello():\n    name = request.args.get("name", "")\n    return f"<h1>Hello {name}</h1>"',
      useInstead:
        'from flask import Flask, render_template, request\n\napp = Flask(__name__)\n\n@app.route("/hello")\ndef func_hello():\n    # Jinja2 templates escape {{ name }}.\n    return render_template("hello.html", name=request.args.get("name", ""))',
      notes:
        "Not reported: escaped values (`html.escape`, `markupsafe.escape`, `bleach.clean`, Django `escape`/`conditional_escape`, `urllib.parse.quote`), numbers (`int(...)`), allow-listed values, `Markup(\"…%s…\") % value` and `format_html(\"…{}…\", value)` (they escape the values), templates (`render_template`, `render`), `jsonify`/`JsonResponse`, dicts and lists returned from Flask views (sent as JSON), JSON request data returned as it is (it is sent back as JSON), responses with a non-HTML `content_type`/`mimetype`/`media_type`, and FastAPI return values (serialised as JSON). A content type computed at run time is not guessed. Values from the database are not followed (stored XSS is out of reach of a one-file analysis).",
    },
  },
  create(context) {
    const aliases = new ImportAliases(SINK_LAST_NAMES);
    const views = new FlaskViews(context);
    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const name = externalCallee(context, node);
        if (!name) return;
        const markup = MARKUP_CALLS.get(name);
        if (markup) {
          const value = argument(callArguments(node), markup[0], markup[1]);
          if (!value) return;
          const source = untrustedSource(context, value, "html");
          if (!source) return;
          const shortName = snippet(field(node, "function") ?? node);
          const how = name.includes("format_html") ? `is formatted into the format string of \`${shortName}\`` : `is marked safe by \`${shortName}\``;
          context.report({
            node,
            message: `${describeFlow(context, value, source)} and ${how}, so it reaches the page unescaped: ${markupAdvice(name)}.`,
          });
          return;
        }
        const kind = RESPONSES.get(name);
        if (!kind) return;
        const body = argument(callArguments(node), 0, BODY_KEYWORDS[kind]);
        if (!body) return;
        const value = assignedValue(context, body);
        if (isDataOrEscapedMarkup(context, value) || sendsHtml(context, kind, node) !== true) return;
        if (value.type === "call" && MARKUP_CALLS.has(externalCallee(context, value) ?? "")) return;
        const source = untrustedSource(context, body, "html");
        if (!source || isJsonPassThrough(context, value, source) || retypedLater(context, node)) return;
        context.report({
          node,
          message: `${describeFlow(context, body, source)} and is sent as HTML by \`${snippet(field(node, "function") ?? node)}\`: ${RESPONSE_ADVICE}.`,
        });
      },
      return_statement(node) {
        const view = views.viewAt(node);
        if (!view) return;
        const body = returnedParts(node)[0];
        if (!body) return;
        const value = assignedValue(context, body);
        if (isDataOrEscapedMarkup(context, value)) return;
        const source = untrustedSource(context, body, "html");
        if (!source || isJsonPassThrough(context, value, source)) return;
        context.report({
          node,
          message: `${describeFlow(context, body, source)} and is returned from the Flask view \`${context.analyses.enclosingName(view.node)}\`, which sends a \`str\` as \`text/html\`: ${RESPONSE_ADVICE}.`,
        });
      },
    };
  },
};
