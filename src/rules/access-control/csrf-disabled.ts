import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field, stringLiteralValue } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { assignedCall, CalleeNames, calleeMatches, isConstantFalse, isTestPath, snippet } from "../configuration/helpers.js";
import { decoratorName } from "./auth-signals.js";

const CSRF_EXEMPT = new Set(["django.views.decorators.csrf.csrf_exempt"]);
const METHOD_DECORATOR = new Set(["django.utils.decorators.method_decorator"]);
const CSRF_PROTECT = new Set(["flask_wtf.CSRFProtect", "flask_wtf.csrf.CSRFProtect", "flask_wtf.CsrfProtect", "flask_wtf.csrf.CsrfProtect"]);
const SETTINGS = new Set(["WTF_CSRF_ENABLED", "WTF_CSRF_CHECK_DEFAULT"]);
const CONFIG_CLASS = /(?:Config|Configuration|Settings)$/u;
const DEVELOPMENT_CLASS = /dev|debug|test|local/iu;
/** A webhook that proves its origin with a signature does not need CSRF protection. */
const SIGNATURE_CHECK = /compare_digest|verify_signature|validate_signature|construct_event|verify_webhook|webhook_signature|X-Hub-Signature|Stripe-Signature|X-Signature|X-Slack-Signature|\bhmac\.new\b/iu;
const NO_OP_BODY = /^(?:(?:"""[\s\S]*?"""|'''[\s\S]*?''')\s*)?(?:return(?:\s+None)?|pass|\.\.\.)\s*$/u;

const ADVICE = "keep CSRF protection on; for a webhook, verify the sender's signature (`hmac.compare_digest`) in the view, and for a token-only API, say so in a suppression with the reason";

export const csrfDisabled: RuleModule = {
  meta: {
    id: "PG-AUTHZ-003",
    name: "csrf-protection-disabled",
    title: "CSRF protection switched off",
    sections: ["G9", "C1"],
    cwe: [352],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports explicit opt-outs of CSRF protection: Django's `@csrf_exempt` (also `csrf_exempt(view)` in URL configuration and `@method_decorator(csrf_exempt, ...)`), Flask-WTF's `@csrf.exempt` and `csrf.exempt(view_or_blueprint)`, `WTF_CSRF_ENABLED = False` and `WTF_CSRF_CHECK_DEFAULT = False` (in `app.config[...]`, `app.config.update(...)`, a module or a configuration class), and a DRF `SessionAuthentication` whose `enforce_csrf` does nothing.",
      whyIsThisBad:
        "Without CSRF protection, any website a logged-in user visits can submit forms to the application in the user's name: the browser adds the session cookie by itself. Changing an e-mail address, a password or a payout account then takes one hidden form.",
      example: 'from django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef func_updateEmail(request):\n    request.user.email = request.POST["email"]\n    request.user.save()',
      useInstead:
        'from django.contrib.auth.decorators import login_required\nfrom django.views.decorators.http import require_POST\n\n@require_POST\n@login_required\ndef func_updateEmail(request):\n    request.user.email = request.POST["email"]\n    request.user.save()',
      notes:
        "An error when protection is switched off for the whole application (`WTF_CSRF_ENABLED = False`), a warning for one view. An exempt view that checks a signature (`hmac.compare_digest`, `stripe.Webhook.construct_event`, a `X-Hub-Signature` header) is a webhook and is not reported. Configuration classes named for development or tests (`TestingConfig`) and test files are exempt. A missing `CSRFProtect(app)` or `CsrfViewMiddleware` is not reported: the protection may be set up in a file the check cannot see.",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    const names = new CalleeNames(new Set(["csrf_exempt", "exempt", "update", "from_mapping", "method_decorator"]));

    /** `csrf.exempt` where `csrf = CSRFProtect(app)`, or a name that says so. */
    function isFlaskExempt(expression: SyntaxNode): boolean {
      if (expression.type !== "attribute" || field(expression, "attribute")?.text !== "exempt") return false;
      const receiver = field(expression, "object");
      if (!receiver) return false;
      const created = assignedCall(context, receiver);
      if (created) return calleeMatches(context, created, CSRF_PROTECT);
      return /csrf/iu.test(receiver.text);
    }

    function isCsrfExempt(context_: RuleContext, expression: SyntaxNode): boolean {
      return matchesQualified(context_.analyses.resolve(expression), CSRF_EXEMPT) || isFlaskExempt(expression);
    }

    function signatureChecked(definition: SyntaxNode): boolean {
      return SIGNATURE_CHECK.test(context.source.slice(definition.startIndex, definition.endIndex));
    }

    function reportSetting(node: SyntaxNode, name: string, value: SyntaxNode): void {
      context.report({
        node,
        severity: name === "WTF_CSRF_ENABLED" ? "error" : "warning",
        message:
          name === "WTF_CSRF_ENABLED"
            ? `\`WTF_CSRF_ENABLED = ${snippet(value, 20)}\` switches CSRF protection off for every form of the application: other websites can submit them in a logged-in user's name; ${ADVICE}.`
            : `\`WTF_CSRF_CHECK_DEFAULT = ${snippet(value, 20)}\` stops checking CSRF tokens unless a view calls \`csrf.protect()\` itself; views that forget are open to cross-site requests; ${ADVICE}.`,
      });
    }

    return {
      import_from_statement: names.visit,
      decorated_definition(node) {
        const definition = field(node, "definition");
        if (!definition) return;
        for (const decorator of context.analyses.decoratorsOf(definition)) {
          const lastName = decoratorName(decorator);
          if (lastName === null || !names.has(lastName)) continue;
          let target = decorator;
          if (decorator.type === "call") {
            // @method_decorator(csrf_exempt, name="dispatch")
            const callee = field(decorator, "function");
            if (!callee || !matchesQualified(context.analyses.resolve(callee), METHOD_DECORATOR)) continue;
            const first = callArguments(decorator).positional[0];
            if (!first) continue;
            target = first;
          }
          if (target.type !== "identifier" && target.type !== "attribute") continue;
          if (!isCsrfExempt(context, target)) continue;
          if (signatureChecked(definition)) return;
          const name = field(definition, "name")?.text ?? "view";
          context.report({
            node: decorator,
            message: `\`@${snippet(decorator, 40)}\` switches CSRF protection off for \`${name}\`: other websites can send it requests carrying a logged-in user's cookies; ${ADVICE}.`,
          });
          return;
        }
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !names.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        if (lastName === "update" || lastName === "from_mapping") {
          // app.config.update(WTF_CSRF_ENABLED=False)
          const receiver = callee.type === "attribute" ? field(callee, "object") : null;
          if (receiver?.type !== "attribute" || field(receiver, "attribute")?.text !== "config") return;
          for (const [key, value] of callArguments(node).keywords) {
            if (SETTINGS.has(key) && isConstantFalse(context, value)) reportSetting(node, key, value);
          }
          return;
        }
        if (lastName === "method_decorator") return;
        // csrf_exempt(views.func_hook) in urls.py, csrf.exempt(blueprint): calls, not decorators.
        const args = callArguments(node);
        const target = args.positional[0];
        if (!target || !isCsrfExempt(context, callee)) return;
        const statement = node.parent;
        if (statement?.type === "decorator") return;
        context.report({
          node,
          message: `\`${snippet(callee, 30)}(${snippet(target, 30)})\` switches CSRF protection off for that view: other websites can send it requests carrying a logged-in user's cookies; ${ADVICE}.`,
        });
      },
      assignment(node) {
        const left = field(node, "left");
        if (!left || (left.type !== "subscript" && (left.type !== "identifier" || !SETTINGS.has(left.text)))) return;
        const right = field(node, "right");
        if (!right) return;
        if (left.type === "subscript") {
          // app.config["WTF_CSRF_ENABLED"] = False
          const container = field(left, "value");
          const key = field(left, "subscript");
          if (container?.type !== "attribute" || key?.type !== "string" || field(container, "attribute")?.text !== "config") return;
          const name = stringLiteralValue(key);
          if (name && SETTINGS.has(name) && isConstantFalse(context, right)) reportSetting(node, name, right);
          return;
        }
        if (left.type !== "identifier" || !SETTINGS.has(left.text)) return;
        const scope = context.analyses.scopes.scopeAt(node);
        if (scope.kind === "class" ? !CONFIG_CLASS.test(scope.name) || DEVELOPMENT_CLASS.test(scope.name) : scope.kind !== "module") return;
        if (isConstantFalse(context, right)) reportSetting(node, left.text, right);
      },
      function_definition(node) {
        // class CsrfExemptSessionAuthentication(SessionAuthentication): def enforce_csrf(self, request): return
        const name = field(node, "name");
        if (name?.text !== "enforce_csrf") return;
        const body = field(node, "body");
        if (!body || !NO_OP_BODY.test(body.text.trim())) return;
        let scope = context.analyses.scopes.scopeAt(node);
        if (scope.startIndex === node.startIndex && scope.parent) scope = scope.parent;
        context.report({
          node,
          message: `\`${scope.kind === "class" ? `${scope.name}.` : ""}enforce_csrf\` does nothing, so DRF's session authentication accepts cross-site requests carrying the user's cookies; remove the override (or use token authentication, which needs no CSRF check).`,
        });
      },
    };
  },
};
