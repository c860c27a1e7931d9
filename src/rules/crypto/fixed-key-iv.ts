import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { AEAD_NAMES, CIPHER_LAST_NAMES, classifyCipherCall, type CipherCall } from "./ciphers.js";
import { isTestPath } from "./lexicon.js";
import { describeFixed, isFixedBytes } from "./values.js";

/** cryptography modes and the parameter that must be unpredictable (IV) or unique (nonce). */
const MODE_PARAMETERS: Record<string, { keyword: string; nonce: boolean }> = {
  CBC: { keyword: "initialization_vector", nonce: false },
  CFB: { keyword: "initialization_vector", nonce: false },
  CFB8: { keyword: "initialization_vector", nonce: false },
  OFB: { keyword: "initialization_vector", nonce: true },
  CTR: { keyword: "nonce", nonce: true },
  GCM: { keyword: "initialization_vector", nonce: true },
};
/** PyCryptodome modes whose third argument or `nonce` must be unique per key (CTR, GCM, EAX, CCM, OCB, SIV, GCM-SIV), by constant value. */
const PYCRYPTODOME_NONCE_MODES = new Set([6, 7, 8, 9, 10, 11, 12]);
const PYCRYPTODOME_NONCE_MODE_NAMES = /\.MODE_(?:CTR|GCM|EAX|CCM|OCB|SIV|OFB)$/u;
const PYCRYPTODOME_STREAM = new Set(["ChaCha20", "Salsa20", "ChaCha20_Poly1305", "XChaCha20"]);
const HMAC_FUNCTIONS = new Set(["hmac.new", "hmac.digest", "hmac.HMAC"]);
const JWT_ENCODE = new Set(["jwt.encode", "jose.jwt.encode"]);
const AEAD_SET = new Set(AEAD_NAMES);
const FILTER_NAMES = new Set([...CIPHER_LAST_NAMES, "encrypt", "decrypt", "encrypt_and_digest", "HMAC", "digest", "encode"]);

const KEY_ADVICE = "load the key from a secret store or the environment (`os.environ[\"DATA_KEY\"]`), never from the source";

export const fixedKeyOrIv: RuleModule = {
  meta: {
    id: "PG-CRYPTO-004",
    name: "fixed-key-iv-or-nonce",
    title: "Cipher key, IV or nonce fixed in the source",
    sections: ["C2", "G6"],
    cwe: [321, 329, 323],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports constant keys, IVs and nonces: a literal, a name bound only to literals, or bytes made from one (`b\"\\0\" * 16`, `bytes(16)`, `\"k\".encode()`, `bytes.fromhex(\"…\")`) passed as the key of a cipher (cryptography `algorithms.AES(key)`, `AESGCM(key)`, `Fernet(key)`; PyCryptodome `AES.new(key, …)`, `ChaCha20.new(key=…)`), of `hmac.new` or of `jwt.encode`; as the IV of `modes.CBC/CFB/OFB` or `AES.new(key, AES.MODE_CBC, iv)`; or as the nonce of `modes.CTR/GCM`, `aesgcm.encrypt(nonce, …)`, `AES.new(…, nonce=…)` and `ChaCha20.new(nonce=…)`.",
      whyIsThisBad:
        "A key in the source is known to everyone who can read the repository, its history or the built package. A fixed nonce makes GCM and CTR reuse their keystream: two messages XOR to their plaintexts, and GCM's authentication key leaks, so forgeries follow. A fixed CBC IV shows which messages start alike.",
      example:
        'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\nKEY = b"0123456789abcdef"\n\n\ndef func_encrypt(data):\n    return Cipher(algorithms.AES(KEY), modes.CBC(b"\\0" * 16)).encryptor().update(data)',
      useInstead:
        'import os\n\nfrom cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\n\ndef func_encrypt(data):\n    key = bytes.fromhex(os.environ["DATA_KEY_HEX"])\n    nonce = os.urandom(12)\n    return nonce + AESGCM(key).encrypt(nonce, data, None)',
      notes:
        "Keys and nonces are errors, CBC/CFB IVs warnings. Test modules are not checked: known-answer test vectors use fixed keys and IVs on purpose. The nonce of `encrypt` is checked when the AEAD object is built in the same expression or bound to a local name (`aesgcm = AESGCM(key)`).",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    const analyses = context.analyses;
    const aliases = new ImportAliases(FILTER_NAMES);
    const imported: Partial<Record<"jwt" | "hmac", boolean>> = {};

    function fixed(node: SyntaxNode | undefined): node is SyntaxNode {
      return node !== undefined && isFixedBytes(analyses, node);
    }

    function reportKey(call: SyntaxNode, api: string, key: SyntaxNode, what = "key"): void {
      context.report({ node: call, message: `\`${api}\` gets the constant ${what} \`${describeFixed(key)}\`; ${KEY_ADVICE}.` });
    }

    function reportIv(call: SyntaxNode, api: string, value: SyntaxNode, nonce: boolean): void {
      const severity: Severity = nonce ? "error" : "warning";
      const message = nonce
        ? `\`${api}\` gets the constant nonce \`${describeFixed(value)}\`: every message reuses the keystream, which reveals plaintexts and (for GCM) lets attackers forge messages; use a fresh \`os.urandom(12)\` per message and send it with the ciphertext.`
        : `\`${api}\` gets the constant IV \`${describeFixed(value)}\`, so equal plaintexts encrypt alike; use a fresh \`os.urandom(16)\` per message and send it with the ciphertext (better: AES-GCM).`;
      context.report({ node: call, severity, message });
    }

    function isNonceMode(mode: SyntaxNode | undefined): boolean {
      if (!mode) return false;
      const inner = unparenthesize(mode);
      if (PYCRYPTODOME_NONCE_MODE_NAMES.test(inner.text)) return true;
      const constant = analyses.constant(inner);
      return typeof constant?.value === "number" && PYCRYPTODOME_NONCE_MODES.has(constant.value);
    }

    function checkCipher(call: SyntaxNode, cipher: CipherCall): void {
      const args = callArguments(call);
      switch (cipher.kind) {
        case "algorithm": {
          const key = args.keywords.get("key") ?? args.positional[0];
          if (fixed(key)) reportKey(call, cipher.api, key);
          if (cipher.name === "ChaCha20") {
            const nonce = args.keywords.get("nonce") ?? args.positional[1];
            if (fixed(nonce)) reportIv(call, cipher.api, nonce, true);
          }
          return;
        }
        case "aead":
        case "fernet":
        case "pydes": {
          const key = args.keywords.get("key") ?? args.positional[0];
          if (fixed(key)) reportKey(call, cipher.api, key);
          return;
        }
        case "mode": {
          const parameter = MODE_PARAMETERS[cipher.name];
          if (!parameter) return;
          const value = args.keywords.get(parameter.keyword) ?? args.keywords.get("nonce") ?? args.positional[0];
          if (fixed(value)) reportIv(call, `${cipher.api}`, value, parameter.nonce);
          return;
        }
        case "new": {
          const key = args.keywords.get("key") ?? args.positional[0];
          if (fixed(key)) reportKey(call, cipher.api, key);
          if (PYCRYPTODOME_STREAM.has(cipher.name)) {
            const nonce = args.keywords.get("nonce") ?? args.positional[1];
            if (fixed(nonce)) reportIv(call, cipher.api, nonce, true);
            return;
          }
          const mode = args.keywords.get("mode") ?? args.positional[1];
          const nonce = args.keywords.get("nonce");
          if (fixed(nonce)) {
            reportIv(call, cipher.api, nonce, true);
            return;
          }
          const iv = args.keywords.get("iv") ?? args.keywords.get("IV") ?? args.positional[2];
          if (fixed(iv)) reportIv(call, cipher.api, iv, isNonceMode(mode));
          return;
        }
        default:
          return;
      }
    }

    /** `aesgcm.encrypt(nonce, data, aad)` or `AESGCM(key).encrypt(nonce, …)`: the AEAD object's nonce. */
    function checkAeadEncrypt(call: SyntaxNode): void {
      const callee = field(call, "function");
      if (callee?.type !== "attribute") return;
      let receiver = field(callee, "object");
      if (receiver?.type === "identifier") {
        const binding = analyses.scopes.bindingBefore(receiver.text, receiver);
        receiver = binding?.kind === "assignment" && binding.value ? unparenthesize(binding.value) : null;
      }
      if (receiver?.type !== "call") return;
      const lastName = calleeLastName(receiver);
      if (lastName === null || !AEAD_SET.has(lastName)) return;
      const cipher = classifyCipherCall(analyses, receiver);
      if (cipher?.kind !== "aead") return;
      const nonce = callArguments(call).positional[0] ?? callArguments(call).keywords.get("nonce");
      if (fixed(nonce)) reportIv(call, callee.text, nonce, true);
    }

    function checkMacOrToken(call: SyntaxNode, lastName: string): void {
      const callee = field(call, "function");
      if (!callee) return;
      const resolved = analyses.resolve(callee);
      const args = callArguments(call);
      if (lastName !== "encode" && matchesQualified(resolved, HMAC_FUNCTIONS)) {
        const key = args.keywords.get("key") ?? args.positional[0];
        if (fixed(key)) reportKey(call, callee.text, key, "MAC key");
        return;
      }
      if (lastName === "encode" && matchesQualified(resolved, JWT_ENCODE)) {
        const key = args.keywords.get("key") ?? args.positional[1];
        if (fixed(key)) reportKey(call, callee.text, key, "signing key");
      }
    }

    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        if (lastName === "encrypt" || lastName === "decrypt" || lastName === "encrypt_and_digest") {
          if (lastName === "encrypt") checkAeadEncrypt(node);
          return;
        }
        if (lastName === "encode" || lastName === "digest") {
          // Common method names: only files that import jwt (or hmac) can mean jwt.encode (or hmac.digest).
          const module = lastName === "encode" ? "jwt" : "hmac";
          imported[module] ??= analyses.importsModule(module) || (module === "jwt" && analyses.importsModule("jose"));
          if (!imported[module]) return;
        }
        if (lastName === "new" || lastName === "digest" || lastName === "HMAC" || lastName === "encode") {
          checkMacOrToken(node, lastName);
          if (lastName !== "new") return;
        }
        const cipher = classifyCipherCall(analyses, node);
        if (cipher) checkCipher(node, cipher);
      },
    };
  },
};
