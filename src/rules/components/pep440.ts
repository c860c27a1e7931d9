/**
 * PEP 440 versions and the version specifiers of pip, Pipenv and Poetry, as far as the
 * component rules need them: parse, compare, "which exact version does this pin", "is this
 * range bounded". Pure and small; the ordering follows `packaging.version`.
 */

export interface Version {
  epoch: number;
  /** Release segments with trailing zeros removed (1.0 and 1.0.0 compare equal). */
  release: number[];
  pre?: { label: "a" | "b" | "rc"; number: number };
  post?: number;
  dev?: number;
  local?: Array<number | string>;
  /** The text as written. */
  text: string;
}

const VERSION =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/iu;

const PRE_LABELS: Record<string, "a" | "b" | "rc"> = { a: "a", alpha: "a", b: "b", beta: "b", c: "rc", rc: "rc", pre: "rc", preview: "rc" };
const PRE_ORDER = { a: 0, b: 1, rc: 2 } as const;

export function parseVersion(text: string): Version | null {
  const match = VERSION.exec(text);
  if (!match) return null;
  const release = (match[2] as string).split(".").map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const version: Version = { epoch: match[1] ? Number(match[1]) : 0, release, text: text.trim() };
  if (match[3]) version.pre = { label: PRE_LABELS[match[3].toLowerCase()] as "a" | "b" | "rc", number: match[4] ? Number(match[4]) : 0 };
  if (match[5] !== undefined) version.post = Number(match[5]);
  else if (match[6]) version.post = match[7] ? Number(match[7]) : 0;
  if (match[8]) version.dev = match[9] ? Number(match[9]) : 0;
  if (match[10]) version.local = match[10].split(/[-_.]/u).map((part) => (/^\d+$/u.test(part) ? Number(part) : part.toLowerCase()));
  return version;
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRelease(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const difference = compareNumbers(a[index] ?? 0, b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** packaging's sort key for the pre-release part: a dev release of a final release sorts before its pre-releases. */
function preKey(version: Version): number[] {
  if (version.pre) return [PRE_ORDER[version.pre.label], version.pre.number];
  if (version.post === undefined && version.dev !== undefined) return [-Infinity];
  return [Infinity];
}

function compareLocal(a: Version["local"], b: Version["local"]): number {
  if (!a && !b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a[index];
    const right = b[index];
    if (left === undefined) return -1;
    if (right === undefined) return 1;
    if (typeof left === "number" && typeof right === "number") {
      const difference = compareNumbers(left, right);
      if (difference !== 0) return difference;
    } else if (typeof left === "number") return 1; // numbers sort after strings
    else if (typeof right === "number") return -1;
    else if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}

/** Negative, zero or positive as `a` sorts before, with or after `b` (PEP 440 ordering). */
export function compareVersions(a: Version, b: Version): number {
  const steps: Array<() => number> = [
    () => compareNumbers(a.epoch, b.epoch),
    () => compareRelease(a.release, b.release),
    () => compareRelease(preKey(a), preKey(b)),
    () => compareNumbers(a.post ?? -Infinity, b.post ?? -Infinity),
    () => compareNumbers(a.dev ?? Infinity, b.dev ?? Infinity),
    () => compareLocal(a.local, b.local),
  ];
  for (const step of steps) {
    const difference = step();
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Parses and compares two version strings; null when either is not a PEP 440 version. */
export function compareVersionText(a: string, b: string): number | null {
  const left = parseVersion(a);
  const right = parseVersion(b);
  return left && right ? compareVersions(left, right) : null;
}

export type SpecifierStyle = "pep440" | "poetry";

/** One clause of a specifier: `>=1.2`, `==1.*`, `^1.2` (Poetry), `1.2.3` (Poetry exact). */
export interface Clause {
  operator: string;
  version: string;
}

const CLAUSE = /^(~=|===|==|!=|<=|>=|<|>|\^|~|=)?\s*(.*)$/u;

/** Splits a specifier into alternatives (Poetry's `||`), each a list of clauses (`,`; Poetry also a space). */
export function parseSpecifier(specifier: string, style: SpecifierStyle): Clause[][] {
  const alternatives = style === "poetry" ? specifier.split("||") : [specifier];
  return alternatives.map((alternative) => {
    const clauses = style === "poetry" ? alternative.trim().split(/\s*,\s*|\s+(?=[<>=!~^\d])/u) : alternative.split(",");
    return clauses
      .map((clause) => clause.trim())
      .filter(Boolean)
      .map((clause) => {
        const match = CLAUSE.exec(clause) as RegExpExecArray;
        return { operator: match[1] ?? "", version: (match[2] ?? "").trim() };
      });
  });
}

/**
 * The one version a specifier allows, or null: `==1.2.3`, `===1.2.3`, and for Poetry also a bare
 * `1.2.3` or `=1.2.3`. Wildcards (`==1.2.*`) and ranges allow more than one.
 */
export function exactPin(specifier: string, style: SpecifierStyle): string | null {
  const alternatives = parseSpecifier(specifier, style);
  if (alternatives.length !== 1) return null;
  for (const clause of alternatives[0] as Clause[]) {
    const exact = clause.operator === "==" || clause.operator === "===" || (style === "poetry" && (clause.operator === "" || clause.operator === "="));
    if (!exact || clause.version.includes("*")) continue;
    if (clause.operator === "===" ? clause.version.length > 0 : parseVersion(clause.version)) return clause.version;
  }
  return null;
}

export interface Bounds {
  /** Exactly one version (`==1.2.3`). */
  pinned: boolean;
  /** Some clause caps the version (`<2`, `~=1.4`, `==1.*`, `^1.2`). */
  upper: boolean;
  /** Some clause sets a minimum. */
  lower: boolean;
  /** Nothing at all constrains it: empty, `*`, or only `!=` exclusions. */
  unconstrained: boolean;
}

/** What a specifier bounds; for several alternatives, the loosest one counts. */
export function boundsOf(specifier: string, style: SpecifierStyle): Bounds {
  const trimmed = specifier.trim();
  if (trimmed === "" || trimmed === "*") return { pinned: false, upper: false, lower: false, unconstrained: true };
  const alternatives = parseSpecifier(trimmed, style).map((clauses) => {
    const bounds: Bounds = { pinned: false, upper: false, lower: false, unconstrained: true };
    for (const { operator, version } of clauses) {
      const wildcard = version.includes("*");
      if (version === "*" && operator === "") continue;
      switch (operator) {
        case "==":
        case "===":
        case "=":
        case "":
          if (operator === "" && style !== "poetry") break;
          if (wildcard) {
            bounds.upper = bounds.lower = true;
          } else {
            bounds.pinned = bounds.upper = bounds.lower = true;
          }
          break;
        case "~=":
        case "^":
        case "~":
          bounds.upper = bounds.lower = true;
          break;
        case "<":
        case "<=":
          bounds.upper = true;
          break;
        case ">":
        case ">=":
          bounds.lower = true;
          break;
        default:
          break; // != excludes, it does not bound
      }
    }
    bounds.unconstrained = !bounds.upper && !bounds.lower;
    return bounds;
  });
  return {
    pinned: alternatives.every((bounds) => bounds.pinned),
    upper: alternatives.every((bounds) => bounds.upper),
    lower: alternatives.every((bounds) => bounds.lower),
    unconstrained: alternatives.some((bounds) => bounds.unconstrained),
  };
}

/** A half-open range [introduced, fixed) of affected versions; an absent end is open. */
export interface AffectedRange {
  introduced?: string;
  fixed?: string;
}

/** True when `version` lies in the range (pre-releases of the fixed version are still affected). */
export function inRange(version: Version, range: AffectedRange): boolean {
  if (range.introduced !== undefined) {
    const introduced = parseVersion(range.introduced);
    if (!introduced || compareVersions(version, introduced) < 0) return false;
  }
  if (range.fixed !== undefined) {
    const fixed = parseVersion(range.fixed);
    if (!fixed || compareVersions(version, fixed) >= 0) return false;
  }
  return true;
}
