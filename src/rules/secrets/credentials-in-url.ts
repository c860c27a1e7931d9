import type { RuleModule, Severity } from "../../engine/types.js";
import { isTestPath, judgePassword, stringListOption } from "./lexicon.js";
import { HOLE, literalSourceText } from "./literals.js";
import { findTokens } from "./token-formats.js";

/** `scheme://user:password@host`; the user may be empty (`redis://:pw@host`), the password may not. */
const URL_WITH_PASSWORD = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*):\/\/([^\s:/?#@]*):([^\s/?#@]+)@([^\s/?#@]*)/gu;
/** Documentation hosts (RFC 2606) and host placeholders: the URL is an example. */
const EXAMPLE_HOST =
  /^(?:(?:[\w-]+\.)*example(?:\.(?:com|org|net))?|(?:[\w-]+\.)+(?:test|invalid|example)|host|hostname|server|domain|your[-_]?host(?:name)?|<[^>]*>|\{[^}]*\}|\$\{[^}]*\}|%s)$/iu;
const LOCAL_HOST = /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0|::1|[\w-]+\.localhost)$/iu;

function hostOf(authority: string): string {
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    return close > 0 ? authority.slice(1, close) : authority;
  }
  const colon = authority.indexOf(":");
  return colon >= 0 ? authority.slice(0, colon) : authority;
}

function shownPart(text: string): string {
  const shown = text.replaceAll(HOLE, "{…}");
  return shown.length <= 40 ? shown : `${shown.slice(0, 37)}…`;
}

export const credentialsInUrl: RuleModule = {
  meta: {
    id: "PG-SEC-003",
    name: "credentials-in-url",
    title: "Connection URL with a literal password",
    sections: ["G6"],
    cwe: [798, 259],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports string literals holding a URL with a password in it, `scheme://user:password@host`: database URLs (postgres, mysql, mongodb, redis), message brokers (amqp), `https://`, `ftp://` and any other scheme.",
      whyIsThisBad:
        "Connection URLs travel: into settings files, logs, error pages and monitoring tools. A password inside one leaks with it, and it is tied to the release instead of the environment.",
      example: 'DATABASE_URL = "postgresql://app:FAKE-s3cr3t@db.internal:5432/orders"',
      useInstead:
        'import os\n\n# The whole URL, password included, comes from the environment.\nDATABASE_URL = os.environ["DATABASE_URL"]',
      notes:
        "Not reported: passwords interpolated by an f-string (`f\"postgres://{user}:{password}@{host}\"`), templates (`${DB_PASSWORD}`, `{password}`, `%s`, `%(password)s`), placeholders (`<password>`, `***`, `xxx`, `changeme`, `password`, `secret`…), empty passwords (`user:@host`), documentation hosts (`example.com`, `*.test`, `*.invalid`, `host`, `<host>`) and passwords in a known token format (PG-SEC-002 reports those). URLs to `localhost` and loopback addresses, and passwords marked as test values (`FAKE`, `EXAMPLE`, `XXXX`…), are reported as notes; in test modules findings are warnings. Option `placeholders`: extra whole values to treat as placeholders.",
    },
  },
  create(context) {
    const placeholders = new Set(stringListOption(context.options, "placeholders").map((value) => value.toLowerCase()));
    const inTests = isTestPath(context.path);

    return {
      string(node) {
        const text = node.text;
        if (!text.includes("://") || !text.includes("@")) return;
        const content = literalSourceText(node);
        URL_WITH_PASSWORD.lastIndex = 0;
        for (let match = URL_WITH_PASSWORD.exec(content); match; match = URL_WITH_PASSWORD.exec(content)) {
          const [, scheme = "", user = "", password = "", authority = ""] = match;
          if (password.includes(HOLE)) continue;
          const verdict = judgePassword(password, placeholders);
          if (verdict === "skip") continue;
          const host = hostOf(authority);
          if (EXAMPLE_HOST.test(host)) continue;
          if (findTokens(password).length > 0) continue;
          const local = LOCAL_HOST.test(host);
          const severity: Severity | undefined = verdict === "marked" || local ? "note" : inTests ? "warning" : undefined;
          const why = verdict === "marked" ? " It is marked as a test value." : local ? " It points at a local service." : "";
          context.report({
            node,
            message: `URL \`${scheme}://${shownPart(user)}:****@${shownPart(authority)}\` holds a literal password (${password.length} characters); take the URL or its password from the environment or a secret store.${why}`,
            ...(severity ? { severity } : {}),
          });
          return;
        }
      },
    };
  },
};
