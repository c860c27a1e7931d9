/**
 * The forms of Python names that the naming rules read before they apply the configured
 * patterns: dunders, throwaways, the private prefix, UPPER_CASE constants, capitalised
 * (class-like) names, and the rename suggestions.
 */

/** `__init__`, `__all__`, `__version__`: names Python or its tools define. */
const DUNDER = /^__[A-Za-z0-9_]*[A-Za-z0-9]__$/u;
/** `_`, `__`: throwaway targets (`for _ in …`, `a, _ = …`) and gettext's `_`. */
const THROWAWAY = /^_+$/u;
/** UPPER_CASE, optionally private: `MAX_RETRIES`, `_DEFAULT_TIMEOUT`, `X`. */
const UPPER_CASE = /^_{0,2}[A-Z][A-Z0-9_]*$/u;
/** Starts with a capital letter after an optional private prefix: `UserId`, `T_co`, `_Base`. */
const CAPITALISED = /^_{0,2}[A-Z]/u;
/** `test`, `test_login`, `testLogin`: what pytest and unittest collect (not `testimony`). */
const TEST_NAME = /^test(?:$|[_A-Z0-9])/u;
const LEADING_UNDERSCORES = /^_{1,2}/u;

export function isDunder(name: string): boolean {
  return name.length > 4 && DUNDER.test(name);
}

export function isThrowaway(name: string): boolean {
  return THROWAWAY.test(name);
}

export function isUpperCase(name: string): boolean {
  return UPPER_CASE.test(name);
}

export function isCapitalised(name: string): boolean {
  return CAPITALISED.test(name);
}

export function isTestName(name: string): boolean {
  return TEST_NAME.test(name);
}

/**
 * True when `name` matches `pattern`, either as written or after its private prefix (one or two
 * leading underscores) is set aside: with the default patterns `_func_loadUser`,
 * `__func_loadUser` and `_userName` conform, `_loadUser` (a function without `func_`) and
 * `_user_name` do not.
 */
export function conforms(name: string, pattern: RegExp): boolean {
  if (pattern.test(name)) return true;
  const rest = name.replace(LEADING_UNDERSCORES, "");
  return rest !== name && rest.length > 0 && pattern.test(rest);
}

/** The words of an identifier: `load_user` and `loadUser` → [load, user]; `HTTPResponse` → [http, response]. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/gu, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/gu, "$1_$2")
    .split(/_+/u)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function camel(parts: readonly string[]): string {
  return parts.map((word, index) => (index === 0 ? word : capitalise(word))).join("");
}

function pascal(parts: readonly string[]): string {
  return parts.map(capitalise).join("");
}

function snake(parts: readonly string[]): string {
  return parts.join("_");
}

function splitPrivate(name: string): { prefix: string; rest: string } {
  const match = LEADING_UNDERSCORES.exec(name);
  const prefix = match ? match[0] : "";
  return { prefix, rest: name.slice(prefix.length) };
}

function firstConforming(prefix: string, candidates: Iterable<string>, pattern: RegExp, original: string): string | null {
  for (const candidate of candidates) {
    if (candidate.length === 0) continue;
    const renamed = prefix + candidate;
    if (renamed !== original && conforms(renamed, pattern)) return renamed;
  }
  return null;
}

/**
 * A conforming name for a function, or null when no simple rewrite matches the configured
 * pattern: `load_user` → `func_loadUser`, `_load_user` → `_func_loadUser`, `func_load_user` →
 * `func_loadUser`. A private prefix is kept.
 */
export function suggestFunctionName(name: string, pattern: RegExp): string | null {
  const { prefix, rest } = splitPrivate(name);
  let parts = words(rest);
  if (parts.length > 1 && (parts[0] === "func" || parts[0] === "fn")) parts = parts.slice(1);
  if (parts.length === 0) return null;
  return firstConforming(prefix, functionCandidates(parts), pattern, name);
}

/** Forms to try, most likely first; generated one at a time because the first usually matches. */
function* functionCandidates(parts: readonly string[]): Generator<string> {
  const camelCase = camel(parts);
  yield `func_${camelCase}`;
  yield camelCase;
  const pascalCase = pascal(parts);
  yield `func${pascalCase}`;
  yield `fn${pascalCase}`;
  yield `fn_${camelCase}`;
  yield `func_${snake(parts)}`;
  yield snake(parts);
  yield pascalCase;
}

function* variableCandidates(parts: readonly string[]): Generator<string> {
  yield camel(parts);
  yield snake(parts);
  yield pascal(parts);
}

/** A conforming name for a variable or parameter, or null: `user_name` → `userName`, `MAX_RETRIES` → `maxRetries`. */
export function suggestVariableName(name: string, pattern: RegExp): string | null {
  const { prefix, rest } = splitPrivate(name);
  const parts = words(rest);
  if (parts.length === 0) return null;
  return firstConforming(prefix, variableCandidates(parts), pattern, name);
}
