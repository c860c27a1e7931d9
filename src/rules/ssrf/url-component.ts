import { calleeLastName } from "../../engine/syntax.js";
import type { RuleModule } from "../../engine/types.js";
import { describeFlow } from "../input-validation/flows.js";
import { FetchWatcher } from "./fetch-analysis.js";

export const userControlledUrlComponent: RuleModule = {
  meta: {
    id: "PG-SSRF-002",
    name: "user-controlled-url-component",
    title: "Request data in a URL part that can still change its host",
    sections: ["C10", "G3"],
    cwe: [918],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports request data in the part of a fetched URL that looks fixed but can still move the request to another host: the second argument of `urljoin(base, value)` when the value can be absolute or start with `/` (so `//host` works), and a value that continues a written-out host with no `/` in between (`\"https://api.example.com\" + suffix`, `f\"https://api.example.com:{port}/\"`).",
      whyIsThisBad:
        "`urljoin(\"https://api.example.com/\", \"https://evil.example/\")` and `urljoin(base, \"//evil.example/x\")` return the attacker's URL. After a host with no `/`, a value starting with `@` turns the written host into a user name (`https://api.example.com@evil.example/`), and `.evil.example` makes it a subdomain of the attacker's domain. The request then leaves from inside the network as in PG-SSRF-001.",
      example:
        'from urllib.parse import urljoin\n\nimport requests\nfrom flask import request\n\nAPI_BASE = "https://api.example.com/v1/"\n\n@app.route("/proxy")\ndef func_proxy():\n    return requests.get(urljoin(API_BASE, request.args["path"]), timeout=5).json()',
      useInstead:
        'from urllib.parse import quote\n\nimport requests\nfrom flask import request\n\nAPI_BASE = "https://api.example.com/v1/"\n\n@app.route("/proxy")\ndef func_proxy():\n    # Encodes "/", ":" and "@": the value stays one path segment under the base.\n    return requests.get(API_BASE + quote(request.args["path"], safe=""), timeout=5).json()',
      notes:
        "Not reported: request data after the authority (`f\"https://api.example.com/users/{name}\"`, `urljoin(base, f\"users/{name}\")`, `urljoin(base, \"/users/\" + name)`): it can change the path or the query, not the host; values quoted with `quote_plus(x)` or `quote(x, safe=\"\")`, numbers (`int(port)`), allow-listed values and fetches after a host check (see PG-SSRF-001). A base that is not a constant (`settings.API_URL + path`) is not judged: whether it ends with `/` is not known. Request data that is the whole URL or its host is PG-SSRF-001's.",
    },
  },
  create(context) {
    const watcher = new FetchWatcher(context);
    return {
      import_from_statement: watcher.visitImport,
      call(node) {
        const fetch = watcher.inspect(node, calleeLastName(node));
        if (!fetch || fetch.checked || (fetch.kind !== "join" && fetch.kind !== "authority")) return;
        const flow = describeFlow(context, fetch.node, fetch.source);
        const { sinkName } = fetch.sink;
        const message =
          fetch.kind === "join"
            ? `${flow} and is joined onto a base URL with \`urljoin\` for \`${sinkName}\`: an absolute URL (\`https://evil.example/\`) or one starting with \`//\` replaces the base's host; quote it as one path segment (\`quote(value, safe="")\`) and append it to the base, or check \`urlparse(result).hostname\` afterwards.`
            : `${flow} and follows \`${fetch.prefix}\` with no \`/\` in between in the URL \`${sinkName}\` fetches: a value starting with \`@\` (\`@evil.example\`) or \`.evil.example\` moves the request to another host; close the host with \`/\` before the value and convert or quote it (\`int(port)\`, \`quote(value, safe="")\`).`;
        context.report({ node, message });
      },
    };
  },
};
