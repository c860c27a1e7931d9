import { parse as parseToml, TomlError } from "smol-toml";
import { normalizeName, parsePep508 } from "./pep508.js";
import { vcsRevision } from "./requirements-txt.js";
import type { IndexSetting, Manifest, ManifestRange, Requirement } from "./types.js";

export class ManifestParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "ManifestParseError";
  }
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

/**
 * TOML values carry no positions, so each entry is found again in the text: the first line at or
 * after its section's header that holds it and that no earlier entry took. Good enough to anchor
 * a comment on the right line.
 */
class Locator {
  private readonly lines: string[];
  private readonly taken = new Set<string>();

  constructor(text: string) {
    this.lines = text.split(/\r?\n/u);
  }

  /** The line of `[header]` or `[[header]]` (1-based), or 0 when the file has no such header. */
  sectionLine(header: string, after = 0): number {
    const key = header
      .split(".")
      .map((part) => `"?${escapeRegExp(part)}"?`)
      .join("\\s*\\.\\s*");
    const pattern = new RegExp(`^\\s*\\[{1,2}\\s*${key}\\s*\\]{1,2}\\s*(#.*)?$`, "u");
    for (let index = Math.max(0, after); index < this.lines.length; index++) if (pattern.test(this.lines[index] as string)) return index + 1;
    return 0;
  }

  /** The first free occurrence of one of `needles` at or after `fromLine`. */
  find(needles: readonly string[], fromLine: number): ManifestRange | null {
    for (let index = Math.max(0, fromLine - 1); index < this.lines.length; index++) {
      const line = this.lines[index] as string;
      for (const needle of needles) {
        const at = needle.length > 0 ? line.indexOf(needle) : -1;
        if (at >= 0 && this.take(index, at)) return { line: index + 1, column: at + 1, endLine: index + 1, endColumn: at + 1 + needle.length };
      }
    }
    return null;
  }

  /** The line that assigns `key` (`key = …`, `"key" = …`) at or after `fromLine`, spanning the rest of the line. */
  findKey(key: string, fromLine: number): ManifestRange | null {
    const pattern = new RegExp(`^(\\s*)(["']?)${escapeRegExp(key)}\\2\\s*=`, "u");
    for (let index = Math.max(0, fromLine - 1); index < this.lines.length; index++) {
      const line = this.lines[index] as string;
      const match = pattern.exec(line);
      if (!match) continue;
      const at = (match[1] as string).length;
      if (!this.take(index, at)) continue;
      const end = line.replace(/\s+#.*$/u, "").trimEnd().length;
      return { line: index + 1, column: at + 1, endLine: index + 1, endColumn: end + 1 };
    }
    return null;
  }

  /** A whole line, for entries that can only be placed by their section. */
  lineRange(line: number): ManifestRange {
    const at = Math.max(1, line);
    const text = this.lines[at - 1] ?? "";
    const column = text.length - text.trimStart().length + 1;
    return { line: at, column, endLine: at, endColumn: text.trimEnd().length + 1 };
  }

  private take(index: number, column: number): boolean {
    const key = `${index}:${column}`;
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }
}

function parseTable(text: string): Table {
  try {
    return parseToml(text) as Table;
  } catch (error) {
    const line = error instanceof TomlError ? error.line : 1;
    throw new ManifestParseError(`not valid TOML: ${(error as Error).message.split("\n")[0]}`, line);
  }
}

function pep508Requirement(entry: string, section: string, range: ManifestRange): Requirement | null {
  const parts = parsePep508(entry);
  if (!parts) return null;
  const requirement: Requirement = { name: normalizeName(parts.displayName), displayName: parts.displayName, specifier: parts.specifier, section, text: entry, range };
  if (parts.extras.length > 0) requirement.extras = parts.extras;
  if (parts.markers) requirement.markers = parts.markers;
  if (parts.url !== undefined) {
    requirement.url = parts.url;
    const revision = /^(git|hg|svn|bzr)\+/u.test(parts.url) ? vcsRevision(parts.url) : undefined;
    if (revision) requirement.revision = revision;
  }
  return requirement;
}

const URL_KEYS = ["git", "hg", "svn", "url", "file"] as const;
const REVISION_KEYS = ["rev", "tag", "branch", "ref"] as const;

/**
 * A Poetry, Pipenv or uv dependency: `"^1.2"`, `"*"`, `{version = "…", git = "…", rev = "…"}`, or a
 * list of such tables (Poetry's multiple constraints). Local paths give nothing.
 */
function tableRequirements(name: string, value: unknown, section: string, range: ManifestRange): Requirement[] {
  if (Array.isArray(value)) return value.flatMap((item) => tableRequirements(name, item, section, range));
  const requirement: Requirement = { name: normalizeName(name), displayName: name, specifier: "", section, text: name, range };
  if (typeof value === "string") {
    requirement.specifier = value.trim();
    requirement.text = `${name} = "${value}"`;
    return [requirement];
  }
  if (!isTable(value)) return [];
  requirement.text = `${name} = ${JSON.stringify(value)}`;
  if (typeof value.version === "string") requirement.specifier = value.version.trim();
  const urlKey = URL_KEYS.find((key) => typeof value[key] === "string");
  if (urlKey) {
    const url = (value[urlKey] as string).trim();
    if (urlKey === "file" && !/^[a-z][a-z0-9+.-]*:\/\//iu.test(url)) return []; // Pipenv `file = "./pkg.whl"`
    requirement.url = urlKey === "url" || urlKey === "file" || url.startsWith(`${urlKey}+`) ? url : `${urlKey}+${url}`;
    for (const kind of REVISION_KEYS) {
      if (typeof value[kind] === "string") {
        requirement.revision = { kind, value: (value[kind] as string).trim() };
        break;
      }
    }
  } else if (typeof value.path === "string" || value.workspace === true) return [];
  if (value.editable === true || value.develop === true) requirement.editable = true;
  if (Array.isArray(value.extras)) requirement.extras = value.extras.filter((extra): extra is string => typeof extra === "string");
  if (typeof value.markers === "string") requirement.markers = value.markers;
  return [requirement];
}

class TomlReader {
  readonly locator: Locator;

  constructor(
    readonly manifest: Manifest,
    text: string,
  ) {
    this.locator = new Locator(text);
  }

  /** PEP 508 strings in an array (`[project] dependencies`, optional dependencies, dependency groups). */
  addArray(entries: unknown, section: string, header: string, key: string): void {
    if (!Array.isArray(entries)) return;
    const headerLine = this.locator.sectionLine(header);
    const from = this.locator.findKey(key, headerLine)?.line ?? headerLine;
    for (const entry of entries) {
      if (typeof entry !== "string") continue; // `{include-group = "dev"}`
      const range = this.locator.find([`"${entry}"`, `'${entry}'`], from) ?? this.locator.lineRange(from);
      const requirement = pep508Requirement(entry, section, range);
      if (requirement) this.manifest.requirements.push(requirement);
    }
  }

  /** A table of `name = spec` entries (Poetry dependencies, Pipfile packages, uv sources). */
  addTable(table: unknown, section: string, header: string): void {
    if (!isTable(table)) return;
    const headerLine = this.locator.sectionLine(header);
    for (const [name, value] of Object.entries(table)) {
      if (section.startsWith("tool.poetry") && name.toLowerCase() === "python") continue;
      const range = this.locator.findKey(name, headerLine) ?? this.subTableRange(`${header}.${name}`, headerLine);
      const requirements = tableRequirements(name, value, section, range);
      // uv sources only say where a dependency comes from; only their URLs are entries of their own.
      this.manifest.requirements.push(...(section === "tool.uv.sources" ? requirements.filter((requirement) => requirement.url !== undefined) : requirements));
    }
  }

  /** Index settings: a URL, a list of URLs, or a list of source tables with `url` (and `verify_ssl`, `name`). */
  addIndexes(value: unknown, kind: IndexSetting["kind"], header: string, key?: string): void {
    const headerLine = this.locator.sectionLine(header);
    const from = key ? (this.locator.findKey(key, headerLine)?.line ?? headerLine) : headerLine;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const url = typeof item === "string" ? item : isTable(item) && typeof item.url === "string" ? item.url : undefined;
      if (url === undefined) continue;
      const range = this.locator.find([url], from) ?? this.locator.lineRange(from);
      const setting: IndexSetting = { kind, value: url, text: url, range };
      if (isTable(item)) {
        if (typeof item.verify_ssl === "boolean") setting.verifySsl = item.verify_ssl;
        if (typeof item.name === "string") setting.name = item.name;
      }
      this.manifest.indexes.push(setting);
    }
  }

  private subTableRange(header: string, after: number): ManifestRange {
    const line = this.locator.sectionLine(header, after > 0 ? after - 1 : 0);
    return this.locator.lineRange(line || after || 1);
  }
}

export function parsePyproject(path: string, text: string): Manifest {
  const document = parseTable(text);
  const manifest: Manifest = { kind: "pyproject", path, requirements: [], indexes: [] };
  const reader = new TomlReader(manifest, text);
  const project = isTable(document.project) ? document.project : undefined;
  if (project) {
    reader.addArray(project.dependencies, "project.dependencies", "project", "dependencies");
    const optional = project["optional-dependencies"];
    if (isTable(optional)) {
      const inline = reader.locator.sectionLine("project.optional-dependencies") === 0;
      for (const [group, entries] of Object.entries(optional)) {
        reader.addArray(entries, `project.optional-dependencies.${group}`, inline ? "project" : "project.optional-dependencies", group);
      }
    }
  }
  if (isTable(document["dependency-groups"])) {
    for (const [group, entries] of Object.entries(document["dependency-groups"])) reader.addArray(entries, `dependency-groups.${group}`, "dependency-groups", group);
  }
  const tool = isTable(document.tool) ? document.tool : undefined;
  const poetry = tool && isTable(tool.poetry) ? tool.poetry : undefined;
  if (poetry) {
    reader.addTable(poetry.dependencies, "tool.poetry.dependencies", "tool.poetry.dependencies");
    reader.addTable(poetry["dev-dependencies"], "tool.poetry.dev-dependencies", "tool.poetry.dev-dependencies");
    if (isTable(poetry.group)) {
      for (const [group, body] of Object.entries(poetry.group)) {
        if (isTable(body)) reader.addTable(body.dependencies, `tool.poetry.group.${group}.dependencies`, `tool.poetry.group.${group}.dependencies`);
      }
    }
    reader.addIndexes(poetry.source, "source", "tool.poetry.source");
  }
  const uv = tool && isTable(tool.uv) ? tool.uv : undefined;
  if (uv) {
    reader.addIndexes(uv["index-url"], "index-url", "tool.uv", "index-url");
    reader.addIndexes(uv["extra-index-url"], "extra-index-url", "tool.uv", "extra-index-url");
    reader.addIndexes(uv["find-links"], "find-links", "tool.uv", "find-links");
    reader.addIndexes(uv["allow-insecure-host"], "trusted-host", "tool.uv", "allow-insecure-host");
    reader.addIndexes(uv.index, "source", "tool.uv.index");
    if (isTable(uv.sources)) {
      // A dependency whose source uv takes from elsewhere (git, a URL, a path, the workspace, an index) is pinned there.
      manifest.sourcedElsewhere = Object.keys(uv.sources).map(normalizeName);
      reader.addTable(uv.sources, "tool.uv.sources", "tool.uv.sources");
    }
  }
  const pdm = tool && isTable(tool.pdm) ? tool.pdm : undefined;
  if (pdm) reader.addIndexes(pdm.source, "source", "tool.pdm.source");
  return manifest;
}

export function parsePipfile(path: string, text: string): Manifest {
  const document = parseTable(text);
  const manifest: Manifest = { kind: "pipfile", path, requirements: [], indexes: [] };
  const reader = new TomlReader(manifest, text);
  for (const section of ["packages", "dev-packages"]) reader.addTable(document[section], section, section);
  reader.addIndexes(document.source, "source", "source");
  return manifest;
}
