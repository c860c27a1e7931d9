import { callArguments, calleeLastName, field, stringLiteralValue, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { LOG_LEVEL_METHODS, outputCallKind, type OutputKind } from "./log-calls.js";
import { describeSensitive, labelBeforeValue, mentionsSecretWords, sensitiveName, type SensitiveKind, type SensitiveName } from "./sensitive-names.js";
import { nameWords } from "./words.js";

/** Callee last names of the sinks: the cheapest test, made before anything is resolved. */
const SINK_NAMES: ReadonlySet<string> = new Set([...LOG_LEVEL_METHODS, "print", "write"]);

/** Keyword arguments of the logging API itself, not values of the message. */
const LOGGING_KEYWORDS = new Set(["exc_info", "stack_info", "stacklevel", "level"]);

/** Calls whose result shows their argument as it is: the value still reaches the log. */
const TRANSPARENT_FUNCTIONS = new Set(["str", "repr", "format", "ascii", "bytes", "bytearray", "dict", "list", "tuple"]);
/** Methods whose result shows their receiver or their arguments as they are (`password.strip()`, `json.dumps(data)`, `b64encode(key)`). */
const TRANSPARENT_METHODS = new Set([
  "format", "join", "encode", "decode", "strip", "lstrip", "rstrip", "lower", "upper", "title", "casefold", "dumps",
  "b64encode", "urlsafe_b64encode", "b16encode", "b32encode", "hexlify",
]);
/** Getters whose string argument names the value they return (`data.get("password")`, `os.getenv("API_KEY")`). */
const KEYED_GETTERS = new Set(["get", "getenv", "pop", "getlist"]);

/** The request's header and cookie collections, logged whole. */
const REQUEST_COLLECTIONS = new Set(["headers", "cookies", "COOKIES", "META"]);
const REQUEST_NAMES = new Set(["request", "req"]);

/** Attributes that hold the value of a form field or wrapper (`form.password.data`). */
const VALUE_ATTRIBUTES = new Set(["data", "value", "raw", "plaintext", "secret_value"]);

/** Words in a value's own name that say it is not the secret a label announces (`"token: %s" % tokenId`). */
const LABEL_VALUE_WORDS = new Set([
  "id", "name", "type", "kind", "count", "len", "length", "size", "hash", "digest", "email", "user", "username", "status",
  "url", "path", "expiry", "expires", "exp", "ttl", "scope", "scopes", "prefix", "suffix", "hint", "e", "ex", "exc",
  "err", "error", "exception", "message", "msg", "reason", "masked", "redacted", "fingerprint", "last", "first",
]);

/** Modules of command-line programs, whose `print` talks to the operator at the terminal. */
const CLI_MODULES = ["argparse", "click", "typer", "docopt", "fire"];

const PERCENT_PLACEHOLDER = /%(?:\(([^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]/gu;
const BRACE_FIELD = /\{\{|\}\}|\{([^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}/gu;

const MAX_NODES = 160;

/** Every sensitive name and label contains one of these: a text screen before any node is read. */
const SENSITIVE_HINT = /pass|pw|secret|key|token|cred|auth|sess|card|cc|cvv|cvc|ssn|social|otp|header|cookie|META|bearer/iu;

interface Hit {
  /** The value that reaches the output. */
  node: SyntaxNode;
  /** How the message names it: the code, or the label in the text. */
  shown: string;
  what: string;
  kind: SensitiveKind | "headers" | "cookies";
  severity: "error" | "warning";
  /** "in an f-string", "as the `password` keyword"… */
  how: string;
}

function snippet(node: SyntaxNode, limit = 40): string {
  const text = node.text.replace(/\s+/gu, " ");
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function advice(kind: Hit["kind"]): string {
  switch (kind) {
    case "password":
    case "secret":
    case "key":
    case "credentials":
    case "authorization":
      return "never log it: log the event and a non-secret reference (the user or key id) instead";
    case "token":
    case "session id":
    case "one-time code":
      return "log a non-secret reference instead (the token's id, or a hash or the last 4 characters of it)";
    case "headers":
      return "log only the headers you need, without `Authorization` and `Cookie`";
    case "cookies":
      return "log only the cookies you need, never the session cookie";
    default:
      return "mask it (for example the last 4 digits only) or leave it out";
  }
}

function outputName(kind: OutputKind, call: SyntaxNode): string {
  if (kind === "print") return "`print` writes";
  const callee = field(call, "function");
  return `\`${callee ? snippet(callee, 40) : "the logger"}\` writes`;
}

function destination(kind: OutputKind): string {
  return kind === "logger" ? "to the log" : "to the console, which ends up in the server's logs";
}

export const sensitiveDataInLogs: RuleModule = {
  meta: {
    id: "PG-LOG-003",
    name: "sensitive-data-in-logs",
    title: "Password, token, key or card number written to a log or printed",
    sections: ["C9", "G6"],
    cwe: [532, 312],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports logging calls (`logging.*`, `logger.*`, `log.*`, `app.logger.*`, `structlog`), `print` and `sys.stdout.write`/`sys.stderr.write` whose arguments include a value named as a password, secret, API or private key, credentials, an Authorization header, a token, a session id, a card number or security code, a social security number or a one-time code: an identifier (`userPassword`), an attribute (`settings.SECRET_KEY`, `form.password.data`), a dict key (`data[\"password\"]`, `request.headers.get(\"Authorization\")`), a structlog keyword (`password=`), directly or inside an f-string, `%`, `.format()` or `+`. A value right after a label in the message (`\"password=%s\"`, `f\"api key: {value}\"`) counts too, and so does logging `request.headers` or `request.cookies` whole.",
      whyIsThisBad:
        "Logs are copied to log servers, shared with support staff and kept for years, with far weaker protection than a credential store. A password or token in a log is a leaked credential: anyone who reads the log can log in as that user or call the API with that key.",
      example:
        'import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef func_login(userName, userPassword):\n    logger.info("login attempt for %s with password %s", userName, userPassword)',
      useInstead:
        'import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef func_login(userName, userPassword):\n    logger.info("login attempt for %s", userName)',
      notes:
        "Names are split on camelCase and underscores and the secret words must be the head of the name, so labels and facts about a secret are not reported: `passwordField`, `tokenType`, `passwordLength`, `tokenCount`, `apiKeyId`, `isPasswordValid`, `hasToken`, `hashedPassword`, `pageToken`. Masked values are not reported: any call other than a formatting one (`mask(token)`, `redact(password)`, `len(password)`, `hashlib.sha256(...)`), a slice (`token[-4:]`), a comparison or `bool`, and names bound only to constants (`password = \"***\"`). Passwords, secrets, keys and Authorization headers are errors; tokens, credentials (a word that also names config key lists and provider objects), session ids and personal data are warnings. A loop variable named `token` (`for token in tokens`) is a lexical token, not a credential. `print` in a command-line program (one that imports argparse, click, typer, docopt or fire) is not reported: it talks to the operator, who may have asked for a generated key.",
    },
  },
  create(context) {
    let cliModule: boolean | undefined;
    const isCliModule = (): boolean => (cliModule ??= CLI_MODULES.some((module) => context.analyses.importsModule(module)));

    return {
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !SINK_NAMES.has(lastName)) return;
        // Nothing named like a secret in the arguments' text: nothing to look for.
        const argumentList = field(node, "arguments");
        if (!argumentList || !SENSITIVE_HINT.test(argumentList.text)) return;
        const kind = outputCallKind(context.analyses, node, lastName);
        if (!kind) return;
        if (kind !== "logger" && isCliModule()) return;
        const hit = examineCall(context, node, kind, lastName);
        if (!hit) return;
        const through = hit.how ? ` ${hit.how}` : "";
        context.report({
          node,
          severity: hit.severity,
          message: `${outputName(kind, node)} \`${hit.shown}\` (${hit.what})${through} ${destination(kind)}; ${advice(hit.kind)}.`,
        });
      },
    };
  },
};

function examineCall(context: RuleContext, call: SyntaxNode, kind: OutputKind, lastName: string): Hit | null {
  const args = callArguments(call);
  const positional = args.positional;
  // logger.info("password=%s", value): the logging call formats its own arguments.
  const templateIndex = kind === "logger" ? (lastName === "log" ? 1 : 0) : -1;
  if (templateIndex >= 0) {
    const template = positional[templateIndex];
    if (template && positional.length > templateIndex + 1) {
      const hit = labelledPercentArguments(context, template, positional.slice(templateIndex + 1));
      if (hit) return hit;
    }
  }
  for (const value of positional) {
    const hit = examine(context, value);
    if (hit) return hit;
  }
  if (kind !== "logger") return null;
  for (const [keyword, value] of args.keywords) {
    if (LOGGING_KEYWORDS.has(keyword)) continue;
    if (keyword !== "extra") {
      const named = sensitiveName(keyword);
      if (named && !isMaskedOrConstant(context, value)) return keywordHit(value, keyword, named);
    }
    const hit = examine(context, value);
    if (hit) return hit;
  }
  return null;
}

function keywordHit(value: SyntaxNode, keyword: string, named: SensitiveName): Hit {
  return {
    node: value,
    shown: `${keyword}=${snippet(value, 30)}`,
    what: describeSensitive(named.kind),
    kind: named.kind,
    severity: named.severity,
    how: "",
  };
}

function nameHit(node: SyntaxNode, named: SensitiveName, how = ""): Hit {
  return { node, shown: snippet(node), what: describeSensitive(named.kind), kind: named.kind, severity: named.severity, how };
}

/** A value that shows nothing secret: a constant, a slice, or any call but a formatting one (`mask(token)`, `len(password)`). */
function isMaskedOrConstant(context: RuleContext, value: SyntaxNode, depth = 0): boolean {
  const expression = unparenthesize(value);
  switch (expression.type) {
    case "identifier":
    case "attribute":
      return context.analyses.constant(expression) !== undefined;
    case "subscript":
      return field(expression, "subscript")?.type === "slice" || context.analyses.constant(expression) !== undefined;
    case "string":
      return !expression.namedChildren.some((child) => child.type === "interpolation");
    case "concatenated_string":
    case "binary_operator":
      return context.analyses.constant(expression) !== undefined;
    case "conditional_expression": {
      if (depth > 4) return false;
      const [whenTrue, , whenFalse] = expression.namedChildren.filter((child) => child.type !== "comment");
      return (!whenTrue || isMaskedOrConstant(context, whenTrue, depth + 1)) && (!whenFalse || isMaskedOrConstant(context, whenFalse, depth + 1));
    }
    case "call": {
      const callee = field(expression, "function");
      if (callee?.type === "identifier") return !TRANSPARENT_FUNCTIONS.has(callee.text);
      const method = callee?.type === "attribute" ? field(callee, "attribute")?.text : undefined;
      return method === undefined || !TRANSPARENT_METHODS.has(method);
    }
    default:
      return true;
  }
}

/**
 * Looks through one argument for a value named as a secret, following only constructions that
 * show their parts as they are (formatting, concatenation, containers, `str()`); any other call
 * stands for a transformed value (masked, hashed, measured) and is not looked into.
 */
function examine(context: RuleContext, root: SyntaxNode): Hit | null {
  const stack: SyntaxNode[] = [root];
  for (let visited = 0; stack.length > 0 && visited < MAX_NODES; visited++) {
    const node = stack.pop() as SyntaxNode;
    switch (node.type) {
      case "identifier": {
        const named = sensitiveName(node.text);
        if (named && context.analyses.constant(node) === undefined && !isOtherValue(context, node, named)) return nameHit(node, named);
        break;
      }
      case "attribute": {
        const hit = attributeHit(context, node);
        if (hit) return hit;
        break;
      }
      case "subscript": {
        const key = field(node, "subscript");
        const keyText = key?.type === "string" ? stringLiteralValue(key) : null;
        const named = keyText ? sensitiveName(keyText) : null;
        if (named) return nameHit(node, named);
        break;
      }
      case "call": {
        const hit = callHit(context, node, stack);
        if (hit) return hit;
        break;
      }
      case "string": {
        const hit = fStringHit(context, node, stack);
        if (hit) return hit;
        break;
      }
      case "concatenated_string":
      case "parenthesized_expression":
      case "tuple":
      case "list":
      case "set":
      case "expression_list":
        for (const child of node.namedChildren) if (child.type !== "comment") stack.push(child);
        break;
      case "binary_operator": {
        const hit = binaryHit(context, node, stack);
        if (hit) return hit;
        break;
      }
      case "conditional_expression": {
        const [whenTrue, , whenFalse] = node.namedChildren.filter((child) => child.type !== "comment");
        if (whenTrue) stack.push(whenTrue);
        if (whenFalse) stack.push(whenFalse);
        break;
      }
      case "dictionary": {
        for (const pair of node.namedChildren) {
          if (pair.type !== "pair") continue;
          const key = field(pair, "key");
          const value = field(pair, "value");
          if (!value) continue;
          const keyText = key?.type === "string" ? stringLiteralValue(key) : null;
          const named = keyText ? sensitiveName(keyText) : null;
          if (named && !isMaskedOrConstant(context, value)) return { ...nameHit(value, named), shown: `"${keyText}": ${snippet(value, 30)}` };
          stack.push(value);
        }
        break;
      }
      default:
        break;
    }
  }
  return null;
}

/** An exception caught under a secret-like name, or a loop over lexical tokens (`for token in tokens: print(token)`). */
function isOtherValue(context: RuleContext, identifier: SyntaxNode, named: SensitiveName): boolean {
  const kind = context.analyses.scopes.bindingBefore(identifier.text, identifier)?.kind;
  return kind === "except" || (named.kind === "token" && kind === "for");
}

function isExceptionVariable(context: RuleContext, identifier: SyntaxNode): boolean {
  return context.analyses.scopes.bindingBefore(identifier.text, identifier)?.kind === "except";
}

function attributeHit(context: RuleContext, node: SyntaxNode): Hit | null {
  const attribute = field(node, "attribute")?.text;
  const receiver = field(node, "object");
  if (!attribute || !receiver) return null;
  if (REQUEST_COLLECTIONS.has(attribute) && receiver.type === "identifier" && REQUEST_NAMES.has(receiver.text)) {
    const cookies = attribute === "cookies" || attribute === "COOKIES";
    return {
      node,
      shown: snippet(node),
      what: cookies ? "every cookie, including the session cookie" : "every request header, including Authorization and Cookie",
      kind: cookies ? "cookies" : "headers",
      severity: "warning",
      how: "",
    };
  }
  let name = attribute;
  // form.password.data: the value of the `password` field.
  if (VALUE_ATTRIBUTES.has(attribute) && receiver.type === "attribute") name = field(receiver, "attribute")?.text ?? attribute;
  const named = sensitiveName(name);
  if (!named || context.analyses.constant(node) !== undefined) return null;
  return nameHit(node, named);
}

function callHit(context: RuleContext, call: SyntaxNode, stack: SyntaxNode[]): Hit | null {
  const callee = field(call, "function");
  if (!callee) return null;
  if (callee.type === "identifier") {
    if (callee.text === "getattr") {
      const key = callArguments(call).positional[1];
      const keyText = key?.type === "string" ? stringLiteralValue(key) : null;
      const named = keyText ? sensitiveName(keyText) : null;
      return named ? nameHit(call, named) : null;
    }
    if (!TRANSPARENT_FUNCTIONS.has(callee.text) || context.analyses.resolve(callee)?.origin === "local") return null;
    const args = callArguments(call);
    stack.push(...args.positional, ...args.keywords.values());
    return null;
  }
  if (callee.type !== "attribute") return null;
  const method = field(callee, "attribute")?.text;
  if (!method) return null;
  const args = callArguments(call);
  if (KEYED_GETTERS.has(method)) {
    const key = args.positional[0];
    const keyText = key?.type === "string" ? stringLiteralValue(key) : null;
    const named = keyText ? sensitiveName(keyText) : null;
    return named ? nameHit(call, named) : null;
  }
  if (!TRANSPARENT_METHODS.has(method)) return null;
  const receiver = field(callee, "object");
  if (method === "format" && receiver?.type === "string") {
    const hit = labelledFormatArguments(context, receiver, args.positional, args.keywords);
    if (hit) return hit;
  }
  if (receiver) stack.push(receiver);
  stack.push(...args.positional, ...args.keywords.values());
  return null;
}

function fStringHit(context: RuleContext, node: SyntaxNode, stack: SyntaxNode[]): Hit | null {
  let before = "";
  let isFormatted: boolean | undefined;
  for (const child of node.namedChildren) {
    if (child.type === "string_start") {
      isFormatted = /f/iu.test(child.text);
      if (!isFormatted) return null;
      continue;
    }
    if (child.type === "string_content") {
      before += child.text;
      continue;
    }
    if (child.type !== "interpolation") continue;
    const expression = field(child, "expression") ?? child.namedChild(0);
    if (!expression) continue;
    const label = labelBeforeValue(before);
    if (label && isLabelledValue(context, expression)) return labelHit(expression, label, "after a label in an f-string");
    before = "";
    stack.push(expression);
  }
  return null;
}

function binaryHit(context: RuleContext, node: SyntaxNode, stack: SyntaxNode[]): Hit | null {
  const left = field(node, "left");
  const right = field(node, "right");
  const operator = field(node, "operator")?.text;
  if (!left || !right) return null;
  if (operator === "%" && left.type === "string") {
    const values = unparenthesize(right);
    const list = values.type === "tuple" ? values.namedChildren.filter((child) => child.type !== "comment") : [values];
    const hit = labelledPercentArguments(context, left, list);
    if (hit) return hit;
  } else if (operator === "+" && left.type === "string") {
    const text = stringLiteralValue(left);
    const label = text === null ? null : labelBeforeValue(text);
    if (label && isLabelledValue(context, right)) return labelHit(right, label, "after a label in the message");
  } else if (operator !== "+" && operator !== "%") {
    return null;
  }
  stack.push(left, right);
  return null;
}

/** `"password=%s" % value`, `logger.info("password=%s", value)`: values right after a label. */
function labelledPercentArguments(context: RuleContext, template: SyntaxNode, values: readonly SyntaxNode[]): Hit | null {
  if (template.type !== "string") return null;
  const text = stringLiteralValue(template);
  if (text === null) return null;
  let index = 0;
  let start = 0;
  for (const match of text.matchAll(PERCENT_PLACEHOLDER)) {
    if (match[0] === "%%") continue;
    const before = text.slice(start, match.index);
    start = (match.index ?? 0) + match[0].length;
    const value = values[index++];
    if (!value) break;
    const label = labelBeforeValue(before);
    if (label && isLabelledValue(context, value)) return labelHit(value, label, "after a label in the message");
  }
  return null;
}

/** `"password={}".format(value)`, `"token: {token}".format(token=value)`. */
function labelledFormatArguments(
  context: RuleContext,
  template: SyntaxNode,
  positional: readonly SyntaxNode[],
  keywords: ReadonlyMap<string, SyntaxNode>,
): Hit | null {
  const text = stringLiteralValue(template);
  if (text === null) return null;
  let automatic = 0;
  let start = 0;
  for (const match of text.matchAll(BRACE_FIELD)) {
    if (match[1] === undefined) continue;
    const before = text.slice(start, match.index);
    start = (match.index ?? 0) + match[0].length;
    const fieldName = match[1].trim();
    const value = fieldName === "" ? positional[automatic++] : /^\d+$/u.test(fieldName) ? positional[Number(fieldName)] : keywords.get(fieldName);
    if (!value) continue;
    const label = labelBeforeValue(before);
    if (label && isLabelledValue(context, value)) return labelHit(value, label, "after a label in the message");
  }
  return null;
}

function labelHit(value: SyntaxNode, label: SensitiveName, how: string): Hit {
  return { node: value, shown: snippet(value), what: describeSensitive(label.kind), kind: label.kind, severity: label.severity, how };
}

/** A plain value after a label: a name whose own words do not say it is something else (an id, a count, an exception). */
function isLabelledValue(context: RuleContext, value: SyntaxNode): boolean {
  const expression = unparenthesize(value);
  let name: string | undefined;
  if (expression.type === "identifier") {
    if (isExceptionVariable(context, expression)) return false;
    name = expression.text;
  } else if (expression.type === "attribute") {
    name = field(expression, "attribute")?.text;
  } else if (expression.type === "subscript") {
    const key = field(expression, "subscript");
    name = key?.type === "string" ? (stringLiteralValue(key) ?? undefined) : undefined;
    if (key?.type === "slice") return false;
  } else {
    return false;
  }
  if (name === undefined) return false;
  if (nameWords(name).some((word) => LABEL_VALUE_WORDS.has(word))) return false;
  // `"token: %s" % pageToken`: the value's own name says what it is.
  if (mentionsSecretWords(name) && nameWords(name).length > 1 && !sensitiveName(name)) return false;
  return context.analyses.constant(expression) === undefined;
}
