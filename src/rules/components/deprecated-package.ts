import type { RuleModule } from "../../engine/types.js";
import { DEPRECATED_PACKAGES, deprecatedPackage } from "./deprecated-packages.js";

export const deprecatedPackageRule: RuleModule = {
  meta: {
    id: "PG-DEP-004",
    name: "deprecated-package",
    title: "Dependency on a package its maintainers declared deprecated or unmaintained",
    sections: ["G7", "C6"],
    cwe: [1104, 477],
    defaultSeverity: "warning",
    docs: {
      whatItDoes: `Reports dependencies, in any manifest, on distributions whose own maintainers declared them deprecated or unmaintained: ${DEPRECATED_PACKAGES.map((entry) => `\`${entry.package}\``).join(", ")}. Security libraries (pycrypto, oauth2client, Flask-OAuthlib) are warnings; build and test tools are notes.`,
      whyIsThisBad:
        "Nobody fixes the vulnerabilities found in an unmaintained package, and it stops working with new Python versions, which then keeps the whole application on an old interpreter and old dependencies. pycrypto's last release still has a heap overflow in its AES code (CVE-2013-7459).",
      example: "# requirements.txt\npycrypto==2.6.1\n",
      useInstead: "# requirements.txt\npycryptodome==3.20.0\n",
      notes:
        "The table is deliberately short: an entry needs a deprecation notice from the project itself or an unfixed vulnerability in its last release. `pyOpenSSL`, `M2Crypto` and `python-jose` are maintained and not listed. The import of pycrypto's `Crypto` package in Python code is PG-DEP-010's business.",
    },
  },
  create() {
    return {};
  },
  checkManifest(manifest, context) {
    for (const requirement of manifest.requirements) {
      const entry = deprecatedPackage(requirement.name);
      if (!entry) continue;
      context.report({
        range: requirement.range,
        subject: requirement.text,
        severity: entry.severity,
        message: `\`${requirement.displayName}\` is ${entry.status}: ${entry.reason}; use ${entry.replacement} instead (${entry.source}).`,
      });
    }
  },
};
