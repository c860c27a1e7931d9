import { field } from "../../engine/syntax.js";
import type { RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { truthy, type ConstantValue } from "../../engine/analyses/constants.js";
import {
  constantValue,
  isDevelopmentSettings,
  isUnconditionalModuleStatement,
  looksLikeDjangoSettings,
  moduleLevelTarget,
  snippet,
  truthyEnvironmentDefault,
} from "./helpers.js";

interface SettingCheck {
  /** True when the constant value is insecure. */
  insecure(value: ConstantValue): boolean;
  severity: Severity;
  /** What the value does, and the fix. */
  explain: string;
  /** A setting that is on when true: an environment default of true is reported for it. */
  onWhenTrue?: boolean;
}

const isFalse = (value: ConstantValue): boolean => !truthy(value);

/** The settings checked, with what makes each insecure; `manage.py check --deploy` raises the same points at run time. */
const CHECKS: ReadonlyMap<string, SettingCheck> = new Map<string, SettingCheck>([
  [
    "DEBUG",
    {
      insecure: truthy,
      severity: "error",
      onWhenTrue: true,
      explain:
        "the debug page shows settings, SQL and local variables to anyone who triggers an error; read it from the environment with a false default (`DEBUG = os.environ.get(\"DJANGO_DEBUG\") == \"1\"`)",
    },
  ],
  [
    "ALLOWED_HOSTS",
    {
      insecure: (value) => (Array.isArray(value) ? value.includes("*") : value === "*"),
      severity: "warning",
      explain:
        "Django then accepts any `Host` header, which poisons password-reset links and caches; list the domains the site serves (`[\"example.com\", \"www.example.com\"]`)",
    },
  ],
  [
    "SESSION_COOKIE_SECURE",
    { insecure: isFalse, severity: "warning", explain: "the session cookie is also sent over plain HTTP, where it can be read on the network; set it to `True`" },
  ],
  [
    "CSRF_COOKIE_SECURE",
    { insecure: isFalse, severity: "warning", explain: "the CSRF cookie is also sent over plain HTTP; set it to `True`" },
  ],
  [
    "SESSION_COOKIE_HTTPONLY",
    {
      insecure: isFalse,
      severity: "warning",
      explain: "JavaScript can read the session cookie, so any XSS steals sessions; leave it `True` (the default)",
    },
  ],
  [
    "SECURE_SSL_REDIRECT",
    {
      insecure: isFalse,
      severity: "warning",
      explain:
        "plain-HTTP requests are served instead of redirected to HTTPS; set it to `True` (or suppress with a reason when a proxy in front of Django redirects)",
    },
  ],
  [
    "SECURE_HSTS_SECONDS",
    {
      insecure: (value) => typeof value === "number" ? value <= 0 : !truthy(value),
      severity: "warning",
      explain:
        "browsers are not told to use HTTPS only, so a first plain-HTTP request can be intercepted; set it to at least `31536000` once the whole site is served over HTTPS",
    },
  ],
  [
    "SECURE_CONTENT_TYPE_NOSNIFF",
    {
      insecure: isFalse,
      severity: "warning",
      explain: "browsers may guess content types and run uploaded files as scripts; leave it `True` (the default)",
    },
  ],
]);

interface Pending {
  node: SyntaxNode;
  message: string;
  severity: Severity;
}

function describe(value: SyntaxNode): string {
  return snippet(value, 30);
}

export const djangoInsecureSettings: RuleModule = {
  meta: {
    id: "PG-CONF-002",
    name: "django-insecure-settings",
    title: "Django settings that switch a protection off",
    sections: ["C5", "C8"],
    cwe: [215, 489, 614, 1004, 319],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "In Django settings modules, reports `DEBUG = True` (also a `True` default when it is read from the environment, `env.bool(\"DEBUG\", default=True)`), `ALLOWED_HOSTS` containing `\"*\"`, and `SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE`, `SESSION_COOKIE_HTTPONLY`, `SECURE_SSL_REDIRECT`, `SECURE_CONTENT_TYPE_NOSNIFF` set to `False` or `SECURE_HSTS_SECONDS` set to `0`.",
      whyIsThisBad:
        "Each of these turns off a protection Django offers: the debug page leaks settings and code, a wildcard host lets attackers forge links the site sends, and cookies without `Secure` or `HttpOnly` can be read on the network or by injected scripts.",
      example: 'ROOT_URLCONF = "shop.urls"\nDEBUG = True\nALLOWED_HOSTS = ["*"]\nSESSION_COOKIE_SECURE = False',
      useInstead:
        'import os\n\nROOT_URLCONF = "shop.urls"\nDEBUG = os.environ.get("DJANGO_DEBUG") == "1"\nALLOWED_HOSTS = ["shop.example.com"]\nSESSION_COOKIE_SECURE = True',
      notes:
        "A file counts as settings when it is named `settings*.py`, sits in a `settings/` package, or defines `INSTALLED_APPS`, `MIDDLEWARE` or `ROOT_URLCONF` at the start of a line. Settings meant for development or tests are exempt by file name (`settings/dev.py`, `local_settings.py`, `settings_test.py`, names with dev, local, test, testing, ci or debug), as are test files. Only assignments made directly at module level are reported: a value set inside `if`/`try` (`if ENV == \"dev\": DEBUG = True`) is a deliberate branch. Values read at run time are not reported, except a `True` default for `DEBUG`. Settings that are missing altogether (no `SECURE_HSTS_SECONDS`, no `SecurityMiddleware`) are PG-BROWSER-003; `SESSION_COOKIE_SAMESITE = None` is PG-BROWSER-001; CORS settings are PG-CONF-003; a hard-coded `SECRET_KEY` is a secrets rule.",
    },
  },
  create(context) {
    if (isDevelopmentSettings(context.path) || !looksLikeDjangoSettings(context.path, context.source)) return {};
    const pending: Pending[] = [];

    function check(node: SyntaxNode, name: string, rule: SettingCheck, value: SyntaxNode): void {
      const constant = constantValue(context, value);
      if (constant) {
        if (rule.insecure(constant.value)) {
          pending.push({ node, severity: rule.severity, message: `\`${name} = ${describe(value)}\`: ${rule.explain}.` });
        }
        return;
      }
      if (!rule.onWhenTrue) return;
      const lookup = truthyEnvironmentDefault(context, value);
      if (lookup) {
        pending.push({
          node,
          severity: "warning",
          message: `\`${name}\` defaults to \`${describe(lookup.fallback)}\` when \`${lookup.variable}\` is not set, so a deployment that forgets the variable runs with it on; make the default \`False\`.`,
        });
      }
    }

    return {
      assignment(node) {
        const target = moduleLevelTarget(context, node);
        if (!target) return;
        const name = target.text;
        const rule = CHECKS.get(name);
        if (!rule) return;
        const value = field(node, "right");
        if (!value || !isUnconditionalModuleStatement(node)) return;
        check(node, name, rule, value);
      },
      "module:exit"() {
        if (pending.length === 0) return;
        for (const finding of pending) context.report(finding);
      },
    };
  },
};
