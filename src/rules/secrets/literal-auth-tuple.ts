import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { isTestPath, judgePassword, secretName, stringListOption } from "./lexicon.js";
import { literalString } from "./literals.js";
import { calleeEndsWith } from "./sites.js";

/** HTTP auth objects that take `(username, password)`. */
const AUTH_CLASSES = new Set([
  "requests.auth.HTTPBasicAuth",
  "requests.auth.HTTPDigestAuth",
  "requests.auth.HTTPProxyAuth",
  "httpx.BasicAuth",
  "httpx.DigestAuth",
  "aiohttp.BasicAuth",
  "aiohttp.helpers.BasicAuth",
  "requests_ntlm.HttpNtlmAuth",
]);
/** Class names distinctive enough to trust without seeing the import. */
const UNMISTAKABLE = new Set(["HTTPBasicAuth", "HTTPDigestAuth", "HTTPProxyAuth", "HttpNtlmAuth"]);
const LAST_NAMES = new Set(["HTTPBasicAuth", "HTTPDigestAuth", "HTTPProxyAuth", "BasicAuth", "DigestAuth", "HttpNtlmAuth"]);
const PAIR_TYPES = new Set(["tuple", "list", "expression_list"]);

/** The class name when `call` builds one of the HTTP auth objects, else null. */
export function authConstructorName(call: SyntaxNode, context: RuleContext): string | null {
  const callee = field(call, "function");
  if (!callee || !calleeEndsWith(context.source, callee, ["Auth"])) return null;
  const last = calleeLastName(call);
  if (!last || !LAST_NAMES.has(last)) return null;
  const resolved = context.analyses.resolve(callee);
  if (matchesQualified(resolved, AUTH_CLASSES)) return last;
  return resolved?.origin === "global" && UNMISTAKABLE.has(resolved.name) ? last : null;
}

/** The literal password of a `(user, password)` pair, or null. */
function pairPassword(node: SyntaxNode): { node: SyntaxNode; value: string } | null {
  const pair = unparenthesize(node);
  if (!PAIR_TYPES.has(pair.type)) return null;
  const items = pair.namedChildren.filter((child) => child.type !== "comment");
  if (items.length !== 2) return null;
  const passwordNode = items[1] as SyntaxNode;
  const value = literalString(passwordNode);
  return value === null ? null : { node: passwordNode, value };
}

export const literalAuthTuple: RuleModule = {
  meta: {
    id: "PG-SEC-004",
    name: "literal-auth-tuple",
    title: "HTTP authentication with a literal password",
    sections: ["G6"],
    cwe: [798, 259],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports a literal password in HTTP client authentication: `auth=(\"user\", \"password\")` keyword arguments (requests, httpx, aiohttp style), `session.auth = (…)` and `credentials = (…)` pairs, and `HTTPBasicAuth`, `HTTPDigestAuth`, `HTTPProxyAuth`, `httpx.BasicAuth`, `httpx.DigestAuth`, `aiohttp.BasicAuth` and `HttpNtlmAuth` built with a literal password.",
      whyIsThisBad:
        "The password ships with the code: everyone who can read the repository, a build artefact or a stack trace can use the account, and changing it means a new release.",
      example:
        'import requests\n\n\ndef func_fetchReport(url):\n    return requests.get(url, auth=("reporter", "FAKE-hunter2"), timeout=10)',
      useInstead:
        'import os\n\nimport requests\n\n\ndef func_fetchReport(url):\n    credentials = (os.environ["REPORT_USER"], os.environ["REPORT_PASSWORD"])\n    return requests.get(url, auth=credentials, timeout=10)',
      notes:
        "Empty passwords, placeholders (`\"changeme\"`, `\"<password>\"`, `\"${PASSWORD}\"`, `\"{password}\"`, `\"xxx\"`…) and values taken from variables are not reported. A password marked as a test value (containing `FAKE`, `EXAMPLE`, `DUMMY`, `XXXX`…) is reported as a note; in test modules (`test_*.py`, `*_test.py`, `conftest.py`, `tests/`) findings are warnings. Option `placeholders`: extra whole values to treat as placeholders. Keyword `password=` of the auth classes is reported here, not by PG-SEC-001.",
    },
  },
  create(context) {
    const placeholders = new Set(stringListOption(context.options, "placeholders").map((value) => value.toLowerCase()));
    const inTests = isTestPath(context.path);

    function check(password: { node: SyntaxNode; value: string }, where: string): void {
      const verdict = judgePassword(password.value, placeholders);
      if (verdict === "skip") return;
      const severity: Severity | undefined = verdict === "marked" ? "note" : inTests ? "warning" : undefined;
      const marked = verdict === "marked" ? " (it is marked as a test value)" : "";
      context.report({
        node: password.node,
        message: `${where} is given a literal password (${password.value.length} characters)${marked}; read the username and password from the environment or a secret store at run time.`,
        ...(severity ? { severity } : {}),
      });
    }

    return {
      keyword_argument(node) {
        const name = field(node, "name");
        if (name?.text !== "auth") return;
        const value = field(node, "value");
        const password = value && pairPassword(value);
        if (password) check(password, "`auth=`");
      },
      assignment(node) {
        const right = field(node, "right");
        if (!right) return;
        const rightType = right.type;
        if (!PAIR_TYPES.has(rightType) && (rightType !== "parenthesized_expression" || !PAIR_TYPES.has(unparenthesize(right).type))) return;
        const left = field(node, "left");
        if (!left) return;
        const nameNode = left.type === "attribute" ? field(left, "attribute") : left.type === "identifier" ? left : null;
        if (!nameNode) return;
        const name = nameNode.text;
        const secret = name === "auth" ? null : secretName(name);
        if (name !== "auth" && secret?.family !== "auth" && secret?.family !== "credentials") return;
        const password = pairPassword(right);
        if (password) check(password, `\`${left.text.length <= 40 ? left.text : name}\``);
      },
      call(node) {
        const className = authConstructorName(node, context);
        if (!className) return;
        const args = callArguments(node);
        const passwordNode = args.keywords.get("password") ?? args.positional[1];
        if (!passwordNode) return;
        const value = literalString(passwordNode);
        if (value !== null) check({ node: passwordNode, value }, `\`${className}\``);
      },
    };
  },
};
