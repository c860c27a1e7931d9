import type { FileAnalyses } from "../../engine/analyses/index.js";
import { field } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";

/**
 * Recognises cipher constructions of PyCryptodome/pycrypto (`AES.new(key, AES.MODE_CBC, iv)`),
 * cryptography (`algorithms.AES(key)`, `modes.CBC(iv)`, `AESGCM(key)`, `Fernet(key)`) and pyDes.
 * Shared by PG-CRYPTO-002 (weak ciphers), -003 (ECB) and -004 (fixed keys, IVs and nonces).
 */
export type CipherKind = "new" | "algorithm" | "mode" | "aead" | "fernet" | "pydes";

export interface CipherCall {
  kind: CipherKind;
  /** The cipher, mode or class name: `AES`, `DES3`, `TripleDES`, `CBC`, `AESGCM`, `Fernet`, `triple_des`. */
  name: string;
  /** The callee as written, for messages. */
  api: string;
}

const PYCRYPTODOME_NEW = /^(?:Crypto|Cryptodome)\.Cipher\.(\w+)\.new$/u;
const CRYPTOGRAPHY_ALGORITHM = /^cryptography\.hazmat\.(?:primitives|decrepit)\.ciphers\.algorithms\.(\w+)$/u;
const CRYPTOGRAPHY_MODE = /^cryptography\.hazmat\.primitives\.ciphers\.modes\.(\w+)$/u;
const CRYPTOGRAPHY_AEAD = /^cryptography\.hazmat\.primitives\.ciphers\.aead\.(\w+)$/u;
const FERNET = /^cryptography\.fernet\.(Fernet|MultiFernet)$/u;
const PYDES = /^pyDes\.(des|triple_des)$/u;

export const ALGORITHM_NAMES = [
  "AES", "AES128", "AES256", "Camellia", "ChaCha20", "TripleDES", "ARC4", "Blowfish", "IDEA", "CAST5", "SEED", "RC2", "SM4",
];
export const MODE_NAMES = ["CBC", "CFB", "CFB8", "OFB", "CTR", "GCM", "ECB", "XTS"];
export const AEAD_NAMES = ["AESGCM", "AESCCM", "AESOCB3", "AESSIV", "AESGCMSIV", "ChaCha20Poly1305"];

/** Last names of callees that may construct a cipher: the cheap filter. */
export const CIPHER_LAST_NAMES: ReadonlySet<string> = new Set([
  "new", ...ALGORITHM_NAMES, ...MODE_NAMES, ...AEAD_NAMES, "Fernet", "MultiFernet", "des", "triple_des",
]);

export function classifyCipherCall(analyses: FileAnalyses, call: SyntaxNode): CipherCall | null {
  const callee = field(call, "function");
  if (!callee) return null;
  const resolved = analyses.resolve(callee);
  if (!resolved || resolved.origin === "local") return null;
  const name = resolved.name;
  const api = callee.text;
  let match = PYCRYPTODOME_NEW.exec(name);
  if (match) return { kind: "new", name: match[1] as string, api };
  match = CRYPTOGRAPHY_ALGORITHM.exec(name);
  if (match) return { kind: "algorithm", name: match[1] as string, api };
  match = CRYPTOGRAPHY_MODE.exec(name);
  if (match) return { kind: "mode", name: match[1] as string, api };
  match = CRYPTOGRAPHY_AEAD.exec(name);
  if (match) return { kind: "aead", name: match[1] as string, api };
  match = FERNET.exec(name);
  if (match) return { kind: "fernet", name: match[1] as string, api };
  match = PYDES.exec(name);
  if (match) return { kind: "pydes", name: match[1] as string, api };
  return null;
}

export interface WeakCipher {
  display: string;
  why: string;
  severity: "error" | "warning";
}

/** Weak ciphers by library name (PyCryptodome module, cryptography class, pyDes function). */
export const WEAK_CIPHERS: Record<string, WeakCipher> = {
  DES: { display: "DES", why: "its 56-bit key is brute-forced in hours", severity: "error" },
  des: { display: "DES", why: "its 56-bit key is brute-forced in hours", severity: "error" },
  ARC4: { display: "RC4", why: "its keystream is biased and has been broken in TLS and WEP", severity: "error" },
  ARC2: { display: "RC2", why: "it is broken by related-key attacks and has a 64-bit block", severity: "error" },
  RC2: { display: "RC2", why: "it is broken by related-key attacks and has a 64-bit block", severity: "error" },
  XOR: { display: "XOR", why: "it is not encryption: the key is recovered from any known plaintext", severity: "error" },
  DES3: { display: "3DES", why: "its 64-bit block makes long streams collide (Sweet32) and NIST disallows it after 2023", severity: "warning" },
  TripleDES: { display: "3DES", why: "its 64-bit block makes long streams collide (Sweet32) and NIST disallows it after 2023", severity: "warning" },
  triple_des: { display: "3DES", why: "its 64-bit block makes long streams collide (Sweet32) and NIST disallows it after 2023", severity: "warning" },
  Blowfish: { display: "Blowfish", why: "its 64-bit block makes long streams collide (Sweet32)", severity: "warning" },
  IDEA: { display: "IDEA", why: "its 64-bit block makes long streams collide (Sweet32)", severity: "warning" },
  CAST: { display: "CAST5", why: "its 64-bit block makes long streams collide (Sweet32)", severity: "warning" },
  CAST5: { display: "CAST5", why: "its 64-bit block makes long streams collide (Sweet32)", severity: "warning" },
};

/** True for PyCryptodome cipher modules that take a `mode`. */
export const PYCRYPTODOME_BLOCK_CIPHERS: ReadonlySet<string> = new Set(["AES", "DES", "DES3", "Blowfish", "CAST", "ARC2"]);
