import { argument, callArguments, calleeLastName, field, stringLiteralValue, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import {
  constantValue,
  isConstantFalse,
  isDevelopmentSettings,
  isTestPath,
  isUnconditionalModuleStatement,
  looksLikeDjangoSettings,
  moduleLevelTarget,
  snippet,
} from "../configuration/helpers.js";

const SETTERS = new Set(["set_cookie", "set_signed_cookie"]);
/** Receivers that are not responses: test clients and cookie jars. */
const NOT_A_RESPONSE = /client|jar|cookies$/iu;
const CSRF_COOKIE = /csrf|xsrf/iu;
const SENSITIVE_COOKIE = /sess|^sid$|token|jwt|auth|remember|login|credential/iu;
/** Positions of secure, httponly and samesite in Werkzeug's, Django's and Starlette's `set_cookie`. */
const POSITIONS = { secure: 6, httponly: 7, samesite: 8 } as const;
const DJANGO_SAMESITE = new Set(["SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE"]);
/** Flask's cookie settings, and the constant value that weakens each. */
const FLASK_COOKIE_SETTINGS: ReadonlyMap<string, "false" | "none"> = new Map([
  ["SESSION_COOKIE_SECURE", "false"],
  ["SESSION_COOKIE_HTTPONLY", "false"],
  ["SESSION_COOKIE_SAMESITE", "none"],
  ["REMEMBER_COOKIE_SECURE", "false"],
  ["REMEMBER_COOKIE_HTTPONLY", "false"],
]);

type Attribute = "secure" | "httponly" | "samesite";

const CONSEQUENCES: Record<Attribute, string> = {
  secure: "without `Secure` it also travels over plain HTTP",
  httponly: "without `HttpOnly` any injected script can read it",
  samesite: "without `SameSite` other sites' requests carry it (CSRF)",
};

const FIXES: Record<Attribute, string> = { secure: "`secure=True`", httponly: "`httponly=True`", samesite: '`samesite="Lax"`' };

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1) ?? ""}`;
}

/** A call that deletes a cookie: empty value and `max_age=0` or `expires=0`. */
function isDeletion(context: RuleContext, args: ReturnType<typeof callArguments>): boolean {
  const value = constantValue(context, argument(args, 1, "value"));
  if (!value || value.value !== "") return false;
  const maxAge = constantValue(context, argument(args, 2, "max_age"));
  const expires = constantValue(context, argument(args, 3, "expires"));
  return maxAge?.value === 0 || expires?.value === 0;
}

export const insecureCookie: RuleModule = {
  meta: {
    id: "PG-BROWSER-001",
    name: "cookie-without-security-attributes",
    title: "Cookie set without Secure, HttpOnly or SameSite",
    sections: ["C8", "C5"],
    cwe: [614, 1004, 1275],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports `set_cookie(...)` and `set_signed_cookie(...)` calls (Flask/Werkzeug, Django and Starlette responses) that leave out `secure=True`, `httponly=True` or `samesite=\"Lax\"`/`\"Strict\"`, or set `samesite=\"None\"` without `secure`; one finding lists everything missing. Also Django's `SESSION_COOKIE_SAMESITE = None` and `CSRF_COOKIE_SAMESITE = None` in settings, and Flask's `app.config[\"SESSION_COOKIE_SECURE\"] = False`, `SESSION_COOKIE_HTTPONLY = False`, `SESSION_COOKIE_SAMESITE = None` (and the `REMEMBER_COOKIE_*` twins).",
      whyIsThisBad:
        "A cookie without `Secure` is sent over plain HTTP, where anyone on the network reads it; without `HttpOnly` any script injected into the page can read it and send it away; without `SameSite` other websites can make the browser send it with their requests (cross-site request forgery). Session and token cookies are the keys to an account.",
      example: 'def func_login(response, sessionToken):\n    response.set_cookie("sessionToken", sessionToken)\n    return response',
      useInstead:
        'def func_login(response, sessionToken):\n    response.set_cookie("sessionToken", sessionToken, secure=True, httponly=True, samesite="Lax")\n    return response',
      notes:
        "An error when a session, token or auth cookie (by name) lacks `Secure` or `HttpOnly`, a warning otherwise. Values computed at run time (`secure=app.config[\"SECURE_COOKIES\"]`) count as set; attributes that a `**options` spread may pass are not reported. CSRF cookies (`csrftoken`, `XSRF-TOKEN`) must be readable by scripts, so `HttpOnly` is not asked of them. Starlette and FastAPI default to `samesite=\"lax\"`, so `SameSite` is only asked when it is set to `None`. A call that deletes a cookie (empty value with `max_age=0` or `expires=0`) is not reported, nor are test clients and cookie jars (`client.set_cookie`, `session.cookies.set_cookie`), nor test files. Django's `SESSION_COOKIE_SECURE = False` and `SESSION_COOKIE_HTTPONLY = False` are PG-CONF-002.",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    const djangoPending: Array<{ node: SyntaxNode; name: string }> = [];

    function checkSetCookie(node: SyntaxNode, callee: SyntaxNode, lastName: string): void {
      const receiver = callee.type === "attribute" ? field(callee, "object") : null;
      if (!receiver) return;
      const receiverName = receiver.type === "attribute" ? (field(receiver, "attribute")?.text ?? "") : receiver.text;
      if (NOT_A_RESPONSE.test(receiverName)) return;
      const args = callArguments(node);
      // CookieJar.set_cookie(cookie) takes one Cookie object.
      if (args.positional.length < 2 && !args.keywords.has("value") && !args.keywords.has("key") && args.keywords.size === 0) return;
      if (isDeletion(context, args)) return;
      const signed = lastName === "set_signed_cookie";
      const lookup = (attribute: Attribute): SyntaxNode | undefined => argument(args, signed ? -1 : POSITIONS[attribute], attribute);
      const nameNode = argument(args, 0, "key");
      const cookieName = nameNode ? constantValue(context, nameNode) : undefined;
      const name = typeof cookieName?.value === "string" ? cookieName.value : null;
      const starlette = context.analyses.importsModule("starlette") || context.analyses.importsModule("fastapi");

      const missing: Attribute[] = [];
      const secure = lookup("secure");
      const secureSet = secure ? !isConstantFalse(context, secure) : args.hasSplat;
      if (!secureSet) missing.push("secure");
      const httponly = lookup("httponly");
      if (!(name !== null && CSRF_COOKIE.test(name)) && !(httponly ? !isConstantFalse(context, httponly) : args.hasSplat)) missing.push("httponly");
      const samesite = lookup("samesite");
      let samesiteNone = false;
      if (samesite) {
        const value = constantValue(context, samesite);
        if (value && (value.value === null || value.value === false)) missing.push("samesite");
        else if (typeof value?.value === "string" && value.value.toLowerCase() === "none") samesiteNone = true;
      } else if (!args.hasSplat && !starlette) {
        missing.push("samesite");
      }
      // samesite="None" without Secure: `secure` is already among the missing attributes.
      if (missing.length === 0) return;

      const label = `\`${snippet(callee, 30)}(${nameNode ? snippet(nameNode, 30) : "…"}, …)\``;
      const sensitive = name !== null && SENSITIVE_COOKIE.test(name) && !CSRF_COOKIE.test(name);
      const severe = sensitive && (missing.includes("secure") || missing.includes("httponly"));
      const fixes = joinList(missing.map((attribute) => FIXES[attribute]));
      const noneNote = samesiteNone && !secureSet ? '; browsers also reject `samesite="None"` without `Secure`' : "";
      context.report({
        node,
        severity: severe ? "error" : "warning",
        message: `${label} sets a cookie without ${fixes}: ${joinList(missing.map((attribute) => CONSEQUENCES[attribute]))}${noneNote}; pass ${fixes}.`,
      });
    }

    function checkFlaskConfig(node: SyntaxNode, key: string, value: SyntaxNode): void {
      const weak = FLASK_COOKIE_SETTINGS.get(key);
      if (!weak) return;
      const constant = constantValue(context, value);
      if (!constant) return;
      const bad = weak === "none" ? constant.value === null || (typeof constant.value === "string" && constant.value.toLowerCase() === "none") : constant.value === false || constant.value === 0;
      if (!bad) return;
      const what = key.endsWith("SECURE")
        ? "the cookie also travels over plain HTTP; set it to `True`"
        : key.endsWith("HTTPONLY")
          ? "scripts can read the cookie, so any XSS steals sessions; leave it `True`"
          : 'other sites\' requests carry the session cookie (CSRF); set it to `"Lax"`';
      context.report({ node, message: `\`${key} = ${snippet(value, 20)}\`: ${what}.` });
    }

    return {
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        const callee = field(node, "function");
        if (!callee) return;
        if (SETTERS.has(lastName)) {
          checkSetCookie(node, callee, lastName);
          return;
        }
        // app.config.update(SESSION_COOKIE_SECURE=False)
        if (lastName !== "update" && lastName !== "from_mapping") return;
        const receiver = callee.type === "attribute" ? field(callee, "object") : null;
        if (receiver?.type !== "attribute" || field(receiver, "attribute")?.text !== "config") return;
        for (const [key, value] of callArguments(node).keywords) checkFlaskConfig(node, key, value);
      },
      assignment(node) {
        const left = field(node, "left");
        if (!left) return;
        if (left.type === "subscript") {
          // app.config["SESSION_COOKIE_SECURE"] = False
          const container = field(left, "value");
          const key = field(left, "subscript");
          if (container?.type !== "attribute" || key?.type !== "string" || field(container, "attribute")?.text !== "config") return;
          const keyText = stringLiteralValue(key);
          const right = field(node, "right");
          if (keyText && right) checkFlaskConfig(node, keyText, right);
          return;
        }
        const target = moduleLevelTarget(context, node);
        if (!target || !DJANGO_SAMESITE.has(target.text) || !isUnconditionalModuleStatement(node)) return;
        const right = field(node, "right");
        const value = right ? constantValue(context, unparenthesize(right)) : undefined;
        if (!value || !(value.value === null || (typeof value.value === "string" && value.value.toLowerCase() === "none"))) return;
        djangoPending.push({ node, name: target.text });
      },
      "module:exit"() {
        if (djangoPending.length === 0 || isDevelopmentSettings(context.path) || !looksLikeDjangoSettings(context.path, context.source)) return;
        for (const { node, name } of djangoPending) {
          context.report({
            node,
            message: `\`${name} = None\`: Django then sends the ${name.startsWith("CSRF") ? "CSRF" : "session"} cookie with requests other websites trigger (CSRF); use \`"Lax"\` (the default) or \`"Strict"\`.`,
          });
        }
      },
    };
  },
};
