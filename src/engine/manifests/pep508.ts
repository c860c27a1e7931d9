/** PEP 508 requirement strings (`name[extra] >=1.0 ; python_version < "3.12"`, `name @ url`), as pip and PEP 621 write them. */

export interface Pep508Parts {
  displayName: string;
  extras: string[];
  /** The version specifier without spaces or parentheses (`>=1.0,<2`), empty when none. */
  specifier: string;
  /** The direct reference after `@`, if any. */
  url?: string;
  /** The environment marker after `;`, if any. */
  markers?: string;
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/su;
const VCS_SCHEME = /^(git|hg|svn|bzr)\+/u;

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/gu, "-");
}

export function isVcsUrl(url: string): boolean {
  return VCS_SCHEME.test(url);
}

/** The marker of a requirement: after the first `;` that is not inside a URL (a URL's `;` must be followed by a space, PEP 508). */
function splitMarker(rest: string, isUrl: boolean): { body: string; markers?: string } {
  const at = isUrl ? rest.search(/\s;/u) : rest.indexOf(";");
  if (at < 0) return { body: rest.trim() };
  const markers = rest.slice(at + (isUrl ? 2 : 1)).trim();
  return markers ? { body: rest.slice(0, at).trim(), markers } : { body: rest.slice(0, at).trim() };
}

/** Parses one requirement string, or returns null when it is not one (a path, an option, garbage). */
export function parsePep508(text: string): Pep508Parts | null {
  const match = NAME.exec(text);
  if (!match) return null;
  const displayName = match[1] as string;
  const extras = (match[2] ?? "")
    .split(",")
    .map((extra) => extra.trim())
    .filter(Boolean);
  const rest = match[3] ?? "";
  if (rest.startsWith("@")) {
    const { body, markers } = splitMarker(rest.slice(1), true);
    const url = body.split(/\s/u)[0] ?? "";
    if (!url) return null;
    return { displayName, extras, specifier: "", url, ...(markers ? { markers } : {}) };
  }
  const { body, markers } = splitMarker(rest, false);
  // Only version clauses may follow the name: `>=1.0, <2`, `(>=1.0)`, `== 1.2.*`.
  const specifier = body.replace(/^\((.*)\)$/su, "$1").replace(/\s+/gu, "");
  if (specifier && !/^(?:~=|===?|!=|<=?|>=?)/u.test(specifier)) return null;
  return { displayName, extras, specifier, ...(markers ? { markers } : {}) };
}
