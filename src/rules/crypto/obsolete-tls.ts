import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";

/** Protocol constants that select SSL 2/3 or TLS 1.0/1.1 (stdlib `ssl` and pyOpenSSL). */
const OBSOLETE_PROTOCOLS: Record<string, string> = {
  "ssl.PROTOCOL_SSLv2": "SSL 2.0",
  "ssl.PROTOCOL_SSLv3": "SSL 3.0",
  "ssl.PROTOCOL_TLSv1": "TLS 1.0",
  "ssl.PROTOCOL_TLSv1_1": "TLS 1.1",
  "OpenSSL.SSL.SSLv2_METHOD": "SSL 2.0",
  "OpenSSL.SSL.SSLv3_METHOD": "SSL 3.0",
  "OpenSSL.SSL.TLSv1_METHOD": "TLS 1.0",
  "OpenSSL.SSL.TLSv1_1_METHOD": "TLS 1.1",
};
/** `ssl.TLSVersion` members below TLS 1.2, for `minimum_version`/`maximum_version`. */
const OBSOLETE_VERSIONS: Record<string, string> = {
  "ssl.TLSVersion.SSLv3": "SSL 3.0",
  "ssl.TLSVersion.TLSv1": "TLS 1.0",
  "ssl.TLSVersion.TLSv1_1": "TLS 1.1",
  "ssl.TLSVersion.MINIMUM_SUPPORTED": "the oldest version the library supports",
};
const PROTOCOL_KEYWORDS = ["ssl_version", "protocol", "method", "ssl_minimum_version", "minimum_version", "maximum_version", "ssl_maximum_version"];
const CONTEXT_CONSTRUCTORS = new Set(["ssl.SSLContext", "OpenSSL.SSL.Context"]);
const WRAP_SOCKET = new Set(["ssl.wrap_socket"]);
const VERSION_ATTRIBUTES = new Set(["minimum_version", "maximum_version"]);
/** Callees that take a protocol version: the cheap filter before arguments are read. */
const PROTOCOL_TAKERS = new Set([
  "SSLContext", "Context", "wrap_socket", "PoolManager", "ProxyManager", "HTTPSConnectionPool", "connection_from_url",
  "HTTPSConnection", "init_poolmanager", "proxy_manager_for", "SMTP_SSL", "FTP_TLS", "IMAP4_SSL", "POP3_SSL",
  "create_urllib3_context", "ssl_wrap_socket", "TCPConnector", "Client", "AsyncClient",
]);

const ADVICE = "use `ssl.create_default_context()` (TLS 1.2 or later) and set `minimum_version = ssl.TLSVersion.TLSv1_2` if you set one";

export const obsoleteTls: RuleModule = {
  meta: {
    id: "PG-CRYPTO-010",
    name: "obsolete-tls-protocol",
    title: "SSL 2/3 or TLS 1.0/1.1 selected, or the deprecated `ssl.wrap_socket`",
    sections: ["C2", "C8"],
    cwe: [327, 757],
    defaultSeverity: "warning",
    bandit: ["B502", "B503", "B504"],
    docs: {
      whatItDoes:
        "Reports protocol versions below TLS 1.2: `ssl.PROTOCOL_SSLv2/SSLv3/TLSv1/TLSv1_1` and pyOpenSSL `SSLv2_METHOD`…`TLSv1_1_METHOD` passed to `ssl.SSLContext`, `SSL.Context` or as `ssl_version=`; `ssl.TLSVersion.TLSv1`/`TLSv1_1`/`SSLv3` set as `minimum_version` or `maximum_version`. Also reports `ssl.wrap_socket`, deprecated since Python 3.7 and removed in 3.12, which does not check host names.",
      whyIsThisBad:
        "SSL 3.0 and TLS 1.0/1.1 have known attacks (POODLE, BEAST) and weak cipher suites; RFC 8996 deprecates them and browsers refuse them. A client or server that still accepts them can be downgraded by an attacker on the path.",
      example: 'import ssl\n\n\ndef func_serverContext():\n    return ssl.SSLContext(ssl.PROTOCOL_TLSv1)',
      useInstead:
        'import ssl\n\n\ndef func_serverContext():\n    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)\n    context.minimum_version = ssl.TLSVersion.TLSv1_2\n    return context',
      notes: "`ssl.PROTOCOL_TLS`, `PROTOCOL_TLS_CLIENT`/`PROTOCOL_TLS_SERVER` and `ssl.PROTOCOL_SSLv23` negotiate the best version and are not reported.",
    },
  },
  create(context) {
    const analyses = context.analyses;

    function resolvedName(node: SyntaxNode): string | null {
      const inner = unparenthesize(node);
      if (inner.type !== "identifier" && inner.type !== "attribute") return null;
      const resolved = analyses.resolve(inner);
      return resolved && resolved.origin !== "local" ? resolved.name : null;
    }

    function obsolete(node: SyntaxNode): string | null {
      const name = resolvedName(node);
      if (!name) return null;
      return OBSOLETE_PROTOCOLS[name] ?? OBSOLETE_VERSIONS[name] ?? null;
    }

    return {
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !PROTOCOL_TAKERS.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        const isContext = lastName === "SSLContext" || lastName === "Context";
        if (lastName === "wrap_socket") {
          const name = resolvedName(callee);
          if (name && WRAP_SOCKET.has(name)) {
            context.report({
              node,
              message: `\`${callee.text}\` is deprecated (removed in Python 3.12) and does not check host names; use \`ssl.create_default_context().wrap_socket(sock, server_hostname=host)\`.`,
            });
            return;
          }
        }
        const args = callArguments(node);
        const candidates: SyntaxNode[] = [];
        if (isContext) {
          const name = resolvedName(callee);
          if (!name || !CONTEXT_CONSTRUCTORS.has(name)) return;
          if (args.positional[0]) candidates.push(args.positional[0]);
        }
        if (args.keywords.size > 0) {
          for (const keyword of PROTOCOL_KEYWORDS) {
            const value = args.keywords.get(keyword);
            if (value) candidates.push(value);
          }
        }
        for (const candidate of candidates) {
          const version = obsolete(candidate);
          if (!version) continue;
          context.report({ node, message: `\`${callee.text}\` selects ${version} (\`${candidate.text}\`), which has known attacks and is deprecated by RFC 8996; ${ADVICE}.` });
          return;
        }
      },
      assignment(node) {
        const left = field(node, "left");
        if (left?.type !== "attribute") return;
        const attribute = field(left, "attribute")?.text;
        if (!attribute || !VERSION_ATTRIBUTES.has(attribute)) return;
        const right = field(node, "right");
        const version = right ? obsolete(right) : null;
        if (!version || !right) return;
        context.report({
          node,
          message: `\`${left.text}\` is set to ${version} (\`${right.text}\`), which has known attacks and is deprecated by RFC 8996; ${ADVICE}.`,
        });
      },
    };
  },
};
