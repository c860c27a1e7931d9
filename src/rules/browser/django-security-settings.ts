import { calleeLastName, field } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import {
  baseName,
  constantValue,
  isBaseSettings,
  isDevelopmentSettings,
  isUnconditionalModuleStatement,
  looksLikeDjangoSettings,
  moduleLevelTarget,
  snippet,
} from "../configuration/helpers.js";

const NAMES = new Set(["MIDDLEWARE", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "X_FRAME_OPTIONS"]);
const LIST_METHODS = new Set(["append", "insert", "extend"]);
const SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware";
const FRAME_MIDDLEWARE = "django.middleware.clickjacking.XFrameOptionsMiddleware";
const PRODUCTION_NAME = /(?:^|[_.-])(?:prod|production|live|deploy|deployment|release)(?:[_.-]|$)/iu;
const FRAME_VALUES = new Set(["DENY", "SAMEORIGIN"]);

export const djangoSecuritySettings: RuleModule = {
  meta: {
    id: "PG-BROWSER-003",
    name: "django-browser-protections-missing",
    title: "Django settings without the security middleware, HSTS, HTTPS redirect or frame protection",
    sections: ["C8", "C5"],
    cwe: [693, 319, 523, 1021],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "In Django settings modules, reports each missing browser protection: `SecurityMiddleware` or `XFrameOptionsMiddleware` absent from `MIDDLEWARE`, no `SECURE_HSTS_SECONDS`, no `SECURE_SSL_REDIRECT`, and `X_FRAME_OPTIONS` set to something other than `DENY` or `SAMEORIGIN`. Missing items are reported at the `MIDDLEWARE` assignment (one finding each); a production settings file without `MIDDLEWARE` gets them on its first statement.",
      whyIsThisBad:
        "`SecurityMiddleware` is what sends HSTS and redirects plain HTTP to HTTPS; without it, or without `SECURE_HSTS_SECONDS` and `SECURE_SSL_REDIRECT`, a user's first request can travel unencrypted and be hijacked. Without `XFrameOptionsMiddleware` (or with a permissive `X_FRAME_OPTIONS`), other sites can frame the pages and trick users into clicking (clickjacking).",
      example:
        'ROOT_URLCONF = "shop.urls"\nMIDDLEWARE = [\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n]',
      useInstead:
        'ROOT_URLCONF = "shop.urls"\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n    "django.middleware.clickjacking.XFrameOptionsMiddleware",\n]\nSECURE_HSTS_SECONDS = 31536000\nSECURE_SSL_REDIRECT = True\nX_FRAME_OPTIONS = "DENY"',
      notes:
        "Absence is judged in the file that defines `MIDDLEWARE` (the settings that build the request pipeline) and in production settings by file name (`prod.py`, `production.py`, `settings_live.py`), which usually extend a base with `from .base import *`. Base settings meant to be extended (`settings/base.py`, `settings/common.py`), settings for development or tests (by file name) and test files are not judged for absence: put the HTTPS settings in the production file or suppress with the reason (`# pyguard: ignore[PG-BROWSER-003] -- TLS and HSTS are set by the ingress`). A setting assigned anywhere at module level, even inside `if`, counts as present; `MIDDLEWARE` extended with `+=`, `append` or `insert` counts the added entries; a `MIDDLEWARE` built from names the check cannot evaluate is not judged. Values that switch a protection off (`SECURE_HSTS_SECONDS = 0`, `SECURE_SSL_REDIRECT = False`) are PG-CONF-002.",
    },
  },
  create(context) {
    if (isDevelopmentSettings(context.path) || !looksLikeDjangoSettings(context.path, context.source)) return {};
    const assigned = new Map<string, SyntaxNode>();
    let middlewareText = "";
    let middlewareKnown = true;
    let root: SyntaxNode | null = null;

    return {
      module(node) {
        root = node;
      },
      assignment(node) {
        const target = moduleLevelTarget(context, node);
        if (!target || !NAMES.has(target.text)) return;
        const name = target.text;
        if (!assigned.has(name)) assigned.set(name, node);
        if (name !== "MIDDLEWARE") return;
        const value = field(node, "right");
        if (!value) return;
        const constant = constantValue(context, value);
        if (constant && Array.isArray(constant.value)) middlewareText += ` ${constant.value.map(String).join(" ")}`;
        else if (value.type === "list" || value.type === "tuple") middlewareText += ` ${value.text}`;
        else middlewareKnown = false;
      },
      augmented_assignment(node) {
        const left = field(node, "left");
        if (left?.type !== "identifier" || left.text !== "MIDDLEWARE") return;
        middlewareText += ` ${field(node, "right")?.text ?? ""}`;
      },
      call(node) {
        const method = calleeLastName(node);
        if (method === null || !LIST_METHODS.has(method)) return;
        const callee = field(node, "function");
        const receiver = callee ? field(callee, "object") : null;
        if (receiver?.type !== "identifier" || receiver.text !== "MIDDLEWARE") return;
        middlewareText += ` ${field(node, "arguments")?.text ?? ""}`;
      },
      "module:exit"() {
        const frame = assigned.get("X_FRAME_OPTIONS");
        if (frame && isUnconditionalModuleStatement(frame)) {
          const value = constantValue(context, field(frame, "right"));
          if (value && !(typeof value.value === "string" && FRAME_VALUES.has(value.value.toUpperCase()))) {
            context.report({
              node: frame,
              message: `\`X_FRAME_OPTIONS = ${snippet(field(frame, "right") ?? frame, 30)}\` lets other sites frame these pages (clickjacking); use \`"DENY"\` (or \`"SAMEORIGIN"\` when the site frames itself).`,
            });
          }
        }
        const middleware = assigned.get("MIDDLEWARE");
        const production = PRODUCTION_NAME.test(baseName(context.path).replace(/\.py$/u, ""));
        if (isBaseSettings(context.path) || (!middleware && !production)) return;
        const anchor = middleware ?? (root as SyntaxNode | null)?.firstNamedChild ?? null;
        if (!anchor) return;
        const subject = middleware ? "these settings" : "this production settings file";
        if (middleware && middlewareKnown) {
          if (!middlewareText.includes("SecurityMiddleware")) {
            context.report({
              node: anchor,
              message: `\`MIDDLEWARE\` has no \`${SECURITY_MIDDLEWARE}\`: HSTS, the HTTPS redirect and the other \`SECURE_*\` headers are never sent; add it first in the list.`,
            });
          }
          if (!middlewareText.includes("XFrameOptionsMiddleware")) {
            context.report({
              node: anchor,
              message: `\`MIDDLEWARE\` has no \`${FRAME_MIDDLEWARE}\`: pages are sent without \`X-Frame-Options\` and other sites can frame them (clickjacking); add it.`,
            });
          }
        }
        if (!assigned.has("SECURE_HSTS_SECONDS")) {
          context.report({
            node: anchor,
            message: `No \`SECURE_HSTS_SECONDS\` in ${subject}: browsers are never told to insist on HTTPS, so a first plain-HTTP request can be intercepted; set \`SECURE_HSTS_SECONDS = 31536000\` once the whole site is on HTTPS.`,
          });
        }
        if (!assigned.has("SECURE_SSL_REDIRECT")) {
          context.report({
            node: anchor,
            message: `No \`SECURE_SSL_REDIRECT\` in ${subject}: plain-HTTP requests are served instead of redirected; set \`SECURE_SSL_REDIRECT = True\` (or suppress with the reason when the proxy redirects).`,
          });
        }
      },
    };
  },
};
