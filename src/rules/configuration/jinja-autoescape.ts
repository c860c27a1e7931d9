import { callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleModule } from "../../engine/types.js";
import {
  CalleeNames,
  calleeMatches,
  isConstantFalse,
  isDevelopmentSettings,
  isUnconditionalModuleStatement,
  looksLikeDjangoSettings,
  moduleLevelTarget,
  snippet,
} from "./helpers.js";

const ENVIRONMENT_NAMES = new Set(["Environment", "SandboxedEnvironment", "ImmutableSandboxedEnvironment"]);
const ENVIRONMENTS = new Set([
  "jinja2.Environment",
  "jinja2.environment.Environment",
  "jinja2.sandbox.SandboxedEnvironment",
  "jinja2.sandbox.ImmutableSandboxedEnvironment",
]);
/** `"autoescape": False` inside Django's TEMPLATES setting. */
const DJANGO_AUTOESCAPE_OFF = /["']autoescape["']\s*:\s*(?:False|0|None)\b/u;

export const jinjaAutoescape: RuleModule = {
  meta: {
    id: "PG-CONF-004",
    name: "template-autoescape-off",
    title: "Template engine created without HTML autoescaping",
    sections: ["C5", "G3"],
    cwe: [79, 116],
    defaultSeverity: "warning",
    bandit: ["B701"],
    docs: {
      whatItDoes:
        "Reports a Jinja2 `Environment` (or `SandboxedEnvironment`) created without `autoescape` (Jinja's default is off) or with a constant false `autoescape`, Flask's `app.jinja_env.autoescape = False`, and `\"autoescape\": False` in Django's `TEMPLATES` setting.",
      whyIsThisBad:
        "Without autoescaping, every value a template prints is pasted into the HTML as it is: a user name such as `<script>…</script>` runs in other users' browsers (cross-site scripting). Escaping has to be remembered at every `{{ }}` instead of being the default.",
      example: 'from jinja2 import Environment, FileSystemLoader\n\nTEMPLATES = Environment(loader=FileSystemLoader("templates"))',
      useInstead:
        'from jinja2 import Environment, FileSystemLoader, select_autoescape\n\nTEMPLATES = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())',
      notes:
        "`autoescape=True`, `select_autoescape(...)` and values computed at run time (a function deciding by template name) are accepted; so is a call that spreads `**options`. `NativeEnvironment` renders Python values, not HTML, and is not reported. An environment that renders plain text, SQL or YAML has no HTML to escape: suppress with the reason (`# pyguard: ignore[PG-CONF-004] -- renders plain-text e-mails`). Direct use of `jinja2.Template(...)` with user-controlled template text is template injection, another family's rule.",
    },
  },
  create(context) {
    const aliases = new CalleeNames(ENVIRONMENT_NAMES);
    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName) || !calleeMatches(context, node, ENVIRONMENTS)) return;
        const args = callArguments(node);
        const autoescape = args.keywords.get("autoescape");
        if (!autoescape) {
          if (args.hasSplat) return;
          context.report({
            node,
            message: `\`${lastName}(...)\` is created without \`autoescape\`, and Jinja2 does not escape by default: values printed in HTML templates can inject script; pass \`autoescape=select_autoescape()\` (or \`True\`).`,
          });
          return;
        }
        if (!isConstantFalse(context, autoescape)) return;
        context.report({
          node,
          message: `\`${lastName}(autoescape=${snippet(autoescape, 20)})\` turns HTML escaping off: values printed in templates can inject script; pass \`autoescape=select_autoescape()\` (or \`True\`).`,
        });
      },
      assignment(node) {
        const left = field(node, "left");
        if (!left) return;
        if (left.type === "attribute") {
          // app.jinja_env.autoescape = False
          if (field(left, "attribute")?.text !== "autoescape") return;
          const receiver = field(left, "object");
          if (receiver?.type !== "attribute" || field(receiver, "attribute")?.text !== "jinja_env") return;
          const right = field(node, "right");
          if (!right || !isConstantFalse(context, right)) return;
          context.report({ node, message: `\`${snippet(left, 40)} = ${snippet(right, 20)}\` turns Flask's HTML escaping off for every template; remove it and mark the few trusted values with \`Markup\` instead.` });
          return;
        }
        if (left.type !== "identifier" || left.text !== "TEMPLATES") return;
        if (!moduleLevelTarget(context, node) || !isUnconditionalModuleStatement(node)) return;
        const right = field(node, "right");
        if (!right || !DJANGO_AUTOESCAPE_OFF.test(right.text)) return;
        if (isDevelopmentSettings(context.path) || !looksLikeDjangoSettings(context.path, context.source)) return;
        context.report({
          node,
          message: "`TEMPLATES` sets `\"autoescape\": False`: Django templates then print values unescaped and any of them can inject script; remove the option (escaping is on by default) and use `mark_safe` only for trusted HTML.",
        });
      },
    };
  },
};

