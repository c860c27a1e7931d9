import { readFile } from "node:fs/promises";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod";
import { ALL_RULES } from "../rules/index.js";
import { configSchema, type PyguardConfig } from "./schema.js";

export const CONFIG_PATH = ".github/pyguard.yml";

/** An invalid config: every problem names the key and the form it expects. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid pyguard config (${source}):\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function defaultConfig(): PyguardConfig {
  return configSchema.parse({});
}

function keyPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : `${index > 0 ? "." : ""}${String(part)}`)).join("");
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = keyPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return `${where}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}`;
    case "invalid_value":
      return `${where}: expected one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "invalid_type":
      return `${where}: expected ${issue.expected}`;
    case "invalid_union":
      return `${where}: expected a severity ("error", "warning", "note", "off") or { severity, options }`;
    case "invalid_key":
      return `${where}: invalid key: ${issue.issues.map((inner) => inner.message).join("; ")}`;
    default:
      return `${where}: ${issue.message}`;
  }
}

/** Validates a config document (already parsed from YAML). */
export function parseConfig(document: unknown, source: string): PyguardConfig {
  const result = configSchema.safeParse(document ?? {});
  if (!result.success) throw new ConfigError(source, result.error.issues.map(describeIssue));
  const known = new Set(ALL_RULES.map((rule) => rule.meta.id));
  const unknown = Object.keys(result.data.rules).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ConfigError(
      source,
      unknown.map((id) => `rules.${id}: no rule has this id (see docs/rules.md for the list)`),
    );
  }
  return result.data;
}

/** Parses and validates the text of a pyguard.yml. */
export function parseConfigText(text: string, source: string): PyguardConfig {
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100, prettyErrors: true });
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split("\n")[0] : String(error);
    throw new ConfigError(source, [`not valid YAML: ${detail}`]);
  }
  if (document !== null && document !== undefined && (typeof document !== "object" || Array.isArray(document))) {
    throw new ConfigError(source, ["(top level): expected a mapping of keys such as failOn, rules, sections, paths, naming"]);
  }
  return parseConfig(document, source);
}

/** Reads a config file; a missing file at the default path means the defaults. */
export async function loadConfigFile(path: string, options: { required: boolean }): Promise<PyguardConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && !options.required) return defaultConfig();
    throw new ConfigError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  return parseConfigText(text, path);
}
