import type { RuleModule, Severity } from "../../engine/types.js";
import {
  environmentName,
  isTestPath,
  judgeSecretValue,
  secretName,
  stringListOption,
  type SecretFamily,
} from "./lexicon.js";
import { authConstructorName } from "./literal-auth-tuple.js";
import { namedLiteralVisitors, type NamedLiteral } from "./sites.js";
import { isKnownTokenValue } from "./token-formats.js";

const WHAT: Record<SecretFamily, string> = {
  password: "password",
  secret: "secret",
  key: "key",
  token: "token",
  credentials: "credential",
  auth: "credential",
};

function shown(name: string): string {
  return name.length <= 48 ? name : `${name.slice(0, 45)}…`;
}

function describeSite(literal: NamedLiteral): string {
  const name = shown(literal.name);
  switch (literal.kind) {
    case "assignment":
      return `\`${name}\` is assigned`;
    case "keyword":
      return `Keyword argument \`${name}=\` is given`;
    case "dict-key":
      return `Dict key \`"${name}"\` maps to`;
    case "default":
      return `Parameter \`${name}\` defaults to`;
    case "comparison":
      return `\`${name}\` is compared with`;
    case "setdefault":
      return `\`setdefault("${name}", …)\` stores`;
  }
}

function advice(literal: NamedLiteral): string {
  const variable = environmentName(literal.name);
  switch (literal.kind) {
    case "comparison":
      return "a check against a literal lets in anyone who reads the code; compare with a value loaded at run time (a stored hash, `hmac.compare_digest`)";
    case "default":
      return `default to \`None\` and read it at run time (for example \`os.environ["${variable}"]\`)`;
    default:
      return `read it from the environment or a secret store (for example \`os.environ["${variable}"]\`)`;
  }
}

export const hardcodedSecretByName: RuleModule = {
  meta: {
    id: "PG-SEC-001",
    name: "hardcoded-secret-by-name",
    title: "String literal bound to a password, secret, token or key name",
    sections: ["G6"],
    cwe: [798, 259],
    defaultSeverity: "error",
    bandit: ["B105", "B106", "B107"],
    docs: {
      whatItDoes:
        "Reports a string literal assigned to, passed as, stored under, used as the default of, or compared with a name that says it holds a password, secret, token, API key, private or access key, credentials or auth value. Names are split on camelCase humps, digits, `_`, `-` and `.` before matching, so `dbPassword`, `DB_PASSWORD`, `apiKey`, `APIKey`, `self.clientSecret`, `{\"X-Api-Key\": …}` and `connect(password=…)` are all recognised; words are matched whole, so `passage`, `bypass`, `compass`, `tokenizer` and `secretary` are not.",
      whyIsThisBad:
        "A secret in the source is a secret shared with everyone who can read the repository, its history, its forks, its build artefacts and the logs that print them. It cannot be rotated without a release, and it is usually the same in every environment.",
      example:
        'DB_PASSWORD = "FAKE-s3cr3t-value"\n\n\ndef func_connect(host, userPassword="FAKE-default-pw"):\n    return psycopg2.connect(host=host, password="FAKE-s3cr3t-value")',
      useInstead:
        'import os\n\nDB_PASSWORD = os.environ["DB_PASSWORD"]\n\n\ndef func_connect(host, userPassword=None):\n    return psycopg2.connect(host=host, password=userPassword or DB_PASSWORD)',
      notes: [
        "The secret words must be the head of the name: `passwordField`, `tokenType`, `secretName`, `apiKeyHeader`, `PASSWORD_MIN_LENGTH`, `TOKEN_URL`, `hashedPassword`, `publicKey`, `eosToken` and `nextPageToken` do not match. Recognised heads: password, passwd, pwd, pswd, passphrase, passcode, pass and pw (last word only), secret, token, credential(s), creds, auth, authorization, and `key` after api, secret, private, access, signing, encryption, master, auth, license, account, subscription, hmac, jwt, aes, fernet, crypto, cipher, shared, mac or admin.",
        "Not reported: empty strings; placeholders (`changeme`, `change_me`, `replace-me`, `todo`, `tbd`, `fixme`, `dummy`, `fake`, `example`, `sample`, `placeholder`, `none`, `null`, `undefined`, `unset`, `n/a`, `redacted`, `masked`, `default`, `test`, `foo`, `secret`, `password`… as whole values, runs of one character such as `xxx` or `***`, `<password>`, `[REDACTED]`, `${DB_PASSWORD}`, `$DB_PASSWORD`, `{password}`, `%(password)s`, `your-api-key-here`, `vault:`/`arn:`/`env:` references); labels (the name's own words such as `PASSWORD = \"password\"`, field or header names such as `\"user_password\"` or `\"X-Auth-Token\"`, URLs, paths and file names, `UPPER_SNAKE` environment variable names, mode words such as `auth = \"basic\"` or `token = \"bearer\"`, messages such as `\"Invalid password.\"`); values read at run time (`os.environ.get(\"X\", \"fallback\")` included); values in a known token format, which PG-SEC-002 reports; the password keyword of HTTP auth classes, which PG-SEC-004 reports.",
        "A value marked as a test value (containing `FAKE`, `EXAMPLE`, `DUMMY`, `SAMPLE`, `XXXX`, `12345678`…) or under a name such as `fakePassword` is reported as a note. In test modules (`test_*.py`, `*_test.py`, `conftest.py`, `tests/`) findings are warnings.",
        "Options: `placeholders` (extra whole values to ignore, case-insensitive) and `ignoreNames` (names never reported).",
      ].join("\n\n"),
    },
  },
  create(context) {
    const placeholders = new Set(stringListOption(context.options, "placeholders").map((value) => value.toLowerCase()));
    const ignoredNames = new Set(stringListOption(context.options, "ignoreNames"));
    const inTests = isTestPath(context.path);

    /** Start of the last literal reported: `a = b = "x"` offers one literal under two names. */
    let lastReported = -1;

    return namedLiteralVisitors(context.source, (literal) => {
      if (literal.value.length === 0 || ignoredNames.has(literal.name)) return;
      const name = secretName(literal.name);
      if (!name) return;
      const verdict = judgeSecretValue(literal.value, name, placeholders, literal.kind === "comparison");
      if (verdict.kind === "placeholder" || verdict.kind === "label") return;
      if (isKnownTokenValue(literal.value, name.words)) return;
      if (literal.kind === "keyword" && name.family === "password") {
        const call = literal.site.parent?.parent;
        if (call?.type === "call" && authConstructorName(call, context)) return;
      }
      const start = literal.valueNode.startIndex;
      if (start === lastReported) return;
      lastReported = start;
      const severity: Severity | undefined = verdict.kind === "marked" ? "note" : inTests ? "warning" : undefined;
      const marked = verdict.kind === "marked" ? ", marked as a test value" : "";
      context.report({
        node: literal.valueNode,
        message: `${describeSite(literal)} a hard-coded ${WHAT[name.family]} (${literal.value.length} characters${marked}); ${advice(literal)}.`,
        ...(severity ? { severity } : {}),
      });
    });
  },
};
