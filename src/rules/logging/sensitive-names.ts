import { nameWords } from "./words.js";

/**
 * Names that hold a secret or personal data, for the sensitive-data-in-logs rule. The secret
 * words must be the head of the name (its last words, apart from qualifiers such as `Value` or
 * digits), so labels and facts about a secret (`passwordField`, `tokenType`, `passwordLength`,
 * `tokenCount`, `apiKeyId`, `isPasswordValid`, `hasToken`) are not secrets.
 */

export type SensitiveKind =
  | "password"
  | "secret"
  | "key"
  | "credentials"
  | "authorization"
  | "token"
  | "session id"
  | "card number"
  | "card security code"
  | "social security number"
  | "one-time code";

export interface SensitiveName {
  kind: SensitiveKind;
  /** Passwords, secrets and keys are errors; tokens, session ids and personal data warnings. */
  severity: "error" | "warning";
}

const DESCRIPTIONS: Record<SensitiveKind, string> = {
  password: "a password",
  secret: "a secret",
  key: "a secret key",
  credentials: "credentials",
  authorization: "an Authorization header",
  token: "a token",
  "session id": "a session id",
  "card number": "a card number",
  "card security code": "a card security code",
  "social security number": "a social security number",
  "one-time code": "a one-time code",
};

export function describeSensitive(kind: SensitiveKind): string {
  return DESCRIPTIONS[kind];
}

/** `credentials` is a warning: the word also names config key lists, provider objects and error responses. */
const ERROR_KINDS = new Set<SensitiveKind>(["password", "secret", "key", "authorization"]);

function sensitive(kind: SensitiveKind): SensitiveName {
  return { kind, severity: ERROR_KINDS.has(kind) ? "error" : "warning" };
}

const PASSWORD_WORDS = new Set(["password", "passwd", "pwd", "pswd", "passphrase", "passcode"]);
/** `pass` and `pw` are passwords only after an owner (`userPass`, `dbPw`), not in `firstPass` or `bypass`. */
const PASS_OWNERS = new Set([
  "user", "db", "database", "admin", "root", "login", "account", "smtp", "mail", "email", "ftp", "ssh", "proxy", "redis",
  "mysql", "postgres", "pg", "ldap", "auth", "api", "app", "my", "new", "old", "current", "plain", "given", "entered",
]);
/** `key` is a secret only after one of these (`apiKey`, `SECRET_KEY`); `cacheKey`, `sortKey`, `sshKey` are not. */
const KEY_QUALIFIERS = new Set([
  "api", "secret", "private", "access", "signing", "sign", "encryption", "encrypt", "decryption", "decrypt", "master",
  "hmac", "jwt", "aes", "fernet", "crypto", "cipher", "shared", "client", "license", "licence", "subscription", "auth",
  "admin", "service",
]);
/** `token` after these is a lexer, pagination or model token, not a credential. */
const TOKEN_NOT_AFTER = new Set([
  "page", "next", "prev", "previous", "continuation", "cursor", "sync", "pagination", "lexer", "parser", "eos", "bos",
  "pad", "unk", "mask", "sep", "cls", "special", "start", "end", "stop", "max", "num", "input", "output", "word", "bpe",
  "cancel", "cancellation", "resume", "last", "first", "cur", "split", "string", "number", "op", "name", "keyword",
  "literal", "identifier", "syntax", "prompt", "completion", "starting", "marker", "resumption", "acquire", "release",
  "semaphore", "lock", "lease", "idempotency",
]);
const COMPOUND_WORDS = new Map<string, SensitiveKind>([
  ["apikey", "key"],
  ["accesskey", "key"],
  ["secretkey", "key"],
  ["privatekey", "key"],
  ["signingkey", "key"],
  ["encryptionkey", "key"],
  ["masterkey", "key"],
  ["clientsecret", "secret"],
  ["accesstoken", "token"],
  ["refreshtoken", "token"],
  ["authtoken", "token"],
  ["apitoken", "token"],
  ["bearertoken", "token"],
  ["idtoken", "token"],
  ["sessiontoken", "token"],
  ["sessionid", "session id"],
  ["sessid", "session id"],
  ["sessionkey", "session id"],
  ["creditcard", "card number"],
  ["cardnumber", "card number"],
  ["ccnumber", "card number"],
  ["cvv", "card security code"],
  ["cvc", "card security code"],
  ["ssn", "social security number"],
  ["otp", "one-time code"],
  ["totp", "one-time code"],
  ["hotp", "one-time code"],
  ["credential", "credentials"],
  ["credentials", "credentials"],
  ["creds", "credentials"],
  ["authorization", "authorization"],
  ["secret", "secret"],
]);
/** Words that may follow the secret words without changing what the name holds (`passwordValue`, `apiKey2`). */
const TRAILING_WORDS = new Set([
  "value", "val", "str", "string", "text", "plain", "plaintext", "raw", "bytes", "b64", "base64", "hex", "input", "param",
  "arg", "confirm", "confirmation", "again", "repeat", "data",
]);
/** Words before the secret words that make the name a fact about it (`isPassword`, `hashedPassword`, `maskedToken`). */
const NEGATIVE_WORDS = new Set([
  "is", "has", "have", "had", "hash", "hashed", "digest", "encrypted", "masked", "redacted", "obfuscated", "no", "non",
  "not", "num", "count", "len", "length", "min", "max", "show", "hide", "use", "uses", "require", "requires", "required",
  "enable", "enabled", "disable", "disabled", "allow", "allowed", "public", "missing", "should", "need", "needs", "can",
  "will", "was", "did", "with", "without", "check", "verify",
]);
const CARD_OWNERS = new Set(["card", "cc", "credit"]);
const NUMBER_WORDS = new Set(["number", "num", "no", "nr"]);
const SESSION_HEADS = new Set(["id", "key", "cookie"]);
/** A session id is a web session's only after these (`userSessionId`), not a game's or a training run's. */
const SESSION_OWNERS = new Set([
  "user", "auth", "login", "web", "http", "browser", "current", "client", "my", "the", "django", "flask", "request", "old",
  "new", "active", "admin",
]);

function isDigits(word: string): boolean {
  return /^[0-9]+$/u.test(word);
}

/** The kind of sensitive value a name (identifier, attribute or dict key) holds, or null. */
export function sensitiveName(name: string): SensitiveName | null {
  const words = nameWords(name);
  if (words.length === 0 || words.length > 10) return null;
  let end = words.length;
  while (end > 0 && (isDigits(words[end - 1] as string) || TRAILING_WORDS.has(words[end - 1] as string))) end--;
  if (end === 0) return null;
  const last = words[end - 1] as string;
  const previous = end >= 2 ? (words[end - 2] as string) : undefined;
  let kind: SensitiveKind | undefined;
  let headStart = end - 1;
  if (PASSWORD_WORDS.has(last)) kind = "password";
  else if (last === "pass" || last === "pw") {
    if (previous === undefined || !PASS_OWNERS.has(previous)) return null;
    kind = "password";
  } else if (last === "key") {
    if (previous === "session") {
      if (end >= 3 && !SESSION_OWNERS.has(words[end - 3] as string)) return null;
      kind = "session id";
    }
    else if (previous !== undefined && KEY_QUALIFIERS.has(previous)) kind = "key";
    else return null;
    headStart = end - 2;
  } else if (last === "token") {
    if (previous !== undefined && TOKEN_NOT_AFTER.has(previous)) return null;
    kind = "token";
  } else if (SESSION_HEADS.has(last) && previous === "session") {
    if (end >= 3 && !SESSION_OWNERS.has(words[end - 3] as string)) return null;
    kind = "session id";
    headStart = end - 2;
  } else if (NUMBER_WORDS.has(last) && previous !== undefined && CARD_OWNERS.has(previous)) {
    kind = "card number";
    headStart = end - 2;
  } else if (last === "card" && previous === "credit") {
    kind = "card number";
    headStart = end - 2;
  } else if (last === "number" && previous === "security" && words[end - 3] === "social") {
    kind = "social security number";
    headStart = end - 3;
  } else if (last === "code" && (previous === "otp" || previous === "totp" || previous === "mfa")) {
    kind = "one-time code";
    headStart = end - 2;
  } else {
    kind = COMPOUND_WORDS.get(last);
  }
  if (!kind) return null;
  for (let i = 0; i < headStart; i++) if (NEGATIVE_WORDS.has(words[i] as string)) return null;
  return sensitive(kind);
}

/** Words that put a name in the secret vocabulary: a name with one of them that `sensitiveName` rejects says it holds something else (`pageToken`, `passwordLength`). */
const VOCABULARY = /pass|pw|secret|key|token|cred|auth|session|card|cvv|cvc|ssn|otp/iu;

export function mentionsSecretWords(name: string): boolean {
  return VOCABULARY.test(name);
}

/**
 * A label in a message right before a value: `"password=%s"`, `f"api key: {value}"`,
 * `"Bearer " + value`. Returns the kind the label names.
 */
const LABEL_BEFORE_VALUE =
  /(?:^|[^A-Za-z])(password|passwd|pwd|passphrase|secret|api[ _-]?key|secret[ _-]?key|private[ _-]?key|access[ _-]?key|token|credentials?|authorization|session[ _-]?id|card[ _-]?number|cvv|cvc|ssn)\s*[:=]\s*['"]?$|(?:^|[^A-Za-z])(bearer)\s+$/iu;

export function labelBeforeValue(text: string): SensitiveName | null {
  const match = LABEL_BEFORE_VALUE.exec(text);
  if (!match) return null;
  const label = (match[1] ?? match[2] ?? "").toLowerCase().replace(/[ _-]/gu, "");
  if (label === "bearer") return sensitive("token");
  return sensitiveName(label) ?? (label === "cvc" || label === "cvv" ? sensitive("card security code") : null);
}
