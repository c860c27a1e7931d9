import { calleeLastName } from "../../engine/syntax.js";
import type { RuleModule, Severity } from "../../engine/types.js";
import { describeFlow, snippet, untrustedSource } from "./flows.js";
import { HeaderWrites, type HeaderWrite } from "./headers.js";

/** Headers whose value, when the client chooses it, is a vulnerability even without line breaks: why, per header. */
const DANGEROUS_HEADERS: ReadonlyMap<string, string> = new Map([
  ["content-type", "the client picks the content type (`text/html` turns the response into a page that runs script)"],
  ["set-cookie", "the client sets cookies in the user's browser (session fixation); use `response.set_cookie` with a validated value"],
  ["access-control-allow-origin", "reflecting the client's `Origin` lets every site read these responses; compare it against an allow-list of origins"],
  ["access-control-allow-credentials", "the client decides whether other sites may send credentials"],
  ["refresh", "`Refresh: 0; url=…` redirects the user to any site"],
  ["content-security-policy", "the client rewrites the page's script policy"],
  ["link", "the client adds preloads and stylesheets from any site"],
  ["x-frame-options", "the client turns off framing protection"],
]);

/** Request headers: an `Access-Control-Allow-*` value from them is the echoed-origin case of PG-BROWSER-004. */
const ECHOED_HEADER_SOURCES: ReadonlySet<string> = new Set(["request.headers", "request.META", "request.environ"]);

const HEADER_CALL_NAMES: ReadonlySet<string> = new Set([
  "add", "set", "setdefault", "add_header", "update", "Response", "HttpResponse", "JsonResponse", "FileResponse", "make_response",
  "RedirectResponse", "JSONResponse", "ORJSONResponse", "HTMLResponse", "PlainTextResponse", "StreamingResponse", "StreamingHttpResponse",
  "HttpResponseRedirect", "HttpResponsePermanentRedirect",
]);

const GENERIC_ADVICE =
  "check it against the expected format (an allow-list, `re.fullmatch`) or encode it (`urllib.parse.quote`); servers that do not reject CR/LF let it start new headers or the body (response splitting)";

export const headerInjection: RuleModule = {
  meta: {
    id: "PG-INPUT-005",
    name: "header-injection",
    title: "Response header set from request data",
    sections: ["G3", "C3"],
    cwe: [113, 93],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports request data written into a response header: `response.headers[\"X\"] = …`, `response.headers.add/set/setdefault(…)`, `response.headers.update({...})`, Django `response[\"X\"] = …`, the `headers=` of Flask, Django, Starlette and FastAPI responses, extra arguments of `make_response`, and the headers of a tuple a Flask view returns. A header whose name comes from the request, or a client-chosen value for `Content-Type`, `Set-Cookie`, `Access-Control-Allow-Origin`, `Access-Control-Allow-Credentials`, `Refresh`, `Content-Security-Policy`, `Link` or `X-Frame-Options`, is an error; other headers are warnings.",
      whyIsThisBad:
        "A carriage return and line feed in a header value end the header: on a server that lets them through, the client adds headers (cookies, redirects) or a whole body of its own (response splitting, cache poisoning). Some headers are dangerous even without line breaks: a reflected `Access-Control-Allow-Origin` lets any site read the user's data, a chosen `Content-Type` turns data into a page.",
      example:
        'from flask import Flask, make_response, request\n\napp = Flask(__name__)\n\n@app.route("/file")\ndef func_file():\n    response = make_response("...")\n    response.headers["Content-Type"] = request.args.get("type", "text/plain")\n    return response',
      useInstead:
        'from flask import Flask, make_response, request\n\napp = Flask(__name__)\nTYPES = {"csv": "text/csv", "txt": "text/plain"}\n\n@app.route("/file")\ndef func_file():\n    response = make_response("...")\n    response.headers["Content-Type"] = TYPES.get(request.args.get("type"), "text/plain")\n    return response',
      notes:
        "Werkzeug (Flask), Django and h11-based servers reject CR/LF in header values, so for ordinary headers the finding is a warning: the value is still the client's, and the protection depends on the server. Not reported: values passed through `urllib.parse.quote`, `secure_filename` or a conversion (`int`), allow-listed values, values from configuration or the database. `Location` headers are open redirects (PG-INPUT-004). Cookie values given to `set_cookie` are quoted by the frameworks and are not reported here. An `Access-Control-Allow-Origin` that echoes the request's own headers is reported by PG-BROWSER-004.",
    },
  },
  create(context) {
    const headers = new HeaderWrites(context);

    const check = (write: HeaderWrite): void => {
      if (write.name === "location") return;
      if (write.nameNode && write.name === null) {
        const nameSource = untrustedSource(context, write.nameNode, "header");
        if (nameSource) {
          context.report({
            node: write.site,
            severity: "error",
            message: `${describeFlow(context, write.nameNode, nameSource)} and names the response header written through ${write.how}: the client chooses which header to set (\`Set-Cookie\`, \`Location\`…); use a fixed header name.`,
          });
          return;
        }
      }
      const source = untrustedSource(context, write.value, "header");
      if (!source) return;
      // An echoed `Origin` request header is PG-BROWSER-004's (CORS); other sources of the value stay here.
      if (write.name?.startsWith("access-control-allow-") && ECHOED_HEADER_SOURCES.has(source.label)) return;
      const constantName = write.nameNode ? context.analyses.constant(write.nameNode)?.value : undefined;
      const shownName = typeof constantName === "string" ? `\`${constantName}\`` : write.nameNode ? `\`${snippet(write.nameNode, 40)}\`` : "a";
      const danger = write.name !== null ? DANGEROUS_HEADERS.get(write.name) : undefined;
      const severity: Severity = danger ? "error" : "warning";
      context.report({
        node: write.site,
        severity,
        message: `${describeFlow(context, write.value, source)} and is written into the ${shownName} response header through ${write.how}: ${danger ? `${danger}; accept only known values` : GENERIC_ADVICE}.`,
      });
    };

    return {
      assignment(node) {
        for (const write of headers.fromAssignment(node)) check(write);
      },
      return_statement(node) {
        for (const write of headers.fromReturn(node)) check(write);
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !HEADER_CALL_NAMES.has(lastName)) return;
        for (const write of headers.fromCall(node)) check(write);
      },
    };
  },
};
