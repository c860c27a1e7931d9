import type { Requirement } from "../../engine/manifests/types.js";

/** Shared by the manifest rules (PG-DEP-001…005). */

const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|[\w.-]+\.localhost)$/iu;

/** The host of a URL (`user:pw@host:port/path` → `host`), lower case, or null. */
export function hostOf(url: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)/iu.exec(url.trim());
  return match?.[1] ? match[1].toLowerCase() : null;
}

/** The scheme of a URL without a VCS prefix (`git+http://` → `http`), lower case, or null. */
export function schemeOf(url: string): string | null {
  const match = /^(?:(?:git|hg|svn|bzr)\+)?([a-z][a-z0-9.-]*):\/\//iu.exec(url.trim());
  return match?.[1] ? match[1].toLowerCase() : null;
}

/** True for hosts on this machine (`localhost`, `127.0.0.1`, `::1`): no network to attack in between. */
export function isLoopback(host: string): boolean {
  return LOOPBACK_HOST.test(host);
}

/** `http://` to another machine: an index, link or archive that anyone on the path can read and replace. */
export function isCleartextRemote(url: string): boolean {
  if (schemeOf(url) !== "http") return false;
  const host = hostOf(url);
  return host !== null && !isLoopback(host);
}

/** Shortens a manifest entry for a message. */
export function shown(text: string, limit = 80): string {
  const flat = text.replace(/\s+/gu, " ").trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

/** Sections whose entries are `name = "spec"` or `name = {…}` tables (Poetry, Pipenv, uv sources) rather than PEP 508 strings. */
export function isTableSection(section: string): boolean {
  return section.startsWith("tool.poetry") || section === "packages" || section === "dev-packages" || section.startsWith("tool.uv.sources");
}

/** The entry as a reader would name it in a message: `requests>=2`, `celery[redis]==5.4`, `pkg @ git+https://…`, `pytest = "*"`. */
export function entryLabel(requirement: Requirement): string {
  if (requirement.url !== undefined) return shown(`${requirement.displayName} @ ${requirement.url}`);
  if (isTableSection(requirement.section)) return shown(`${requirement.displayName} = "${requirement.specifier || "*"}"`);
  const extras = requirement.extras && requirement.extras.length > 0 ? `[${requirement.extras.join(",")}]` : "";
  return shown(`${requirement.displayName}${extras}${requirement.specifier}`);
}

/** Hides a password or token in a URL before it goes into a message. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/iu, "$1***@");
}
