import { argument, callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";
import { FlaskViews, assignedValue, externalCallee, returnedParts } from "./flows.js";

/**
 * Writes of HTTP response headers, in the shapes Flask, Django, Starlette and FastAPI code uses:
 * `response.headers["X"] = v`, `response.headers.add/set/setdefault("X", v)`,
 * `response.headers.update({...})`, Django `response["X"] = v`, `headers={...}` of a response
 * constructor, extra arguments of `make_response`, and the headers of a tuple a Flask view returns.
 */
export interface HeaderWrite {
  /** Where to report. */
  site: SyntaxNode;
  /** The header name expression, when there is one. */
  nameNode: SyntaxNode | null;
  /** The header name when constant, lower-cased. */
  name: string | null;
  value: SyntaxNode;
  /** How the header is written, for messages: "`resp.headers[...]`". */
  how: string;
}

/** Calls that return a response object. */
const RESPONSE_MAKERS: ReadonlySet<string> = new Set([
  "make_response", "Response", "HttpResponse", "JsonResponse", "jsonify", "redirect", "render", "render_template", "send_file",
  "send_from_directory", "FileResponse", "HTMLResponse", "PlainTextResponse", "JSONResponse", "ORJSONResponse", "RedirectResponse",
  "StreamingResponse", "StreamingHttpResponse", "HttpResponseRedirect", "HttpResponsePermanentRedirect", "TemplateResponse",
  "HttpResponseBadRequest", "HttpResponseNotFound", "HttpResponseForbidden",
]);
/** Constructors whose `headers=` argument sets response headers. */
const HEADER_CONSTRUCTORS: ReadonlySet<string> = new Set([
  "Response", "HttpResponse", "JsonResponse", "FileResponse", "HTMLResponse", "PlainTextResponse", "JSONResponse", "ORJSONResponse",
  "RedirectResponse", "StreamingResponse", "StreamingHttpResponse", "HttpResponseRedirect", "HttpResponsePermanentRedirect", "make_response",
]);
/** Modules whose constructors these are (`requests.Response` and HTTP clients are not responses we send). */
const RESPONSE_MODULES = /^(?:flask|quart|werkzeug|django|rest_framework|starlette|fastapi)\./u;
/** Methods of a headers object that set one header. */
const SETTERS: ReadonlySet<string> = new Set(["add", "set", "setdefault", "add_header", "__setitem__"]);
/** Names that, by convention, hold a response object. */
const RESPONSE_NAME = /^(?:r|rv|res|resp|response)$|(?:Resp|Response|_resp|_response)$/u;
/** Calls of HTTP clients: their responses are received, not sent. */
const CLIENT_CALL = /^(?:requests|httpx|aiohttp|urllib|urllib3|http\.client)\./u;

function keyName(context: RuleContext, key: SyntaxNode): string | null {
  const constant = context.analyses.constant(key);
  return typeof constant?.value === "string" ? constant.value.toLowerCase() : null;
}

/** The `{...}` literal an expression is, or is bound to. */
function dictionaryLiteral(context: RuleContext, node: SyntaxNode): SyntaxNode | null {
  const value = assignedValue(context, node);
  return value.type === "dictionary" ? value : null;
}

function pairsOf(context: RuleContext, dictionary: SyntaxNode, site: SyntaxNode, how: string): HeaderWrite[] {
  const writes: HeaderWrite[] = [];
  for (const pair of dictionary.namedChildren) {
    if (pair.type !== "pair") continue;
    const key = field(pair, "key");
    const value = field(pair, "value");
    if (key && value) writes.push({ site, nameNode: key, name: keyName(context, key), value, how });
  }
  return writes;
}

export class HeaderWrites {
  private readonly views: FlaskViews;

  constructor(private readonly context: RuleContext) {
    this.views = new FlaskViews(context);
  }

  /** True when an expression holds a response we send, not a request or a client's response. */
  isResponseObject(node: SyntaxNode): boolean {
    const expression = unparenthesize(node);
    if (expression.type === "call") return RESPONSE_MAKERS.has(calleeLastName(expression) ?? "");
    if (this.context.analyses.taint.isRequestObject(expression)) return false;
    let name: string;
    if (expression.type === "identifier") {
      name = expression.text;
      const binding = this.context.analyses.scopes.bindingBefore(name, expression);
      const value = binding?.kind === "assignment" && binding.value ? unparenthesize(binding.value) : null;
      if (value?.type === "call") {
        if (RESPONSE_MAKERS.has(calleeLastName(value) ?? "")) return true;
        const called = externalCallee(this.context, value);
        if (called !== null && CLIENT_CALL.test(called)) return false;
      }
    } else if (expression.type === "attribute") {
      name = field(expression, "attribute")?.text ?? "";
    } else return false;
    return RESPONSE_NAME.test(name);
  }

  /** Django's `response["X"] = v`: the subscripted name must hold a Django (or DRF) response. */
  private isDjangoResponse(node: SyntaxNode): boolean {
    const expression = unparenthesize(node);
    if (expression.type !== "identifier") return false;
    const binding = this.context.analyses.scopes.bindingBefore(expression.text, expression);
    const value = binding?.kind === "assignment" && binding.value ? unparenthesize(binding.value) : null;
    if (value?.type !== "call" || !RESPONSE_MAKERS.has(calleeLastName(value) ?? "")) return false;
    const called = externalCallee(this.context, value);
    return called !== null && (called.startsWith("django.") || called.startsWith("rest_framework."));
  }

  fromAssignment(node: SyntaxNode): HeaderWrite[] {
    const left = field(node, "left");
    if (left?.type !== "subscript") return [];
    const target = field(left, "value");
    const key = field(left, "subscript");
    const value = field(node, "right");
    if (!target || !key || !value) return [];
    if (target.type === "attribute") {
      if (field(target, "attribute")?.text !== "headers") return [];
      const owner = field(target, "object");
      if (!owner || !this.isResponseObject(owner)) return [];
      return [{ site: node, nameNode: key, name: keyName(this.context, key), value, how: `\`${target.text}[...]\`` }];
    }
    if (!this.isDjangoResponse(target)) return [];
    return [{ site: node, nameNode: key, name: keyName(this.context, key), value, how: `\`${target.text}[...]\`` }];
  }

  fromCall(node: SyntaxNode): HeaderWrite[] {
    const lastName = calleeLastName(node);
    if (lastName === null) return [];
    const callee = field(node, "function");
    if (!callee) return [];
    if (callee.type === "attribute" && (SETTERS.has(lastName) || lastName === "update" || lastName === "extend")) {
      const headers = field(callee, "object");
      if (headers?.type !== "attribute" || field(headers, "attribute")?.text !== "headers") return [];
      const owner = field(headers, "object");
      if (!owner || !this.isResponseObject(owner)) return [];
      const args = callArguments(node);
      const how = `\`${headers.text}.${lastName}\``;
      if (SETTERS.has(lastName)) {
        const key = argument(args, 0, "key") ?? argument(args, 0, "_key");
        const value = argument(args, 1, "value") ?? argument(args, 1, "_value");
        return key && value ? [{ site: node, nameNode: key, name: keyName(this.context, key), value, how }] : [];
      }
      const first = args.positional[0];
      const dictionary = first ? dictionaryLiteral(this.context, first) : null;
      return dictionary ? pairsOf(this.context, dictionary, node, how) : [];
    }
    if (!HEADER_CONSTRUCTORS.has(lastName)) return [];
    const called = externalCallee(this.context, node);
    if (called === null || !RESPONSE_MODULES.test(called)) return [];
    const args = callArguments(node);
    const how = `the headers of \`${lastName}\``;
    const candidates: SyntaxNode[] = [];
    const keyword = args.keywords.get("headers");
    if (keyword) candidates.push(keyword);
    // make_response(body, status, headers) and Response(body, status, headers): a dict after the body.
    if (lastName === "make_response" || called.startsWith("flask.") || called.startsWith("werkzeug.") || called.startsWith("starlette.") || called.startsWith("fastapi.")) {
      candidates.push(...args.positional.slice(1));
    }
    const writes: HeaderWrite[] = [];
    for (const candidate of candidates) {
      const dictionary = dictionaryLiteral(this.context, candidate);
      if (!dictionary) continue;
      writes.push(...pairsOf(this.context, dictionary, node, how));
      if (candidate.type === "identifier") writes.push(...this.keyWrites(candidate, node, how));
    }
    return writes;
  }

  /** `extra = {}; extra["X-Name"] = value; Response(..., headers=extra)`: the keys written into a headers dict. */
  private keyWrites(name: SyntaxNode, site: SyntaxNode, how: string): HeaderWrite[] {
    const binding = this.context.analyses.scopes.bindingBefore(name.text, name);
    if (!binding) return [];
    const writes: HeaderWrite[] = [];
    for (const write of this.context.analyses.flow.writesTo(binding.scope, name.text)) {
      if (typeof write.key !== "string" || write.site.startIndex > site.startIndex) continue;
      const key = field(write.site, "left");
      writes.push({ site, nameNode: key ? field(key, "subscript") : null, name: write.key.toLowerCase(), value: write.value, how });
    }
    return writes;
  }

  /** `return body, 302, {"Location": url}` in a Flask view. */
  fromReturn(node: SyntaxNode): HeaderWrite[] {
    const parts = returnedParts(node);
    if (parts.length < 2) return [];
    const last = parts[parts.length - 1] as SyntaxNode;
    const dictionary = dictionaryLiteral(this.context, last);
    if (!dictionary || !this.views.viewAt(node)) return [];
    return pairsOf(this.context, dictionary, node, "the headers the view returns");
  }
}
