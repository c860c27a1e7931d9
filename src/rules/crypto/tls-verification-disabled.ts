import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { stringValue } from "./values.js";

const HTTP_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream", "ws_connect"]);
const HTTP_CLIENT_MODULES = ["requests", "httpx", "aiohttp", "urllib3"];
const UNVERIFIED_CONTEXTS = new Set(["ssl._create_unverified_context", "ssl._create_stdlib_context"]);
const CERT_NONE = new Set(["ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"]);
const VERIFY_NONE = new Set(["OpenSSL.SSL.VERIFY_NONE"]);
const DISABLE_WARNINGS = new Set(["urllib3.disable_warnings", "requests.packages.urllib3.disable_warnings"]);
const AIOHTTP_CONNECTORS = new Set(["aiohttp.TCPConnector", "aiohttp.connector.TCPConnector"]);

const FILTER_NAMES = new Set([
  ...HTTP_METHODS, "Client", "AsyncClient", "Session", "TCPConnector", "PoolManager", "ProxyManager", "HTTPSConnectionPool",
  "_create_unverified_context", "_create_stdlib_context", "disable_warnings", "set_verify",
  "wrap_socket", "connection_from_url", "urlopen",
]);

const ADVICE =
  "keep certificate checks on; to trust a private CA, pass its bundle instead (`verify=\"/etc/ssl/private-ca.pem\"` for requests and httpx, `ssl.create_default_context(cafile=…)` elsewhere)";

export const tlsVerificationDisabled: RuleModule = {
  meta: {
    id: "PG-CRYPTO-009",
    name: "tls-verification-disabled",
    title: "TLS certificate or host name verification turned off",
    sections: ["C2", "C8"],
    cwe: [295],
    defaultSeverity: "error",
    bandit: ["B501", "B323"],
    docs: {
      whatItDoes:
        "Reports code that turns TLS verification off: `verify=False` on `requests`/`httpx` calls, sessions and clients (and `session.verify = False`), aiohttp `ssl=False`/`verify_ssl=False`, `ssl._create_unverified_context()` (also installed as `ssl._create_default_https_context`), `ssl.CERT_NONE` as `verify_mode` or `cert_reqs`, `check_hostname = False`, and pyOpenSSL `set_verify(VERIFY_NONE, …)`. `urllib3.disable_warnings()` is reported as a note: it hides the warning that verification is off.",
      whyIsThisBad:
        "Without certificate and host name checks, anyone on the network path can pose as the server (a man in the middle) and read or change everything, including credentials. TLS without verification only protects against passive eavesdroppers.",
      example: 'import requests\n\n\ndef func_fetch(url):\n    return requests.get(url, verify=False, timeout=10)',
      useInstead: 'import requests\n\n\ndef func_fetch(url):\n    return requests.get(url, verify="/etc/ssl/certs/private-ca.pem", timeout=10)',
      notes:
        "`verify=\"/path/ca.pem\"` (a CA bundle) and `verify=True` are fine. Only literal `False` (or 0) is reported: a value from configuration is not, since it may be true in production. `.verify = False` assignments are reported in files that import requests or httpx. SSH host-key policies (paramiko `AutoAddPolicy`) are PG-CONF-005's.",
    },
  },
  create(context) {
    const analyses = context.analyses;
    let importsHttpClient: boolean | undefined;

    function httpClientFile(): boolean {
      importsHttpClient ??= HTTP_CLIENT_MODULES.some((module) => analyses.importsModule(module));
      return importsHttpClient;
    }

    function isFalse(node: SyntaxNode | undefined): node is SyntaxNode {
      if (!node) return false;
      const inner = unparenthesize(node);
      return inner.type === "false" || (inner.type === "integer" && inner.text === "0");
    }

    function resolvedName(node: SyntaxNode): string | null {
      const inner = unparenthesize(node);
      if (inner.type !== "identifier" && inner.type !== "attribute") return null;
      const resolved = analyses.resolve(inner);
      return resolved && resolved.origin !== "local" ? resolved.name : null;
    }

    function isCertNone(node: SyntaxNode): boolean {
      const name = resolvedName(node);
      if (name && CERT_NONE.has(name)) return true;
      const text = stringValue(node);
      return text === "CERT_NONE" || text === "NONE";
    }

    function checkCall(node: SyntaxNode, callee: SyntaxNode, lastName: string): void {
      const args = callArguments(node);
      const verify = args.keywords.get("verify");
      if (isFalse(verify) && httpClientFile() && lastName !== "decode" && lastName !== "encode") {
        context.report({ node, message: `\`${callee.text}\` is called with \`verify=False\`: the server's certificate is not checked, so anyone on the path can pose as it; ${ADVICE}.` });
        return;
      }
      const ssl = args.keywords.get("ssl") ?? args.keywords.get("verify_ssl");
      if (isFalse(ssl) && analyses.importsModule("aiohttp")) {
        const name = resolvedName(callee);
        if ((name && AIOHTTP_CONNECTORS.has(name)) || (callee.type === "attribute" && HTTP_METHODS.has(lastName))) {
          const keyword = args.keywords.has("ssl") ? "ssl" : "verify_ssl";
          context.report({ node, message: `\`${callee.text}\` is called with \`${keyword}=False\`: aiohttp skips certificate checks, so anyone on the path can pose as the server; ${ADVICE}.` });
          return;
        }
      }
      const certReqs = args.keywords.get("cert_reqs");
      if (certReqs && isCertNone(certReqs)) {
        context.report({ node, message: `\`${callee.text}\` is called with \`cert_reqs=${certReqs.text}\`: certificates are not checked; use \`ssl.CERT_REQUIRED\` (the default of \`ssl.create_default_context()\`).` });
        return;
      }
      switch (lastName) {
        case "_create_unverified_context":
        case "_create_stdlib_context": {
          const name = resolvedName(callee);
          if (name && UNVERIFIED_CONTEXTS.has(name)) {
            context.report({ node, message: `\`${callee.text}()\` makes a TLS context that checks neither certificates nor host names; use \`ssl.create_default_context()\`.` });
          }
          return;
        }
        case "disable_warnings": {
          const name = resolvedName(callee);
          if (name && DISABLE_WARNINGS.has(name)) {
            context.report({
              node,
              severity: "note",
              message: `\`${callee.text}\` silences urllib3's warnings, including the one that says certificate checks are off; fix the verification instead of hiding the warning.`,
            });
          }
          return;
        }
        case "set_verify": {
          const mode = args.positional[0] ?? args.keywords.get("mode");
          const name = mode ? resolvedName(mode) : null;
          if (name && VERIFY_NONE.has(name)) {
            context.report({ node, message: `\`${callee.text}\` sets \`VERIFY_NONE\`: the peer's certificate is not checked; use \`SSL.VERIFY_PEER\` with a trusted CA.` });
          }
          return;
        }
        default:
          return;
      }
    }

    function checkAssignment(node: SyntaxNode): void {
      const left = field(node, "left");
      const right = field(node, "right");
      if (left?.type !== "attribute" || !right) return;
      const attribute = field(left, "attribute")?.text;
      switch (attribute) {
        case "verify_mode":
          if (isCertNone(right)) {
            context.report({ node, message: `\`${left.text}\` is set to \`${right.text}\`: certificates are not checked, so anyone on the path can pose as the server; keep \`ssl.CERT_REQUIRED\`.` });
          }
          return;
        case "check_hostname":
          if (isFalse(right)) {
            context.report({ node, message: `\`${left.text} = False\` accepts a valid certificate for any host name, so any site's certificate passes; keep host name checks on.` });
          }
          return;
        case "verify":
          if (isFalse(right) && httpClientFile()) {
            context.report({ node, message: `\`${left.text} = False\` turns certificate checks off for every request of this session; ${ADVICE}.` });
          }
          return;
        case "_create_default_https_context": {
          const name = resolvedName(right);
          if (name && UNVERIFIED_CONTEXTS.has(name)) {
            context.report({ node, message: `\`${left.text}\` is replaced with \`${right.text}\`: every HTTPS connection of the process stops checking certificates; remove this line.` });
          }
          return;
        }
        default:
          return;
      }
    }

    return {
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !FILTER_NAMES.has(lastName)) return;
        const callee = field(node, "function");
        if (callee) checkCall(node, callee, lastName);
      },
      assignment: checkAssignment,
    };
  },
};
