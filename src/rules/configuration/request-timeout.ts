import { matchesQualified } from "../../engine/analyses/names.js";
import { argument, callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { assignedCall, CalleeNames, calleeMatches, constantValue, isTestPath, snippet } from "./helpers.js";

const METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "stream"]);
const CALL_NAMES = new Set([...METHODS, "urlopen", "Client", "AsyncClient", "mount"]);

const REQUESTS_FUNCTIONS = new Set(
  ["get", "post", "put", "patch", "delete", "head", "options", "request"].flatMap((method) => [`requests.${method}`, `requests.api.${method}`]),
);
const HTTPX_FUNCTIONS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "stream"].map((method) => `httpx.${method}`));
const REQUESTS_SESSIONS = new Set(["requests.Session", "requests.session", "requests.sessions.Session"]);
const HTTPX_CLIENTS = new Set(["httpx.Client", "httpx.AsyncClient"]);
const URLOPEN = new Set(["urllib.request.urlopen", "urllib2.urlopen"]);

const ADVICE = "pass `timeout=` (for example `timeout=10`, or `(3.05, 27)` for connect and read)";

interface Deferred {
  node: SyntaxNode;
  session: string;
  message: string;
}

export const requestTimeout: RuleModule = {
  meta: {
    id: "PG-CONF-008",
    name: "http-request-without-timeout",
    title: "HTTP request without a timeout",
    sections: ["C5"],
    cwe: [400, 1088],
    defaultSeverity: "note",
    bandit: ["B113"],
    docs: {
      whatItDoes:
        "Reports `requests` calls (the module functions and the methods of a `requests.Session()` created in the same function or module) and `urllib.request.urlopen` without a `timeout`, and any of them or `httpx` (functions, `Client`, `AsyncClient` and their methods) with `timeout=None`.",
      whyIsThisBad:
        "`requests` and `urlopen` wait for ever by default. A server that accepts the connection and never answers (or an attacker who makes it so) holds the worker, its thread and its connection; a few such requests exhaust a web server's workers.",
      example: 'import requests\n\ndef func_fetchRates():\n    return requests.get("https://rates.example.com/latest").json()',
      useInstead:
        'import requests\n\ndef func_fetchRates():\n    return requests.get("https://rates.example.com/latest", timeout=10).json()',
      notes:
        "A note: hygiene rather than a vulnerability. `httpx` has a 5-second default, so only an explicit `timeout=None` is reported for it. Calls that spread `**kwargs` may pass a timeout and are not reported. A session on which the file mounts an adapter (`session.mount(\"https://\", TimeoutAdapter(...))`, the usual way to give a session a default timeout) is not reported. Sessions stored on objects (`self.session.get(...)`) are not followed. Test files are exempt.",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    const deferred: Deferred[] = [];
    const mounted = new Set<string>();

    /** "missing", "none" or null (a timeout is given). */
    function timeoutProblem(args: ReturnType<typeof callArguments>, position: number): "missing" | "none" | null {
      const timeout = argument(args, position, "timeout");
      if (!timeout) return args.hasSplat ? null : "missing";
      const constant = constantValue(context, timeout);
      return constant && constant.value === null ? "none" : null;
    }

    const aliases = new CalleeNames(CALL_NAMES);
    let relevant: boolean | undefined;
    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        // Files that import no HTTP client have nothing to report (`dict.get` is the common case).
        relevant ??= ["requests", "httpx", "urllib", "urllib2"].some((module) => context.analyses.importsModule(module));
        if (!relevant) return;
        const callee = field(node, "function");
        if (!callee) return;
        if (lastName === "mount") {
          const receiver = field(callee, "object");
          if (receiver?.type === "identifier") mounted.add(receiver.text);
          return;
        }
        if (lastName === "urlopen") {
          if (!matchesQualified(context.analyses.resolve(callee), URLOPEN)) return;
          const problem = timeoutProblem(callArguments(node), 2);
          if (problem) context.report({ node, message: `\`${snippet(callee, 30)}\` ${problem === "none" ? "has `timeout=None`" : "has no timeout"}: it then waits as long as the socket default allows (for ever unless set), so a server that never answers holds this worker; pass \`timeout=\` (for example \`timeout=10\`).` });
          return;
        }
        if (lastName === "Client" || lastName === "AsyncClient" || (!CALL_NAMES.has(lastName) && calleeMatches(context, node, HTTPX_CLIENTS))) {
          if (!calleeMatches(context, node, HTTPX_CLIENTS)) return;
          if (timeoutProblem(callArguments(node), -1) === "none") {
            context.report({ node, message: `\`${snippet(callee, 30)}(timeout=None)\` removes httpx's default timeout from every request of the client; keep the default or ${ADVICE}.` });
          }
          return;
        }
        // `requests.get(...)`, `r.get(...)` after `import requests as r`, `get(...)` after `from requests import get`, `session.get(...)`.
        const receiver = callee.type === "attribute" ? field(callee, "object") : null;
        if (callee.type !== "identifier" && receiver?.type !== "identifier") return;
        const resolved = context.analyses.resolve(callee);
        if (resolved && resolved.origin === "import") {
          if (REQUESTS_FUNCTIONS.has(resolved.name)) {
            const problem = timeoutProblem(callArguments(node), -1);
            if (problem) context.report({ node, message: `\`${snippet(callee, 30)}\` ${problem === "none" ? "has `timeout=None`" : "has no timeout"}: requests waits for ever by default, so a server that never answers holds this worker; ${ADVICE}.` });
            return;
          }
          if (HTTPX_FUNCTIONS.has(resolved.name)) {
            if (timeoutProblem(callArguments(node), -1) === "none") {
              context.report({ node, message: `\`${snippet(callee, 30)}(timeout=None)\` removes httpx's 5-second default, so a server that never answers holds this worker; ${ADVICE}.` });
            }
            return;
          }
        }
        // session.get(...) on a session created here.
        if (!receiver) return;
        const created = assignedCall(context, receiver);
        if (!created) return;
        if (calleeMatches(context, created, REQUESTS_SESSIONS)) {
          const problem = timeoutProblem(callArguments(node), -1);
          if (!problem) return;
          deferred.push({
            node,
            session: receiver.text,
            message: `\`${snippet(callee, 30)}\` (a \`requests.Session\`) ${problem === "none" ? "has `timeout=None`" : "has no timeout"}: sessions have no default timeout, so a server that never answers holds this worker; ${ADVICE}.`,
          });
        } else if (calleeMatches(context, created, HTTPX_CLIENTS) && timeoutProblem(callArguments(node), -1) === "none") {
          context.report({ node, message: `\`${snippet(callee, 30)}(timeout=None)\` removes httpx's default timeout for this request; ${ADVICE}.` });
        }
      },
      "module:exit"() {
        for (const finding of deferred) {
          if (!mounted.has(finding.session)) context.report({ node: finding.node, message: finding.message });
        }
      },
    };
  },
};
