import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { ReportDescriptor, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { HASH_LAST_NAMES, classifyHashCall } from "../crypto/hashes.js";
import { destinationOf, findNamed, findPart, stringValue } from "../crypto/values.js";
import { WEAK_PASSLIB_SCHEMES, isPasswordName, passwordEvidence } from "./passwords.js";

const HMAC_FUNCTIONS = new Set(["hmac.new", "hmac.digest", "hmac.HMAC"]);
const WERKZEUG_HASH = new Set(["werkzeug.security.generate_password_hash", "werkzeug.generate_password_hash"]);
const PASSLIB_METHODS = new Set(["hash", "encrypt", "using", "genhash"]);
/** Calls that run a slow password hash over their input: pre-hashing for bcrypt's 72-byte limit is fine. */
const SLOW_CONSUMERS = new Set([
  "hashpw", "checkpw", "kdf", "pbkdf2_hmac", "scrypt", "hash_password", "make_password", "generate_password_hash",
  "set_password", "derive", "hash", "verify", "hash_secret", "hash_secret_raw", "check_password_hash",
]);

const FILTER_NAMES = new Set([...HASH_LAST_NAMES, "digest", "HMAC", "generate_password_hash", ...PASSLIB_METHODS]);

const DISPLAY: Record<string, string> = {
  md5: "MD5", md4: "MD4", md2: "MD2", sha1: "SHA-1", sha: "SHA-1", sha224: "SHA-224", sha256: "SHA-256", sha384: "SHA-384",
  sha512: "SHA-512", blake2b: "BLAKE2b", blake2s: "BLAKE2s", sha3_256: "SHA3-256", sha3_512: "SHA3-512",
};

const ADVICE =
  "use a slow, salted password hash: `bcrypt.hashpw(password, bcrypt.gensalt())`, argon2 (`argon2.PasswordHasher().hash`), `hashlib.scrypt`, or the framework's `make_password`/`generate_password_hash`";

function describe(evidence: { kind: string; name: string }): string {
  switch (evidence.kind) {
    case "value":
      return `the password \`${evidence.name}\``;
    case "target":
      return `a password (the digest is stored in \`${evidence.name}\`)`;
    default:
      return `a password in \`${evidence.name}\``;
  }
}

function isSlowConsumer(call: SyntaxNode): boolean {
  return SLOW_CONSUMERS.has(calleeLastName(call) ?? "");
}

export const fastPasswordHash: RuleModule = {
  meta: {
    id: "PG-IDENT-001",
    name: "fast-hash-for-passwords",
    title: "Password hashed with a fast hash",
    sections: ["C7", "C2"],
    cwe: [916, 328],
    defaultSeverity: "error",
    bandit: ["B303", "B324"],
    docs: {
      whatItDoes:
        "Reports passwords hashed with a general-purpose hash: any `hashlib` constructor or `hashlib.new` (MD5 and SHA-1, but also SHA-256, SHA-512, SHA-3 and BLAKE2), PyCryptodome and cryptography hashes, `update` calls on them, a single HMAC over a password, Werkzeug `generate_password_hash` with a non-KDF `method` (`\"sha256\"`, `\"md5\"`, `\"plain\"`), and weak passlib schemes (`md5_crypt`, `des_crypt`, `ldap_md5`, `hex_sha256`, `plaintext`…). A call hashes a password when the hashed data names a password (`password`, `rawPassword`, `request.form[\"password\"]`, `form.password.data`), when the digest is stored under a password name (`passwordHash`, `user.password`), or when the function is named for hashing or checking passwords (`func_hashPassword`, `func_checkPassword`).",
      whyIsThisBad:
        "Fast hashes are built to run billions of times per second on a GPU, so a leaked table of fast password hashes is cracked by brute force and dictionaries within hours, salted or not. Password hashes must be deliberately slow and salted.",
      example:
        'import hashlib\n\n\ndef func_storeUser(user, password):\n    user.passwordHash = hashlib.sha256(password.encode()).hexdigest()',
      useInstead:
        'import bcrypt\n\n\ndef func_storeUser(user, password):\n    user.passwordHash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())',
      notes: [
        "This rule owns hashes of passwords; PG-CRYPTO-001 (MD5/SHA-1 in security contexts) stays silent on them, so one call gets one finding.",
        "Not reported: tokens, API keys and other high-entropy secrets hashed for lookup (`hashlib.sha256(resetToken)`: a fast hash is right for them), even in a function named after passwords (`func_resetPassword`); a fast hash whose result goes straight into a slow one (`bcrypt.hashpw(base64.b64encode(hashlib.sha256(password).digest()), salt)`, the usual way around bcrypt's 72-byte limit); PBKDF2, scrypt and argon2 (their cost is PG-IDENT-002's).",
      ].join("\n"),
    },
  },
  create(context) {
    const analyses = context.analyses;
    const aliases = new ImportAliases(FILTER_NAMES);
    const reportedOrigins = new Set<number>();
    /**
     * Findings held back because the digest went into a local variable, which may still be handed
     * to bcrypt or another slow hash (pre-hashing long passwords): keyed by the assignment.
     */
    const heldBack = new Map<number, ReportDescriptor[]>();

    /** Reports, unless the digest goes (directly or through a local variable) into a slow hash. */
    function reportUnlessPreHash(call: SyntaxNode, descriptor: ReportDescriptor): void {
      const destination = destinationOf(call, isSlowConsumer);
      if (destination.kind === "argument") return;
      if (destination.kind === "variable" && destination.statement && analyses.scopes.functionScopeAt(call)) {
        const key = destination.statement.startIndex;
        heldBack.set(key, [...(heldBack.get(key) ?? []), descriptor]);
        return;
      }
      context.report(descriptor);
    }

    /** A slow hash call: releases the held-back digests it consumes. */
    function releaseConsumed(call: SyntaxNode): void {
      for (const argument of callArguments(call).positional.slice(0, 3)) {
        findPart(argument, (part) => {
          if (part.type !== "identifier") return false;
          const binding = analyses.scopes.bindingBefore(part.text, part);
          if (binding) heldBack.delete(binding.site.startIndex);
          return false;
        });
      }
    }

    function checkHmac(node: SyntaxNode, callee: SyntaxNode): boolean {
      if (!matchesQualified(analyses.resolve(callee), HMAC_FUNCTIONS)) return false;
      const args = callArguments(node);
      // The message: `hmac.new(PEPPER, password)` stores a peppered fast hash. A password as the key
      // (`hmac.new(password, challenge)`) is a challenge-response (CRAM-MD5), not storage.
      const parts = [args.positional[1], args.keywords.get("msg")].filter((part): part is SyntaxNode => part !== undefined);
      for (const part of parts) {
        const name = findNamed(part, isPasswordName);
        if (!name) continue;
        reportUnlessPreHash(node, {
          node,
          message: `\`${callee.text}\` computes a single HMAC over the password \`${name}\`, which is as fast to brute-force as a plain hash; ${ADVICE}.`,
        });
        return true;
      }
      return true;
    }

    function checkWerkzeug(node: SyntaxNode, callee: SyntaxNode): void {
      if (!matchesQualified(analyses.resolve(callee), WERKZEUG_HASH)) return;
      const args = callArguments(node);
      const method = stringValue(args.keywords.get("method") ?? args.positional[1]);
      if (method === null || /^(?:pbkdf2|scrypt)\b/u.test(method)) return;
      context.report({
        node,
        message: `\`${callee.text}\` uses \`method="${method}"\`, a ${method === "plain" ? "plain-text" : "single fast"} hash of the password; drop \`method\` (the default is scrypt or PBKDF2) or pass \`method="scrypt"\`.`,
      });
    }

    function checkPasslib(node: SyntaxNode, callee: SyntaxNode): void {
      const resolved = analyses.resolve(callee);
      if (!resolved || resolved.origin === "local") return;
      const match = /^passlib\.hash\.(\w+)\.(\w+)$/u.exec(resolved.name);
      if (!match || !WEAK_PASSLIB_SCHEMES.has(match[1] as string)) return;
      context.report({
        node,
        message: `passlib's \`${match[1]}\` is a weak password scheme (fast or unsalted); use \`passlib.hash.argon2\` or \`passlib.hash.bcrypt\`.`,
      });
    }

    function checkHash(node: SyntaxNode, lastName: string): void {
      const hash = classifyHashCall(analyses, node, lastName);
      if (!hash) return;
      if (lastName === "Hash" && !hash.viaUpdate) return; // reported where data is added, or at the inner class call
      const originLine = hash.origin.startPosition.row;
      if (reportedOrigins.has(originLine)) return;
      const evidence = passwordEvidence(analyses, node, hash.inputs);
      if (!evidence) return;
      reportedOrigins.add(originLine);
      const algorithm = DISPLAY[hash.algorithm] ?? hash.algorithm.toUpperCase();
      reportUnlessPreHash(node, {
        node,
        message: `\`${hash.api}\` hashes ${describe(evidence)} with ${algorithm}, a fast hash that GPUs brute-force at billions of guesses per second; ${ADVICE}.`,
      });
    }

    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        if (heldBack.size > 0 && SLOW_CONSUMERS.has(lastName)) releaseConsumed(node);
        if (!aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        let name = lastName;
        if (!FILTER_NAMES.has(name)) {
          // An alias: dispatch on what it imports.
          const resolved = analyses.resolve(callee);
          if (!resolved || resolved.origin === "local") return;
          name = resolved.name.slice(resolved.name.lastIndexOf(".") + 1);
        }
        if ((name === "new" || name === "digest" || name === "HMAC") && checkHmac(node, callee)) return;
        if (name === "generate_password_hash") {
          checkWerkzeug(node, callee);
          return;
        }
        if (PASSLIB_METHODS.has(name)) {
          checkPasslib(node, callee);
          return;
        }
        checkHash(node, name);
      },
      "module:exit"() {
        for (const descriptors of heldBack.values()) for (const descriptor of descriptors) context.report(descriptor);
      },
    };
  },
};
