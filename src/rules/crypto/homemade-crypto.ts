import type { Scope } from "../../engine/analyses/scopes.js";
import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { nameWords, snippet } from "./lexicon.js";
import { destinationOf, stringValue } from "./values.js";

/** Words of function names that claim encryption. */
const ENCRYPTION_WORDS = new Set([
  "encrypt", "encrypted", "encryption", "decrypt", "decrypted", "decryption", "encipher", "decipher", "cipher",
  "ciphered", "crypt", "decrypter", "encrypter", "encryptor", "decryptor",
]);
/** Words that claim obfuscation or scrambling: XOR there is still home-made crypto; base64 there is honest. */
const OBFUSCATION_WORDS = new Set(["obfuscate", "deobfuscate", "obfuscated", "scramble", "unscramble", "scrambled"]);
/** Words of variable names that say the value is encrypted. */
const CIPHERTEXT_WORDS = new Set(["encrypted", "decrypted", "ciphertext", "cipher", "ciphered", "crypted", "enc"]);
/** Words of variables that make an XOR function a cipher: it produces a ciphertext or consumes a plaintext. */
const XOR_VARIABLE_WORDS = new Set([...CIPHERTEXT_WORDS, "plaintext", "obfuscated", "scrambled"]);

const BASE64_FUNCTIONS = new Set([
  "base64.b64encode", "base64.b64decode", "base64.urlsafe_b64encode", "base64.urlsafe_b64decode", "base64.encodebytes",
  "base64.decodebytes", "base64.b32encode", "base64.b32decode", "base64.b16encode", "base64.b16decode",
  "base64.b85encode", "base64.b85decode", "base64.a85encode", "base64.a85decode", "base64.standard_b64encode",
  "base64.standard_b64decode", "base64.encodestring", "base64.decodestring",
]);
const BASE64_LAST_NAMES = new Set([...BASE64_FUNCTIONS].map((name) => name.slice(name.indexOf(".") + 1)));
const CODECS = new Set(["codecs.encode", "codecs.decode"]);
const ROT13 = new Set(["rot13", "rot_13", "rot-13"]);
/** Calls that show real cryptography in a function: its base64 wraps a ciphertext. */
const REAL_CRYPTO_CALLS = new Set([
  "encrypt", "decrypt", "encrypt_and_digest", "decrypt_and_verify", "encryptor", "decryptor", "seal", "unseal",
  "finalize", "sign", "derive", "Fernet", "MultiFernet", "AESGCM", "AESCCM", "ChaCha20Poly1305", "Cipher", "SecretBox",
  "Box", "SealedBox", "dumps", "loads", "encode_message", "kms_encrypt", "encrypt_data", "decrypt_data", "hashpw",
]);

interface Base64Candidate {
  node: SyntaxNode;
  scope: Scope | null;
  message: string;
}

function hasWord(name: string, words: ReadonlySet<string>): boolean {
  return nameWords(name).some((word) => words.has(word));
}

export const homemadeCrypto: RuleModule = {
  meta: {
    id: "PG-CRYPTO-006",
    name: "homemade-crypto",
    title: "Home-made encryption: XOR with a key, or base64 presented as encryption",
    sections: ["C2"],
    cwe: [327, 261],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports XOR (`^`, `^=`) inside a function whose name says it encrypts, decrypts, ciphers, obfuscates or scrambles (`func_encrypt`, `func_xorCipher`, `func_obfuscate`), or whose variables are named like ciphertext or plaintext (`encrypted`, `cipherText`, `plainText`): once per function. Also reports base64, base32, base16, base85 and rot13 as the only \"encryption\": called in a function named for encryption or decryption, or stored in a variable named `encrypted`/`cipherText`, when that function does no real cryptography (no `encrypt`, `Fernet`, `AESGCM`, `Cipher`, `sign`, `dumps`… call).",
      whyIsThisBad:
        "Base64 and rot13 are encodings: anyone reverses them without a key. A repeating-key XOR falls to frequency analysis, and one known plaintext reveals the key. Data \"encrypted\" this way is readable by whoever gets it, while the code suggests it is protected.",
      example:
        'import base64\n\n\ndef func_encryptToken(token, secretKey):\n    mixed = bytes(a ^ b for a, b in zip(token, secretKey * 8))\n    return base64.b64encode(mixed)',
      useInstead:
        'from cryptography.fernet import Fernet\n\n\ndef func_encryptToken(token, fernetKey):\n    return Fernet(fernetKey).encrypt(token)',
      notes:
        "Not reported: XOR outside such functions (checksums, hashes, bit masks, WebSocket masking, RAID parity); base64 in functions that also call real cryptography (`base64.b64encode(Fernet(key).encrypt(data))` only wraps the ciphertext); base64 in functions named for obfuscation (which makes no claim of secrecy).",
    },
  },
  create(context) {
    const analyses = context.analyses;
    const scopes = analyses.scopes;
    /** Per function scope: does its name or one of its variables say it encrypts? */
    const cipherScopes = new Map<Scope, string | null>();
    const reportedScopes = new Set<Scope>();
    const realCrypto = new Set<Scope | null>();
    const base64Candidates: Base64Candidate[] = [];
    let importsCodecs: boolean | undefined;

    /** The reason a function counts as a cipher (`func_encrypt`, or its variable `cipherText`), or null. */
    function cipherReason(scope: Scope): string | null {
      const known = cipherScopes.get(scope);
      if (known !== undefined) return known;
      let reason: string | null = null;
      if (hasWord(scope.name, ENCRYPTION_WORDS) || hasWord(scope.name, OBFUSCATION_WORDS)) reason = `\`${scope.name}\``;
      else {
        for (const name of scope.bindings.keys()) {
          if (hasWord(name, XOR_VARIABLE_WORDS)) {
            reason = `\`${scope.name || "this function"}\` (which handles \`${name}\`)`;
            break;
          }
        }
      }
      cipherScopes.set(scope, reason);
      return reason;
    }

    function checkXor(node: SyntaxNode, operatorType: "^" | "^="): void {
      const scope = scopes.functionScopeAt(node);
      if (!scope || reportedScopes.has(scope)) return;
      const reason = cipherReason(scope);
      if (!reason) return;
      if (field(node, "operator")?.type !== operatorType) return;
      reportedScopes.add(scope);
      context.report({
        node,
        message: `${reason} encrypts with a hand-written XOR (\`${snippet(node.text, 40)}\`): a repeating key falls to frequency analysis and one known plaintext reveals it; use Fernet or AES-GCM from \`cryptography\`.`,
      });
    }

    function checkEncoding(node: SyntaxNode, lastName: string): void {
      const callee = field(node, "function");
      if (!callee) return;
      const resolved = analyses.resolve(callee);
      let encoding: string;
      if (BASE64_LAST_NAMES.has(lastName) && matchesQualified(resolved, BASE64_FUNCTIONS)) {
        encoding = lastName.includes("32") ? "base32" : lastName.includes("16") ? "base16" : lastName.includes("85") ? "base85" : "base64";
      } else if ((lastName === "encode" || lastName === "decode") && matchesQualified(resolved, CODECS)) {
        const args = callArguments(node);
        const codec = stringValue(args.positional[1] ?? args.keywords.get("encoding"));
        if (codec === null || !ROT13.has(codec.toLowerCase())) return;
        encoding = "rot13";
      } else {
        return;
      }
      const scope = scopes.functionScopeAt(node);
      const functionName = scope?.name ?? "";
      const decoding = lastName.includes("decode");
      let claim: string | null = null;
      if (hasWord(functionName, ENCRYPTION_WORDS)) {
        claim = `\`${functionName}\` ${decoding ? "decrypts" : "encrypts"} with nothing but ${encoding}`;
      } else {
        const destination = destinationOf(node);
        if ((destination.kind === "variable" || destination.kind === "attribute" || destination.kind === "key") && hasWord(destination.name, CIPHERTEXT_WORDS)) {
          claim = `\`${destination.name}\` holds ${encoding} output, not a ciphertext`;
        }
      }
      if (!claim) return;
      base64Candidates.push({
        node,
        scope,
        message: `${claim}: ${encoding} is an encoding that anyone reverses without a key; encrypt with Fernet (\`Fernet(key).encrypt(data)\`) or AES-GCM, and use ${encoding} only to carry the ciphertext.`,
      });
    }

    return {
      binary_operator(node) {
        checkXor(node, "^");
      },
      augmented_assignment(node) {
        checkXor(node, "^=");
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        if (REAL_CRYPTO_CALLS.has(lastName)) {
          realCrypto.add(scopes.functionScopeAt(node));
          return;
        }
        if (lastName === "encode" || lastName === "decode") {
          // `.encode()` is everywhere; only files that import codecs can mean rot13.
          importsCodecs ??= analyses.importsModule("codecs");
          if (importsCodecs) checkEncoding(node, lastName);
          return;
        }
        if (BASE64_LAST_NAMES.has(lastName)) checkEncoding(node, lastName);
      },
      "module:exit"() {
        for (const candidate of base64Candidates) {
          if (realCrypto.has(candidate.scope)) continue;
          context.report({ node: candidate.node, message: candidate.message });
        }
      },
    };
  },
};
