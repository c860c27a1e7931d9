import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field, stringLiteralValue, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { isWildcardOrigin } from "../configuration/cors-credentials.js";
import { CalleeNames, constantValue, isConstantTrue, isTestPath, snippet } from "../configuration/helpers.js";

const HEADER = "access-control-allow-origin";
const HEADER_TEXT = /access-control-allow-origin/iu;
const CROSS_ORIGIN = new Set(["flask_cors.cross_origin", "flask_cors.decorator.cross_origin"]);
const HEADER_METHODS = new Set(["add", "set", "setdefault", "add_header", "__setitem__"]);
const CREDENTIALS = /access-control-allow-credentials["']\s*[:,\]=]\s*\)?\s*=?\s*["']true["']/iu;
/** The request's own `Origin` header: `request.headers.get("Origin")`, `request.META["HTTP_ORIGIN"]`. */
const REQUEST_ORIGIN = /\b(?:headers|META|environ)\b[^\n]*["'](?:origin|HTTP_ORIGIN)["']/iu;
/** An allow-list check on the origin somewhere in the function. */
const ORIGIN_CHECK = /\borigin\w*\s+(?:not\s+)?in\b|\bin\s+\w*(?:ORIGINS|origins)\b|\.(?:fullmatch|match)\(|\borigin\w*\s*[!=]=|[!=]=\s*\w*origin\b|\.endswith\(/iu;

type Kind = "wildcard" | "reflected";

export const wildcardAllowOrigin: RuleModule = {
  meta: {
    id: "PG-BROWSER-004",
    name: "cors-header-any-origin",
    title: "Access-Control-Allow-Origin set to any origin by hand",
    sections: ["C8", "C5"],
    cwe: [942, 346],
    defaultSeverity: "note",
    docs: {
      whatItDoes:
        "Reports responses given `Access-Control-Allow-Origin: *` by hand (`response.headers[\"Access-Control-Allow-Origin\"] = \"*\"`, `headers.add/set/setdefault(...)`, `response[\"Access-Control-Allow-Origin\"] = \"*\"` in Django, a `headers={...}` dict), or the caller's own `Origin` header echoed back without an allow-list check, and flask-cors `@cross_origin()` with no `origins` or `origins=\"*\"`. A note for a wildcard; a warning for an echoed origin; an error when the same function (or decorator) also allows credentials.",
      whyIsThisBad:
        "`Access-Control-Allow-Origin` decides which websites may read a response in a user's browser. `*` is fine for public data, but echoing any `Origin` together with `Access-Control-Allow-Credentials: true` lets every website a logged-in user visits read that user's data.",
      example:
        'from flask import jsonify, request\n\ndef func_account():\n    response = jsonify(balance=42)\n    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "")\n    response.headers["Access-Control-Allow-Credentials"] = "true"\n    return response',
      useInstead:
        'from flask import jsonify, request\n\nTRUSTED_ORIGINS = {"https://app.example.com"}\n\ndef func_account():\n    response = jsonify(balance=42)\n    origin = request.headers.get("Origin", "")\n    if origin in TRUSTED_ORIGINS:\n        response.headers["Access-Control-Allow-Origin"] = origin\n        response.headers["Access-Control-Allow-Credentials"] = "true"\n        response.headers["Vary"] = "Origin"\n    return response',
      notes:
        "An echoed origin counts as checked when the function compares it with something (`origin in TRUSTED_ORIGINS`, `==`, `re.fullmatch`, `endswith`). A wildcard on a public, cookie-less endpoint is fine: suppress the note with the reason. Library-wide CORS configuration (`CORS(app, ...)`, `CORSMiddleware`, django-cors-headers settings) is PG-CONF-003. Test files are exempt.",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    const names = new CalleeNames(new Set([...HEADER_METHODS, "cross_origin", "update"]));
    const source = context.source;
    const hasHeader = (source.includes("llow-Origin") || source.includes("llow-origin") || source.includes("LLOW-ORIGIN")) && HEADER_TEXT.test(source);
    const hasCrossOrigin = source.includes("cross_origin");
    if (!hasHeader && !hasCrossOrigin) return {};

    /** The text where credentials would be allowed too: the function around `node`, or the file. */
    function credentialsNear(node: SyntaxNode): boolean {
      const scope = context.analyses.scopes.functionScopeAt(node);
      const text = scope ? context.source.slice(scope.startIndex, scope.endIndex) : context.source;
      return CREDENTIALS.test(text) || /supports_credentials\s*=\s*True/u.test(text);
    }

    function originChecked(node: SyntaxNode): boolean {
      const scope = context.analyses.scopes.functionScopeAt(node);
      return scope !== null && ORIGIN_CHECK.test(context.source.slice(scope.startIndex, scope.endIndex));
    }

    function classify(value: SyntaxNode): Kind | null {
      const constant = constantValue(context, value);
      if (constant) return isWildcardOrigin(constant.value) ? "wildcard" : null;
      let expression = unparenthesize(value);
      if (expression.type === "identifier") {
        const binding = context.analyses.scopes.bindingBefore(expression.text, expression);
        if (binding?.kind !== "assignment" || !binding.value) return null;
        expression = unparenthesize(binding.value);
      }
      if (expression.type !== "call" && expression.type !== "subscript") return null;
      return REQUEST_ORIGIN.test(expression.text) ? "reflected" : null;
    }

    function report(site: SyntaxNode, value: SyntaxNode, kind: Kind): void {
      if (kind === "reflected" && originChecked(site)) return;
      const credentials = credentialsNear(site);
      const severity: Severity = credentials ? "error" : kind === "reflected" ? "warning" : "note";
      const literal = unparenthesize(value).type === "string";
      const what = kind === "wildcard" ? `\`Access-Control-Allow-Origin: *\`${literal ? "" : ` (from \`${snippet(value, 30)}\`)`}` : `\`Access-Control-Allow-Origin\` echoes the request's \`Origin\` (\`${snippet(value, 40)}\`)`;
      const message = credentials
        ? `${what}, and \`Access-Control-Allow-Credentials: true\` is set too: any website can read this response with the user's cookies; answer only origins from a fixed allow-list.`
        : kind === "wildcard"
          ? `${what} lets any website read this response; fine for public data, otherwise answer only origins from a fixed allow-list.`
          : `${what} without checking it, so every website is allowed; compare it with a fixed allow-list before echoing it.`;
      context.report({ node: site, severity, message });
    }

    function headerPairs(dictionary: SyntaxNode): Array<[SyntaxNode, SyntaxNode]> {
      const pairs: Array<[SyntaxNode, SyntaxNode]> = [];
      for (const pair of dictionary.namedChildren) {
        if (pair.type !== "pair") continue;
        const key = field(pair, "key");
        const value = field(pair, "value");
        if (key?.type === "string" && value && stringLiteralValue(key)?.toLowerCase() === HEADER) pairs.push([pair, value]);
      }
      return pairs;
    }

    function checkCrossOrigin(context_: RuleContext, call: SyntaxNode): void {
      const callee = field(call, "function");
      if (!callee || !matchesQualified(context_.analyses.resolve(callee), CROSS_ORIGIN)) return;
      const args = callArguments(call);
      if (args.hasSplat) return;
      const origins = args.keywords.get("origins") ?? args.keywords.get("origin") ?? args.positional[0];
      const constant = origins ? constantValue(context_, origins) : undefined;
      if (origins && !(constant && isWildcardOrigin(constant.value))) return;
      const credentials = isConstantTrue(context_, args.keywords.get("supports_credentials"));
      context_.report({
        node: call,
        severity: credentials ? "error" : "note",
        message: credentials
          ? `\`@cross_origin\` with ${origins ? "`origins=\"*\"`" : "no `origins` (the default is `*`)"} and \`supports_credentials=True\` echoes every caller's \`Origin\`, so any website can read this view's responses with the user's cookies; pass \`origins=[...]\` with the trusted origins.`
          : `\`@cross_origin\` with ${origins ? "`origins=\"*\"`" : "no `origins` (the default is `*`)"} lets any website read this view's responses; fine for public data, otherwise pass \`origins=[...]\`.`,
      });
    }

    return {
      import_from_statement: names.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !names.has(lastName)) return;
        const headerCall = HEADER_METHODS.has(lastName) || lastName === "update";
        if (!headerCall) {
          // cross_origin, or an alias of it
          if (hasCrossOrigin) checkCrossOrigin(context, node);
          return;
        }
        if (!hasHeader) return;
        const args = callArguments(node);
        if (lastName === "update") {
          // response.headers.update({"Access-Control-Allow-Origin": "*"})
          const first = args.positional[0] ? unparenthesize(args.positional[0]) : undefined;
          if (first?.type !== "dictionary") return;
          for (const [, value] of headerPairs(first)) {
            const kind = classify(value);
            if (kind) report(node, value, kind);
          }
          return;
        }
        // response.headers.add("Access-Control-Allow-Origin", "*")
        const [name, value] = args.positional;
        if (name?.type !== "string" || !value || stringLiteralValue(name)?.toLowerCase() !== HEADER) return;
        const kind = classify(value);
        if (kind) report(node, value, kind);
      },
      assignment(node) {
        if (!hasHeader) return;
        const left = field(node, "left");
        if (left?.type !== "subscript") return;
        const key = field(left, "subscript");
        if (key?.type !== "string" || stringLiteralValue(key)?.toLowerCase() !== HEADER) return;
        const value = field(node, "right");
        const kind = value ? classify(value) : null;
        if (value && kind) report(node, value, kind);
      },
      keyword_argument(node) {
        // Response(..., headers={"Access-Control-Allow-Origin": "*"})
        if (!hasHeader) return;
        const name = field(node, "name");
        if (name?.text !== "headers") return;
        const value = field(node, "value");
        const dictionary = value ? unparenthesize(value) : null;
        if (dictionary?.type !== "dictionary") return;
        for (const [pair, pairValue] of headerPairs(dictionary)) {
          const kind = classify(pairValue);
          if (kind) report(pair, pairValue, kind);
        }
      },
    };
  },
};
