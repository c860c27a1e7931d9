import { callArguments, calleeLastName, field, stringLiteralValue, unparenthesize, type CallArguments } from "../../engine/syntax.js";
import type { ConstantValue } from "../../engine/analyses/constants.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { matchesQualified } from "../../engine/analyses/names.js";
import {
  assignedCall,
  calleeMatches,
  constantValue,
  isConstantTrue,
  isDevelopmentSettings,
  isUnconditionalModuleStatement,
  moduleLevelTarget,
  snippet,
} from "./helpers.js";

const FLASK_CORS = new Set(["flask_cors.CORS", "flask_cors.extension.CORS"]);
const STARLETTE_CORS = new Set(["starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware"]);
const CALL_NAMES = new Set(["CORS", "init_app", "CORSMiddleware", "add_middleware", "Middleware"]);
const DJANGO_ALLOW_ALL = new Set(["CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"]);
const DJANGO_REGEXES = new Set(["CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST"]);
const DJANGO_NAMES = new Set([...DJANGO_ALLOW_ALL, ...DJANGO_REGEXES, "CORS_ALLOW_CREDENTIALS"]);

/** `*`, or a regular expression that matches any origin (`.*`, `^.*$`, `https?://.*`). */
const ANY_ORIGIN_PATTERN = /^\^?(?:\(?https?\??:\/\/\)?)?\.[*+]\$?$/u;

export function isWildcardOrigin(value: ConstantValue): boolean {
  if (Array.isArray(value)) return value.some(isWildcardOrigin);
  return typeof value === "string" && (value.trim() === "*" || ANY_ORIGIN_PATTERN.test(value.trim()));
}

const FIX = "list the trusted origins instead (`[\"https://app.example.com\"]`), or turn credentials off for the public part";

/** flask-cors options from a dict literal: `{"origins": "*", "supports_credentials": True}`. */
function dictOptions(dictionary: SyntaxNode): Map<string, SyntaxNode> {
  const options = new Map<string, SyntaxNode>();
  for (const pair of dictionary.namedChildren) {
    if (pair.type !== "pair") continue;
    const key = field(pair, "key");
    const value = field(pair, "value");
    if (key?.type === "string" && value) {
      const text = stringLiteralValue(key);
      if (text !== null) options.set(text, value);
    }
  }
  return options;
}

interface Verdict {
  /** "unknown" when a value is not constant. */
  wildcard: boolean | "unknown";
  credentials: boolean;
  /** What the message names as the wildcard. */
  origin: string;
}

/** flask-cors: resource options override the top-level ones; origins default to `*`, credentials to off. */
function flaskVerdicts(context: RuleContext, options: ReadonlyArray<CallArguments>): Verdict[] {
  const top = (name: string): SyntaxNode | undefined => {
    for (const args of options) {
      const value = args.keywords.get(name);
      if (value) return value;
    }
    return undefined;
  };
  const judge = (origins: SyntaxNode | undefined, credentials: SyntaxNode | undefined): Verdict => {
    const credentialsOn = isConstantTrue(context, credentials);
    if (!origins) return { wildcard: true, credentials: credentialsOn, origin: "no `origins` (flask-cors defaults to `*`)" };
    const constant = constantValue(context, origins);
    if (!constant) return { wildcard: "unknown", credentials: credentialsOn, origin: "" };
    return { wildcard: isWildcardOrigin(constant.value), credentials: credentialsOn, origin: `origins \`${snippet(origins, 30)}\`` };
  };
  const origins = top("origins");
  const credentials = top("supports_credentials");
  const resources = top("resources");
  const resourceDict = resources ? unparenthesize(resources) : undefined;
  if (resourceDict?.type !== "dictionary") return [judge(origins, credentials)];
  const verdicts: Verdict[] = [];
  for (const pair of resourceDict.namedChildren) {
    if (pair.type !== "pair") continue;
    const value = field(pair, "value");
    const inner = value ? unparenthesize(value) : undefined;
    if (inner?.type !== "dictionary") {
      verdicts.push(judge(origins, credentials));
      continue;
    }
    const local = dictOptions(inner);
    verdicts.push(judge(local.get("origins") ?? origins, local.get("supports_credentials") ?? credentials));
  }
  return verdicts;
}

export const corsCredentials: RuleModule = {
  meta: {
    id: "PG-CONF-003",
    name: "cors-any-origin-with-credentials",
    title: "CORS allows credentialed requests from any origin",
    sections: ["C5", "C8"],
    cwe: [942, 346],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports CORS configured to accept any origin and credentials together: flask-cors `CORS(app, supports_credentials=True)` with `origins=\"*\"`, a match-all regex or no `origins` at all (the default is `*`), also per resource (`resources={r\"/api/*\": {\"origins\": \"*\"}}`) and through `cors.init_app(app, ...)`; Starlette/FastAPI `CORSMiddleware` with `allow_origins=[\"*\"]` or a match-all `allow_origin_regex` and `allow_credentials=True`; django-cors-headers `CORS_ALLOW_ALL_ORIGINS = True` (or `CORS_ORIGIN_ALLOW_ALL`, or a match-all `CORS_ALLOWED_ORIGIN_REGEXES`) with `CORS_ALLOW_CREDENTIALS = True`.",
      whyIsThisBad:
        "Browsers refuse `Access-Control-Allow-Origin: *` with credentials, so these libraries echo the caller's `Origin` instead: every website a logged-in user visits can then send requests with the user's cookies and read the answers (account data, CSRF tokens).",
      example: 'from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app, origins="*", supports_credentials=True)',
      useInstead:
        'from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app, origins=["https://app.example.com"], supports_credentials=True)',
      notes:
        "A wildcard without credentials (a public, cookie-less API) is not reported here; a hand-written `Access-Control-Allow-Origin: *` header and `@cross_origin` are PG-BROWSER-004. Origins read at run time are not reported. Django settings meant for development or tests (by file name) are exempt, and so is a value set inside `if`/`try`.",
    },
  },
  create(context) {
    const django = new Map<string, SyntaxNode>();

    function report(node: SyntaxNode, what: string): void {
      context.report({ node, message: `${what} allows credentialed requests from any origin: the library echoes each caller's \`Origin\`, so any website can read responses made with the user's cookies; ${FIX}.` });
    }

    function checkFlask(call: SyntaxNode, options: CallArguments[], label: string): void {
      if (options.some((args) => args.hasSplat)) return;
      const verdicts = flaskVerdicts(context, options);
      const bad = verdicts.find((verdict) => verdict.wildcard === true && verdict.credentials);
      if (bad) report(call, `\`${label}\` with ${bad.origin} and \`supports_credentials=True\``);
    }

    function checkStarlette(call: SyntaxNode, args: CallArguments): void {
      if (args.hasSplat || !isConstantTrue(context, args.keywords.get("allow_credentials"))) return;
      const origins = constantValue(context, args.keywords.get("allow_origins"));
      const regex = constantValue(context, args.keywords.get("allow_origin_regex"));
      const wildcard = (origins && isWildcardOrigin(origins.value)) || (regex && isWildcardOrigin(regex.value));
      if (!wildcard) return;
      report(call, `\`CORSMiddleware\` with ${origins && isWildcardOrigin(origins.value) ? "`allow_origins` `*`" : "a match-all `allow_origin_regex`"} and \`allow_credentials=True\``);
    }

    return {
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !CALL_NAMES.has(lastName)) return;
        switch (lastName) {
          case "CORS": {
            if (!calleeMatches(context, node, FLASK_CORS)) return;
            const args = callArguments(node);
            // `cors = CORS()` is configured later, by `cors.init_app(app, ...)`.
            if (!args.positional[0] && !args.keywords.has("app")) return;
            checkFlask(node, [args], "CORS(...)");
            return;
          }
          case "init_app": {
            const callee = field(node, "function");
            const receiver = callee ? field(callee, "object") : null;
            const created = receiver ? assignedCall(context, receiver) : null;
            if (!created || !calleeMatches(context, created, FLASK_CORS)) return;
            checkFlask(node, [callArguments(node), callArguments(created)], `${receiver?.text ?? "cors"}.init_app(...)`);
            return;
          }
          case "CORSMiddleware":
            if (calleeMatches(context, node, STARLETTE_CORS)) checkStarlette(node, callArguments(node));
            return;
          default: {
            // app.add_middleware(CORSMiddleware, ...), Middleware(CORSMiddleware, ...)
            const args = callArguments(node);
            const first = args.positional[0];
            if (first && matchesQualified(context.analyses.resolve(first), STARLETTE_CORS)) checkStarlette(node, args);
          }
        }
      },
      assignment(node) {
        const target = moduleLevelTarget(context, node);
        if (!target || !DJANGO_NAMES.has(target.text) || !isUnconditionalModuleStatement(node)) return;
        django.set(target.text, node);
      },
      "module:exit"() {
        if (django.size === 0 || isDevelopmentSettings(context.path)) return;
        const credentials = django.get("CORS_ALLOW_CREDENTIALS");
        if (!credentials || !isConstantTrue(context, field(credentials, "right"))) return;
        for (const [name, assignment] of django) {
          const value = field(assignment, "right");
          if (DJANGO_ALLOW_ALL.has(name) && isConstantTrue(context, value)) {
            report(assignment, `\`${name} = True\` together with \`CORS_ALLOW_CREDENTIALS = True\``);
          } else if (DJANGO_REGEXES.has(name)) {
            const constant = constantValue(context, value);
            if (constant && isWildcardOrigin(constant.value)) report(assignment, `\`${name}\` with a match-all pattern together with \`CORS_ALLOW_CREDENTIALS = True\``);
          }
        }
      },
    };
  },
};
