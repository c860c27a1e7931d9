import { argument, callArguments, calleeLastName, field, unparenthesize, type CallArguments } from "../../engine/syntax.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";
import { snippet } from "../input-validation/flows.js";
import { constructionOf, valueOf } from "../input-validation/sink-support.js";

/**
 * Calls that make the server connect somewhere, and the argument that says where: a URL, a host
 * name, or a `(host, port)` address. Shared by PG-SSRF-001 and PG-SSRF-002.
 */

export type TargetKind = "url" | "host" | "address";

export interface FetchSink {
  call: SyntaxNode;
  /** The callee as written, for messages (`requests.get`, `session.post`). */
  sinkName: string;
  /** The URL, host or address argument. */
  target: SyntaxNode;
  kind: TargetKind;
  /** True when the call follows HTTP redirects (by the library's default or an explicit option). */
  followsRedirects: boolean;
}

type Slot = readonly [number, string, TargetKind];

const URL_FIRST: Slot = [0, "url", "url"];
const URL_SECOND: Slot = [1, "url", "url"];
const HOST_FIRST: Slot = [0, "host", "host"];
const VERBS = ["get", "post", "put", "patch", "delete", "head", "options"];

function entries(prefixes: readonly string[], names: readonly string[], slot: Slot): Array<[string, Slot]> {
  return prefixes.flatMap((prefix) => names.map((name): [string, Slot] => [`${prefix}.${name}`, slot]));
}

/** Module functions, by qualified name. */
const FUNCTIONS: ReadonlyMap<string, Slot> = new Map<string, Slot>([
  ...entries(["requests", "requests.api"], VERBS, URL_FIRST),
  ...entries(["requests", "requests.api"], ["request"], URL_SECOND),
  ...entries(["httpx"], VERBS, URL_FIRST),
  ...entries(["httpx"], ["request", "stream"], URL_SECOND),
  ["aiohttp.request", URL_SECOND],
  ["urllib3.request", URL_SECOND],
  ...entries(["urllib.request", "urllib2", "six.moves.urllib.request"], ["urlopen", "urlretrieve"], URL_FIRST),
  ...entries(["urllib.request", "urllib2", "six.moves.urllib.request"], ["Request"], URL_FIRST),
  ...entries(["http.client", "httplib"], ["HTTPConnection", "HTTPSConnection"], HOST_FIRST),
  ...entries(["smtplib"], ["SMTP", "SMTP_SSL"], HOST_FIRST),
  ...entries(["ftplib"], ["FTP", "FTP_TLS"], HOST_FIRST),
  ["asyncio.open_connection", HOST_FIRST],
  ["socket.create_connection", [0, "address", "address"]],
]);

type ClientFamily = "requests" | "aiohttp" | "urllib3" | "opener" | "socket";

/** Objects whose methods fetch: sessions, clients, pool managers, URL openers, sockets. */
const CLIENTS: ReadonlyMap<string, ClientFamily> = new Map<string, ClientFamily>([
  ["requests.Session", "requests"],
  ["requests.session", "requests"],
  ["requests.sessions.Session", "requests"],
  ["httpx.Client", "requests"],
  ["httpx.AsyncClient", "requests"],
  ["aiohttp.ClientSession", "aiohttp"],
  ["aiohttp.client.ClientSession", "aiohttp"],
  ["urllib3.PoolManager", "urllib3"],
  ["urllib3.ProxyManager", "urllib3"],
  ["urllib3.poolmanager.PoolManager", "urllib3"],
  ["urllib.request.build_opener", "opener"],
  ["urllib2.build_opener", "opener"],
  ["socket.socket", "socket"],
]);

const METHODS: Readonly<Record<ClientFamily, ReadonlyMap<string, Slot>>> = {
  requests: new Map<string, Slot>([...VERBS.map((verb): [string, Slot] => [verb, URL_FIRST]), ["request", URL_SECOND], ["stream", URL_SECOND], ["build_request", URL_SECOND]]),
  aiohttp: new Map<string, Slot>([...VERBS.map((verb): [string, Slot] => [verb, URL_FIRST]), ["ws_connect", URL_FIRST], ["request", [1, "str_or_url", "url"]]]),
  urllib3: new Map<string, Slot>([
    ["request", URL_SECOND],
    ["urlopen", URL_SECOND],
    ["request_encode_url", URL_SECOND],
    ["request_encode_body", URL_SECOND],
  ]),
  opener: new Map<string, Slot>([["open", [0, "fullurl", "url"]]]),
  socket: new Map<string, Slot>([
    ["connect", [0, "address", "address"]],
    ["connect_ex", [0, "address", "address"]],
  ]),
};

export const SINK_LAST_NAMES: ReadonlySet<string> = new Set([
  ...[...FUNCTIONS.keys()].map((name) => name.slice(name.lastIndexOf(".") + 1)),
  ...Object.values(METHODS).flatMap((methods) => [...methods.keys()]),
]);

/** The host of an address: the first item of `(host, port)`, or the whole value. */
function addressHost(context: RuleContext, address: SyntaxNode): SyntaxNode {
  const value = valueOf(context, address);
  if (value.type === "tuple" || value.type === "list") return value.namedChildren.find((child) => child.type !== "comment") ?? address;
  return address;
}

/** The fetch a call makes, or null. `lastName` is the callee's last name, already in `SINK_LAST_NAMES` (or an import alias of one). */
export function fetchSink(context: RuleContext, call: SyntaxNode): FetchSink | null {
  const callee = field(call, "function");
  if (!callee) return null;
  let slot: Slot | undefined;
  /** The library function, or the client's constructor and the method (`requests.Session.get`). */
  let libraryName = "";
  let clientCall: SyntaxNode | null = null;
  const resolved = callee.type === "identifier" || callee.type === "attribute" ? context.analyses.resolve(callee) : null;
  if (resolved && resolved.origin !== "local") {
    slot = FUNCTIONS.get(resolved.name);
    libraryName = resolved.name;
  }
  if (!slot && callee.type === "attribute" && (!resolved || resolved.origin === "local")) {
    const method = field(callee, "attribute")?.text ?? "";
    const receiver = field(callee, "object");
    if (!receiver) return null;
    const construction = constructionOf(context, receiver);
    const family = construction && construction.methods.length === 0 && !construction.item ? CLIENTS.get(construction.name) : undefined;
    if (family && construction) {
      slot = METHODS[family].get(method);
      libraryName = `${construction.name}.${method}`;
      clientCall = construction.call;
    }
  }
  if (!slot) return null;
  const args = callArguments(call);
  const target = argument(args, slot[0], slot[1]);
  if (!target) return null;
  const kind = slot[2];
  return {
    call,
    sinkName: snippet(callee),
    target: kind === "address" ? addressHost(context, target) : unparenthesize(target),
    kind,
    followsRedirects: kind === "url" && followsRedirects(context, libraryName, args, clientCall),
  };
}

/** The option that switches redirects, and the default, per library. */
const REDIRECT_OPTIONS: ReadonlyArray<readonly [string, string, boolean]> = [
  ["httpx.", "follow_redirects", false],
  ["requests.", "allow_redirects", true],
  ["aiohttp.", "allow_redirects", true],
  ["urllib3.", "redirect", true],
];

function followsRedirects(context: RuleContext, library: string, args: CallArguments, clientCall: SyntaxNode | null): boolean {
  if (library.startsWith("urllib.request.") || library.startsWith("urllib2.") || library.startsWith("six.moves.urllib.")) return true;
  const option = REDIRECT_OPTIONS.find(([prefix]) => library.startsWith(prefix));
  if (!option) return false;
  const [, keyword, libraryDefault] = option;
  // requests does not follow redirects for HEAD unless asked.
  const fallback = library === "requests.head" || library === "requests.api.head" ? false : libraryDefault;
  const explicit = args.keywords.get(keyword);
  if (explicit) {
    const value = context.analyses.constant(explicit)?.value;
    return value === undefined ? true : Boolean(value);
  }
  if (args.hasSplat) return false;
  // A client made with the option (`httpx.Client(follow_redirects=True)`).
  const clientOption = clientCall ? callArguments(clientCall).keywords.get(keyword) : undefined;
  if (clientOption) {
    const value = context.analyses.constant(clientOption)?.value;
    return value === undefined ? true : Boolean(value);
  }
  return fallback;
}

/** True when the call's last name may be a fetch (the cheap test before anything is resolved). */
export function mayFetch(call: SyntaxNode, aliases: { has(name: string): boolean }): boolean {
  const lastName = calleeLastName(call);
  return lastName !== null && aliases.has(lastName);
}
