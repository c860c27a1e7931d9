import { isVcsUrl, normalizeName, parsePep508 } from "./pep508.js";
import type { IndexSetting, Manifest, ManifestRange, Requirement } from "./types.js";

export { normalizeName } from "./pep508.js";

const OPTION = /^(-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host)(?:\s*=\s*|\s+|(?<=^-[if]))(\S+)/u;
const OPTION_KIND: Record<string, IndexSetting["kind"]> = {
  "-i": "index-url",
  "--index-url": "index-url",
  "--extra-index-url": "extra-index-url",
  "-f": "find-links",
  "--find-links": "find-links",
  "--trusted-host": "trusted-host",
};
const EDITABLE = /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)/u;
/** pip's comment: `#` at the start of a line or after whitespace. */
const COMMENT = /(^|\s)#.*$/u;
/** Per-requirement options after the requirement (`--hash=sha256:…`, `--config-settings …`). */
const TRAILING_OPTIONS = /\s--?[A-Za-z].*$/su;
const HASH = /--hash[=\s]\s*([A-Za-z0-9]+:[A-Za-z0-9+/=]+)/gu;
const ARCHIVE = /\.(whl|tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/iu;
const URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//u;

/** Splits `git+https://host/repo.git@v1.2#egg=x` into the URL and the revision after `@`. */
export function vcsRevision(url: string): Requirement["revision"] {
  const withoutFragment = url.split("#")[0] ?? url;
  const afterScheme = withoutFragment.replace(/^[a-z+]+:\/\//u, "");
  const slash = afterScheme.indexOf("/");
  if (slash < 0) return undefined;
  const path = afterScheme.slice(slash + 1);
  const at = path.lastIndexOf("@");
  if (at < 0 || at === path.length - 1) return undefined;
  return { kind: "ref", value: path.slice(at + 1) };
}

/** The distribution a URL installs: `#egg=name`, a wheel's or sdist's file name, or the repository's name. */
export function urlProjectName(url: string): string {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/u.exec(url)?.[1];
  if (egg) return egg.replace(/-\d.*$/u, "");
  const withoutFragment = url.split("#")[0] ?? url;
  const afterScheme = withoutFragment.replace(/^[a-z+]+:\/\//u, "");
  const path = afterScheme.slice(afterScheme.indexOf("/") + 1);
  const last = (path.split("@")[0] ?? path).split("/").filter(Boolean).pop() ?? url;
  if (ARCHIVE.test(last)) return last.replace(ARCHIVE, "").replace(/-\d.*$/u, "");
  return last.replace(/\.git$/u, "") || url;
}

/**
 * Parses pip's requirements format: one requirement or option per logical line (a backslash at
 * the end continues a line, ` #` starts a comment, as in pip's own reader). Unknown options and
 * local paths are skipped, never fatal.
 */
export function parseRequirementsTxt(path: string, text: string): Manifest {
  const manifest: Manifest = { kind: "requirements", path, requirements: [], indexes: [] };
  const lines = text.split(/\r?\n/u);
  for (let index = 0; index < lines.length; index++) {
    const startLine = index + 1;
    const first = lines[index] ?? "";
    let logical = first;
    // pip joins continued lines before it strips comments; a comment line never continues.
    while (logical.endsWith("\\") && !COMMENT.test(lines[index] ?? "") && index + 1 < lines.length) {
      logical = logical.slice(0, -1) + (lines[++index] ?? "");
    }
    if (logical.endsWith("\\") && !COMMENT.test(logical)) logical = logical.slice(0, -1); // a continuation at the end of the file
    const trimmed = logical.replace(COMMENT, "").trim();
    if (trimmed.length === 0) continue;
    const column = first.length - first.trimStart().length + 1;
    const endLine = index + 1;
    const lastLine = (lines[index] ?? "").replace(COMMENT, "").trimEnd();
    const range: ManifestRange =
      endLine === startLine
        ? { line: startLine, column, endLine, endColumn: column + first.replace(COMMENT, "").trim().length }
        : { line: startLine, column, endLine, endColumn: lastLine.length + 1 };
    const text = trimmed.replace(/\s+/gu, " ");

    const option = OPTION.exec(trimmed);
    if (option) {
      manifest.indexes.push({ kind: OPTION_KIND[option[1] as string] as IndexSetting["kind"], value: option[2] as string, text, range });
      continue;
    }
    const editable = EDITABLE.exec(trimmed);
    const entry = editable ? (editable[1] as string) : trimmed;
    if (entry.startsWith("-")) continue; // -r, -c, --no-index, --pre …
    const hashes = [...trimmed.matchAll(HASH)].map((match) => match[1] as string);
    const base = (requirement: Requirement): Requirement => {
      if (hashes.length > 0) requirement.hashes = hashes;
      if (editable) requirement.editable = true;
      return requirement;
    };

    if (URL.test(entry) || isVcsUrl(entry)) {
      if (/^file:/iu.test(entry)) continue; // a local file or folder
      const name = urlProjectName(entry);
      const requirement = base({ name: normalizeName(name), displayName: name, specifier: "", url: entry, section: path, text, range });
      const revision = isVcsUrl(entry) ? vcsRevision(entry) : undefined;
      if (revision) requirement.revision = revision;
      manifest.requirements.push(requirement);
      continue;
    }
    const requirementText = entry.replace(TRAILING_OPTIONS, "");
    // Local paths: `.`, `./pkg`, `../x.whl`, `/abs/path`, `C:\\…`, a bare archive file name.
    if (/^[.~/\\]/u.test(requirementText) || /^[A-Za-z]:[\\/]/u.test(requirementText) || ARCHIVE.test(requirementText.split(/[\s;]/u)[0] ?? "")) continue;
    const parts = parsePep508(requirementText);
    if (!parts) continue;
    const requirement = base({ name: normalizeName(parts.displayName), displayName: parts.displayName, specifier: parts.specifier, section: path, text, range });
    if (parts.extras.length > 0) requirement.extras = parts.extras;
    if (parts.markers) requirement.markers = parts.markers;
    if (parts.url !== undefined) {
      requirement.url = parts.url;
      const revision = isVcsUrl(parts.url) ? vcsRevision(parts.url) : undefined;
      if (revision) requirement.revision = revision;
    }
    manifest.requirements.push(requirement);
  }
  return manifest;
}
