/**
 * The secret-name lexicon shared by the G6 rules: an identifier tokenizer that understands
 * camelCase (Bandit and Ruff only split on `_`, so `dbPassword` and `apiKey` escape them), the
 * word sequences that name a secret, and the tests that tell a real literal secret from a
 * placeholder or a label (`PASSWORD_FIELD = "password"`, `TOKEN_HEADER = "X-Auth-Token"`).
 *
 * Everything here is plain string work on short texts; no tree access.
 */

/** Upper-case runs (`API` in `APIKey`), capitalised or lower-case words, digit runs. */
const WORD_PATTERN = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/gu;

/** Splits an identifier, dict key or header name into lower-case words: `dbPassword_2` → db, password, 2. */
export function nameWords(name: string): string[] {
  if (name.length === 0 || name.length > 120) return [];
  const words = name.match(WORD_PATTERN);
  return words ? words.map((word) => word.toLowerCase()) : [];
}

/** `dbPassword` → `DB_PASSWORD`, the environment variable a fix would read. */
export function environmentName(name: string): string {
  const words = nameWords(name);
  return words.length > 0 ? words.join("_").toUpperCase() : "SECRET";
}

export type SecretFamily = "password" | "secret" | "key" | "token" | "credentials" | "auth";

export interface SecretName {
  family: SecretFamily;
  words: readonly string[];
  /** The words that name the secret: `["api", "key"]` for `x_api_key_value`. */
  head: readonly string[];
  /** The name says the value is not real (`fakePassword`, `examplePassword`): reported as a note. */
  marked: boolean;
}

const PASSWORD_WORDS = new Set(["password", "passwd", "pwd", "pswd", "passphrase", "passcode"]);
/** Short password words, trusted only as the last word and not after an ordinal (`firstPass`). */
const SHORT_PASSWORD_WORDS = new Set(["pass", "pw"]);
const PASS_NOT_AFTER = new Set([
  "first", "second", "third", "last", "next", "final", "single", "multi", "one", "two", "each", "this", "main",
  "initial", "render", "compile", "build", "extra", "boarding", "bus", "day", "hall", "season", "free",
  // `user_pass` is usually the `user:pass` pair of a URL, not a password.
  "user",
]);
const CREDENTIAL_WORDS = new Set(["credential", "credentials", "creds", "cred"]);
const AUTH_WORDS = new Set(["auth", "authorization"]);
/** Single words that already are a secret sequence, as people write them in lower case. */
const COMPOUND_WORDS = new Map<string, SecretFamily>([
  ["apikey", "key"],
  ["accesskey", "key"],
  ["secretkey", "key"],
  ["privatekey", "key"],
  ["authkey", "key"],
  ["signingkey", "key"],
  ["masterkey", "key"],
  ["encryptionkey", "key"],
  ["clientsecret", "secret"],
  ["appsecret", "secret"],
  ["authtoken", "token"],
  ["accesstoken", "token"],
  ["refreshtoken", "token"],
  ["apitoken", "token"],
  ["bearertoken", "token"],
]);
/**
 * `key` names a secret only after one of these (`apiKey`, `SECRET_KEY`, `aws_secret_access_key`);
 * `cacheKey`, `sessionKey` (Django's session dict key), `sshKey` (usually a public key or a path)
 * and `storageKey` (an object name) do not.
 */
const KEY_QUALIFIERS = new Set([
  "api", "secret", "private", "access", "signing", "sign", "encryption", "encrypt", "decryption", "decrypt", "master",
  "auth", "license", "licence", "account", "subscription", "hmac", "jwt", "aes", "fernet", "crypto", "cipher", "shared",
  "mac", "admin",
]);
/** `token` after these is a lexer, tokenizer or pagination token, not a credential. */
const TOKEN_NOT_AFTER = new Set([
  "pad", "padding", "eos", "bos", "unk", "unknown", "mask", "sep", "cls", "special", "start", "end", "stop", "begin", "sos",
  "eot", "eol", "eof", "newline", "page", "next", "prev", "previous", "continuation", "cursor", "sync", "resume", "last",
  "first", "current", "cur", "split", "sentinel", "separator", "delimiter", "comment", "word", "input", "output", "cancel",
  "cancellation", "max", "num", "lexer", "parser", "syntax", "prompt", "image", "audio", "bpe", "space", "whitespace",
  "indent", "dedent", "string", "number", "op", "operator", "name", "keyword", "literal", "punctuation", "identifier",
]);
/** Words that may follow the secret words without changing what the name holds (`passwordValue`, `apiKey2`). */
const TRAILING_WORDS = new Set([
  "value", "val", "str", "string", "text", "plain", "plaintext", "raw", "bytes", "b64", "base64", "hex", "literal", "default",
  "fallback", "override", "confirm", "confirmation", "repeat", "again", "retype",
]);
/** Words anywhere before the secret words that make the name hold something else (`passwordHash` is caught by the head rule; `hashedPassword`, `maxPasswordLength`, `isPassword`, `publicKey` here). */
const NEGATIVE_WORDS = new Set([
  "public", "hash", "hashed", "digest", "encrypted", "masked", "redacted", "no", "non", "not", "without", "is", "has", "use",
  "uses", "enable", "enabled", "disable", "disabled", "require", "requires", "required", "allow", "allowed", "show", "hide",
  "min", "max", "num", "count", "len", "length", "reset", "forgot", "forgotten", "expire", "expires", "expiry", "expiration",
  "expired", "invalid", "wrong", "bad", "incorrect", "revoked",
]);
/** Words in a name that say the value is not real. */
const MARKER_NAME_WORDS = new Set(["fake", "dummy", "example", "sample", "placeholder", "mock"]);

function isDigits(word: string): boolean {
  return /^[0-9]+$/u.test(word);
}

/**
 * Matches a name against the secret lexicon on whole words: the secret words must be the head of
 * the name (last, apart from qualifiers such as `Value` or digits), so `passwordField`,
 * `tokenType`, `secretName`, `apiKeyHeader` and `PASSWORD_MIN_LENGTH` do not match, nor do
 * `passage`, `bypass`, `compass`, `tokenizer` or `secretary`.
 */
export function secretName(name: string): SecretName | null {
  const words = nameWords(name);
  return words.length === 0 || words.length > 12 ? null : secretNameOfWords(words);
}

export function secretNameOfWords(words: readonly string[]): SecretName | null {
  let end = words.length;
  while (end > 0 && (isDigits(words[end - 1] as string) || TRAILING_WORDS.has(words[end - 1] as string))) end--;
  if (end === 0) return null;
  const last = words[end - 1] as string;
  const previous = end >= 2 ? (words[end - 2] as string) : undefined;
  let family: SecretFamily | undefined;
  let headStart = end - 1;
  if (PASSWORD_WORDS.has(last)) family = "password";
  else if (SHORT_PASSWORD_WORDS.has(last)) {
    if (previous !== undefined && PASS_NOT_AFTER.has(previous)) return null;
    family = "password";
  } else if (last === "secret") family = "secret";
  else if (last === "token") {
    if (previous !== undefined && TOKEN_NOT_AFTER.has(previous)) return null;
    family = "token";
  } else if (last === "key") {
    if (previous === undefined || !KEY_QUALIFIERS.has(previous)) return null;
    family = "key";
    headStart = end - 2;
  } else if (CREDENTIAL_WORDS.has(last)) family = "credentials";
  else if (AUTH_WORDS.has(last)) family = "auth";
  else family = COMPOUND_WORDS.get(last);
  if (!family) return null;
  let marked = false;
  for (let i = 0; i < headStart; i++) {
    const word = words[i] as string;
    if (NEGATIVE_WORDS.has(word)) return null;
    if (MARKER_NAME_WORDS.has(word)) marked = true;
  }
  return { family, words, head: words.slice(headStart, end), marked };
}

// ---------------------------------------------------------------------------------------------
// Values

export type ValueVerdict =
  | { kind: "report" }
  /** Reported as a note: the value says it is not real (`FAKE`, `EXAMPLE`, `XXXX`). */
  | { kind: "marked" }
  | { kind: "placeholder"; why: string }
  | { kind: "label"; why: string };

/**
 * Whole values (compared in lower case, without surrounding space) that stand in for a secret.
 * Documented in the rule's notes; `placeholders` in the rule options adds more.
 */
export const PLACEHOLDER_VALUES: ReadonlySet<string> = new Set([
  "changeme", "change-me", "change_me", "change me", "changeit", "change-it", "changethis", "change-this", "replaceme",
  "replace-me", "replace_me", "todo", "tbd", "fixme", "dummy", "fake", "example", "sample", "placeholder", "none", "null",
  "nil", "undefined", "notset", "not-set", "not_set", "unset", "n/a", "na", "redacted", "masked", "hidden", "default",
  "empty", "blank", "required", "optional", "secret", "password", "passwd", "pwd", "pass", "pw", "token", "key", "apikey",
  "api_key", "api-key", "str", "string", "bytes", "text", "test", "testing", "foo", "bar", "baz", "foobar", "xyz",
]);

/** Patterns of placeholder and template values. */
const PLACEHOLDER_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/^(.)\1*$/su, "a run of one character"],
  [/^[^A-Za-z0-9]{1,3}$/u, "punctuation"],
  [/^[xX*•.\-_#?:\s]+$/u, "a mask"],
  [/^<[^<>]*>$/u, "an <angle-bracket> placeholder"],
  [/^\[[^[\]]*\]$/u, "a [bracketed] placeholder or special token"],
  [/\$\{[^}]*\}|^\$[A-Za-z_][A-Za-z0-9_]*$|^\$\([^)]*\)$/u, "an environment template"],
  [/\{\{[^}]*\}\}|\{[A-Za-z_0-9.[\]]*(?:![rsa])?(?::[^{}]*)?\}/u, "a format template"],
  [/%(?:\([A-Za-z_]\w*\))?[sdr]/u, "a %-format template"],
  [/^(?:your|enter|insert|put|paste|add|replace|set)[\s_-]/iu, "an instruction to fill it in"],
  [/[\s_-](?:here|goes[\s_-]here)$/iu, "an instruction to fill it in"],
  [/^(?:env|vault|arn|ssm|secretsmanager|secret-manager|keyring|keychain|op|awssm|gcpsm|azkv|file|ref\+[a-z]+):/iu, "a reference to a secret store"],
  [/^ENC\[/u, "an encrypted (sops) value"],
  [/^urn:/iu, "a URN"],
];

/** Words that make a word-shaped value a joke secret rather than a label (`super-secret`, `mySecretToken`). */
const INTENSIFIERS = new Set(["super", "top", "very", "so", "really", "ultra", "most", "my", "real", "hard", "secure"]);
/** Scheme words that an auth or token setting names (`tokenType`-like values under a secret name). */
const MODE_WORDS = new Set([
  "bearer", "basic", "jwt", "oauth", "oauth1", "oauth2", "access", "refresh", "id", "session", "csrf", "api", "none", "mac",
  "digest", "hmac", "opaque", "negotiate", "ntlm", "kerberos", "token", "cookie", "header", "query",
]);
const MARKER_VALUE = /EXAMPLE|FAKE|DUMMY|SAMPLE|PLACEHOLDER|X{4}|NOT[-_ ]?REAL|0{8}|12345678|ABCDEFGH/iu;
/** `Bearer abc`, `Basic dXNlcjpwYXNz`: an Authorization value whose second word is the credential. */
const AUTH_SCHEME_VALUE = /^(?:basic|bearer|token|digest|apikey|api-key|key|sso-key)\s+(\S+)$/iu;
const LOWER_CAMEL = /^[a-z]+(?:[A-Z][a-z]+)+$/u;
/** Words without digits, each lower case, capitalised, upper case or lowerCamel, joined by `-`, `_`, `.` or a space: a field, key or header name, not random characters. */
const WORDS_ONLY = /^(?:[a-z]+|[A-Z][a-z]*|[A-Z]+|[a-z]+(?:[A-Z][a-z]+)+)(?:[-_. ](?:[a-z]+|[A-Z][a-z]*|[A-Z]+|[a-z]+(?:[A-Z][a-z]+)+))*$/u;
const HEADER_LIKE = /^(?:X-[A-Za-z0-9-]+|[A-Z][a-z0-9]*(?:-[A-Z][a-z0-9]*)+|Authorization|Cookie|Set-Cookie|WWW-Authenticate)$/u;
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/u;
const UPPER_WORD = /^[A-Z]{2,16}$/u;
const LOWER_WORD = /^[a-z]+$/u;
const CAPITALISED_WORD = /^[A-Za-z][a-z0-9]*$/u;
/** Regular-expression syntax: character classes, escapes, groups, quantifiers after a class or group. */
const REGEX_LIKE = /\\[dwsWDSbB]|\[\^|\(\?[:=!<P]|\.\*|\.\+|[\])][*+?]/u;
/**
 * Relative, home and Windows paths; absolute paths only when no segment has a capital after its
 * first character (`/etc/ssl/private`, `/account/reset-password`), since base64 secrets may start
 * with `/` too.
 */
const PATH_START = /^(?:\.\.?\/|~\/|[A-Za-z]:\\|\\\\)|^\/(?:[A-Za-z0-9_.-][a-z0-9_.-]*(?:\/[A-Za-z0-9_.-][a-z0-9_.-]*)*)?\/?$/u;
const FILE_NAME = /^[\w.\-/\\]+\.(?:pem|key|crt|cer|der|p8|p12|pfx|jks|keystore|json|ya?ml|toml|ini|cfg|conf|env|txt|gpg|asc|pub|db|sqlite3?)$/iu;
const LOWER_PATH = /^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)+\/?$/u;
/** Text: two or more words of letters, each all lower case or capitalised, with sentence punctuation. */
const PROSE = /^[\p{L}][\p{Ll}'’]*,?(?:\s+[\p{L}][\p{Ll}'’]*[,;]?)+\s*[.!?:…]?$/u;

function normalized(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/gu, "");
}

/** A value that is a placeholder or a template, whatever name it is under. */
export function placeholderReason(value: string, extra?: ReadonlySet<string>): string | null {
  const trimmed = value.trim();
  if (trimmed.length === 0) return "empty";
  const lower = trimmed.toLowerCase();
  if (PLACEHOLDER_VALUES.has(lower) || extra?.has(lower)) return `the placeholder "${trimmed}"`;
  for (const [pattern, why] of PLACEHOLDER_PATTERNS) if (pattern.test(trimmed)) return why;
  return null;
}

/** True when the value carries a test marker (`FAKE`, `EXAMPLE`, `XXXX`, `12345678`…). */
export function hasTestMarker(value: string): boolean {
  return MARKER_VALUE.test(value);
}

/**
 * Decides whether a literal under a secret name is a secret. Placeholders and templates are
 * skipped; so are labels: values that name the secret rather than hold it (the name's own words,
 * a header name, a URL or path, an environment variable name, a mode word such as `bearer`
 * under an auth or token name, a message).
 */
export function judgeSecretValue(
  value: string,
  name: SecretName,
  extraPlaceholders?: ReadonlySet<string>,
  comparison = false,
): ValueVerdict {
  const trimmed = value.trim();
  const placeholder = placeholderReason(trimmed, extraPlaceholders);
  if (placeholder) return { kind: "placeholder", why: placeholder };
  // Lexers and parsers compare `token == "def"` or `token == "->"`: words and operators, not credentials.
  if (comparison && name.family === "token" && (/^[A-Za-z_]+$/u.test(trimmed) || !/[A-Za-z0-9]/u.test(trimmed))) {
    return { kind: "label", why: "a keyword or operator" };
  }

  const scheme = AUTH_SCHEME_VALUE.exec(trimmed);
  if (scheme) {
    const credential = scheme[1] as string;
    const inner = placeholderReason(credential, extraPlaceholders);
    if (inner) return { kind: "placeholder", why: inner };
    return hasTestMarker(credential) || name.marked ? { kind: "marked" } : { kind: "report" };
  }

  // A test marker wins over the label shapes: labels do not say FAKE or EXAMPLE.
  if (hasTestMarker(trimmed)) return { kind: "marked" };
  const label = labelReason(trimmed, name);
  if (label) return { kind: "label", why: label };
  return name.marked ? { kind: "marked" } : { kind: "report" };
}

function labelReason(value: string, name: SecretName): string | null {
  const flat = normalized(value);
  if (flat.length > 0) {
    if (flat === normalized(name.words.join("")) || flat === name.head.join("")) return "the name's own words";
    if (name.words.some((word) => word.length >= 2 && word === flat)) return "one of the name's words";
  }
  if (value.includes("://")) return "a URL (credentials in URLs are PG-SEC-003's)";
  if (/^v?\d+(?:\.\d+)+$/u.test(value)) return "a version number or OID";
  if (PATH_START.test(value) || FILE_NAME.test(value) || LOWER_PATH.test(value)) return "a path or file name";
  if (HEADER_LIKE.test(value)) return "a header name";
  if (UPPER_SNAKE.test(value)) return "an environment variable or constant name";

  if (value.length <= 64 && WORDS_ONLY.test(value)) {
    const words = nameWords(value);
    const separated = /[-_. ]/u.test(value) || LOWER_CAMEL.test(value);
    if (separated && words.length >= 2 && !words.some((word) => INTENSIFIERS.has(word))) {
      const heads = new Set(name.head);
      if (secretNameOfWords(words) || words.some((word) => heads.has(word) || PASSWORD_WORDS.has(word))) {
        return "a field, key or header name";
      }
      if ((name.family === "auth" || name.family === "credentials") && /^[a-z0-9]+(?:[-_][a-z0-9]+)+$/u.test(value)) {
        return "a mode or grant name";
      }
    }
  }
  if (LOWER_WORD.test(value) && (name.family === "auth" || name.family === "credentials")) return "a mode name";
  if (name.family === "token" && CAPITALISED_WORD.test(value) && MODE_WORDS.has(value.toLowerCase())) return "a token type";
  if (REGEX_LIKE.test(value)) return "a regular expression";
  // `WSSE profile="UsernameToken"`: an auth scheme and its parameters, words without digits.
  if (name.family === "auth" && /\s/u.test(value) && /^[A-Za-z\s="',;_.-]+$/u.test(value)) return "an auth scheme description";
  if (name.family === "token" && UPPER_WORD.test(value)) return "a lexer token name";
  if (name.family !== "password" || /[.!?:…]$/u.test(value) || /^\p{Lu}\p{Ll}/u.test(value)) {
    if (value.length <= 200 && /\s/u.test(value) && PROSE.test(value) && !nameWords(value).some((word) => INTENSIFIERS.has(word))) {
      return "a message";
    }
  }
  return null;
}

/** For passwords found outside names (URLs, auth tuples): placeholders, the lexicon's own words, markers. */
export function judgePassword(value: string, extraPlaceholders?: ReadonlySet<string>): "skip" | "marked" | "report" {
  const trimmed = value.trim();
  if (placeholderReason(trimmed, extraPlaceholders)) return "skip";
  if (hasTestMarker(trimmed)) return "marked";
  // A word-shaped name of a secret (`db_password`, `API_TOKEN`) stands for the password, it is not one.
  if (trimmed.length <= 64 && (UPPER_SNAKE.test(trimmed) || (WORDS_ONLY.test(trimmed) && secretName(trimmed)))) return "skip";
  return "report";
}

// ---------------------------------------------------------------------------------------------
// Paths

const TEST_PATH = /(?:^|[\\/])(?:tests?|testing)[\\/]|(?:^|[\\/])(?:test_[^\\/]*|[^\\/]*_tests?|conftest)\.py$/u;

/** Test modules, where literal credentials are usually fixtures: the heuristic rules report them as warnings. */
export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

/** Reads a string-array option, ignoring anything else. */
export function stringListOption(options: Readonly<Record<string, unknown>>, key: string): string[] {
  const value = options[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
