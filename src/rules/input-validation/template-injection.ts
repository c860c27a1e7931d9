import { matchesQualified } from "../../engine/analyses/names.js";
import { argument, callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { assignedValue, describeFlow, externalCallee, snippet, untrustedSource } from "./flows.js";

/** Functions and classes that compile their argument as a template, and where it is passed. */
const TEMPLATE_COMPILERS: ReadonlyMap<string, readonly [number, string]> = new Map<string, readonly [number, string]>([
  ["flask.render_template_string", [0, "source"]],
  ["flask.templating.render_template_string", [0, "source"]],
  ["quart.render_template_string", [0, "source"]],
  ["jinja2.Template", [0, "source"]],
  ["jinja2.environment.Template", [0, "source"]],
  ["mako.template.Template", [0, "text"]],
  ["django.template.Template", [0, "template_string"]],
  ["django.template.base.Template", [0, "template_string"]],
  ["tornado.template.Template", [0, "template_string"]],
]);

const COMPILER_LAST_NAMES: ReadonlySet<string> = new Set([...TEMPLATE_COMPILERS.keys()].map((name) => name.slice(name.lastIndexOf(".") + 1)));

/** Template engines a `from_string` call may belong to; without one of them imported, `from_string` is someone else's method. */
const TEMPLATE_MODULES = ["jinja2", "flask", "quart", "django", "mako", "tornado"];

const SANDBOXES: ReadonlySet<string> = new Set([
  "jinja2.sandbox.SandboxedEnvironment",
  "jinja2.sandbox.ImmutableSandboxedEnvironment",
]);

const ADVICE =
  "template syntax in it (`{{ config }}`, `{{ ''.__class__.__mro__ }}`) runs on the server, and escaping does not remove it; keep the template text constant and pass the value as a variable (`render_template_string(TEMPLATE, name=name)`), or render it in a `jinja2.sandbox.SandboxedEnvironment`";

/** `env.from_string(...)` on a sandboxed Jinja2 environment, or on an instance of a class of this file (not a template engine). */
function isExcludedReceiver(context: RuleContext, receiver: SyntaxNode): boolean {
  const value = assignedValue(context, receiver);
  if (value.type !== "call") return false;
  const callee = field(value, "function");
  if (!callee) return false;
  if (callee.type === "identifier" && context.analyses.scopes.bindingsOf(callee.text, callee).some((binding) => binding.kind === "class")) return true;
  return matchesQualified(context.analyses.resolve(callee), SANDBOXES);
}

export const templateInjection: RuleModule = {
  meta: {
    id: "PG-INPUT-003",
    name: "template-injection",
    title: "Template text built from request data (server-side template injection)",
    sections: ["G3", "C3", "G4"],
    cwe: [1336, 94],
    defaultSeverity: "error",
    bandit: ["B702"],
    docs: {
      whatItDoes:
        "Reports request data that reaches the text of a template: Flask `render_template_string`, `jinja2.Template(...)`, `Environment.from_string(...)` (including `app.jinja_env.from_string`), Mako `Template(...)`, Django `Template(...)` and `Engine.from_string(...)`, and Tornado `Template(...)`. Values passed as template variables are not the template text and are not reported.",
      whyIsThisBad:
        "Template languages are programming languages. When the client writes part of the template, `{{ ... }}` expressions run on the server: they read the configuration and secret key, and in Jinja2 and Mako reach Python objects that run commands. HTML escaping does not help, because the braces are not HTML.",
      example:
        'from flask import Flask, render_template_string, request\n\napp = Flask(__name__)\n\n@app.route("/hello")\ndef func_hello():\n    name = request.args.get("name", "")\n    return render_template_string(f"<h1>Hello {name}</h1>")',
      useInstead:
        'from flask import Flask, render_template_string, request\n\napp = Flask(__name__)\nHELLO = "<h1>Hello {{ name }}</h1>"\n\n@app.route("/hello")\ndef func_hello():\n    return render_template_string(HELLO, name=request.args.get("name", ""))',
      notes:
        "Any request data in the template text counts, escaped or not (`html.escape` leaves `{{ }}` intact); only conversions (`int(...)`) and allow-list checks clear it. A `from_string` on a `SandboxedEnvironment` is not reported (the sandbox is the documented way to render user-written templates). `from_string` is checked only in files that import a template engine. Templates loaded from files or the database are not followed.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(COMPILER_LAST_NAMES);
    let templating: boolean | undefined;
    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        let value: SyntaxNode | undefined;
        const callee = field(node, "function");
        if (!callee) return;
        if (lastName === "from_string" && callee.type === "attribute") {
          templating ??= TEMPLATE_MODULES.some((module) => context.analyses.importsModule(module));
          const receiver = field(callee, "object");
          if (!templating || !receiver || isExcludedReceiver(context, receiver)) return;
          value = argument(callArguments(node), 0, "source") ?? argument(callArguments(node), 0, "template_code");
        } else {
          if (!aliases.has(lastName)) return;
          const name = externalCallee(context, node);
          const spec = name ? TEMPLATE_COMPILERS.get(name) : undefined;
          if (!spec) return;
          value = argument(callArguments(node), spec[0], spec[1]);
        }
        if (!value) return;
        // Any taint counts: the "code" sink kind has no escaping sanitizers.
        const source = untrustedSource(context, value, "code");
        if (!source) return;
        context.report({
          node,
          message: `${describeFlow(context, value, source)} and is compiled as template text by \`${snippet(callee)}\`: ${ADVICE}.`,
        });
      },
    };
  },
};
