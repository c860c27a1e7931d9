import { parse as parseToml, TomlError } from "smol-toml";
import { normalizeName, vcsRevision } from "./requirements-txt.js";
import type { IndexSetting, Manifest, ManifestRange, Requirement } from "./types.js";

export class ManifestParseError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
    this.name = "ManifestParseError";
  }
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * TOML values carry no positions, so each entry is found again in the text: the first line at or
 * after its section's header that contains it. Good enough to anchor a comment on the right line.
 */
class Locator {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split(/\r?\n/u);
  }

  sectionLine(header: string): number {
    const pattern = new RegExp(`^\\s*\\[{1,2}\\s*${header.replace(/[.]/gu, "\\s*\\.\\s*").replace(/"/gu, '"?')}\\s*\\]{1,2}\\s*(#.*)?$`, "u");
    const index = this.lines.findIndex((line) => pattern.test(line));
    return index >= 0 ? index + 1 : 1;
  }

  find(needles: readonly string[], fromLine: number): ManifestRange {
    for (let index = Math.max(0, fromLine - 1); index < this.lines.length; index++) {
      const line = this.lines[index] as string;
      for (const needle of needles) {
        const at = needle.length > 0 ? line.indexOf(needle) : -1;
        if (at >= 0) return { line: index + 1, column: at + 1, endLine: index + 1, endColumn: at + 1 + needle.length };
      }
    }
    const line = Math.max(1, fromLine);
    return { line, column: 1, endLine: line, endColumn: (this.lines[line - 1]?.length ?? 0) + 1 };
  }
}

function parseTable(path: string, text: string): Table {
  try {
    return parseToml(text) as Table;
  } catch (error) {
    const line = error instanceof TomlError ? error.line : 1;
    throw new ManifestParseError(`not valid TOML: ${(error as Error).message.split("\n")[0]}`, line);
  }
}

const PEP508 = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/u;

function pep508Requirement(entry: string, section: string, range: ManifestRange): Requirement | null {
  const match = PEP508.exec(entry);
  if (!match) return null;
  const displayName = match[1] as string;
  const rest = (match[3] ?? "").split(";")[0]?.trim() ?? "";
  const requirement: Requirement = { name: normalizeName(displayName), displayName, specifier: "", section, text: entry, range };
  if (rest.startsWith("@")) {
    requirement.url = rest.slice(1).trim();
    const revision = /^(git|hg|svn|bzr)\+/u.test(requirement.url) ? vcsRevision(requirement.url) : undefined;
    if (revision) requirement.revision = revision;
  } else requirement.specifier = rest.replace(/\s+/gu, "");
  return requirement;
}

/** A Poetry or Pipfile dependency: `"^1.2"`, `"*"`, or `{version = "…", git = "…", rev = "…"}`. */
function tableRequirement(name: string, value: unknown, section: string, locator: Locator, sectionLine: number): Requirement | null {
  const range = locator.find([`${name} =`, `${name}=`, `"${name}"`, name], sectionLine);
  const requirement: Requirement = { name: normalizeName(name), displayName: name, specifier: "", section, text: name, range };
  if (typeof value === "string") {
    requirement.specifier = value.trim();
    requirement.text = `${name} = "${value}"`;
    return requirement;
  }
  if (!isTable(value)) return null;
  requirement.text = `${name} = ${JSON.stringify(value)}`;
  if (typeof value.version === "string") requirement.specifier = value.version.trim();
  const url = [value.git, value.url, value.hg, value.svn].find((candidate): candidate is string => typeof candidate === "string");
  if (url) {
    requirement.url = typeof value.git === "string" ? `git+${url}` : url;
    for (const kind of ["rev", "tag", "branch", "ref"] as const) {
      if (typeof value[kind] === "string") {
        requirement.revision = { kind, value: value[kind] };
        break;
      }
    }
  }
  if (typeof value.path === "string" && !url) return null;
  return requirement;
}

export function parsePyproject(path: string, text: string): Manifest {
  const document = parseTable(path, text);
  const locator = new Locator(text);
  const manifest: Manifest = { kind: "pyproject", path, requirements: [], indexes: [] };
  const add = (entries: unknown, section: string, header: string): void => {
    if (!Array.isArray(entries)) return;
    const sectionLine = locator.sectionLine(header);
    for (const entry of entries) {
      if (typeof entry !== "string") continue;
      const requirement = pep508Requirement(entry, section, locator.find([`"${entry}"`, `'${entry}'`, entry], sectionLine));
      if (requirement) manifest.requirements.push(requirement);
    }
  };
  const project = isTable(document.project) ? document.project : undefined;
  if (project) {
    add(project.dependencies, "project.dependencies", "project");
    if (isTable(project["optional-dependencies"])) {
      for (const [group, entries] of Object.entries(project["optional-dependencies"])) add(entries, `project.optional-dependencies.${group}`, "project.optional-dependencies");
    }
  }
  if (isTable(document["dependency-groups"])) {
    for (const [group, entries] of Object.entries(document["dependency-groups"])) add(entries, `dependency-groups.${group}`, "dependency-groups");
  }
  const tool = isTable(document.tool) ? document.tool : undefined;
  const poetry = tool && isTable(tool.poetry) ? tool.poetry : undefined;
  if (poetry) {
    const poetryTable = (table: unknown, section: string, header: string): void => {
      if (!isTable(table)) return;
      const sectionLine = locator.sectionLine(header);
      for (const [name, value] of Object.entries(table)) {
        if (name.toLowerCase() === "python") continue;
        const requirement = tableRequirement(name, value, section, locator, sectionLine);
        if (requirement) manifest.requirements.push(requirement);
      }
    };
    poetryTable(poetry.dependencies, "tool.poetry.dependencies", "tool.poetry.dependencies");
    poetryTable(poetry["dev-dependencies"], "tool.poetry.dev-dependencies", "tool.poetry.dev-dependencies");
    if (isTable(poetry.group)) {
      for (const [group, body] of Object.entries(poetry.group)) {
        if (isTable(body)) poetryTable(body.dependencies, `tool.poetry.group.${group}.dependencies`, `tool.poetry.group.${group}.dependencies`);
      }
    }
    if (Array.isArray(poetry.source)) {
      const sectionLine = locator.sectionLine("tool.poetry.source");
      for (const source of poetry.source) {
        if (!isTable(source) || typeof source.url !== "string") continue;
        manifest.indexes.push({ kind: "source", value: source.url, text: source.url, range: locator.find([source.url], sectionLine) });
      }
    }
  }
  return manifest;
}

export function parsePipfile(path: string, text: string): Manifest {
  const document = parseTable(path, text);
  const locator = new Locator(text);
  const manifest: Manifest = { kind: "pipfile", path, requirements: [], indexes: [] };
  for (const section of ["packages", "dev-packages"]) {
    const table = document[section];
    if (!isTable(table)) continue;
    const sectionLine = locator.sectionLine(section);
    for (const [name, value] of Object.entries(table)) {
      const requirement = tableRequirement(name, value, section, locator, sectionLine);
      if (requirement) manifest.requirements.push(requirement);
    }
  }
  if (Array.isArray(document.source)) {
    const sectionLine = locator.sectionLine("source");
    for (const source of document.source) {
      if (!isTable(source) || typeof source.url !== "string") continue;
      const setting: IndexSetting = { kind: "source", value: source.url, text: source.url, range: locator.find([source.url], sectionLine) };
      if (typeof source.verify_ssl === "boolean") setting.verifySsl = source.verify_ssl;
      manifest.indexes.push(setting);
    }
  }
  return manifest;
}
