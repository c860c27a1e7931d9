import type { ConstantValue } from "../../engine/analyses/constants.js";
import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { snippet, untrustedSource } from "../input-validation/flows.js";
import { valueOf } from "../input-validation/sink-support.js";
import { FetchWatcher } from "./fetch-analysis.js";

/** Names of values that hold a URL, a host or an e-mail address. */
const URLISH_NAME = /(?:url|uri|link|href|host|domain|netloc|origin|referr?er|redirect|next|callback|return_?to|endpoint|target|website|site|webhook|location|dest|email|mail)/iu;
/** A host name or a URL with one: `example.com`, `https://api.example.com/x`. */
const HOSTISH = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:[/?#].*)?$/iu;
/** Scheme and host with nothing closing the host: `https://trusted.example`. */
const OPEN_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@\\]+$/iu;
/** A domain suffix without the leading dot: `trusted.example`. */
const BARE_DOMAIN = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/iu;
const FILE_EXTENSION =
  /\.(?:py|pyc|js|mjs|ts|json|xml|html?|css|txt|md|rst|csv|tsv|pdf|png|jpe?g|gif|svg|webp|zip|gz|tar|tgz|bz2|xz|7z|exe|dll|so|sh|ya?ml|toml|ini|cfg|conf|log|lock|whl|egg|docx?|xlsx?|pptx?|mp[34]|wav|ico|woff2?|ttf|map|sql|db|sqlite3?|bak|tmp|pem|crt|key|pub|env|jinja2?|j2|tpl)$/iu;
const NORMALISERS: ReadonlySet<string> = new Set(["lower", "upper", "strip", "rstrip", "lstrip", "casefold"]);
const REGEX_FUNCTIONS: ReadonlySet<string> = new Set(["re.match", "re.search", "re.fullmatch", "regex.match", "regex.search", "regex.fullmatch"]);
const REGEX_COMPILE: ReadonlySet<string> = new Set(["re.compile", "regex.compile"]);
const REGEX_METHODS: ReadonlySet<string> = new Set(["match", "search", "fullmatch"]);
/** A host written in a pattern, dots escaped or not: `trusted\.example`, `api.trusted.example`. */
const HOST_IN_PATTERN = /[a-z0-9-]+(?:\\?\.[a-z0-9-]+)*\\?\.[a-z]{2,}(?![a-z0-9-])/giu;
/** What may follow a host in a pattern and close it: end anchors, `/`, `:` (a port), or a group that starts with one. */
const CLOSES_HOST = /^(?:\$|\\Z|\\z|\\?\/|:|\(\?[:=]?(?:\$|\\?\/|:|\[)|\((?:\$|\\?\/|:|\[)|\[[^\]]*(?:\/|:)[^\]]*\])/u;

interface Finding {
  node: SyntaxNode;
  message: string;
}

/** Constant strings a value stands for: one, a tuple of them, or the values a loop variable runs over. */
function constantStrings(context: RuleContext, node: SyntaxNode, loop: Map<string, string[]>): string[] | null {
  const expression = unparenthesize(node);
  if (expression.type === "identifier") {
    const values = loop.get(expression.text);
    if (values) return values;
  }
  const constant = context.analyses.constant(expression);
  if (!constant) return null;
  return stringsOf(constant.value);
}

function stringsOf(value: ConstantValue): string[] | null {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
  return null;
}

/** The constant strings of a collection a loop runs over: a tuple or list literal, or a name bound to one (also a set). */
function loopValues(context: RuleContext, iterable: SyntaxNode): string[] | null {
  const constant = context.analyses.constant(iterable);
  if (constant) return stringsOf(constant.value);
  const value = valueOf(context, iterable);
  if (value.type !== "set" && value.type !== "list" && value.type !== "tuple") return null;
  const result: string[] = [];
  for (const element of value.namedChildren) {
    if (element.type === "comment") continue;
    const item = context.analyses.constant(element)?.value;
    if (typeof item !== "string") return null;
    result.push(item);
  }
  return result;
}

/** True when an expression holds a URL, host or address: by its name, or because it carries request data meant for a URL. */
function isUrlish(context: RuleContext, node: SyntaxNode): boolean {
  let expression = unparenthesize(node);
  // `email.lower()`, `host.strip().casefold()`: the value before normalising.
  for (let guard = 0; guard < 3 && expression.type === "call"; guard++) {
    const callee = field(expression, "function");
    const object = callee?.type === "attribute" && NORMALISERS.has(field(callee, "attribute")?.text ?? "") ? field(callee, "object") : null;
    if (!object) break;
    expression = unparenthesize(object);
  }
  const named = expression.type === "identifier" ? expression.text : expression.type === "attribute" ? (field(expression, "attribute")?.text ?? "") : "";
  if (named && URLISH_NAME.test(named)) return true;
  if (expression.type === "call") {
    // `urlparse(x).netloc.lower()`, `request.headers.get("Referer")`
    const text = expression.text;
    if (/\.(?:netloc|hostname|host)\b/u.test(text) || /["'](?:referr?er|origin|host)["']/iu.test(text)) return true;
  }
  return untrustedSource(context, expression, "url") !== null;
}

function isCollection(context: RuleContext, node: SyntaxNode): boolean {
  const value = valueOf(context, node);
  return ["list", "tuple", "set", "dictionary", "list_comprehension", "set_comprehension", "dictionary_comprehension"].includes(value.type);
}

/** Scans a pattern for a `.` that matches any character between two letters or digits of a host. */
function unescapedDot(pattern: string): boolean {
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index];
    if (character === "\\") {
      index++;
      continue;
    }
    if (inClass) {
      if (character === "]") inClass = false;
      continue;
    }
    if (character === "[") {
      inClass = true;
      continue;
    }
    if (character !== "." || index === 0) continue;
    const before = pattern[index - 1] ?? "";
    const after = pattern.slice(index + 1);
    if (/[a-z0-9-]/iu.test(before) && /^[a-z]{2,}/iu.test(after)) return true;
  }
  return false;
}

function regexProblem(pattern: string, method: string): string | null {
  const hosts = [...pattern.matchAll(HOST_IN_PATTERN)];
  const last = hosts.at(-1);
  if (!last) return null;
  const host = last[0].replace(/\\\./gu, ".");
  if (unescapedDot(pattern)) {
    const sample = host.replace(/\.(?=[^.]*$)/u, "X");
    return `its unescaped \`.\` matches any character, so \`${sample}\` passes too`;
  }
  if (method === "search" && !/^(?:\^|\\A)/u.test(pattern)) return `\`search\` finds it anywhere, so \`https://evil.example/?u=${host}\` passes`;
  if (method !== "fullmatch") {
    const after = pattern.slice((last.index ?? 0) + last[0].length);
    if (!CLOSES_HOST.test(after)) return `nothing ends the host after \`${host}\`, so \`https://${host}.evil.example/\` passes`;
  }
  return null;
}

const PARSE_ADVICE = "parse the URL and compare its host exactly (`urlparse(url).hostname in ALLOWED_HOSTS`)";

export const bypassableAllowList: RuleModule = {
  meta: {
    id: "PG-SSRF-003",
    name: "bypassable-url-allowlist",
    title: "URL allow-list check that a crafted URL passes",
    sections: ["C10", "G3"],
    cwe: [20, 918],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports `if` conditions that check a URL or host in a way a crafted value passes: a substring test (`\"trusted.example\" in url`, also as `any(d in url for d in DOMAINS)`), a prefix with no `/` after the host (`url.startswith(\"https://trusted.example\")`), a suffix with no leading dot (`host.endswith(\"trusted.example\")`, `email.endswith(\"trusted.example\")`), and a constant regular expression on a URL with an unescaped `.` in the host, a `search` without `^`, or nothing that ends the host. As a note, a fetch of request data that is checked against an allow-list but follows redirects (`requests`, `aiohttp`, `urllib3` and `urlopen` do by default; `httpx` when asked).",
      whyIsThisBad:
        "The check is meant to let only one site through, but `https://evil.example/?trusted.example` contains the name, `https://trusted.example.evil.example/` and `https://trusted.example@evil.example/` start with the prefix, `eviltrusted.example` ends with the suffix, and `trustedXexample` matches `trusted.example` as a pattern. Whatever the check guards (a fetch, a redirect, a CORS origin, a sign-up domain) then trusts the attacker's host.",
      example:
        'import requests\nfrom flask import abort, request\n\n@app.route("/fetch")\ndef func_fetch():\n    url = request.args["url"]\n    if not url.startswith("https://images.example.com"):\n        abort(400)\n    return requests.get(url, timeout=5).content',
      useInstead:
        'from urllib.parse import urlparse\n\nimport requests\nfrom flask import abort, request\n\n@app.route("/fetch")\ndef func_fetch():\n    url = request.args["url"]\n    parsed = urlparse(url)\n    if parsed.scheme != "https" or parsed.hostname != "images.example.com":\n        abort(400)\n    return requests.get(url, timeout=5, allow_redirects=False).content',
      notes:
        "Not reported: exact comparisons (`==`, `in ALLOWED_HOSTS` with a collection), prefixes that close the host (`\"https://trusted.example/\"`), suffixes with the dot (`\".trusted.example\"`) or `@` for e-mail addresses, `fullmatch`/anchored patterns with escaped dots, and `endswith` of file names (`\"report.pdf\"`). Substring and suffix tests are reported only on values named like a URL, host, domain, origin, referrer or e-mail address, or carrying request data; a prefix or pattern with a scheme and host counts whatever the name. Only conditions of `if`/`elif` are read.",
    },
  },
  create(context) {
    function membership(atom: SyntaxNode, loop: Map<string, string[]>): Finding | null {
      const operator = atom.children.find((child) => !child.isNamed)?.type;
      if (operator !== "in" && operator !== "not in") return null;
      const [needle, haystack] = atom.namedChildren;
      if (!needle || !haystack) return null;
      const values = constantStrings(context, needle, loop);
      if (!values || !values.some((value) => HOSTISH.test(value) && !FILE_EXTENSION.test(value))) return null;
      if (context.analyses.constant(haystack) || isCollection(context, haystack) || !isUrlish(context, haystack)) return null;
      const sample = values.find((value) => HOSTISH.test(value) && !FILE_EXTENSION.test(value)) as string;
      const host = sample.replace(/^[a-z][a-z0-9+.-]*:\/\//iu, "").replace(/[/?#:].*$/u, "");
      return {
        node: atom,
        message: `\`${snippet(atom)}\` is a substring test: \`https://evil.example/?${host}\` and \`https://${host}.evil.example/\` contain \`${sample}\` too; ${PARSE_ADVICE}.`,
      };
    }

    function affix(atom: SyntaxNode, method: string, receiver: SyntaxNode, argumentNode: SyntaxNode, loop: Map<string, string[]>): Finding | null {
      const values = constantStrings(context, argumentNode, loop);
      if (!values) return null;
      if (method === "startswith") {
        const open = values.find((value) => OPEN_PREFIX.test(value));
        if (!open) return null;
        return {
          node: atom,
          message: `\`${snippet(atom)}\` leaves the host open: \`${open}.evil.example/\` and \`${open}@evil.example/\` start with \`${open}\` too; end the prefix with \`/\` (\`"${open}/"\`) or ${PARSE_ADVICE}.`,
        };
      }
      const bare = values.find((value) => BARE_DOMAIN.test(value) && !FILE_EXTENSION.test(value));
      if (!bare || !isUrlish(context, receiver)) return null;
      const email = /mail/iu.test(receiver.text);
      const fix = email ? `check \`"@${bare}"\`` : `check \`== "${bare}"\` or \`.endswith(".${bare}")\``;
      const bypass = email ? `\`someone@evil${bare}\`` : `\`evil${bare}\``;
      return { node: atom, message: `\`${snippet(atom)}\` accepts ${bypass}: the suffix does not start at a ${email ? "`@`" : "dot"}; ${fix}.` };
    }

    function regexCheck(atom: SyntaxNode, callee: SyntaxNode): Finding | null {
      const args = callArguments(atom);
      let pattern: string | undefined;
      let subject: SyntaxNode | undefined;
      let method = "";
      const resolved = callee.type === "identifier" || callee.type === "attribute" ? context.analyses.resolve(callee) : null;
      if (resolved && resolved.origin !== "local" && REGEX_FUNCTIONS.has(resolved.name)) {
        const value = args.positional[0] ? context.analyses.constant(args.positional[0])?.value : undefined;
        if (typeof value === "string") pattern = value;
        subject = args.positional[1];
        method = resolved.name.slice(resolved.name.lastIndexOf(".") + 1);
      } else if (callee.type === "attribute" && REGEX_METHODS.has(field(callee, "attribute")?.text ?? "")) {
        const receiver = field(callee, "object");
        const compiled = receiver ? valueOf(context, receiver) : null;
        if (compiled?.type !== "call") return null;
        const compiler = field(compiled, "function");
        const compilerName = compiler ? context.analyses.resolve(compiler) : null;
        if (!compilerName || compilerName.origin === "local" || !REGEX_COMPILE.has(compilerName.name)) return null;
        const first = callArguments(compiled).positional[0];
        const value = first ? context.analyses.constant(first)?.value : undefined;
        if (typeof value === "string") pattern = value;
        subject = args.positional[0];
        method = field(callee, "attribute")?.text ?? "";
      }
      if (pattern === undefined || !subject || !isUrlish(context, subject)) return null;
      const problem = regexProblem(pattern, method);
      if (!problem) return null;
      return { node: atom, message: `The pattern \`${pattern.length > 50 ? `${pattern.slice(0, 47)}...` : pattern}\` checks a URL, but ${problem}; escape the dots and anchor both ends (\`re.fullmatch\`), or better, ${PARSE_ADVICE}.` };
    }

    function callCheck(atom: SyntaxNode, loop: Map<string, string[]>): Finding | null {
      const callee = field(atom, "function");
      if (!callee) return null;
      if (callee.type === "identifier" && (callee.text === "any" || callee.text === "all")) return generatorCheck(atom);
      if (callee.type === "attribute") {
        const method = field(callee, "attribute")?.text ?? "";
        if (method === "startswith" || method === "endswith") {
          const receiver = field(callee, "object");
          const argumentNode = callArguments(atom).positional[0];
          return receiver && argumentNode ? affix(atom, method, receiver, argumentNode, loop) : null;
        }
      }
      return regexCheck(atom, callee);
    }

    /** `any(domain in url for domain in DOMAINS)`, `any(url.startswith(p) for p in PREFIXES)`. */
    function generatorCheck(call: SyntaxNode): Finding | null {
      const generator = callArguments(call).positional[0];
      if (generator?.type !== "generator_expression") return null;
      const body = field(generator, "body");
      const clause = generator.namedChildren.find((child) => child.type === "for_in_clause");
      const variable = clause ? field(clause, "left") : null;
      const iterable = clause ? field(clause, "right") : null;
      if (!body || variable?.type !== "identifier" || !iterable) return null;
      const values = loopValues(context, iterable);
      if (!values) return null;
      const loop = new Map([[variable.text, values]]);
      const inner = unparenthesize(body);
      const found = inner.type === "comparison_operator" ? membership(inner, loop) : inner.type === "call" ? callCheck(inner, loop) : null;
      return found ? { node: call, message: found.message.replace(`\`${snippet(inner)}\``, `\`${snippet(call)}\``) } : null;
    }

    function checkCondition(condition: SyntaxNode): void {
      const pending = [condition];
      for (let guard = 0; pending.length > 0 && guard < 32; guard++) {
        const atom = unparenthesize(pending.pop() as SyntaxNode);
        if (atom.type === "boolean_operator") {
          const left = field(atom, "left");
          const right = field(atom, "right");
          if (right) pending.push(right);
          if (left) pending.push(left);
          continue;
        }
        if (atom.type === "not_operator") {
          const inner = field(atom, "argument");
          if (inner) pending.push(inner);
          continue;
        }
        const found = atom.type === "comparison_operator" ? membership(atom, new Map()) : atom.type === "call" ? callCheck(atom, new Map()) : null;
        if (found) context.report({ node: found.node, message: found.message });
      }
    }

    const watcher = new FetchWatcher(context);

    return {
      import_from_statement: watcher.visitImport,
      call(node) {
        const fetch = watcher.inspect(node, calleeLastName(node));
        if (!fetch?.checked || !fetch.sink.followsRedirects) return;
        const { sinkName } = fetch.sink;
        const option = /^(?:httpx|client)\b/u.test(sinkName) ? "follow_redirects=False" : /urlopen|urlretrieve|Request|open$/u.test(sinkName) ? "an opener without redirects" : "allow_redirects=False";
        context.report({
          node,
          severity: "note",
          message: `\`${snippet(fetch.node)}\` (from \`${fetch.source.label}\` on line ${fetch.source.line}) is checked against an allow-list, but \`${sinkName}\` follows redirects: an allowed host that redirects (an open redirect on it) sends the request anywhere; turn redirects off (${option === "an opener without redirects" ? option : `\`${option}\``}) or check the host of every hop.`,
        });
      },
      if_statement(node) {
        const condition = field(node, "condition");
        if (condition) checkCondition(condition);
      },
      elif_clause(node) {
        const condition = field(node, "condition");
        if (condition) checkCondition(condition);
      },
    };
  },
};
