import type { FileAnalyses } from "../../engine/analyses/index.js";
import { callArguments, calleeLastName, field, stringLiteralValue, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { stringValue } from "./values.js";

const HTTP_VERBS = ["get", "post", "put", "patch", "delete", "head", "options"];
/** Module functions that fetch a URL, with the position of the URL argument. */
const URL_FUNCTIONS: Record<string, number> = {
  ...Object.fromEntries(HTTP_VERBS.map((verb) => [`requests.${verb}`, 0])),
  ...Object.fromEntries(HTTP_VERBS.map((verb) => [`httpx.${verb}`, 0])),
  "requests.request": 1,
  "requests.api.request": 1,
  "httpx.request": 1,
  "httpx.stream": 1,
  "urllib.request.urlopen": 0,
  "urllib.request.Request": 0,
  "urllib.request.urlretrieve": 0,
  "urllib2.urlopen": 0,
  "urllib2.Request": 0,
  "xmlrpc.client.ServerProxy": 0,
};
/** Session-like classes whose verb methods take a URL first. */
const SESSION_CLASSES = new Set([
  "requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client", "httpx.AsyncClient",
  "aiohttp.ClientSession",
]);
const SESSION_METHODS = new Set([...HTTP_VERBS, "request", "stream", "ws_connect"]);
const HTTP_CONNECTION = new Set(["http.client.HTTPConnection", "httplib.HTTPConnection"]);

const FILTER_NAMES = new Set([...HTTP_VERBS, "request", "stream", "urlopen", "Request", "urlretrieve", "ServerProxy", "HTTPConnection", "ws_connect"]);

/** Documentation and private-use names (RFC 2606, RFC 6761, RFC 8375) and link-local or loopback addresses. */
const LOCAL_SUFFIXES = [".localhost", ".local", ".internal", ".test", ".example", ".invalid", ".lan", ".home.arpa", ".localdomain", ".intranet", ".corp"];
const DOCUMENTATION_DOMAINS = /(?:^|\.)example\.(?:com|org|net)$/u;

/** True for hosts whose traffic does not leave the machine or a private name space. */
export function isLocalHost(rawHost: string): boolean {
  const host = rawHost.toLowerCase().replace(/^\[|\]$/gu, "").replace(/\.$/u, "");
  if (host === "localhost" || host === "::1" || host === "0.0.0.0" || host === "::" || host === "") return true;
  if (/^127\.\d+\.\d+\.\d+$/u.test(host) || /^169\.254\.\d+\.\d+$/u.test(host)) return true;
  if (/^fe80:/u.test(host)) return true;
  if (LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) return true;
  if (DOCUMENTATION_DOMAINS.test(host)) return true;
  // A single-label name (`api`, `redis`, `backend`) is a service on a private network (Docker, Kubernetes).
  return !host.includes(".") && !host.includes(":");
}

interface Prefix {
  text: string;
  /** The whole value is known (a constant), not just its start. */
  complete: boolean;
}

/** The constant start of a string expression: a constant, an f-string's text before its first value, the left of `+`, a `.format` template. */
function constantPrefix(analyses: FileAnalyses, expression: SyntaxNode, depth = 0): Prefix | null {
  if (depth > 4) return null;
  const node = unparenthesize(expression);
  const constant = analyses.constant(node);
  if (constant) return typeof constant.value === "string" ? { text: constant.value, complete: true } : null;
  switch (node.type) {
    case "string": {
      let text = "";
      for (const child of node.namedChildren) {
        if (child.type === "interpolation") {
          // f"{BASE_URL}/orders/{orderId}": a constant value continues the prefix.
          const inner = field(child, "expression") ?? child.namedChild(0);
          const value = inner ? analyses.constant(inner) : undefined;
          if (typeof value?.value !== "string") return { text, complete: false };
          text += value.value;
        } else if (child.type === "string_content") text += child.text;
      }
      return { text: stringLiteralValue(node) ?? text, complete: true };
    }
    case "binary_operator": {
      const left = field(node, "left");
      const operator = field(node, "operator")?.type;
      if (!left) return null;
      const prefix = constantPrefix(analyses, left, depth + 1);
      if (!prefix) return null;
      if (operator === "%") return { text: prefix.text.split("%")[0] ?? "", complete: false };
      return operator === "+" ? { text: prefix.text, complete: false } : null;
    }
    case "call": {
      const callee = field(node, "function");
      if (callee?.type !== "attribute" || field(callee, "attribute")?.text !== "format") return null;
      const receiver = field(callee, "object");
      const template = receiver ? stringValue(receiver) : null;
      return template === null ? null : { text: template.split("{")[0] ?? "", complete: false };
    }
    case "identifier": {
      const binding = analyses.scopes.bindingBefore(node.text, node);
      if (binding?.kind !== "assignment" || !binding.value) return null;
      const prefix = constantPrefix(analyses, binding.value, depth + 1);
      return prefix ? { text: prefix.text, complete: false } : null;
    }
    default:
      return null;
  }
}

const HTTP_URL = /^\s*http:\/\/(?:[^@/?#\s]*@)?(\[[^\]]*\]|[^/:?#\s]+)([/:?#]|$)/iu;

/** The host of a cleartext URL whose host is fully known, or null. */
function cleartextHost(prefix: Prefix): string | null {
  const match = HTTP_URL.exec(prefix.text);
  if (!match) return null;
  const terminated = match[2] !== "" || prefix.complete;
  return terminated ? (match[1] as string) : null;
}

export const cleartextHttp: RuleModule = {
  meta: {
    id: "PG-CRYPTO-008",
    name: "cleartext-http",
    title: "HTTP request in clear text to a remote host",
    sections: ["C2", "C8"],
    cwe: [319],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports requests to `http://` URLs whose scheme and host are constant (a literal, a module constant, the start of an f-string or of a `+` concatenation): `requests` and `httpx` functions and sessions (`requests.Session()`, `httpx.Client()`, `aiohttp.ClientSession()`), `urllib.request.urlopen`/`Request`/`urlretrieve` and `xmlrpc.client.ServerProxy`, and `http.client.HTTPConnection` to a constant host.",
      whyIsThisBad:
        "Plain HTTP is readable and changeable by anyone on the network path: Wi-Fi users, proxies, ISPs. Credentials, tokens and personal data sent this way leak, and responses can be replaced with an attacker's.",
      example: 'import requests\n\n\ndef func_fetchOrders(apiToken):\n    return requests.get("http://api.partner.com/v1/orders", headers={"Authorization": apiToken}, timeout=10)',
      useInstead:
        'import requests\n\n\ndef func_fetchOrders(apiToken):\n    return requests.get("https://api.partner.com/v1/orders", headers={"Authorization": apiToken}, timeout=10)',
      notes:
        "Not reported: loopback and link-local addresses (`localhost`, `127.0.0.0/8`, `::1`, `169.254.169.254` metadata), reserved and private-use names (`*.localhost`, `*.local`, `*.internal`, `*.test`, `*.example`, `*.invalid`, `*.lan`, `*.home.arpa`, `example.com`), and single-label hosts (`http://backend:8080`, service names on a container network). Private IP ranges (10/8, 172.16/12, 192.168/16) are reported: the traffic still crosses a network. URLs that are not constants (from configuration or input) are not reported here; tainted URLs are PG-SSRF's.",
    },
  },
  create(context) {
    const analyses = context.analyses;
    const aliases = new ImportAliases(FILTER_NAMES);

    /** True when `receiver` is a session object: `requests.Session()`, or a name bound to one (also by `with … as`). */
    function isSession(receiver: SyntaxNode): boolean {
      let value: SyntaxNode | null = unparenthesize(receiver);
      if (value.type === "identifier") {
        const binding = analyses.scopes.bindingBefore(value.text, value);
        value = (binding?.kind === "assignment" || binding?.kind === "with") && binding.value ? unparenthesize(binding.value) : null;
      }
      if (value?.type !== "call") return false;
      const constructor = field(value, "function");
      const resolved = constructor ? analyses.resolve(constructor) : null;
      return resolved !== null && resolved.origin !== "local" && SESSION_CLASSES.has(resolved.name);
    }

    function urlArgument(call: SyntaxNode, callee: SyntaxNode, lastName: string): { url: SyntaxNode | undefined; api: string } | null {
      const args = callArguments(call);
      const resolved = analyses.resolve(callee);
      if (resolved && resolved.origin !== "local") {
        const position = URL_FUNCTIONS[resolved.name];
        if (position !== undefined) return { url: args.keywords.get("url") ?? args.positional[position], api: callee.text };
      }
      if (callee.type === "attribute" && SESSION_METHODS.has(lastName)) {
        const receiver = field(callee, "object");
        if (receiver && isSession(receiver)) {
          const position = lastName === "request" || lastName === "stream" ? 1 : 0;
          return { url: args.keywords.get("url") ?? args.keywords.get("str_or_url") ?? args.positional[position], api: callee.text };
        }
      }
      return null;
    }

    function checkConnection(call: SyntaxNode, callee: SyntaxNode): boolean {
      const resolved = analyses.resolve(callee);
      if (!resolved || resolved.origin === "local" || !HTTP_CONNECTION.has(resolved.name)) return false;
      const args = callArguments(call);
      const host = stringValue(args.keywords.get("host") ?? args.positional[0]);
      const constantHost = host ?? (args.positional[0] ? analyses.constant(args.positional[0])?.value : undefined);
      if (typeof constantHost !== "string") return true;
      const name = constantHost.replace(/:\d+$/u, "");
      if (isLocalHost(name)) return true;
      context.report({
        node: call,
        message: `\`${callee.text}\` connects to \`${name}\` without TLS, so the traffic can be read and changed on the way; use \`http.client.HTTPSConnection\`.`,
      });
      return true;
    }

    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        if (lastName === "HTTPConnection" || !FILTER_NAMES.has(lastName)) {
          if (checkConnection(node, callee)) return;
        }
        // The cheapest test first: does the URL argument start with a constant `http://host`?
        let realName = lastName;
        if (!FILTER_NAMES.has(lastName)) {
          const resolved = analyses.resolve(callee);
          if (!resolved || resolved.origin === "local") return;
          realName = resolved.name.slice(resolved.name.lastIndexOf(".") + 1);
        }
        const args = callArguments(node);
        const candidate = args.keywords.get("url") ?? args.keywords.get("str_or_url") ?? args.positional[realName === "request" || realName === "stream" ? 1 : 0];
        if (!candidate) return;
        const prefix = constantPrefix(analyses, candidate);
        const host = prefix ? cleartextHost(prefix) : null;
        if (!prefix || host === null || isLocalHost(host)) return;
        const target = urlArgument(node, callee, realName);
        if (!target?.url || target.url.startIndex !== candidate.startIndex) return;
        const shown = prefix.text.length > 60 ? `${prefix.text.slice(0, 59)}…` : prefix.text;
        context.report({
          node,
          message: `\`${target.api}\` sends the request to \`${shown}${prefix.complete ? "" : "…"}\` over plain HTTP, where anyone on the network path can read and change it; use \`https://\`.`,
        });
      },
    };
  },
};
