import type { IndexSetting, Manifest, ManifestRange, Requirement } from "./types.js";

const OPTION = /^(-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host)(?:[= ]\s*|\s+)(\S+)/u;
const OPTION_KIND: Record<string, IndexSetting["kind"]> = {
  "-i": "index-url",
  "--index-url": "index-url",
  "--extra-index-url": "extra-index-url",
  "-f": "find-links",
  "--find-links": "find-links",
  "--trusted-host": "trusted-host",
};
const EDITABLE = /^(?:-e|--editable)(?:[= ]\s*|\s+)(\S+)/u;
const NAMED = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/u;
const VCS_URL = /^(git|hg|svn|bzr)\+/u;

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/gu, "-");
}

/** Splits `git+https://host/repo.git@v1.2#egg=x` into the URL and the revision after `@`. */
export function vcsRevision(url: string): Requirement["revision"] {
  const withoutFragment = url.split("#")[0] ?? url;
  const afterScheme = withoutFragment.replace(/^[a-z+]+:\/\//u, "");
  const path = afterScheme.slice(afterScheme.indexOf("/") + 1);
  const at = path.lastIndexOf("@");
  if (at < 0) return undefined;
  return { kind: "ref", value: path.slice(at + 1) };
}

function eggName(url: string): string {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/u.exec(url)?.[1];
  if (egg) return egg;
  const last = url.split("#")[0]?.split("@")[0]?.split("/").pop() ?? url;
  return last.replace(/\.git$/u, "") || url;
}

/**
 * Parses pip's requirements format: one requirement or option per logical line (backslash
 * continues a line, ` #` starts a comment). Unknown options are skipped, never fatal.
 */
export function parseRequirementsTxt(path: string, text: string): Manifest {
  const manifest: Manifest = { kind: "requirements", path, requirements: [], indexes: [] };
  const lines = text.split(/\r?\n/u);
  for (let index = 0; index < lines.length; index++) {
    const startLine = index + 1;
    let logical = lines[index] ?? "";
    while (logical.endsWith("\\") && index + 1 < lines.length) logical = logical.slice(0, -1) + (lines[++index] ?? "");
    const withoutComment = logical.replace(/(^|\s)#.*$/u, "");
    const trimmed = withoutComment.trim();
    if (trimmed.length === 0) continue;
    const column = (lines[startLine - 1] ?? "").indexOf(trimmed.slice(0, 20)) + 1 || 1;
    const range: ManifestRange = { line: startLine, column, endLine: startLine, endColumn: column + trimmed.length };

    const option = OPTION.exec(trimmed);
    if (option) {
      manifest.indexes.push({ kind: OPTION_KIND[option[1] as string] as IndexSetting["kind"], value: option[2] as string, text: trimmed, range });
      continue;
    }
    const editable = EDITABLE.exec(trimmed);
    const entry = editable ? (editable[1] as string) : trimmed;
    if (entry.startsWith("-")) continue;
    if (VCS_URL.test(entry) || /^[a-z]+:\/\//u.test(entry)) {
      const name = eggName(entry);
      const requirement: Requirement = { name: normalizeName(name), displayName: name, specifier: "", url: entry, section: path, text: trimmed, range };
      const revision = VCS_URL.test(entry) ? vcsRevision(entry) : undefined;
      if (revision) requirement.revision = revision;
      manifest.requirements.push(requirement);
      continue;
    }
    if (entry.startsWith(".") || entry.startsWith("/")) continue; // a local path
    const named = NAMED.exec(entry);
    if (!named) continue;
    const displayName = named[1] as string;
    const rest = (named[3] ?? "").split(";")[0]?.trim() ?? "";
    const requirement: Requirement = { name: normalizeName(displayName), displayName, specifier: "", section: path, text: trimmed, range };
    if (rest.startsWith("@")) {
      const url = rest.slice(1).trim().split(/\s/u)[0] ?? "";
      requirement.url = url;
      const revision = VCS_URL.test(url) ? vcsRevision(url) : undefined;
      if (revision) requirement.revision = revision;
    } else {
      requirement.specifier = rest.replace(/\s+--hash\S*.*$/u, "").replace(/\s+/gu, "");
    }
    manifest.requirements.push(requirement);
  }
  return manifest;
}
