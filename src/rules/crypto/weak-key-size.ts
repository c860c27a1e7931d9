import { callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { isTestPath } from "./lexicon.js";
import { stringValue } from "./values.js";

const MINIMUM_BITS = 2048;
/** Below this, keys are factored or solved by academic efforts already: an error. */
const BROKEN_BITS = 1024;

interface SizedApi {
  algorithm: "RSA" | "DSA" | "DH";
  position: number;
  keyword: string;
}

/** Key generators whose size is an argument, by qualified name. */
const SIZED: Record<string, SizedApi> = {
  "cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key": { algorithm: "RSA", position: 1, keyword: "key_size" },
  "cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key": { algorithm: "DSA", position: 0, keyword: "key_size" },
  "cryptography.hazmat.primitives.asymmetric.dsa.generate_parameters": { algorithm: "DSA", position: 0, keyword: "key_size" },
  "cryptography.hazmat.primitives.asymmetric.dh.generate_parameters": { algorithm: "DH", position: 1, keyword: "key_size" },
  "Crypto.PublicKey.RSA.generate": { algorithm: "RSA", position: 0, keyword: "bits" },
  "Cryptodome.PublicKey.RSA.generate": { algorithm: "RSA", position: 0, keyword: "bits" },
  "Crypto.PublicKey.DSA.generate": { algorithm: "DSA", position: 0, keyword: "bits" },
  "Cryptodome.PublicKey.DSA.generate": { algorithm: "DSA", position: 0, keyword: "bits" },
  "rsa.newkeys": { algorithm: "RSA", position: 0, keyword: "nbits" },
  "paramiko.RSAKey.generate": { algorithm: "RSA", position: 0, keyword: "bits" },
  "paramiko.rsakey.RSAKey.generate": { algorithm: "RSA", position: 0, keyword: "bits" },
  "paramiko.DSSKey.generate": { algorithm: "DSA", position: 0, keyword: "bits" },
  "paramiko.dsskey.DSSKey.generate": { algorithm: "DSA", position: 0, keyword: "bits" },
};
const OPENSSL_TYPES: Record<string, "RSA" | "DSA"> = { "OpenSSL.crypto.TYPE_RSA": "RSA", "OpenSSL.crypto.TYPE_DSA": "DSA" };

/** Elliptic curves under 224 bits (cryptography class names). */
const WEAK_CURVE_CLASSES: Record<string, number> = { SECP192R1: 192, SECT163K1: 163, SECT163R2: 163 };
const CURVE_MODULE = "cryptography.hazmat.primitives.asymmetric.ec.";
/** PyCryptodome curve names under 224 bits. */
const WEAK_CURVE_NAMES: Record<string, number> = { "p-192": 192, p192: 192, "nist p-192": 192, secp192r1: 192, prime192v1: 192 };
const ECC_GENERATE = new Set(["Crypto.PublicKey.ECC.generate", "Cryptodome.PublicKey.ECC.generate"]);

const FILTER_NAMES = new Set(["generate_private_key", "generate_parameters", "generate", "newkeys", "generate_key", ...Object.keys(WEAK_CURVE_CLASSES)]);

export const weakKeySize: RuleModule = {
  meta: {
    id: "PG-CRYPTO-005",
    name: "weak-key-size",
    title: "RSA, DSA or DH key under 2048 bits, or an elliptic curve under 224 bits",
    sections: ["C2"],
    cwe: [326],
    defaultSeverity: "warning",
    bandit: ["B505"],
    docs: {
      whatItDoes:
        "Reports key generation with too small a key: RSA, DSA and DH under 2048 bits (cryptography `rsa.generate_private_key(key_size=…)`, `dsa.generate_private_key`, `dh.generate_parameters`; PyCryptodome `RSA.generate`/`DSA.generate`; python-rsa `rsa.newkeys`; paramiko `RSAKey.generate(bits=…)`; pyOpenSSL `PKey().generate_key(TYPE_RSA, bits)`), and elliptic curves under 224 bits (cryptography `ec.SECP192R1()`, `SECT163K1()`, `SECT163R2()`; PyCryptodome `ECC.generate(curve=\"P-192\")`).",
      whyIsThisBad:
        "512-bit RSA is factored in hours on rented machines and 768-bit RSA has been factored publicly; 1024-bit keys are within reach of well-funded attackers, and NIST has disallowed them since 2013. Signatures made with such keys can be forged and traffic they protect decrypted.",
      example:
        'from cryptography.hazmat.primitives.asymmetric import rsa\n\n\ndef func_newKey():\n    return rsa.generate_private_key(public_exponent=65537, key_size=1024)',
      useInstead:
        'from cryptography.hazmat.primitives.asymmetric import ec\n\n\ndef func_newKey():\n    return ec.generate_private_key(ec.SECP256R1())  # or rsa with key_size=3072',
      notes:
        "Sizes under 1024 bits are errors, 1024 to 2047 warnings. Only constant sizes are checked. Test modules are not checked (small keys make test suites fast).",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    const analyses = context.analyses;
    const aliases = new ImportAliases(FILTER_NAMES);

    function sizeOf(node: SyntaxNode | undefined): number | undefined {
      if (!node) return undefined;
      const constant = analyses.constant(node);
      return constant && typeof constant.value === "number" ? constant.value : undefined;
    }

    function reportSize(call: SyntaxNode, api: string, algorithm: string, bits: number): void {
      if (bits >= MINIMUM_BITS) return;
      const severity: Severity = bits < BROKEN_BITS ? "error" : "warning";
      context.report({
        node: call,
        severity,
        message: `\`${api}\` makes ${algorithm === "DH" ? `a ${bits}-bit Diffie-Hellman group` : `a ${bits}-bit ${algorithm} key`}; use at least ${MINIMUM_BITS} bits (3072 for use beyond 2030), or an elliptic curve such as P-256 or Ed25519.`,
      });
    }

    function reportCurve(call: SyntaxNode, api: string, curve: string, bits: number): void {
      context.report({
        node: call,
        message: `\`${api}\` uses the ${bits}-bit curve ${curve}; use a curve of at least 224 bits, such as SECP256R1 (P-256) or Ed25519.`,
      });
    }

    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        const args = callArguments(node);
        if (lastName === "generate_key" && callee.type === "attribute") {
          // pyOpenSSL: key.generate_key(crypto.TYPE_RSA, 1024)
          const typeNode = args.positional[0];
          const type = typeNode ? analyses.resolve(typeNode) : null;
          const algorithm = type && type.origin !== "local" ? OPENSSL_TYPES[type.name] : undefined;
          const bits = sizeOf(args.positional[1] ?? args.keywords.get("bits"));
          if (algorithm && bits !== undefined) reportSize(node, callee.text, algorithm, bits);
          return;
        }
        const resolved = analyses.resolve(callee);
        if (!resolved || resolved.origin === "local") return;
        const sized = SIZED[resolved.name];
        if (sized) {
          const bits = sizeOf(args.keywords.get(sized.keyword) ?? args.positional[sized.position]);
          if (bits !== undefined) reportSize(node, callee.text, sized.algorithm, bits);
          return;
        }
        if (resolved.name.startsWith(CURVE_MODULE)) {
          const curve = resolved.name.slice(CURVE_MODULE.length);
          const bits = WEAK_CURVE_CLASSES[curve];
          if (bits !== undefined) reportCurve(node, callee.text, curve, bits);
          return;
        }
        if (ECC_GENERATE.has(resolved.name)) {
          const curve = stringValue(args.keywords.get("curve"));
          const bits = curve === null ? undefined : WEAK_CURVE_NAMES[curve.toLowerCase()];
          if (curve !== null && bits !== undefined) reportCurve(node, callee.text, curve, bits);
        }
      },
    };
  },
};
