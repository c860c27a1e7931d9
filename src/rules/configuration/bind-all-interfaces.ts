import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { constantValue, isConstantTrue, isTestPath, snippet } from "./helpers.js";

/** Host strings that mean "every interface". */
export const ALL_INTERFACES: ReadonlySet<string> = new Set(["0.0.0.0", "::", "", "[::]", "0:0:0:0:0:0:0:0"]);

/** Where the host is, per call: a keyword, or a positional index (-1: none). */
const SITES: ReadonlyMap<string, { keywords: readonly string[]; position: number; tuple: boolean }> = new Map([
  ["run", { keywords: ["host"], position: 0, tuple: false }],
  ["run_app", { keywords: ["host"], position: -1, tuple: false }],
  ["serve", { keywords: ["host", "listen"], position: -1, tuple: false }],
  ["run_simple", { keywords: ["hostname"], position: 0, tuple: false }],
  ["make_server", { keywords: ["host"], position: 0, tuple: false }],
  ["start_server", { keywords: ["host"], position: 1, tuple: false }],
  ["create_server", { keywords: ["host", "address"], position: 1, tuple: true }],
  ["listen", { keywords: ["address"], position: 1, tuple: false }],
  ["bind", { keywords: [], position: -1, tuple: true }],
  ["HTTPServer", { keywords: ["server_address"], position: -1, tuple: true }],
  ["ThreadingHTTPServer", { keywords: ["server_address"], position: -1, tuple: true }],
  ["TCPServer", { keywords: ["server_address"], position: -1, tuple: true }],
  ["ThreadingTCPServer", { keywords: ["server_address"], position: -1, tuple: true }],
  ["UDPServer", { keywords: ["server_address"], position: -1, tuple: true }],
  ["ThreadingUDPServer", { keywords: ["server_address"], position: -1, tuple: true }],
  ["SimpleXMLRPCServer", { keywords: ["addr"], position: -1, tuple: true }],
  ["DocXMLRPCServer", { keywords: ["addr"], position: -1, tuple: true }],
  ["WSGIServer", { keywords: ["listener"], position: -1, tuple: true }],
]);

/** `"0.0.0.0:8080"`, `"*:8080"`, `"[::]:8080"` (waitress `listen=`). */
function listenHost(value: string): string | null {
  if (value === "*" || value.startsWith("*:")) return "*";
  const match = /^(\[[^\]]*\]|[^:]*):\d+$/u.exec(value);
  return match ? (match[1] ?? null) : null;
}

interface Exposure {
  node: SyntaxNode;
  host: string;
}

function allInterfaces(context: RuleContext, node: SyntaxNode | undefined, allowEmpty: boolean, listen: boolean): Exposure | null {
  if (!node) return null;
  const constant = constantValue(context, node);
  if (!constant || typeof constant.value !== "string") return null;
  const host = listen ? listenHost(constant.value) : constant.value;
  if (host === null) return null;
  if (host === "*" || (ALL_INTERFACES.has(host) && (allowEmpty || host !== ""))) return { node, host: constant.value };
  return null;
}

/** The host of an address tuple `(host, port)`. */
function tupleHost(context: RuleContext, node: SyntaxNode | undefined): Exposure | null {
  if (!node) return null;
  const tuple = unparenthesize(node);
  if (tuple.type !== "tuple") return null;
  const first = tuple.namedChildren.find((child) => child.type !== "comment");
  return allInterfaces(context, first, true, false);
}

export const bindAllInterfaces: RuleModule = {
  meta: {
    id: "PG-CONF-007",
    name: "bind-all-interfaces",
    title: "Server listens on every network interface",
    sections: ["C5"],
    cwe: [1327, 200],
    defaultSeverity: "note",
    bandit: ["B104"],
    docs: {
      whatItDoes:
        "Reports servers told to listen on every interface with a constant address: `\"0.0.0.0\"`, `\"::\"` (and `\"\"` in address tuples) as the host of `app.run`, `uvicorn.run`, `aiohttp.web.run_app`, `waitress.serve` (also `listen=\"0.0.0.0:8080\"` and `\"*:8080\"`), Werkzeug `run_simple`, `wsgiref` `make_server`, `asyncio.start_server`, `loop.create_server`, Tornado `listen`, `socket.bind((host, port))`, `socket.create_server`, and the `http.server`, `socketserver` and `xmlrpc.server` servers.",
      whyIsThisBad:
        "A service bound to every interface is reachable from every network the machine is on, including ones nobody meant to expose it to (a public interface, a VPN, a shared office network). Development servers, debug endpoints and internal APIs end up on the internet that way.",
      example: 'import uvicorn\n\nif __name__ == "__main__":\n    uvicorn.run("service:app", host="0.0.0.0", port=8000)',
      useInstead:
        'import os\n\nimport uvicorn\n\nif __name__ == "__main__":\n    # Containers set LISTEN_HOST=0.0.0.0; everything else stays on the loopback interface.\n    uvicorn.run("service:app", host=os.environ.get("LISTEN_HOST", "127.0.0.1"), port=8000)',
      notes:
        "A note: containers must listen on every interface, and that is fine when it is deliberate; read the address from configuration or suppress with a reason (`# pyguard: ignore[PG-CONF-007] -- container entry point`). Addresses read at run time are not reported. A positional empty host is only reported inside an address tuple (`sock.bind((\"\", port))`), where it means every interface. `app.run(host=\"0.0.0.0\", debug=True)` is reported once, by PG-CONF-001. Test files are exempt.",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    return {
      call(node) {
        const lastName = calleeLastName(node);
        const site = lastName === null ? undefined : SITES.get(lastName);
        if (!site) return;
        const args = callArguments(node);
        let exposure: Exposure | null = null;
        for (const keyword of site.keywords) {
          const value = args.keywords.get(keyword);
          if (!value) continue;
          exposure = site.tuple && keyword !== "host" && keyword !== "address" ? tupleHost(context, value) : allInterfaces(context, value, true, keyword === "listen");
          if (exposure) break;
        }
        if (!exposure && site.tuple) exposure = tupleHost(context, args.positional[0]);
        if (!exposure && site.position >= 0) exposure = allInterfaces(context, args.positional[site.position], false, false);
        if (!exposure) return;
        // `app.run(host="0.0.0.0", debug=True)`: PG-CONF-001 reports the debugger and the exposure together.
        if ((lastName === "run" || lastName === "run_simple") && (isConstantTrue(context, args.keywords.get("debug")) || isConstantTrue(context, args.keywords.get("use_debugger")))) return;
        const callee = field(node, "function");
        const where = exposure.host === "" ? "`\"\"` (every interface)" : `\`"${exposure.host}"\``;
        context.report({
          node,
          message: `\`${callee ? snippet(callee, 40) : lastName}\` listens on ${where}, so the service is reachable from every network this host is on; listen on \`127.0.0.1\` or read the address from configuration, and document why when the exposure is deliberate (containers).`,
        });
      },
    };
  },
};
