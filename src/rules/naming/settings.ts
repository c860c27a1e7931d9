import { namingSchema, type NamingOptions } from "../../config/schema.js";
import type { RuleOptions } from "../../engine/types.js";
import { suggestFunctionName, suggestVariableName } from "./name-forms.js";

/** The `naming` section of the config, compiled for the rules: regexes and sets built once. */
export interface NamingSettings {
  functionPattern: RegExp;
  /** What a message says of a name that fails it: "is not named `func_` + camelCase" or "does not match the configured pattern …". */
  functionMismatch: string;
  variablePattern: RegExp;
  variableMismatch: string;
  ignoreNames: ReadonlySet<string>;
  /** Last dotted parts of the configured decorators (`pytest.fixture` → `fixture`). */
  exemptDecorators: ReadonlySet<string>;
  checkTestFiles: boolean;
  /** Rename suggestions already computed, by kind and name (a code base repeats its names). */
  suggestions: Map<string, string | null>;
}

const DEFAULTS: NamingOptions = namingSchema.parse({});

/**
 * Settings by config object: the engine hands every file the same `naming` object, so the
 * patterns are compiled once per run, not once per file.
 */
const cache = new WeakMap<object, NamingSettings>();
let defaultSettings: NamingSettings | undefined;

export function namingSettings(options: RuleOptions): NamingSettings {
  const naming = options.naming;
  if (naming === null || typeof naming !== "object") {
    defaultSettings ??= compile(DEFAULTS);
    return defaultSettings;
  }
  let settings = cache.get(naming);
  if (!settings) {
    settings = compile({ ...DEFAULTS, ...(naming as Partial<NamingOptions>) });
    cache.set(naming, settings);
  }
  return settings;
}

function compile(naming: NamingOptions): NamingSettings {
  return {
    functionPattern: new RegExp(naming.functionPattern, "u"),
    functionMismatch:
      naming.functionPattern === DEFAULTS.functionPattern
        ? "is not named `func_` + camelCase"
        : `does not match the configured pattern \`${naming.functionPattern}\``,
    variablePattern: new RegExp(naming.variablePattern, "u"),
    variableMismatch:
      naming.variablePattern === DEFAULTS.variablePattern
        ? "is not camelCase"
        : `does not match the configured pattern \`${naming.variablePattern}\``,
    ignoreNames: new Set(naming.ignoreNames),
    exemptDecorators: new Set(naming.exemptDecorators.map((decorator) => decorator.split(".").pop() ?? decorator)),
    checkTestFiles: naming.checkTestFiles,
    suggestions: new Map(),
  };
}

const TEST_FILE = /^(?:test_.*|.*_test|conftest)\.py$/u;

/** test_*.py, *_test.py and conftest.py: pytest discovers their names, so they keep them. */
export function isTestFile(path: string): boolean {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  return TEST_FILE.test(base);
}

const MAX_CACHED_SUGGESTIONS = 10_000;

/** A conforming name to suggest for a function (`func_loadUser`) or a variable (`userName`), or null. */
export function suggestion(settings: NamingSettings, kind: "function" | "variable", name: string): string | null {
  const key = `${kind === "function" ? "f" : "v"}:${name}`;
  const known = settings.suggestions.get(key);
  if (known !== undefined) return known;
  const suggested =
    kind === "function" ? suggestFunctionName(name, settings.functionPattern) : suggestVariableName(name, settings.variablePattern);
  if (settings.suggestions.size >= MAX_CACHED_SUGGESTIONS) settings.suggestions.clear();
  settings.suggestions.set(key, suggested);
  return suggested;
}
