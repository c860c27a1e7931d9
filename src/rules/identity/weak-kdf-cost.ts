import { callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { cryptographyAlgorithm, normaliseAlgorithm } from "../crypto/hashes.js";
import { describeFixed, isFixedBytes, stringValue } from "../crypto/values.js";

/** OWASP Password Storage Cheat Sheet (2023): PBKDF2 iterations per HMAC hash. */
const PBKDF2_MINIMUM: Record<string, number> = {
  sha1: 1_300_000,
  md5: 1_300_000,
  sha224: 600_000,
  sha256: 600_000,
  sha384: 210_000,
  sha512: 210_000,
};
/** bcrypt work factor: OWASP asks for 10 or more (the library default is 12). */
const BCRYPT_MINIMUM = 10;
/** scrypt: OWASP's weakest listed settings are N=2^13, r=8, p=10 and N=2^14, r=8, p=5: N·r·p ≥ 2^13·8·10. */
const SCRYPT_MINIMUM_WORK = 2 ** 13 * 8 * 10;
/** argon2id: OWASP's weakest listed setting is m=7 MiB with t=5; m·t ≥ 7168·5 KiB. */
const ARGON2_MINIMUM_WORK = 7168 * 5;
const ARGON2_DEFAULT_TIME = 3;
const ARGON2_DEFAULT_MEMORY = 65_536;

const PBKDF2_HMAC = new Set(["hashlib.pbkdf2_hmac", "_hashlib.pbkdf2_hmac"]);
const PBKDF2_CLASS = new Set(["cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC"]);
const SCRYPT_FUNCTIONS = new Set(["hashlib.scrypt"]);
const SCRYPT_CLASS = new Set(["cryptography.hazmat.primitives.kdf.scrypt.Scrypt"]);
const BCRYPT_GENSALT = new Set(["bcrypt.gensalt"]);
const ARGON2_HASHER = new Set(["argon2.PasswordHasher"]);
const WERKZEUG_HASH = new Set(["werkzeug.security.generate_password_hash", "werkzeug.generate_password_hash"]);

const FILTER_NAMES = new Set(["pbkdf2_hmac", "PBKDF2HMAC", "scrypt", "Scrypt", "gensalt", "PasswordHasher", "generate_password_hash", "using", "hash"]);

function formatNumber(value: number): string {
  return value.toLocaleString("en-US").replaceAll(",", "_");
}

export const weakKdfCost: RuleModule = {
  meta: {
    id: "PG-IDENT-002",
    name: "weak-password-kdf-parameters",
    title: "Password hashing cost below current guidance, or a constant salt",
    sections: ["C7", "C2"],
    cwe: [916, 760],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports password key-derivation calls whose cost is below the OWASP Password Storage Cheat Sheet (2023): PBKDF2 (`hashlib.pbkdf2_hmac`, cryptography `PBKDF2HMAC`, passlib `pbkdf2_*.using(rounds=…)`, Werkzeug `method=\"pbkdf2:sha256:N\"`) under 1,300,000 iterations for SHA-1, 600,000 for SHA-256 and 210,000 for SHA-512; bcrypt (`bcrypt.gensalt(rounds)`, passlib `bcrypt.using(rounds=…)`) under 10 rounds; scrypt (`hashlib.scrypt`, cryptography `Scrypt`) with N·r·p under 2^13·8·10; argon2-cffi `PasswordHasher` with memory × time under 7 MiB × 5. Also reports a constant salt passed to PBKDF2 or scrypt.",
      whyIsThisBad:
        "The cost is what makes each guess expensive for an attacker who has the hashes. Below the guidance, GPUs test enough guesses per second to crack weak and medium passwords. A constant salt lets one precomputed table attack every user at once and shows equal passwords as equal hashes.",
      example:
        'import hashlib\nimport os\n\n\ndef func_hashPassword(password):\n    salt = os.urandom(16)\n    return salt + hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 10000)',
      useInstead:
        'import hashlib\nimport os\n\n\ndef func_hashPassword(password):\n    salt = os.urandom(16)\n    return salt + hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)',
      notes:
        "Only constant costs are checked (literals, and names bound only to literals). bcrypt's threshold is 10 (OWASP's minimum; the library default is 12). The scrypt and argon2 thresholds are the weakest settings of OWASP's equivalent-strength tables, so any listed setting passes. Django hashers configured by subclassing (`iterations = …` on a `PBKDF2PasswordHasher` subclass) are not checked.",
    },
  },
  create(context) {
    const analyses = context.analyses;
    const aliases = new ImportAliases(FILTER_NAMES);

    function numberOf(node: SyntaxNode | undefined): number | undefined {
      if (!node) return undefined;
      const constant = analyses.constant(node);
      return constant && typeof constant.value === "number" ? constant.value : undefined;
    }

    function checkSalt(call: SyntaxNode, salt: SyntaxNode | undefined, api: string): void {
      if (!salt || !isFixedBytes(analyses, salt)) return;
      context.report({
        node: call,
        message: `\`${api}\` uses the constant salt \`${describeFixed(salt)}\`; generate a random salt per password (\`os.urandom(16)\`) and store it with the hash.`,
      });
    }

    function checkPbkdf2(call: SyntaxNode, api: string, algorithm: string | undefined, iterations: SyntaxNode | undefined): void {
      const count = numberOf(iterations);
      if (count === undefined) return;
      const minimum = algorithm ? PBKDF2_MINIMUM[algorithm] : undefined;
      if (minimum === undefined || count >= minimum) return;
      context.report({
        node: call,
        message: `\`${api}\` runs PBKDF2-${(algorithm ?? "").toUpperCase()} for ${formatNumber(count)} iterations; OWASP asks for at least ${formatNumber(minimum)} (or use argon2id/scrypt).`,
      });
    }

    function checkBcrypt(call: SyntaxNode, api: string, rounds: SyntaxNode | undefined): void {
      const count = numberOf(rounds);
      if (count === undefined || count >= BCRYPT_MINIMUM) return;
      context.report({
        node: call,
        message: `\`${api}\` sets bcrypt's cost to ${count} rounds; use at least ${BCRYPT_MINIMUM} (the default, 12, is better).`,
      });
    }

    function resolvedName(callee: SyntaxNode): string | null {
      const resolved = analyses.resolve(callee);
      return resolved && resolved.origin !== "local" ? resolved.name : null;
    }

    function checkPasslib(call: SyntaxNode, callee: SyntaxNode, name: string): void {
      const match = /^passlib\.hash\.(\w+)\.(?:using|hash)$/u.exec(name);
      if (!match) return;
      const scheme = match[1] as string;
      const rounds = callArguments(call).keywords.get("rounds");
      if (scheme === "bcrypt" || scheme === "bcrypt_sha256") {
        checkBcrypt(call, callee.text, rounds);
        return;
      }
      const pbkdf2 = /^pbkdf2_(sha1|sha256|sha512)$/u.exec(scheme);
      if (pbkdf2) checkPbkdf2(call, callee.text, pbkdf2[1], rounds);
    }

    function checkWerkzeug(call: SyntaxNode, callee: SyntaxNode): void {
      const args = callArguments(call);
      const method = stringValue(args.keywords.get("method") ?? args.positional[1]);
      const match = method === null ? null : /^pbkdf2:(\w+):(\d+)$/u.exec(method);
      if (!match) return;
      const algorithm = normaliseAlgorithm(match[1] as string);
      const count = Number(match[2]);
      const minimum = PBKDF2_MINIMUM[algorithm];
      if (minimum === undefined || count >= minimum) return;
      context.report({
        node: call,
        message: `\`${callee.text}\` uses \`method="${method}"\`, ${formatNumber(count)} PBKDF2 iterations; OWASP asks for at least ${formatNumber(minimum)}: drop the count (\`"pbkdf2:${match[1]}"\`) or use \`method="scrypt"\`.`,
      });
    }

    function checkScrypt(call: SyntaxNode, api: string, n: SyntaxNode | undefined, r: SyntaxNode | undefined, p: SyntaxNode | undefined): void {
      const cost = numberOf(n);
      const blockSize = numberOf(r);
      const parallel = numberOf(p);
      if (cost === undefined || blockSize === undefined || parallel === undefined) return;
      if (cost * blockSize * parallel >= SCRYPT_MINIMUM_WORK) return;
      context.report({
        node: call,
        message: `\`${api}\` runs scrypt with n=${cost}, r=${blockSize}, p=${parallel}; OWASP's minimum is n=2**17, r=8, p=1 (or an equivalent such as n=2**15, r=8, p=3).`,
      });
    }

    function checkArgon2(call: SyntaxNode, callee: SyntaxNode): void {
      const args = callArguments(call);
      const time = args.keywords.get("time_cost") ?? args.positional[0];
      const memory = args.keywords.get("memory_cost") ?? args.positional[1];
      if (!time && !memory) return;
      const timeCost = time ? numberOf(time) : ARGON2_DEFAULT_TIME;
      const memoryCost = memory ? numberOf(memory) : ARGON2_DEFAULT_MEMORY;
      if (timeCost === undefined || memoryCost === undefined || timeCost * memoryCost >= ARGON2_MINIMUM_WORK) return;
      context.report({
        node: call,
        message: `\`${callee.text}\` sets argon2 to time_cost=${timeCost}, memory_cost=${memoryCost} KiB; OWASP's minimum is 19 MiB with t=2 (memory_cost=19456, time_cost=2), or keep the library defaults.`,
      });
    }

    function dispatch(call: SyntaxNode, callee: SyntaxNode): void {
      const name = resolvedName(callee);
      if (!name) return;
      const args = callArguments(call);
      if (PBKDF2_HMAC.has(name)) {
        const hashName = stringValue(args.keywords.get("hash_name") ?? args.positional[0]);
        checkSalt(call, args.keywords.get("salt") ?? args.positional[2], callee.text);
        checkPbkdf2(call, callee.text, hashName === null ? undefined : normaliseAlgorithm(hashName), args.keywords.get("iterations") ?? args.positional[3]);
      } else if (PBKDF2_CLASS.has(name)) {
        const algorithmNode = args.keywords.get("algorithm") ?? args.positional[0];
        checkSalt(call, args.keywords.get("salt") ?? args.positional[2], callee.text);
        checkPbkdf2(call, callee.text, algorithmNode ? cryptographyAlgorithm(analyses, algorithmNode) : undefined, args.keywords.get("iterations") ?? args.positional[3]);
      } else if (SCRYPT_FUNCTIONS.has(name)) {
        checkSalt(call, args.keywords.get("salt"), callee.text);
        checkScrypt(call, callee.text, args.keywords.get("n"), args.keywords.get("r"), args.keywords.get("p"));
      } else if (SCRYPT_CLASS.has(name)) {
        checkSalt(call, args.keywords.get("salt") ?? args.positional[0], callee.text);
        checkScrypt(
          call,
          callee.text,
          args.keywords.get("n") ?? args.positional[2],
          args.keywords.get("r") ?? args.positional[3],
          args.keywords.get("p") ?? args.positional[4],
        );
      } else if (BCRYPT_GENSALT.has(name)) {
        checkBcrypt(call, callee.text, args.keywords.get("rounds") ?? args.positional[0]);
      } else if (ARGON2_HASHER.has(name)) {
        checkArgon2(call, callee);
      } else if (WERKZEUG_HASH.has(name)) {
        checkWerkzeug(call, callee);
      } else if (name.startsWith("passlib.hash.")) {
        checkPasslib(call, callee, name);
      }
    }

    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (callee) dispatch(node, callee);
      },
    };
  },
};
