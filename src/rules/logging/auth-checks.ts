import type { FileAnalyses } from "../../engine/analyses/index.js";
import type { Scope } from "../../engine/analyses/scopes.js";
import { field } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";
import { containsSequence, functionWords, nameWords } from "./words.js";

/**
 * Which functions authenticate, and which calls check a credential. Shared by the C9 rules: the
 * auth-failure rule reports their failure branches, the access-control rule leaves their 401s to
 * it. Names are compared on words (`func_verifyPassword`, `verify_password`, `VerifyPassword`).
 */

/** Word sequences of a call that checks a credential and of a function that does. */
const CHECK_SEQUENCES: ReadonlyArray<readonly string[]> = [
  ["authenticate"],
  ["check", "password"],
  ["verify", "password"],
  ["checkpw"],
  ["check", "credentials"],
  ["verify", "credentials"],
  ["validate", "credentials"],
  ["check", "token"],
  ["verify", "token"],
  ["validate", "token"],
  ["check", "api", "key"],
  ["verify", "api", "key"],
  ["validate", "api", "key"],
  ["verify", "otp"],
  ["verify", "totp"],
  ["verify", "mfa"],
];

/** Function names that log someone in, besides the checks. */
const LOGIN_SEQUENCES: ReadonlyArray<readonly string[]> = [["login"], ["log", "in"], ["logon"], ["signin"], ["sign", "in"]];

/** Words that make a name about something else: a password policy, a login page URL, a decorator. */
const NOT_AUTH_WORDS = new Set([
  "strength", "policy", "complexity", "requirements", "rules", "length", "format", "pattern", "reuse", "history",
  "expiry", "expired", "expiration", "change", "changed", "reset", "leaked", "pwned", "breached", "required", "url",
  "redirect", "logout", "test", "mock", "fake",
]);

/** `verify` is a credential check on a password hasher or an OTP object (`pwd_context.verify`, `ph.verify`, `totp.verify`). */
const VERIFY_RECEIVER_WORDS = new Set([
  "pwd", "password", "passwords", "hasher", "ph", "crypt", "bcrypt", "argon", "argon2", "scrypt", "pbkdf2", "sha256",
  "sha512", "totp", "hotp", "otp", "context",
]);

/** `KeyToken`, `tokens.NAME`: arguments that name lexical token types. */
const LEXICAL_TOKEN_ARGUMENT = /\b[A-Z]\w*Token\b|\btokens?\.[A-Z_]+\b/u;
const LEXER_WORDS = new Set(["lexer", "parser", "scanner", "tokenizer", "tokeniser", "grammar", "reader", "stream"]);

/** A cheap first test on a callee's last name, before it is split into words. */
const MAYBE_CHECK = /auth|pass|pw|verif|cred|token|key|otp|mfa|decode/iu;

/** Words that may follow a check's object without changing what is checked (`check_password_hash`, `verify_token_async`). */
const TRAILING_WORDS = new Set(["hash", "hashed", "digest", "async", "sync", "safe", "secure", "securely", "constant", "time", "v"]);

/**
 * True when a check sequence heads the name: a verb alone (`authenticate_user`) may be followed by
 * anything, a verb and its object (`verify_token`) only by qualifiers (`check_password_hash`), so
 * that `validate_api_key_source` or `check_token_format` are not credential checks.
 */
function headsName(words: readonly string[], sequences: ReadonlyArray<readonly string[]>): boolean {
  for (const sequence of sequences) {
    const last = words.length - sequence.length;
    for (let start = 0; start <= last; start++) {
      if (!containsSequence(words.slice(start, start + sequence.length), sequence)) continue;
      if (sequence.length === 1) return true;
      const rest = words.slice(start + sequence.length);
      if (rest.every((word) => TRAILING_WORDS.has(word) || /^[0-9]+$/u.test(word))) return true;
    }
  }
  return false;
}

export function isAuthFunctionName(name: string): boolean {
  const words = functionWords(name);
  if (words.length === 0 || words.some((word) => NOT_AUTH_WORDS.has(word))) return false;
  return LOGIN_SEQUENCES.some((sequence) => containsSequence(words, sequence)) || headsName(words, CHECK_SEQUENCES);
}

/** A function whose job is the check itself (`verify_password`, `check_credentials`, `validate_token`, `authenticate`): its `False`/`None` is the failure. */
export function isCheckFunctionName(name: string): boolean {
  return isCheckName(name);
}

function isCheckName(lastName: string): boolean {
  const words = functionWords(lastName);
  if (words.length === 0 || words.some((word) => NOT_AUTH_WORDS.has(word))) return false;
  return headsName(words, CHECK_SEQUENCES);
}

/** True for a call that checks a credential: `check_password_hash(...)`, `bcrypt.checkpw(...)`, `authenticate(...)`, `user.check_password(...)`, `pwd_context.verify(...)`. */
export function isCredentialCheckCall(call: SyntaxNode, lastName: string): boolean {
  if (!MAYBE_CHECK.test(lastName)) return false;
  if (lastName === "decode") {
    // jwt.decode(...) verifies the token's signature and expiry.
    const callee = field(call, "function");
    const receiver = callee?.type === "attribute" ? field(callee, "object") : null;
    return receiver !== null && /(?:^|\.)jwt$/iu.test(receiver.text);
  }
  if (lastName === "verify") {
    const callee = field(call, "function");
    const receiver = callee?.type === "attribute" ? field(callee, "object") : null;
    if (!receiver) return false;
    const receiverName = receiver.type === "attribute" ? field(receiver, "attribute")?.text : receiver.type === "identifier" ? receiver.text : undefined;
    return receiverName !== undefined && nameWords(receiverName).some((word) => VERIFY_RECEIVER_WORDS.has(word));
  }
  if (!isCheckName(lastName)) return false;
  // A parser's `check_token(KeyToken, ValueToken)` checks lexical tokens, not credentials.
  if (/token$/iu.test(lastName)) {
    const list = field(call, "arguments");
    if (list && LEXICAL_TOKEN_ARGUMENT.test(list.text)) return false;
    const callee = field(call, "function");
    const receiver = callee?.type === "attribute" ? field(callee, "object") : null;
    if (receiver && nameWords(receiver.text).some((word) => LEXER_WORDS.has(word))) return false;
  }
  return true;
}

/** Per function: is it named like an authentication function, and which variables hold a check's result. */
export class AuthFunctions {
  private readonly named = new Map<Scope, boolean>();
  private readonly checking = new Map<Scope, Set<string>>();

  constructor(private readonly analyses: FileAnalyses) {}

  private readonly checkNamed = new Map<Scope, boolean>();

  isCheckNamed(scope: Scope): boolean {
    let known = this.checkNamed.get(scope);
    if (known === undefined) {
      known = scope.kind === "function" && isCheckFunctionName(scope.name);
      this.checkNamed.set(scope, known);
    }
    return known;
  }

  isAuthNamed(scope: Scope): boolean {
    let known = this.named.get(scope);
    if (known === undefined) {
      known = scope.kind === "function" && isAuthFunctionName(scope.name);
      this.named.set(scope, known);
    }
    return known;
  }

  private readonly checkNames = new Map<Scope, Set<string>>();
  private readonly variableChecks = new Map<string, string>();

  /** Records that a function called a credential check (`lastName`); `variable` holds its result when it was assigned. */
  recordCheck(scope: Scope, lastName: string, variable?: string): void {
    let variables = this.checking.get(scope);
    if (!variables) {
      variables = new Set();
      this.checking.set(scope, variables);
    }
    if (variable !== undefined) {
      variables.add(variable);
      this.variableChecks.set(`${scope.startIndex}:${variable}`, lastName);
    }
    let names = this.checkNames.get(scope);
    if (!names) {
      names = new Set();
      this.checkNames.set(scope, names);
    }
    names.add(lastName);
  }

  /** The check whose result a variable holds (`authenticate` for `user = authenticate(...)`). */
  checkOfVariable(scope: Scope, variable: string): string | undefined {
    return this.variableChecks.get(`${scope.startIndex}:${variable}`);
  }

  /** The callee names of the checks a function made so far. */
  checksMade(scope: Scope): ReadonlySet<string> {
    return this.checkNames.get(scope) ?? new Set();
  }

  /** True when the function has called a credential check so far. */
  hasChecks(scope: Scope): boolean {
    return this.checking.has(scope);
  }

  checkVariables(scope: Scope): ReadonlySet<string> | undefined {
    return this.checking.get(scope);
  }

  /** Named like an authentication function, or has called a credential check so far. */
  isAuthRelevant(scope: Scope): boolean {
    return this.isAuthNamed(scope) || this.checking.has(scope);
  }

  functionAt(node: SyntaxNode): Scope | null {
    return this.analyses.scopes.functionScopeAt(node);
  }
}
