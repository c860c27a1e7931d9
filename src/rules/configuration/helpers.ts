import { matchesQualified } from "../../engine/analyses/names.js";
import { truthy, type ConstantValue } from "../../engine/analyses/constants.js";
import { callArguments, calleeLastName, field, stringLiteralValue, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";

/**
 * Small pure helpers shared by the configuration (C5), browser (C8) and access-control (G9/C1)
 * families: file kinds (tests, Django settings), module-level settings, constant values.
 */

/** The file name of a path, without its folders. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

const TEST_FILE = /^(?:test_.*|.*_test|conftest|tests?)\.py$/u;
const TEST_FOLDER = /(?:^|[\\/])tests?[\\/]/u;

/** test_*.py, *_test.py, conftest.py, and anything under a `tests/` or `test/` folder. */
export function isTestPath(path: string): boolean {
  return TEST_FILE.test(baseName(path)) || TEST_FOLDER.test(path);
}

const SETTINGS_PATH = /(?:^|[\\/])(?:settings[^\\/]*\.py|settings[\\/][^\\/]+\.py)$/u;
const SETTINGS_MARKER = /^(?:INSTALLED_APPS|MIDDLEWARE|ROOT_URLCONF)\s*(?::[^=\n]*)?=/mu;

let lastSettingsSource: string | undefined;
let lastSettingsPath: string | undefined;
let lastSettingsAnswer = false;

/**
 * A Django settings module: named `settings*.py`, inside a `settings/` package, or defining
 * `INSTALLED_APPS`, `MIDDLEWARE` or `ROOT_URLCONF` at the start of a line. Several rules ask about
 * the same file, so the last answer is kept.
 */
export function looksLikeDjangoSettings(path: string, source: string): boolean {
  if (source === lastSettingsSource && path === lastSettingsPath) return lastSettingsAnswer;
  lastSettingsSource = source;
  lastSettingsPath = path;
  lastSettingsAnswer = SETTINGS_PATH.test(path) || SETTINGS_MARKER.test(source);
  return lastSettingsAnswer;
}

const DEVELOPMENT_WORD = /(?:^|[_.-])(?:dev|devel|develop|development|local|test|tests|testing|ci|debug)(?:[_.-]|$)/iu;

/**
 * Settings meant for a developer's machine or the test suite, by file name: `settings/dev.py`,
 * `settings_local.py`, `local_settings.py`, `test_settings.py`, `settings/testing.py`.
 */
export function isDevelopmentSettings(path: string): boolean {
  const name = baseName(path).replace(/\.py$/u, "");
  return DEVELOPMENT_WORD.test(name) || isTestPath(path);
}

const SETTINGS_BASE_NAME = /^(?:base|common|defaults?|shared|core)$/u;

/** `settings/base.py`, `settings/common.py`: a base that other settings modules extend with `from .base import *`. */
export function isBaseSettings(path: string): boolean {
  return /(?:^|[\\/])settings[\\/]/u.test(path) && SETTINGS_BASE_NAME.test(baseName(path).replace(/\.py$/u, ""));
}

/** True when the statement holding `assignment` sits directly in the module, outside any `if`, `try`, `with` or loop. */
export function isUnconditionalModuleStatement(assignment: SyntaxNode): boolean {
  const statement = assignment.parent;
  return statement?.type === "expression_statement" && statement.parent?.type === "module";
}

/** The name a module-level assignment binds (`DEBUG` in `DEBUG = True`), or null elsewhere. */
export function moduleLevelTarget(context: RuleContext, assignment: SyntaxNode): SyntaxNode | null {
  const left = field(assignment, "left");
  if (left?.type !== "identifier") return null;
  if (context.analyses.scopes.scopeAt(assignment).kind !== "module") return null;
  return left;
}

/**
 * The value of an expression when it is constant. Unlike the engine's evaluation, a conditional
 * expression whose test is not constant (`"1" if enabled else "0"`) has no value unless both
 * branches agree: these rules ask whether a setting is on, and either branch may run.
 */
export function constantValue(context: RuleContext, node: SyntaxNode | null | undefined): { value: ConstantValue } | undefined {
  if (!node) return undefined;
  const expression = unparenthesize(node);
  if (expression.type === "conditional_expression") {
    const [whenTrue, test, whenFalse] = expression.namedChildren;
    if (!whenTrue || !test || !whenFalse) return undefined;
    const condition = context.analyses.constant(test);
    if (condition) return constantValue(context, truthy(condition.value) ? whenTrue : whenFalse);
    const left = constantValue(context, whenTrue);
    const right = constantValue(context, whenFalse);
    return left && right && JSON.stringify(left.value) === JSON.stringify(right.value) ? left : undefined;
  }
  return context.analyses.constant(expression);
}

/** True when the expression is a constant that Python treats as true (`True`, `1`, `"yes"`). */
export function isConstantTrue(context: RuleContext, node: SyntaxNode | null | undefined): boolean {
  const constant = constantValue(context, node);
  return constant !== undefined && truthy(constant.value);
}

/** True when the expression is a constant that Python treats as false (`False`, `0`, `None`, `""`). */
export function isConstantFalse(context: RuleContext, node: SyntaxNode | null | undefined): boolean {
  const constant = constantValue(context, node);
  return constant !== undefined && !truthy(constant.value);
}

/** Source text, shortened for a message. */
export function snippet(node: SyntaxNode, max = 60): string {
  const text = node.text.replace(/\s+/gu, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const ENVIRONMENT_LOOKUPS = new Set(["get", "getenv", "bool", "config", "env", "str", "int"]);
const TRUE_STRINGS = new Set(["1", "true", "yes", "on", "y", "t"]);

/**
 * For a setting read from the environment with a default (`env.bool("DEBUG", default=True)`,
 * `config("DEBUG", default=True, cast=bool)`, `os.environ.get("DEBUG", True)`,
 * `os.getenv("DEBUG", "1")`): the default when it turns the setting on, else null.
 */
export function truthyEnvironmentDefault(context: RuleContext, value: SyntaxNode): { fallback: SyntaxNode; variable: string } | null {
  const call = unparenthesize(value);
  if (call.type !== "call") return null;
  const method = calleeLastName(call);
  if (!method || !ENVIRONMENT_LOOKUPS.has(method)) return null;
  const args = callArguments(call);
  const first = args.positional[0];
  if (!first || first.type !== "string") return null;
  const fallback = args.keywords.get("default") ?? args.positional[1];
  if (!fallback) return null;
  const constant = constantValue(context, fallback);
  if (!constant) return null;
  const raw = constant.value;
  const variable = stringLiteralValue(first) ?? first.text;
  if (typeof raw === "string") return TRUE_STRINGS.has(raw.trim().toLowerCase()) ? { fallback, variable } : null;
  return truthy(raw) ? { fallback, variable } : null;
}

/** Resolves a callee and matches it against qualified names, ignoring local look-alikes. */
export function calleeMatches(context: RuleContext, call: SyntaxNode, candidates: ReadonlySet<string>): boolean {
  const callee = field(call, "function");
  return callee !== null && matchesQualified(context.analyses.resolve(callee), candidates);
}

/**
 * What an identifier stands for when it was assigned a call (`client = paramiko.SSHClient()`):
 * the call, followed through the last binding before `node`. Null for anything else.
 */
export function assignedCall(context: RuleContext, identifier: SyntaxNode): SyntaxNode | null {
  if (identifier.type !== "identifier") return null;
  const binding = context.analyses.scopes.bindingBefore(identifier.text, identifier);
  const value = binding && (binding.kind === "assignment" || binding.kind === "with") ? binding.value : undefined;
  if (!value) return null;
  const inner = unparenthesize(value);
  return inner.type === "call" ? inner : null;
}

/** Python identifiers split into lower-case words: `func_getCurrentUser` → func, get, current, user. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/gu, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/gu, "$1 $2")
    .split(/[^A-Za-z0-9]+/u)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/** The callee-name filter with import aliases, shared by the rule families. */
export { ImportAliases as CalleeNames } from "../support/import-aliases.js";
