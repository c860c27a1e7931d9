/**
 * Name lexicons shared by the C2, G10 and C7 rules: which identifiers, attribute names, dict keys,
 * keyword names and function names say that a value is a secret, a password, a MAC or a
 * signature. Plain string work on short texts; no tree access.
 *
 * Two ways of matching:
 * - head matching, for the names of values (`resetToken`, `passwordValue`, `apiKey2`): the
 *   secret word must be the last word, apart from trailing words such as `Value`, `Hex` or digits,
 *   so `tokenCount`, `passwordField` and `keyIndex` do not match;
 * - word matching, for function names (`func_generateResetToken`, `func_hashPassword`): the secret
 *   word may stand anywhere, unless a negative word (`count`, `length`, `expiry`) is present.
 */

/** Upper-case runs (`API` in `APIKey`), capitalised or lower-case words, digit runs. */
const WORD_PATTERN = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/gu;

/** Splits an identifier, dict key or header name into lower-case words: `dbPassword_2` → db, password, 2. */
export function nameWords(name: string): string[] {
  if (name.length === 0 || name.length > 120) return [];
  const words = name.match(WORD_PATTERN);
  return words ? words.map((word) => word.toLowerCase()) : [];
}

export interface Lexicon {
  /** Words that name the thing on their own (`token`, `salt`). */
  words: ReadonlySet<string>;
  /** Words that name it only after one of the qualifiers (`key` after `api`, `code` after `reset`). */
  qualified: ReadonlyMap<string, ReadonlySet<string>>;
  /** Words that do not name it after one of these (`pageToken`). */
  notAfter: ReadonlyMap<string, ReadonlySet<string>>;
  /** Words that may follow the head without changing what the name holds (`tokenValue`, `otpDigits`). */
  trailing: ReadonlySet<string>;
  /** Words that make the name hold something else (`tokenLength`, `maxPasswordLength`, `hashedPassword`). */
  negatives: ReadonlySet<string>;
}

const DIGITS = /^[0-9]+$/u;

function phraseAt(words: readonly string[], index: number, lexicon: Lexicon): string | null {
  const word = words[index] as string;
  const previous = index > 0 ? (words[index - 1] as string) : undefined;
  if (lexicon.words.has(word)) {
    const excluded = lexicon.notAfter.get(word);
    if (previous !== undefined && excluded?.has(previous)) return null;
    return word;
  }
  const qualifiers = lexicon.qualified.get(word);
  if (qualifiers && previous !== undefined && qualifiers.has(previous)) return `${previous} ${word}`;
  return null;
}

/** Head matching: the phrase the name ends with (`reset token`), or null. */
export function headPhrase(name: string, lexicon: Lexicon): string | null {
  const words = nameWords(name);
  if (words.length === 0 || words.length > 12) return null;
  let end = words.length;
  while (end > 1 && (DIGITS.test(words[end - 1] as string) || lexicon.trailing.has(words[end - 1] as string))) end--;
  const phrase = phraseAt(words, end - 1, lexicon);
  if (!phrase) return null;
  for (let i = 0; i < end - 1; i++) if (lexicon.negatives.has(words[i] as string)) return null;
  return phrase;
}

/** Word matching: the first phrase anywhere in the name, or null when a negative word is present. */
export function containedPhrase(name: string, lexicon: Lexicon): string | null {
  const words = nameWords(name);
  if (words.length === 0 || words.length > 16) return null;
  let found: string | null = null;
  for (let i = 0; i < words.length; i++) {
    if (lexicon.negatives.has(words[i] as string)) return null;
    found ??= phraseAt(words, i, lexicon);
  }
  return found;
}

const set = (...items: string[]): ReadonlySet<string> => new Set(items);

/** `token` after these is a lexer, parser or pagination token, not a credential. */
export const TOKEN_NOT_AFTER: ReadonlySet<string> = set(
  "pad", "padding", "eos", "bos", "unk", "unknown", "mask", "sep", "cls", "special", "start", "end", "stop", "begin", "sos",
  "eot", "eol", "eof", "newline", "page", "next", "prev", "previous", "continuation", "cursor", "sync", "resume", "last",
  "first", "current", "cur", "split", "sentinel", "separator", "delimiter", "comment", "word", "input", "output",
  "cancel", "cancellation", "lexer", "parser", "syntax", "prompt", "image", "audio", "bpe", "space", "whitespace",
  "indent", "dedent", "string", "number", "op", "operator", "name", "keyword", "literal", "punctuation", "identifier",
  "random", "game", "board", "player",
);
/** `key` names a secret only after these: `apiKey`, `sessionKey`, `aesKey`, not `cacheKey` or `sortKey`. */
const KEY_QUALIFIERS = set(
  "api", "secret", "private", "session", "encryption", "encrypt", "decryption", "decrypt", "signing", "sign", "access",
  "auth", "hmac", "mac", "aes", "des", "crypto", "cipher", "master", "license", "licence", "activation", "shared",
  "jwt", "fernet", "symmetric", "wrapping", "wrap", "data", "content", "derived", "client", "app", "account",
);
/** `code` names a secret only after these: `resetCode`, `verificationCode`, not `statusCode` or `sourceCode`. */
const CODE_QUALIFIERS = set(
  "reset", "verification", "verify", "confirm", "confirmation", "activation", "activate", "auth", "authorization",
  "authentication", "otp", "mfa", "sms", "login", "invite", "invitation", "recovery", "access", "security", "backup",
  "pairing", "unlock", "coupon", "voucher", "gift", "promo", "referral", "time", "email", "phone", "secret", "factor",
  "challenge", "one", "signup", "registration",
);

/** Trailing words for the names of generated secrets. */
const SECRET_TRAILING = set(
  "value", "val", "str", "string", "text", "hex", "bytes", "b64", "base64", "chars", "characters", "digits", "list",
  "parts", "part", "candidate", "raw", "plain", "new", "out", "result", "buf", "buffer", "data", "int", "bits",
);
/** Negative words for secrets: a name with one holds a property of the secret, not the secret. */
const SECRET_NEGATIVES = set(
  "count", "counter", "num", "len", "length", "size", "max", "min", "index", "idx", "timeout", "delay", "ttl", "expiry",
  "expires", "expiration", "expire", "age", "lifetime", "type", "kind", "name", "field", "label", "header", "url", "path",
  "file", "filename", "format", "pattern", "regex", "policy", "limit", "interval", "jitter", "offset", "position",
  "pos", "color", "colour", "weight", "rate", "ratio", "probability", "prob", "chance", "percent", "score", "hash",
  "hashed", "digest", "encrypted", "is", "has", "valid", "invalid", "validate", "check", "verify", "verified", "parse",
  "parsed", "decode", "decoded", "strip", "tokenize", "alphabet", "charset", "prefix", "suffix", "public", "sleep",
  "wait", "backoff", "retry", "retries", "attempt", "attempts", "fake", "mock", "dummy", "sample", "example",
);

/**
 * Names of values that must be unpredictable: tokens, passwords, secrets, keys, salts, nonces,
 * one-time codes, PINs, CSRF tokens, session ids.
 */
export const SECRET_VALUE: Lexicon = {
  words: set(
    "token", "password", "passwd", "pwd", "passphrase", "passcode", "secret", "salt", "pepper", "nonce", "otp", "totp",
    "hotp", "pin", "csrf", "xsrf", "apikey", "iv", "challenge", "credential", "credentials", "sessionid", "sid",
    "secretkey", "privatekey", "authtoken", "accesstoken", "refreshtoken", "apitoken",
  ),
  qualified: new Map([
    ["key", KEY_QUALIFIERS],
    ["code", CODE_QUALIFIERS],
    ["id", set("session")],
    ["pass", set("one", "time")],
  ]),
  notAfter: new Map([["token", TOKEN_NOT_AFTER]]),
  trailing: SECRET_TRAILING,
  negatives: SECRET_NEGATIVES,
};

/** Like SECRET_VALUE, plus a bare `key`: for bytes from `os.urandom`, which are keys more often than dict keys. */
export const SECRET_BYTES: Lexicon = {
  ...SECRET_VALUE,
  words: new Set([...SECRET_VALUE.words, "key"]),
};

/**
 * Names of values whose hash must resist an attacker: secrets as above, plus signatures, MACs and
 * authentication material. Used for the "security context" of a weak hash.
 */
export const SECURITY_HASH: Lexicon = {
  words: new Set([
    ...SECRET_VALUE.words, "signature", "sig", "mac", "hmac", "auth", "authentication", "authorization", "signed",
    "signing", "login", "session", "cookie", "authenticator", "jwt", "secretkey",
  ]),
  qualified: SECRET_VALUE.qualified,
  notAfter: SECRET_VALUE.notAfter,
  trailing: new Set([...SECRET_TRAILING, "hash", "digest", "hexdigest"]),
  negatives: set(
    "count", "num", "len", "length", "size", "max", "min", "index", "type", "kind", "name", "field", "label", "header",
    "url", "path", "file", "filename", "checksum", "etag", "cache", "cached", "dedup", "dedupe", "bucket", "shard",
    "partition", "color", "colour", "avatar", "gravatar", "content", "fingerprint", "fake", "mock", "dummy", "example",
  ),
};

/**
 * Function names that make a weak hash security-relevant (`func_signPayload`, `func_checkAuth`,
 * `func_makeToken`): word matching.
 */
export const SECURITY_FUNCTION: Lexicon = {
  words: new Set([
    ...SECRET_VALUE.words, "sign", "signature", "signed", "hmac", "mac", "auth", "authenticate", "authentication",
    "authorize", "login", "logon", "signin", "credential", "session", "jwt",
  ]),
  qualified: SECRET_VALUE.qualified,
  notAfter: SECRET_VALUE.notAfter,
  trailing: set(),
  negatives: set(
    "checksum", "etag", "cache", "cached", "file", "files", "dedup", "dedupe", "bucket", "shard", "partition", "avatar",
    "gravatar", "fingerprint", "content", "test", "mock", "fake", "count", "expiry", "expire", "expired",
  ),
};

/**
 * Function names that generate a secret (`func_generateToken`, `func_newResetCode`,
 * `func_makePassword`): word matching over SECRET_VALUE, with negatives for functions that only
 * look at a secret.
 */
export const SECRET_FUNCTION: Lexicon = {
  words: SECRET_VALUE.words,
  qualified: SECRET_VALUE.qualified,
  notAfter: SECRET_VALUE.notAfter,
  trailing: set(),
  negatives: set(
    "count", "length", "len", "size", "expiry", "expire", "expired", "expires", "ttl", "lifetime", "validate", "valid",
    "invalid", "is", "has", "check", "verify", "parse", "decode", "strip", "tokenize", "mask", "redact", "log", "print",
    "show", "test", "mock", "fake", "sleep", "wait", "backoff", "retry", "jitter", "delay", "rotate", "refresh", "revoke",
    "delete", "remove", "clear", "get", "load", "read", "fetch", "lookup", "find", "store", "save",
  ),
};

/** Words that name a password (not a token or a key, whose fast hash is fine for lookups). */
const PASSWORD_WORDS = set("password", "passwd", "pwd", "pswd", "passphrase", "passcode", "pin");
/** `pass` and `pw` are trusted only as the last word and not after an ordinal (`firstPass`, `renderPass`). */
const PASS_NOT_AFTER = set(
  "first", "second", "third", "last", "next", "final", "single", "multi", "one", "two", "each", "this", "main", "initial",
  "render", "compile", "build", "extra", "boarding", "bus", "day", "hall", "season", "free", "by", "time",
);

/** Names of values that hold a password in clear text: head matching. */
export const PASSWORD_VALUE: Lexicon = {
  words: new Set([...PASSWORD_WORDS, "pass", "pw"]),
  qualified: new Map(),
  notAfter: new Map([
    ["pass", PASS_NOT_AFTER],
    ["pw", PASS_NOT_AFTER],
  ]),
  trailing: set(
    "value", "val", "str", "string", "text", "plain", "plaintext", "raw", "bytes", "b", "data", "input", "confirm",
    "confirmation", "again", "repeat", "retype", "clear", "cleartext", "utf", "encoded", "entered", "given", "candidate",
  ),
  negatives: set(
    "hash", "hashed", "digest", "encrypted", "crypted", "hint", "policy", "length", "len", "min", "max", "field", "label",
    "is", "has", "no", "not", "show", "hide", "mask", "masked", "redacted", "reset", "forgot", "expiry", "expires",
    "expired", "age", "changed", "change", "last", "strength", "score", "error", "message", "prompt", "widget", "regex",
    "pattern", "validator", "rules", "required", "enabled", "mode", "type", "url", "path", "file", "count", "attempts",
  ),
};

/** Names that hold a password or the hash of one (`passwordHash`, `hashedPassword`): word matching. */
export const PASSWORD_RELATED: Lexicon = {
  words: PASSWORD_WORDS,
  qualified: new Map(),
  notAfter: new Map(),
  trailing: set(),
  negatives: set(
    "reset", "forgot", "policy", "hint", "length", "min", "max", "expiry", "expires", "token", "field", "label", "count",
    "attempts", "strength", "validator",
  ),
};

/** Function names that hash or check a password: a password word plus one of these. */
const PASSWORD_HASHING_VERBS = set(
  "hash", "hashed", "hashing", "digest", "encrypt", "encrypted", "crypt", "encode", "check", "verify", "make", "store",
  "save", "set", "compare", "matches", "match", "validate", "authenticate",
);

/** `func_hashPassword`, `func_checkPassword`, `func_encryptPwd`: the words say the function hashes or checks a password. */
export function isPasswordHashingFunction(name: string): boolean {
  const words = nameWords(name);
  let password = false;
  let verb = false;
  for (const word of words) {
    if (PASSWORD_WORDS.has(word) || word === "pass" || word === "pw") password = true;
    else if (PASSWORD_HASHING_VERBS.has(word)) verb = true;
    else if (word === "reset" || word === "forgot" || word === "token") return false;
  }
  return password && verb;
}

/** Words that name a MAC, a signature, a digest or a token: operands that `==` must not compare. */
export const MAC_OR_TOKEN: Lexicon = {
  words: set(
    "signature", "mac", "hmac", "digest", "hexdigest", "token", "secret", "apikey", "csrf", "xsrf", "otp", "authtoken",
    "accesstoken", "refreshtoken", "apitoken",
  ),
  qualified: new Map([
    ["key", set("api", "secret", "access", "auth", "webhook", "shared", "license", "licence")],
    ["code", CODE_QUALIFIERS],
  ]),
  notAfter: new Map([
    ["token", TOKEN_NOT_AFTER],
    ["digest", set("message", "email", "daily", "weekly", "news")],
  ]),
  trailing: set("value", "val", "str", "string", "hex", "bytes", "b64", "base64", "header", "param", "b", "raw", "given", "sent", "received"),
  negatives: set(
    "type", "kind", "name", "len", "length", "count", "num", "index", "idx", "field", "label", "url", "path", "prefix",
    "format", "version", "algorithm", "alg", "scheme", "expiry", "expires", "ttl", "id", "ids", "position", "pos", "line",
    "column", "col", "start", "end", "size", "span", "offset", "verify", "verified", "check", "validate", "require",
    "required", "enabled", "use", "has", "is", "pack", "magic", "file", "method", "function", "func",
  ),
};

/** Test modules: `test_*.py`, `*_test.py`, `conftest.py`, files under `tests/`. */
const TEST_PATH = /(?:^|[\\/])(?:tests?|testing)[\\/]|(?:^|[\\/])(?:test_[^\\/]*|[^\\/]*_tests?|conftest)\.py$/u;

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

/** Shortens source text for a message. */
export function snippet(text: string, limit = 50): string {
  const flat = text.replace(/\s+/gu, " ");
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}
