import type { Severity } from "../../engine/types.js";

/**
 * Distributions whose own maintainers declared them deprecated or unmaintained, for PG-DEP-004.
 * Keep it short and sourced: an entry needs a notice from the project itself (README, docs,
 * PyPI page) or, for security libraries, an unfixed vulnerability in the last release.
 */
export interface DeprecatedPackage {
  /** Normalized distribution name (PEP 503). */
  package: string;
  /** What to use instead. */
  replacement: string;
  /** "deprecated", "unmaintained", "renamed". */
  status: string;
  /** Why it is listed, in a few words. */
  reason: string;
  /** Where the notice is. */
  source: string;
  severity: Severity;
}

export const DEPRECATED_PACKAGES: readonly DeprecatedPackage[] = [
  {
    package: "pycrypto",
    status: "unmaintained",
    replacement: "`pycryptodome` (the same `Crypto` API) or `cryptography`",
    reason: "its last release is 2.6.1, from 2013, and the heap overflow in its AES code (CVE-2013-7459) was never fixed in a release",
    source: "https://nvd.nist.gov/vuln/detail/CVE-2013-7459",
    severity: "warning",
  },
  {
    package: "oauth2client",
    status: "deprecated",
    replacement: "`google-auth` with `oauthlib` (or `google-auth-oauthlib`)",
    reason: "Google deprecated it in 2017, turned down support and archived the repository",
    source: "https://google-auth.readthedocs.io/en/latest/oauth2client-deprecation.html",
    severity: "warning",
  },
  {
    package: "flask-oauthlib",
    status: "unmaintained",
    replacement: "`Authlib`",
    reason: "its author's notice says \"You SHOULD use Authlib instead\"",
    source: "https://github.com/lepture/flask-oauthlib",
    severity: "warning",
  },
  {
    package: "nose",
    status: "unmaintained",
    replacement: "`pytest` (or `nose2`)",
    reason: "its maintainers put it in maintenance mode in 2015, there has been no release since 1.3.7, and it does not run on current Python versions",
    source: "https://nose.readthedocs.io/en/latest/",
    severity: "note",
  },
  {
    package: "distribute",
    status: "deprecated",
    replacement: "`setuptools`",
    reason: "the fork was merged back into setuptools 0.7 in 2013 and is no longer maintained",
    source: "https://pypi.org/project/distribute/",
    severity: "note",
  },
  {
    package: "pep8",
    status: "renamed",
    replacement: "`pycodestyle` (or Ruff)",
    reason: "it became pycodestyle in 2016 and the old name gets no releases",
    source: "https://pypi.org/project/pep8/",
    severity: "note",
  },
];

const BY_NAME: ReadonlyMap<string, DeprecatedPackage> = new Map(DEPRECATED_PACKAGES.map((entry) => [entry.package, entry]));

export function deprecatedPackage(normalizedName: string): DeprecatedPackage | undefined {
  return BY_NAME.get(normalizedName);
}
