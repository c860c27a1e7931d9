/**
 * What the taint analysis knows about libraries: where untrusted data enters, which calls carry
 * it along, and which calls make it safe for a kind of sink. Data, not code, so that adding an
 * API is adding a name.
 */

/** The kinds of dangerous places a rule asks about; sanitizers are specific to them. */
export type SinkKind =
  | "sql"
  | "shell"
  | "command"
  | "code"
  | "deserialize"
  | "path"
  | "html"
  | "template"
  | "redirect"
  | "url"
  | "xpath"
  | "ldap"
  | "header"
  | "regex"
  | "xml"
  | "log"
  | "session"
  | "archive";

/** Attributes of a web framework's request object that hold client-controlled data (Flask, Django, DRF, Starlette/FastAPI). */
export const REQUEST_ATTRIBUTES: ReadonlySet<string> = new Set([
  "args", "form", "values", "json", "data", "files", "headers", "cookies", "view_args", "path", "full_path", "url",
  "base_url", "url_root", "host", "host_url", "query_string", "stream", "environ", "authorization", "referrer",
  "user_agent", "access_route", "mimetype_params",
  "GET", "POST", "body", "FILES", "COOKIES", "META", "query_params", "path_info", "content_params", "path_params",
]);

/** Methods of a request object that return client-controlled data. */
export const REQUEST_METHODS: ReadonlySet<string> = new Set([
  "get_json", "get_data", "getlist", "json", "body", "form", "get_full_path", "build_absolute_uri", "read", "readline", "readlines",
]);

/** Imported names that are the current request object. */
export const REQUEST_OBJECTS: ReadonlySet<string> = new Set(["flask.request", "quart.request", "bottle.request", "sanic.request", "werkzeug.local.request"]);

/** Calls whose result is client or operator input. */
export const SOURCE_CALLS: ReadonlyMap<string, string> = new Map([
  ["input", "input()"],
  ["raw_input", "raw_input()"],
  ["builtins.input", "input()"],
  ["sys.stdin.read", "sys.stdin"],
  ["sys.stdin.readline", "sys.stdin"],
  ["sys.stdin.readlines", "sys.stdin"],
]);

/** Calls that read the environment: a source only for rules that ask for it. */
export const ENVIRONMENT_CALLS: ReadonlySet<string> = new Set(["os.getenv", "os.environ.get", "os.getenvb", "os.environb.get"]);

/** Conversions that leave nothing of the input an attacker could shape. */
export const UNIVERSAL_SANITIZERS: ReadonlySet<string> = new Set([
  "int", "float", "bool", "complex", "len", "ord", "hash", "id", "round", "abs", "isinstance", "callable", "hasattr",
  "uuid.UUID", "decimal.Decimal", "fractions.Fraction", "datetime.date.fromisoformat", "datetime.datetime.fromisoformat",
  "datetime.datetime.strptime", "hashlib.sha256", "hashlib.sha512", "hashlib.sha1", "hashlib.md5", "hmac.new",
  "hmac.compare_digest", "secrets.compare_digest", "bool", "ipaddress.ip_address",
]);

/** Sanitizers that make a value safe for one kind of sink. */
export const SINK_SANITIZERS: Readonly<Partial<Record<SinkKind, ReadonlySet<string>>>> = {
  shell: new Set(["shlex.quote", "pipes.quote", "shlex.join"]),
  command: new Set(["shlex.quote", "pipes.quote"]),
  html: new Set([
    "html.escape", "markupsafe.escape", "flask.escape", "jinja2.escape", "bleach.clean", "cgi.escape",
    "django.utils.html.escape", "django.utils.html.format_html", "django.utils.html.strip_tags", "xml.sax.saxutils.escape",
    "urllib.parse.quote", "urllib.parse.quote_plus", "django.utils.html.conditional_escape", "django.utils.html.escapejs",
  ]),
  template: new Set(["html.escape", "markupsafe.escape", "flask.escape", "bleach.clean", "django.utils.html.escape"]),
  path: new Set([
    "werkzeug.utils.secure_filename", "werkzeug.secure_filename", "os.path.basename", "posixpath.basename", "ntpath.basename",
    "werkzeug.utils.safe_join", "werkzeug.security.safe_join", "flask.safe_join", "flask.helpers.safe_join", "django.utils._os.safe_join",
  ]),
  regex: new Set(["re.escape", "regex.escape"]),
  ldap: new Set([
    "ldap.filter.escape_filter_chars", "ldap3.utils.conv.escape_filter_chars", "ldap.dn.escape_dn_chars", "ldap.filter.filter_format",
    "ldap3.utils.dn.escape_rdn",
  ]),
  redirect: new Set(["flask.url_for", "django.urls.reverse", "django.shortcuts.resolve_url"]),
  url: new Set(["flask.url_for", "django.urls.reverse"]),
  header: new Set(["urllib.parse.quote", "urllib.parse.quote_plus", "werkzeug.utils.secure_filename", "werkzeug.secure_filename"]),
  log: new Set(["repr"]),
};

/** Functions whose result carries the taint of their arguments. Unknown functions do not: precision over recall. */
export const PROPAGATING_FUNCTIONS: ReadonlySet<string> = new Set([
  "str", "repr", "bytes", "bytearray", "format", "list", "tuple", "set", "frozenset", "dict", "sorted", "reversed",
  "min", "max", "next", "iter", "getattr", "vars",
  "urllib.parse.unquote", "urllib.parse.unquote_plus", "urllib.parse.unquote_to_bytes", "urllib.parse.urljoin",
  "urllib.parse.urlparse", "urllib.parse.urlsplit", "urllib.parse.urlunparse", "urllib.parse.urlunsplit",
  "urllib.parse.parse_qs", "urllib.parse.parse_qsl", "urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.urlencode",
  "os.path.join", "os.path.abspath", "os.path.normpath", "os.path.realpath", "os.path.expanduser", "os.path.dirname",
  "os.path.splitext", "os.fspath", "posixpath.join", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath",
  "base64.b64decode", "base64.b64encode", "base64.urlsafe_b64decode", "base64.urlsafe_b64encode", "base64.b32decode",
  "base64.b16decode", "base64.decodebytes", "binascii.unhexlify", "binascii.a2b_base64", "codecs.decode", "codecs.encode",
  "json.loads", "json.dumps", "json.load", "html.unescape", "copy.copy", "copy.deepcopy", "textwrap.dedent",
  "ast.literal_eval", "yaml.safe_load", "shlex.split", "markupsafe.Markup", "flask.Markup", "jinja2.Markup",
  "django.utils.safestring.mark_safe", "string.Template", "io.StringIO", "io.BytesIO",
]);

/** Methods whose result says something about the value without carrying it (booleans, counts, positions). */
export const NON_PROPAGATING_METHODS: ReadonlySet<string> = new Set([
  "startswith", "endswith", "isdigit", "isalpha", "isalnum", "isnumeric", "isdecimal", "isidentifier", "islower",
  "isupper", "isspace", "istitle", "isascii", "isprintable", "count", "find", "rfind", "index", "rindex",
  "is_relative_to", "exists", "is_file", "is_dir", "is_absolute", "__len__", "__contains__", "bit_length",
  "read_text", "read_bytes",
]);

/** Methods of an untainted receiver whose result carries the taint of their arguments. */
export const ARGUMENT_PROPAGATING_METHODS: ReadonlySet<string> = new Set([
  "format", "format_map", "join", "replace", "get", "setdefault", "pop", "safe_substitute", "substitute",
  "joinpath", "with_name", "with_suffix", "fromkeys", "__add__", "__mod__",
]);

/** Methods that put their arguments into the receiver (lists, sets, dicts, deques). */
export const MUTATING_METHODS = ["append", "extend", "insert", "add", "update", "appendleft", "extendleft", "setdefault"] as const;

/** Path converters of Flask routes whose values are already validated numbers or UUIDs. */
export const SAFE_ROUTE_CONVERTERS: ReadonlySet<string> = new Set(["int", "float", "uuid"]);

/** Annotations of FastAPI parameters that validation turns into safe types. */
export const SAFE_PARAMETER_TYPES: ReadonlySet<string> = new Set([
  "int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date", "time", "timedelta", "Decimal", "PositiveInt",
  "NonNegativeInt", "conint", "confloat", "EmailStr", "IPv4Address", "IPv6Address",
]);

/** Parameter annotations that are framework objects, not client data. */
export const FRAMEWORK_PARAMETER_TYPES: ReadonlySet<string> = new Set([
  "Request", "Response", "WebSocket", "BackgroundTasks", "Session", "AsyncSession", "HTTPConnection", "SecurityScopes",
]);

/** Decorator methods that declare a route. */
export const ROUTE_DECORATORS: ReadonlySet<string> = new Set(["route", "get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket", "api_view", "action"]);
