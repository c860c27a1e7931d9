import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { isTestPath } from "../crypto/lexicon.js";
import { stringValue } from "../crypto/values.js";
import { WEAK_PASSLIB_SCHEMES } from "./passwords.js";

/** Django hashers that hash with one round of MD5 or SHA-1, unsalted ones, or DES crypt. */
const WEAK_DJANGO_HASHERS: Record<string, string> = {
  MD5PasswordHasher: "a single salted MD5",
  UnsaltedMD5PasswordHasher: "a single unsalted MD5",
  SHA1PasswordHasher: "a single salted SHA-1",
  UnsaltedSHA1PasswordHasher: "a single unsalted SHA-1",
  CryptPasswordHasher: "DES crypt(3), which truncates passwords to 8 characters",
};
const CRYPT_CONTEXT = new Set(["passlib.context.CryptContext", "passlib.apps.CryptContext"]);
/** Settings modules for tests often pick MD5 for speed: `settings/test.py`, `test_settings.py`, `settings_testing.py`. */
const TEST_SETTINGS = /(?:^|[\\/])[^\\/]*test[^\\/]*\.py$/iu;

/** The first element of a list or tuple literal, also on the left of `+`. */
function firstElement(node: SyntaxNode): SyntaxNode | null {
  let current = unparenthesize(node);
  for (let depth = 0; depth < 8 && current.type === "binary_operator"; depth++) {
    const left = field(current, "left");
    if (!left) return null;
    current = unparenthesize(left);
  }
  if (current.type !== "list" && current.type !== "tuple") return null;
  return current.namedChildren.find((child) => child.type !== "comment") ?? null;
}

export const weakPasswordHasherConfig: RuleModule = {
  meta: {
    id: "PG-IDENT-003",
    name: "weak-password-hasher-configured",
    title: "Weak password hasher configured as the default",
    sections: ["C7", "C2"],
    cwe: [916, 328],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports a Django `PASSWORD_HASHERS` setting (an assignment, or `override_settings(PASSWORD_HASHERS=…)`) whose first hasher is `MD5PasswordHasher`, `UnsaltedMD5PasswordHasher`, `SHA1PasswordHasher`, `UnsaltedSHA1PasswordHasher` or `CryptPasswordHasher`, and a passlib `CryptContext` whose default scheme (`default=`, or the first of `schemes`) is a weak one (`md5_crypt`, `des_crypt`, `ldap_md5`, `hex_sha256`, `plaintext`…).",
      whyIsThisBad:
        "The first hasher is the one every new and upgraded password is hashed with. MD5, SHA-1 and DES crypt are fast (or truncate the password), so a leaked user table is cracked by brute force.",
      example:
        'PASSWORD_HASHERS = [\n    "django.contrib.auth.hashers.MD5PasswordHasher",\n    "django.contrib.auth.hashers.PBKDF2PasswordHasher",\n]',
      useInstead:
        'PASSWORD_HASHERS = [\n    "django.contrib.auth.hashers.Argon2PasswordHasher",\n    "django.contrib.auth.hashers.PBKDF2PasswordHasher",\n    "django.contrib.auth.hashers.MD5PasswordHasher",  # verifies legacy hashes only\n]',
      notes:
        "A weak hasher later in the list is not reported: Django uses it only to verify old hashes and upgrades them on login. Test settings are exempt (any module whose file name contains `test`, and files under `tests/`), where `MD5PasswordHasher` is the documented way to speed up test runs.",
    },
  },
  create(context) {
    if (isTestPath(context.path) || TEST_SETTINGS.test(context.path)) return {};
    const analyses = context.analyses;

    function checkHashers(value: SyntaxNode, reportNode: SyntaxNode): void {
      const first = firstElement(value);
      const path = first ? stringValue(first) : null;
      if (!path) return;
      const hasher = path.slice(path.lastIndexOf(".") + 1);
      const weakness = WEAK_DJANGO_HASHERS[hasher];
      if (!weakness) return;
      context.report({
        node: reportNode,
        message: `\`PASSWORD_HASHERS\` starts with \`${hasher}\`, so Django hashes every new password with ${weakness}; put \`Argon2PasswordHasher\` (or \`PBKDF2PasswordHasher\`) first and keep \`${hasher}\` later only to verify old hashes.`,
      });
    }

    function checkCryptContext(call: SyntaxNode): void {
      const callee = field(call, "function");
      if (!callee || !matchesQualified(analyses.resolve(callee), CRYPT_CONTEXT)) return;
      const args = callArguments(call);
      const explicit = stringValue(args.keywords.get("default"));
      const schemes = args.keywords.get("schemes") ?? args.positional[0];
      const first = schemes ? firstElement(schemes) : null;
      const scheme = explicit ?? (first ? stringValue(first) : null);
      if (scheme === null || !WEAK_PASSLIB_SCHEMES.has(scheme)) return;
      context.report({
        node: call,
        message: `\`CryptContext\` hashes new passwords with \`${scheme}\`, a weak scheme; make \`argon2\` or \`bcrypt\` the default and mark \`${scheme}\` as \`deprecated\` so old hashes are upgraded.`,
      });
    }

    return {
      assignment(node) {
        const left = field(node, "left");
        if (left?.type !== "identifier" || left.text !== "PASSWORD_HASHERS") return;
        const right = field(node, "right");
        if (right) checkHashers(right, node);
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === "CryptContext") {
          checkCryptContext(node);
          return;
        }
        if (lastName !== "override_settings" && lastName !== "modify_settings") return;
        const hashers = callArguments(node).keywords.get("PASSWORD_HASHERS");
        if (hashers) checkHashers(hashers, node);
      },
    };
  },
};
