import { argument, callArguments, calleeLastName, field, stringLiteralValue, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ALL_INTERFACES } from "./bind-all-interfaces.js";
import { assignedCall, calleeMatches, constantValue, isConstantTrue, isTestPath, snippet } from "./helpers.js";

const CALL_NAMES = new Set(["run", "run_server", "run_simple", "DebuggedApplication", "update", "from_mapping"]);
const RUN_SIMPLE = new Set(["werkzeug.serving.run_simple", "werkzeug.run_simple"]);
const DEBUGGED_APPLICATION = new Set(["werkzeug.debug.DebuggedApplication", "werkzeug.DebuggedApplication"]);
const FLASK_APPS = new Set(["flask.Flask", "quart.Quart", "flask.current_app", "quart.current_app"]);
/** `.run(debug=True)` of these turns on an event loop's debug mode, not a web debugger. */
const NOT_WEB = /^(?:asyncio|trio|anyio|uvloop|curio|unittest|pytest|doctest|subprocess)\./u;
const APP_NAME = /^(?:app|application|webApp|flaskApp|flask_app|server)$|[a-z_]App$|_app$/u;
const CONFIG_CLASS = /(?:Config|Configuration|Settings)$/u;
const DEVELOPMENT_CLASS = /dev|debug|test|local/iu;

function isAppReceiver(context: RuleContext, receiver: SyntaxNode): boolean {
  if (receiver.type !== "identifier") return false;
  if (APP_NAME.test(receiver.text)) return true;
  const resolved = context.analyses.resolve(receiver);
  if (resolved?.origin === "import" && FLASK_APPS.has(resolved.name)) return true;
  const created = assignedCall(context, receiver);
  return created !== null && calleeMatches(context, created, FLASK_APPS);
}

function hostIsPublic(context: RuleContext, host: SyntaxNode | undefined): boolean {
  const constant = constantValue(context, host);
  return constant !== undefined && typeof constant.value === "string" && ALL_INTERFACES.has(constant.value);
}

const ADVICE = "read it from the environment (`debug=os.environ.get(\"FLASK_DEBUG\") == \"1\"`) and run `flask run --debug` only on a developer's machine";

export const flaskDebug: RuleModule = {
  meta: {
    id: "PG-CONF-001",
    name: "web-debugger-enabled",
    title: "Flask or Werkzeug debug mode switched on in code",
    sections: ["C5", "G8"],
    cwe: [215, 489],
    defaultSeverity: "warning",
    bandit: ["B201"],
    docs: {
      whatItDoes:
        "Reports Flask debug mode turned on in code: `app.run(debug=True)` (also Flask-SocketIO's `socketio.run` and Dash's `run_server`), `app.debug = True`, `app.config[\"DEBUG\"] = True`, `app.config.update(DEBUG=True)`, `os.environ[\"FLASK_DEBUG\"] = \"1\"`, `DEBUG = True` in a configuration class, Werkzeug `run_simple(..., use_debugger=True)` and `DebuggedApplication(app, evalex=True)`.",
      whyIsThisBad:
        "Debug mode shows full tracebacks with source and local variables to whoever triggers an error, and the Werkzeug debugger adds an interactive Python console to the error page: whoever reaches it (and gets past its PIN, which can be derived from files an attacker may read) runs code on the server. A debug flag written in code ships to production with the code.",
      example: 'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)',
      useInstead:
        'import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")',
      notes:
        "An error when the debugger also listens on every interface (`host=\"0.0.0.0\"`), a warning otherwise. Values read at run time (`debug=settings.DEBUG`, `os.environ.get(...) == \"1\"`) are not reported; a name bound only to `True` is. Configuration classes whose name says they are for development or tests (`DevelopmentConfig`, `TestingConfig`, `LocalSettings`) and test files are exempt. `asyncio.run(main(), debug=True)` is an event loop's debug mode and is not reported. Django's `DEBUG = True` is PG-CONF-002.",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};

    function reportCall(call: SyntaxNode, what: string, publicHost: boolean): void {
      context.report({
        node: call,
        severity: publicHost ? "error" : "warning",
        message: publicHost
          ? `\`${what}\` turns on the Werkzeug debugger and listens on every interface: anyone on the network gets tracebacks and an interactive console; ${ADVICE}.`
          : `\`${what}\` turns on debug mode (tracebacks and the Werkzeug console on errors); ${ADVICE}.`,
      });
    }

    function checkConfigUpdate(call: SyntaxNode, callee: SyntaxNode): void {
      // app.config.update(DEBUG=True), app.config.update({"DEBUG": True}), app.config.from_mapping(DEBUG=True)
      const receiver = field(callee, "object");
      if (receiver?.type !== "attribute" || field(receiver, "attribute")?.text !== "config") return;
      const args = callArguments(call);
      let value = args.keywords.get("DEBUG");
      const mapping = args.positional[0] ? unparenthesize(args.positional[0]) : undefined;
      if (!value && mapping?.type === "dictionary") {
        for (const pair of mapping.namedChildren) {
          if (pair.type !== "pair") continue;
          const key = field(pair, "key");
          if (key?.type === "string" && stringLiteralValue(key) === "DEBUG") value = field(pair, "value") ?? undefined;
        }
      }
      if (value && isConstantTrue(context, value)) {
        context.report({ node: call, message: `\`${snippet(receiver)}\` sets \`DEBUG\` to \`${snippet(value, 20)}\`: debug mode shows tracebacks to users; ${ADVICE}.` });
      }
    }

    return {
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !CALL_NAMES.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        switch (lastName) {
          case "run":
          case "run_server": {
            const args = callArguments(node);
            const debug = args.keywords.get("debug");
            if (!debug || !isConstantTrue(context, debug)) return;
            const resolved = context.analyses.resolve(callee);
            if (resolved && resolved.origin !== "local" && NOT_WEB.test(resolved.name)) return;
            reportCall(node, `${snippet(callee, 40)}(debug=${snippet(debug, 20)})`, hostIsPublic(context, args.keywords.get("host") ?? args.positional[0]));
            return;
          }
          case "run_simple": {
            if (!calleeMatches(context, node, RUN_SIMPLE)) return;
            const args = callArguments(node);
            const debugger_ = argument(args, 4, "use_debugger");
            if (!debugger_ || !isConstantTrue(context, debugger_)) return;
            const evalex = argument(args, 5, "use_evalex");
            if (evalex && !isConstantTrue(context, evalex) && constantValue(context, evalex)) return;
            reportCall(node, "run_simple(..., use_debugger=True)", hostIsPublic(context, argument(args, 0, "hostname")));
            return;
          }
          case "DebuggedApplication": {
            if (!calleeMatches(context, node, DEBUGGED_APPLICATION)) return;
            const evalex = argument(callArguments(node), 1, "evalex");
            if (!evalex || !isConstantTrue(context, evalex)) return;
            context.report({
              node,
              message: `\`DebuggedApplication(..., evalex=True)\` serves an interactive Python console on every error page; remove the wrapper outside local development.`,
            });
            return;
          }
          default:
            if (callee.type === "attribute") checkConfigUpdate(node, callee);
        }
      },
      assignment(node) {
        const left = field(node, "left");
        if (!left) return;
        switch (left.type) {
          case "attribute": {
            // app.debug = True
            if (field(left, "attribute")?.text !== "debug") return;
            const receiver = field(left, "object");
            const right = field(node, "right");
            if (!receiver || !right || !isConstantTrue(context, right) || !isAppReceiver(context, receiver)) return;
            context.report({ node, message: `\`${receiver.text}.debug = ${snippet(right, 20)}\` turns on debug mode (tracebacks and the Werkzeug console on errors); ${ADVICE}.` });
            return;
          }
          case "subscript": {
            // app.config["DEBUG"] = True, os.environ["FLASK_DEBUG"] = "1"
            const container = field(left, "value");
            const key = field(left, "subscript");
            if (!container || key?.type !== "string") return;
            const containerText = container.type === "attribute" ? field(container, "attribute")?.text : undefined;
            if (containerText !== "config" && containerText !== "environ") return;
            const keyText = stringLiteralValue(key);
            const wanted = containerText === "config" ? "DEBUG" : "FLASK_DEBUG";
            if (keyText !== wanted) return;
            const right = field(node, "right");
            if (!right) return;
            const value = constantValue(context, right);
            if (!value) return;
            const on = typeof value.value === "string" ? /^(?:1|true|yes|on)$/iu.test(value.value.trim()) : Boolean(value.value);
            if (!on) return;
            context.report({ node, message: `\`${snippet(left, 40)} = ${snippet(right, 20)}\` turns on debug mode (tracebacks and the Werkzeug console on errors); ${ADVICE}.` });
            return;
          }
          case "identifier": {
            // class ProductionConfig: DEBUG = True
            if (left.text !== "DEBUG") return;
            const scope = context.analyses.scopes.scopeAt(node);
            if (scope.kind !== "class" || !CONFIG_CLASS.test(scope.name) || DEVELOPMENT_CLASS.test(scope.name)) return;
            const right = field(node, "right");
            if (!right || !isConstantTrue(context, right)) return;
            context.report({
              node,
              message: `Configuration class \`${scope.name}\` sets \`DEBUG = ${snippet(right, 20)}\`: debug mode shows tracebacks to users; keep \`DEBUG\` off in shared configuration and turn it on in a \`DevelopmentConfig\` or from the environment.`,
            });
            return;
          }
          default:
            return;
        }
      },
    };
  },
};
