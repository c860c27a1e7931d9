import { calleeLastName } from "../../engine/syntax.js";
import type { RuleModule } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { CIPHER_LAST_NAMES, WEAK_CIPHERS, classifyCipherCall } from "./ciphers.js";

const ADVICE =
  "use AES-GCM (`cryptography.hazmat.primitives.ciphers.aead.AESGCM`), ChaCha20-Poly1305 or Fernet; decrypt legacy data only to re-encrypt it";

export const weakCipher: RuleModule = {
  meta: {
    id: "PG-CRYPTO-002",
    name: "weak-cipher",
    title: "Broken or obsolete cipher (DES, 3DES, RC4, RC2, Blowfish, IDEA, CAST5)",
    sections: ["C2"],
    cwe: [327],
    defaultSeverity: "error",
    bandit: ["B304"],
    docs: {
      whatItDoes:
        "Reports ciphers that are broken or obsolete: PyCryptodome and pycrypto `DES`, `DES3`, `ARC2`, `ARC4`, `Blowfish`, `CAST` and `XOR` (`DES.new(...)`), cryptography `algorithms.TripleDES`, `ARC4`, `Blowfish`, `IDEA`, `CAST5` and `RC2` (also under `cryptography.hazmat.decrepit`), and pyDes `des`/`triple_des`.",
      whyIsThisBad:
        "DES keys are brute-forced in hours, RC4 and RC2 are broken, and the 64-bit block ciphers (3DES, Blowfish, IDEA, CAST5) leak plaintext once a key encrypts a few gigabytes (Sweet32). Data they protect is not protected.",
      example:
        'from Crypto.Cipher import DES\n\n\ndef func_encrypt(key, data):\n    return DES.new(key, DES.MODE_CBC).encrypt(data)',
      useInstead:
        'import os\n\nfrom cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\n\ndef func_encrypt(key, data):\n    nonce = os.urandom(12)\n    return nonce + AESGCM(key).encrypt(nonce, data, None)',
      notes:
        "DES, RC4, RC2 and XOR are errors; the 64-bit block ciphers are warnings. Decrypting legacy data during a migration is a legitimate use: suppress the line with a reason (`# pyguard: ignore[PG-CRYPTO-002] -- reads the 2015 archive format once`).",
    },
  },
  create(context) {
    const aliases = new ImportAliases(CIPHER_LAST_NAMES);
    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const cipher = classifyCipherCall(context.analyses, node);
        if (!cipher || (cipher.kind !== "new" && cipher.kind !== "algorithm" && cipher.kind !== "pydes")) return;
        const weak = WEAK_CIPHERS[cipher.name];
        if (!weak) return;
        context.report({
          node,
          severity: weak.severity,
          message: `\`${cipher.api}\` encrypts with ${weak.display}: ${weak.why}; ${ADVICE}.`,
        });
      },
    };
  },
};
