import type { AffectedRange } from "./pep440.js";

/**
 * pyguard's offline advisory table for PG-DEP-005: a small, hand-checked selection of well-known
 * advisories for popular PyPI packages, each with its affected range(s) and first fixed
 * version(s). It is not a vulnerability database: it catches the classic old pins offline, and
 * the rule's `osv` option asks OSV (https://osv.dev) about every exact pin when `pyguard scan`
 * may use the network. Add an entry only when the advisory (CVE/GHSA page or the project's
 * changelog) states the affected range.
 */
export const ADVISORY_TABLE_DATE = "2026-11-26";

export interface Advisory {
  /** Normalized distribution name (PEP 503). */
  package: string;
  /** The CVE (or GHSA) id. */
  id: string;
  /** Affected versions, each range half open: [introduced, fixed). */
  affected: readonly AffectedRange[];
  summary: string;
}

export const ADVISORIES: readonly Advisory[] = [
  {
    package: "pyyaml",
    id: "CVE-2020-14343",
    affected: [{ fixed: "5.4" }],
    summary: "`yaml.full_load` and `FullLoader` still construct arbitrary Python objects, an incomplete fix of CVE-2020-1747: code execution",
  },
  {
    package: "jinja2",
    id: "CVE-2020-28493",
    affected: [{ fixed: "2.11.3" }],
    summary: "regular-expression denial of service in the `urlize` filter",
  },
  {
    package: "jinja2",
    id: "CVE-2024-22195",
    affected: [{ fixed: "3.1.3" }],
    summary: "the `xmlattr` filter accepts keys with spaces, so attacker-chosen keys inject HTML attributes: cross-site scripting",
  },
  {
    package: "urllib3",
    id: "CVE-2021-33503",
    affected: [{ fixed: "1.26.5" }],
    summary: "catastrophic backtracking on a URL authority with many `@` characters: denial of service",
  },
  {
    package: "requests",
    id: "CVE-2023-32681",
    affected: [{ introduced: "2.3.0", fixed: "2.31.0" }],
    summary: "the `Proxy-Authorization` header leaks to the destination server when a request through an HTTPS proxy is redirected",
  },
  {
    package: "werkzeug",
    id: "CVE-2023-25577",
    affected: [{ fixed: "2.2.3" }],
    summary: "the multipart parser does not limit the number of parts, so one request exhausts CPU and memory: denial of service",
  },
  {
    package: "pillow",
    id: "CVE-2022-22817",
    affected: [{ fixed: "9.0.0" }],
    summary: "`PIL.ImageMath.eval` evaluates arbitrary Python expressions",
  },
  {
    package: "lxml",
    id: "CVE-2021-43818",
    affected: [{ fixed: "4.6.5" }],
    summary: "`lxml.html.clean` lets scripts through in SVG and data URLs: cross-site scripting",
  },
  {
    package: "pyjwt",
    id: "CVE-2022-29217",
    affected: [{ introduced: "1.5.0", fixed: "2.4.0" }],
    summary: "algorithm confusion: `jwt.decode(token, key, algorithms=jwt.algorithms.get_default_algorithms())` accepts an HMAC token signed with a public key",
  },
  {
    package: "setuptools",
    id: "CVE-2022-40897",
    affected: [{ fixed: "65.5.1" }],
    summary: "regular-expression denial of service in `package_index` when it reads a crafted HTML page",
  },
  {
    package: "certifi",
    id: "CVE-2022-23491",
    affected: [{ introduced: "2017.11.5", fixed: "2022.12.7" }],
    summary: "the bundle still trusts the TrustCor root certificates, which Mozilla removed for cause",
  },
  {
    package: "django",
    id: "CVE-2022-34265",
    affected: [
      { introduced: "3.2a1", fixed: "3.2.14" },
      { introduced: "4.0a1", fixed: "4.0.6" },
    ],
    summary: "SQL injection through the `kind` or `lookup_name` of `Trunc()` and `Extract()` when they come from untrusted data",
  },
  {
    package: "cryptography",
    id: "CVE-2023-23931",
    affected: [{ introduced: "1.8", fixed: "39.0.1" }],
    summary: "`Cipher.update_into` writes into immutable objects passed as its output buffer: memory corruption",
  },
  {
    package: "paramiko",
    id: "CVE-2022-24302",
    affected: [{ fixed: "2.10.1" }],
    summary: "a race condition in `write_private_key_file` leaves a new private key file readable by other users before its mode is set",
  },
  {
    package: "aiohttp",
    id: "CVE-2024-23334",
    affected: [{ introduced: "1.0.5", fixed: "3.9.2" }],
    summary: "static routes with `follow_symlinks=True` do not check that the resolved path stays under the root: directory traversal",
  },
  {
    package: "gunicorn",
    id: "CVE-2024-1135",
    affected: [{ fixed: "22.0.0" }],
    summary: "conflicting `Transfer-Encoding` headers are not rejected: HTTP request smuggling past a front proxy",
  },
  {
    package: "flask",
    id: "CVE-2023-30861",
    affected: [
      { fixed: "2.2.5" },
      { introduced: "2.3.0", fixed: "2.3.2" },
    ],
    summary: "a response that refreshes the permanent session cookie lacks `Vary: Cookie`, so a caching proxy may serve one user's session cookie to others",
  },
];

const BY_PACKAGE: ReadonlyMap<string, readonly Advisory[]> = (() => {
  const map = new Map<string, Advisory[]>();
  for (const advisory of ADVISORIES) {
    const list = map.get(advisory.package);
    if (list) list.push(advisory);
    else map.set(advisory.package, [advisory]);
  }
  return map;
})();

export function advisoriesFor(normalizedName: string): readonly Advisory[] {
  return BY_PACKAGE.get(normalizedName) ?? [];
}
