import { callArguments, calleeLastName, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { CIPHER_LAST_NAMES, WEAK_CIPHERS, classifyCipherCall } from "./ciphers.js";
import { nameWords } from "./lexicon.js";

/** PyCryptodome's `MODE_ECB` constant is 1 in every cipher module. */
const MODE_ECB_VALUE = 1;

const KEY_WRAP_WORDS = new Set(["wrap", "unwrap", "keywrap", "kw", "kwp"]);

const ADVICE = "use an authenticated mode: `AESGCM` from `cryptography`, `AES.new(key, AES.MODE_GCM)`, or Fernet";

export const ecbMode: RuleModule = {
  meta: {
    id: "PG-CRYPTO-003",
    name: "ecb-mode",
    title: "Block cipher in ECB mode",
    sections: ["C2"],
    cwe: [327],
    defaultSeverity: "error",
    bandit: ["B305"],
    docs: {
      whatItDoes:
        "Reports ECB mode: cryptography `modes.ECB()`, PyCryptodome `AES.new(key, AES.MODE_ECB)` (also `mode=AES.MODE_ECB`, or the constant 1), and `AES.new(key)` without a mode, which pycrypto treated as ECB.",
      whyIsThisBad:
        "ECB encrypts equal plaintext blocks to equal ciphertext blocks, so the structure of the data shows through (the \"ECB penguin\"), and blocks can be cut, reordered and replayed without the key.",
      example: 'from Crypto.Cipher import AES\n\n\ndef func_encrypt(key, data):\n    return AES.new(key, AES.MODE_ECB).encrypt(data)',
      useInstead:
        'from Crypto.Cipher import AES\n\n\ndef func_encrypt(key, data):\n    cipher = AES.new(key, AES.MODE_GCM)\n    ciphertext, tag = cipher.encrypt_and_digest(data)\n    return cipher.nonce + tag + ciphertext',
      notes:
        "A weak cipher in ECB mode (`DES.new(key, DES.MODE_ECB)`) is reported once, by PG-CRYPTO-002, since the whole cipher must go. Functions named for key wrapping (`wrap`, `unwrap`: AES key wrap, RFC 3394, uses single-block ECB by design) are not checked. PyCryptodome itself refuses `AES.new(key)` without a mode; pycrypto, its unmaintained predecessor with the same import path, silently used ECB.",
    },
  },
  create(context) {
    const analyses = context.analyses;
    const aliases = new ImportAliases(CIPHER_LAST_NAMES);

    function isEcb(mode: SyntaxNode): boolean {
      const inner = unparenthesize(mode);
      if (inner.type === "attribute" || inner.type === "identifier") {
        const resolved = analyses.resolve(inner);
        if (resolved && resolved.origin !== "local" && resolved.name.endsWith(".MODE_ECB")) return true;
        if (inner.type === "attribute" && inner.text.endsWith(".MODE_ECB")) return true;
      }
      const constant = analyses.constant(inner);
      return constant?.value === MODE_ECB_VALUE;
    }

    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const cipher = classifyCipherCall(analyses, node);
        if (!cipher) return;
        // AES key wrap (RFC 3394) encrypts single blocks with ECB by design.
        if (nameWords(analyses.scopes.functionScopeAt(node)?.name ?? "").some((word) => KEY_WRAP_WORDS.has(word))) return;
        if (cipher.kind === "mode" && cipher.name === "ECB") {
          context.report({ node, message: `\`${cipher.api}()\` selects ECB mode, which encrypts equal blocks to equal ciphertext and lets blocks be reordered; ${ADVICE}.` });
          return;
        }
        if (cipher.kind !== "new" || cipher.name !== "AES" || WEAK_CIPHERS[cipher.name]) return;
        const args = callArguments(node);
        const mode = args.keywords.get("mode") ?? args.positional[1];
        if (!mode) {
          if (args.hasSplat) return;
          context.report({
            node,
            message: `\`${cipher.api}\` has no mode: pycrypto used ECB, which encrypts equal blocks to equal ciphertext (PyCryptodome rejects the call); ${ADVICE}.`,
          });
          return;
        }
        if (!isEcb(mode)) return;
        context.report({ node, message: `\`${cipher.api}\` uses \`${mode.text}\`: ECB encrypts equal blocks to equal ciphertext and lets blocks be reordered; ${ADVICE}.` });
      },
    };
  },
};
