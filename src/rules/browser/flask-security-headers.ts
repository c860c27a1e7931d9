import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { CalleeNames, isTestPath } from "../configuration/helpers.js";

const FLASK = new Set(["flask.Flask", "flask.app.Flask"]);
const TALISMAN = new Set(["flask_talisman.Talisman", "flask_talisman.talisman.Talisman"]);
const CALL_NAMES = new Set(["Flask", "Talisman", "init_app", "after_request", "after_app_request"]);
const AFTER_REQUEST = /\.after(?:_app)?_request$/u;
/** Header names in string literals of the file (a handler may take them from a module constant). */
const CSP_HEADER = /["']content-security-policy["']/iu;
const FRAME_HEADER = /["']x-frame-options["']|frame-ancestors/iu;

export const flaskSecurityHeaders: RuleModule = {
  meta: {
    id: "PG-BROWSER-002",
    name: "flask-app-without-security-headers",
    title: "Flask app without Content-Security-Policy and X-Frame-Options",
    sections: ["C8"],
    cwe: [693, 1021],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports a Flask application (`Flask(__name__)`) created in a file that neither applies Flask-Talisman (`Talisman(app)`, or `talisman.init_app(app)` on a `Talisman()`) nor registers an `after_request` (or blueprint `after_app_request`) handler while naming both `Content-Security-Policy` and `X-Frame-Options` (or CSP `frame-ancestors`). Reported once, at the application's creation, with what is missing.",
      whyIsThisBad:
        "Without a Content-Security-Policy, any HTML injection becomes script execution in the users' browsers; without `X-Frame-Options` or `frame-ancestors`, other sites can load the pages in an invisible frame and trick users into clicking buttons (clickjacking). Flask sets neither header by default.",
      example: 'from flask import Flask\n\napp = Flask(__name__)',
      useInstead:
        'from flask import Flask\nfrom flask_talisman import Talisman\n\napp = Flask(__name__)\nTalisman(app, content_security_policy={"default-src": "\'self\'"}, frame_options="DENY")',
      notes:
        "The check sees one file. An application factory that registers Talisman or the header hook in another module (`func_registerExtensions(app)`), a WSGI middleware, or headers added by a reverse proxy cannot be seen: suppress the finding with the reason (`# pyguard: ignore[PG-BROWSER-002] -- Talisman is applied in extensions.py`). The header names count when they appear in a string anywhere in the file (a handler may read them from a module constant); the handler itself must be in the file. Test files are exempt.",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    const names = new CalleeNames(CALL_NAMES);
    const apps: SyntaxNode[] = [];
    const talismanInstances = new Set<string>();
    let talisman = false;
    let afterRequest = false;
    let flask: boolean | undefined;
    const usesFlask = (): boolean => (flask ??= context.analyses.importsModule("flask"));

    return {
      import_from_statement: names.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !names.has(lastName) || !usesFlask()) return;
        const callee = field(node, "function");
        if (!callee) return;
        switch (lastName) {
          case "init_app": {
            const receiver = callee.type === "attribute" ? field(callee, "object") : null;
            if (receiver && talismanInstances.has(receiver.text)) talisman = true;
            return;
          }
          case "after_request":
          case "after_app_request":
            // app.after_request(func_addHeaders)
            if (callArguments(node).positional.length > 0) afterRequest = true;
            return;
          default: {
            const resolved = context.analyses.resolve(callee);
            if (matchesQualified(resolved, FLASK)) {
              apps.push(node);
            } else if (matchesQualified(resolved, TALISMAN)) {
              if (callArguments(node).positional.length > 0 || callArguments(node).keywords.has("app")) {
                talisman = true;
              } else {
                // talisman = Talisman(); talisman.init_app(app)
                const statement = node.parent;
                const target = statement?.type === "assignment" ? field(statement, "left") : null;
                if (target) talismanInstances.add(target.text);
              }
            }
          }
        }
      },
      decorated_definition(node) {
        if (afterRequest || !usesFlask()) return;
        for (const child of node.namedChildren) {
          if (child.type !== "decorator") continue;
          const expression = child.namedChild(0);
          if (expression?.type === "attribute" && AFTER_REQUEST.test(expression.text)) afterRequest = true;
        }
      },
      "module:exit"() {
        const app = apps[0];
        if (!app || talisman) return;
        const hasCsp = CSP_HEADER.test(context.source);
        const hasFrame = FRAME_HEADER.test(context.source);
        if (afterRequest && hasCsp && hasFrame) return;
        let missing: string;
        if (!afterRequest) missing = "no Flask-Talisman and no `after_request` hook sets `Content-Security-Policy` or `X-Frame-Options`";
        else if (!hasCsp && !hasFrame) missing = "its `after_request` hook sets neither `Content-Security-Policy` nor `X-Frame-Options`";
        else if (!hasCsp) missing = "its `after_request` hook sets no `Content-Security-Policy`";
        else missing = "its `after_request` hook sets no `X-Frame-Options` (nor CSP `frame-ancestors`)";
        context.report({
          node: app,
          message: `This Flask app is missing browser security headers in this file: ${missing}. Apply \`Talisman(app)\` (flask-talisman) with a \`content_security_policy\` and \`frame_options="DENY"\`, or set both headers in an \`@app.after_request\` hook; if another module does it, suppress with that reason.`,
        });
      },
    };
  },
};
