import type { TaintSource } from "../../engine/analyses/taint.js";
import { argument, callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { describeFlow, externalCallee, snippet, untrustedSource } from "./flows.js";
import { HeaderWrites, type HeaderWrite } from "./headers.js";
import { operands } from "./sink-support.js";

/** Redirect functions and responses, and the argument that holds the target URL. */
const REDIRECTS: ReadonlyMap<string, readonly [number, string]> = new Map<string, readonly [number, string]>([
  ["flask.redirect", [0, "location"]],
  ["flask.helpers.redirect", [0, "location"]],
  ["werkzeug.redirect", [0, "location"]],
  ["werkzeug.utils.redirect", [0, "location"]],
  ["quart.redirect", [0, "location"]],
  ["django.shortcuts.redirect", [0, "to"]],
  ["django.http.HttpResponseRedirect", [0, "redirect_to"]],
  ["django.http.HttpResponsePermanentRedirect", [0, "redirect_to"]],
  ["django.http.response.HttpResponseRedirect", [0, "redirect_to"]],
  ["django.http.response.HttpResponsePermanentRedirect", [0, "redirect_to"]],
  ["starlette.responses.RedirectResponse", [0, "url"]],
  ["fastapi.responses.RedirectResponse", [0, "url"]],
]);

const REDIRECT_LAST_NAMES: ReadonlySet<string> = new Set([...REDIRECTS.keys()].map((name) => name.slice(name.lastIndexOf(".") + 1)));
const HEADER_CALL_NAMES: ReadonlySet<string> = new Set([
  "add", "set", "setdefault", "add_header", "update", "Response", "HttpResponse", "make_response", "RedirectResponse", "JSONResponse", "HTMLResponse", "PlainTextResponse",
]);

/** Validators that tell whether a URL stays on this site: Django's, and the usual names of the Flask recipe (`is_safe_url`). */
const SAFE_URL_VALIDATOR = /safe(?:redirect)?url|urlissafe|safenext|safetarget|allowedhost|(?:local|internal|relative|allowed|trusted|valid)(?:redirect)?url|issaferedirect/u;
const URL_PARSERS: ReadonlySet<string> = new Set(["urlparse", "urlsplit"]);
const HOST_PARTS: ReadonlySet<string> = new Set(["netloc", "scheme", "hostname"]);
const EXIT_CALLS: ReadonlySet<string> = new Set(["abort", "exit", "_exit"]);

/** A URL prefix that fixes the host: a path of this site, `scheme://host/`, a query or fragment, or a computed base followed by `/`. */
const FIXED_PREFIX = /^\/[^/\\]|^[a-z][a-z0-9+.-]*:\/\/[^/?#\\@]+[/?#]|^[^?#]*[?#]|^\u0001[/?#]/iu;

/** The URL the browser itself requested (`redirect(request.url)` reloads the page): its host is the one the browser asked for. */
const SAME_SITE_SOURCES: ReadonlySet<string> = new Set(["request.url", "request.base_url", "request.url_root", "request.host_url", "request.build_absolute_uri()"]);

const ADVICE =
  "a link can send users through this site to any other one (`?next=https://evil.example`), which phishing uses; redirect to a route of this site (`url_for(...)`, `reverse(...)`), or check the URL first (`url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})`, or an allow-list of hosts)";

interface Polarity {
  name: string;
  /** true: the test is true when the URL is safe; false: it is true when the URL points elsewhere. */
  safeWhenTrue: boolean;
}

/** Ranges in which a name holds a URL already checked to stay on this site. */
interface SafeRange {
  name: string;
  start: number;
  end: number;
}

function isValidatorName(name: string): boolean {
  return SAFE_URL_VALIDATOR.test(name.toLowerCase().replace(/_/gu, ""));
}

function exitsOrResets(block: SyntaxNode, name: string, context: RuleContext): boolean {
  const last = block.lastNamedChild;
  if (!last) return false;
  if (last.type === "return_statement" || last.type === "raise_statement") return true;
  if (last.type !== "expression_statement") return false;
  const expression = last.namedChild(0);
  if (expression?.type === "assignment") {
    const left = field(expression, "left");
    const right = field(expression, "right");
    return left?.text === name && right !== null && untrustedSource(context, right, "redirect") === null;
  }
  return expression?.type === "call" && EXIT_CALLS.has(calleeLastName(expression) ?? "");
}

/**
 * The redirect-specific checks the engine's guards do not know (see the report): validator calls
 * such as `url_has_allowed_host_and_scheme(url, ...)`, a stored result of one, and
 * `if urlparse(url).netloc: abort(400)`. Worked out once per file, on the first tainted redirect.
 */
class SafeUrlChecks {
  private ranges: SafeRange[] | undefined;

  constructor(private readonly context: RuleContext) {}

  /** What a test says about a URL name, or null. */
  polarity(test: SyntaxNode, depth = 0): Polarity | null {
    const expression = unparenthesize(test);
    if (depth > 3) return null;
    switch (expression.type) {
      case "not_operator": {
        const inner = field(expression, "argument");
        const result = inner ? this.polarity(inner, depth + 1) : null;
        return result ? { name: result.name, safeWhenTrue: !result.safeWhenTrue } : null;
      }
      case "call": {
        const callee = field(expression, "function");
        const name = calleeLastName(expression);
        if (!callee || !name || !isValidatorName(name)) return null;
        const args = callArguments(expression);
        const url = unparenthesize(argument(args, 0, "url") ?? argument(args, 0, "target") ?? expression);
        return url.type === "identifier" ? { name: url.text, safeWhenTrue: true } : null;
      }
      case "attribute": {
        // urlparse(url).netloc is truthy when the URL names a host.
        if (!HOST_PARTS.has(field(expression, "attribute")?.text ?? "")) return null;
        const parsed = field(expression, "object");
        if (parsed?.type !== "call" || !URL_PARSERS.has(calleeLastName(parsed) ?? "")) return null;
        const url = callArguments(parsed).positional[0];
        return url?.type === "identifier" ? { name: url.text, safeWhenTrue: false } : null;
      }
      case "identifier": {
        const binding = this.context.analyses.scopes.bindingBefore(expression.text, expression);
        return binding?.kind === "assignment" && binding.value ? this.polarity(binding.value, depth + 1) : null;
      }
      default:
        return null;
    }
  }

  /** True when `use` (a name) sits where its URL has been checked. */
  covers(use: SyntaxNode): boolean {
    if (use.type !== "identifier") return false;
    this.ranges ??= this.collect();
    const start = use.startIndex;
    const name = use.text;
    return this.ranges.some((range) => range.name === name && start >= range.start && start < range.end);
  }

  private collect(): SafeRange[] {
    const ranges: SafeRange[] = [];
    for (const { node } of this.context.analyses.flow.ifStatements) {
      const condition = field(node, "condition");
      const consequence = field(node, "consequence");
      if (!condition || !consequence) continue;
      const alternatives = node.namedChildren.filter((child) => child.type === "elif_clause" || child.type === "else_clause");
      const expression = unparenthesize(condition);
      const operator = expression.type === "boolean_operator" ? expression.children.find((child) => !child.isNamed)?.type : undefined;
      const parts = operator ? operands(expression, operator) : [expression];
      for (const part of parts) {
        const polarity = this.polarity(part);
        if (!polarity) continue;
        // `if safe(url) [and ...]:` makes the body safe; `if not safe(url) [or ...]: return` makes the rest safe.
        if (polarity.safeWhenTrue && operator !== "or") ranges.push({ name: polarity.name, start: consequence.startIndex, end: consequence.endIndex });
        if (!polarity.safeWhenTrue && operator !== "and") {
          for (const alternative of alternatives) ranges.push({ name: polarity.name, start: alternative.startIndex, end: alternative.endIndex });
          if (exitsOrResets(consequence, polarity.name, this.context)) {
            const block = node.parent;
            if (block) ranges.push({ name: polarity.name, start: node.endIndex, end: block.endIndex });
          }
        }
      }
    }
    return ranges;
  }
}


/** The constant text before the first tainted piece of a URL built by `+`, an f-string, `%` or `.format`; untainted values stand as \u0001. */
function leadingText(context: RuleContext, node: SyntaxNode, depth = 0): string | null {
  const expression = unparenthesize(node);
  if (depth > 6) return null;
  const constant = context.analyses.constant(expression);
  if (constant) return typeof constant.value === "string" ? constant.value : null;
  switch (expression.type) {
    case "identifier": {
      const binding = context.analyses.scopes.bindingBefore(expression.text, expression);
      return binding?.kind === "assignment" && binding.value ? leadingText(context, binding.value, depth + 1) : null;
    }
    case "string": {
      let text = "";
      for (const child of expression.namedChildren) {
        if (child.type === "string_content") text += child.text;
        else if (child.type === "interpolation") {
          const inner = field(child, "expression") ?? child.namedChild(0);
          if (!inner || untrustedSource(context, inner, "redirect")) return text;
          text += "\u0001";
        }
      }
      return text;
    }
    case "binary_operator": {
      const operator = field(expression, "operator")?.text;
      const left = field(expression, "left");
      const right = field(expression, "right");
      if (!left || !right) return null;
      if (operator === "%") return leadingText(context, left, depth + 1)?.split("%")[0] ?? null;
      if (operator !== "+") return null;
      if (untrustedSource(context, left, "redirect")) return leadingText(context, left, depth + 1);
      const head = context.analyses.constant(left);
      const headText = head ? (typeof head.value === "string" ? head.value : null) : (leadingText(context, left, depth + 1) ?? "\u0001");
      if (headText === null) return null;
      const tail = leadingText(context, right, depth + 1);
      return headText + (tail ?? "");
    }
    case "call": {
      const callee = field(expression, "function");
      if (callee?.type !== "attribute" || field(callee, "attribute")?.text !== "format") return null;
      const template = field(callee, "object");
      const text = template ? context.analyses.constant(template) : undefined;
      return typeof text?.value === "string" ? (text.value.split("{")[0] ?? "") : null;
    }
    default:
      return null;
  }
}

function fixesHost(context: RuleContext, node: SyntaxNode): boolean {
  const text = leadingText(context, node);
  return text !== null && FIXED_PREFIX.test(text);
}

export const openRedirect: RuleModule = {
  meta: {
    id: "PG-INPUT-004",
    name: "open-redirect",
    title: "Redirect to a URL taken from the request",
    sections: ["G3", "C3"],
    cwe: [601],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports request data that becomes the target of a redirect: Flask/Werkzeug/Quart `redirect`, Django `redirect`, `HttpResponseRedirect` and `HttpResponsePermanentRedirect`, Starlette/FastAPI `RedirectResponse`, and a `Location` header set on a response (`response.headers[\"Location\"] = …`, `headers={\"Location\": …}`, Django `response[\"Location\"] = …`, or the headers of a tuple a Flask view returns).",
      whyIsThisBad:
        "A link such as `https://shop.example/login?next=https://evil.example` starts on the real site and ends on the attacker's: users trust it, type their password into a copy of the login page, or hand OAuth codes and tokens to the other site.",
      example:
        'from flask import Flask, redirect, request\n\napp = Flask(__name__)\n\n@app.route("/login", methods=["POST"])\ndef func_login():\n    ...\n    return redirect(request.args.get("next", "/"))',
      useInstead:
        'from urllib.parse import urlparse\n\nfrom flask import Flask, redirect, request, url_for\n\napp = Flask(__name__)\n\n@app.route("/login", methods=["POST"])\ndef func_login():\n    ...\n    nextUrl = request.args.get("next", "")\n    if urlparse(nextUrl).netloc or not nextUrl.startswith("/") or nextUrl.startswith(("//", "/\\\\")):\n        nextUrl = url_for("func_home")\n    return redirect(nextUrl)',
      notes:
        "Not reported: targets built by `url_for`/`reverse`/`resolve_url`; URLs whose host is fixed by a constant start (`f\"/users/{name}\"`, `\"https://example.com/search?q=\" + term`, `url_for(\"login\") + \"?next=\" + path`); values checked against an allow-list, by `url_has_allowed_host_and_scheme(url, ...)` / `is_safe_url(url)` (or a function of the file named like `func_isSafeUrl`), by `urlparse(url).netloc == \"\"`, or by `if urlparse(url).netloc: abort(400)`, including a stored result (`isSafe = url_has_allowed_host_and_scheme(...)`; `url if isSafe else \"/\"`) and a reset (`if not isSafe: url = \"/\"`). `redirect(request.url)` (the page the browser asked for) is not reported. A check that the URL starts with `/` is not enough on its own (`//evil.example` and `/\\\\evil.example` leave the site) and is not counted.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(REDIRECT_LAST_NAMES);
    const headers = new HeaderWrites(context);
    const checks = new SafeUrlChecks(context);

    /** The untrusted source of a redirect target that no check makes safe, or null. */
    const unsafeSource = (target: SyntaxNode): TaintSource | null => {
      let expression = unparenthesize(target);
      if (expression.type === "conditional_expression") {
        // `url if isSafe(url) else "/"`: only the branch taken when the check fails can be unsafe.
        const [whenTrue, test, whenFalse] = expression.namedChildren;
        const polarity = test ? checks.polarity(test) : null;
        if (whenTrue && whenFalse && polarity) {
          const checked = polarity.safeWhenTrue ? whenTrue : whenFalse;
          if (unparenthesize(checked).text === polarity.name) expression = unparenthesize(polarity.safeWhenTrue ? whenFalse : whenTrue);
        }
      }
      const source = untrustedSource(context, expression, "redirect");
      if (!source || SAME_SITE_SOURCES.has(source.label) || checks.covers(expression) || fixesHost(context, expression)) return null;
      return source;
    };

    const reportLocation = (write: HeaderWrite): void => {
      if (write.name !== "location") return;
      const source = unsafeSource(write.value);
      if (!source) return;
      context.report({
        node: write.site,
        message: `${describeFlow(context, write.value, source)} and becomes the \`Location\` header through ${write.how}: ${ADVICE}.`,
      });
    };

    return {
      import_from_statement: aliases.visit,
      assignment(node) {
        for (const write of headers.fromAssignment(node)) reportLocation(write);
      },
      return_statement(node) {
        for (const write of headers.fromReturn(node)) reportLocation(write);
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        if (HEADER_CALL_NAMES.has(lastName)) {
          for (const write of headers.fromCall(node)) reportLocation(write);
        }
        if (!aliases.has(lastName)) return;
        const name = externalCallee(context, node);
        const spec = name ? REDIRECTS.get(name) : undefined;
        if (!spec) return;
        const target = argument(callArguments(node), spec[0], spec[1]);
        if (!target) return;
        const source = unsafeSource(target);
        if (!source) return;
        context.report({
          node,
          message: `${describeFlow(context, target, source)} and is the target of \`${snippet(field(node, "function") ?? node)}\`: ${ADVICE}.`,
        });
      },
    };
  },
};
