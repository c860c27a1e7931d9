import { calleeLastName } from "../../engine/syntax.js";
import type { RuleModule } from "../../engine/types.js";
import { describeFlow } from "../input-validation/flows.js";
import { FetchWatcher } from "./fetch-analysis.js";

const RISK = "the client chooses where the server connects: internal services, admin ports on `localhost`, cloud metadata (`169.254.169.254`)";
const URL_ADVICE =
  "parse it and check the host against an allow-list (`urlparse(url).hostname in ALLOWED_HOSTS`), allow only `https`, and turn redirects off (`allow_redirects=False`, `follow_redirects=False`) so an allowed host cannot bounce the request elsewhere";
const HOST_ADVICE = "check the host against an allow-list before connecting (`host in ALLOWED_HOSTS`), or take it from configuration";

export const userControlledUrl: RuleModule = {
  meta: {
    id: "PG-SSRF-001",
    name: "user-controlled-url-fetch",
    title: "Request data chooses the server a request goes to",
    sections: ["C10", "G3"],
    cwe: [918],
    defaultSeverity: "error",
    bandit: ["B310"],
    docs: {
      whatItDoes:
        "Reports request data that decides where the server connects: the whole URL, or its host (`f\"https://{host}/api\"`, `\"http://\" + host + \"/x\"`), given to `requests` (functions and `Session` methods), `httpx` (functions, `Client`, `AsyncClient`), `aiohttp` (`ClientSession` methods, `aiohttp.request`), `urllib.request` (`urlopen`, `Request`, `urlretrieve`, `build_opener().open`), `urllib3` (`PoolManager().request`/`urlopen`), and a host given to `http.client.HTTPConnection`/`HTTPSConnection`, `smtplib`, `ftplib`, `asyncio.open_connection`, `socket.create_connection((host, port))` or `sock.connect((host, port))`.",
      whyIsThisBad:
        "The request leaves from inside the network, with the server's position and rights. An attacker makes it fetch `http://169.254.169.254/latest/meta-data/` (cloud credentials), `http://localhost:6379/` or admin panels that trust internal callers, scans internal ports by timing, or reads `file://` URLs through `urlopen`.",
      example:
        'import requests\nfrom flask import request\n\n@app.route("/preview")\ndef func_preview():\n    url = request.args["url"]\n    return requests.get(url, timeout=5).text',
      useInstead:
        'from urllib.parse import urlparse\n\nimport requests\nfrom flask import abort, request\n\nALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}\n\n@app.route("/preview")\ndef func_preview():\n    url = request.args["url"]\n    parsed = urlparse(url)\n    if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:\n        abort(400)\n    return requests.get(url, timeout=5, allow_redirects=False).text',
      notes:
        "Not reported: a URL whose scheme and host are written out before the request data (`f\"https://api.example.com/users/{name}\"`: the data can only change the path or query), URLs from `url_for`/`reverse`, and fetches after a host check: `urlparse(url).hostname` (or `.netloc`, also through a variable) compared with `==` or `in` against an allow-list, `host.endswith(\".example.com\")`, `url.startswith(\"https://api.example.com/\")` (the host closed by `/`), a validator whose name says so (`url_has_allowed_host_and_scheme`, `func_isSafeUrl(url)`, `func_ensureAllowedUrl(url)`), or an early exit on `ip.is_private`/`is_loopback`/`is_link_local` after resolving the name. Checks that can be bypassed (`\"example.com\" in url`, a prefix without the closing `/`) do not count; PG-SSRF-003 reports them. A URL passed in as a parameter is not followed into the callers, and URLs stored in the database (second-order SSRF) are out of reach. `urljoin(base, data)` and data that continues a written-out host (`\"https://api.example.com\" + suffix`) are PG-SSRF-002's. Data typed at a terminal (`input()`, `sys.argv`) is not counted: a command-line tool that fetches what its user names is not crossing a trust boundary.",
    },
  },
  create(context) {
    const watcher = new FetchWatcher(context);
    return {
      import_from_statement: watcher.visitImport,
      call(node) {
        const fetch = watcher.inspect(node, calleeLastName(node));
        if (!fetch || fetch.checked || (fetch.kind !== "full" && fetch.kind !== "host")) return;
        const flow = describeFlow(context, fetch.node, fetch.source);
        const { sinkName } = fetch.sink;
        let message: string;
        if (fetch.sink.kind !== "url") {
          message = `${flow} and is the host \`${sinkName}\` connects to, so ${RISK}; ${HOST_ADVICE}.`;
        } else if (fetch.kind === "host") {
          message = `${flow} and is the host of the URL \`${sinkName}\` fetches (after \`${fetch.prefix}\`), so ${RISK}; ${URL_ADVICE}.`;
        } else {
          message = `${flow} and is the URL \`${sinkName}\` fetches, so ${RISK}; ${URL_ADVICE}.`;
        }
        context.report({ node, message });
      },
    };
  },
};
