import type { FileAnalyses } from "../../engine/analyses/index.js";
import { callArguments, field, unparenthesize } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";
import { stringValue } from "./values.js";

/**
 * Recognises hash constructions: `hashlib.md5(data)`, `hashlib.new("sha1", data)`, PyCryptodome
 * `MD5.new(data)`, cryptography `hashes.Hash(hashes.SHA1())` and `hashes.MD5()`, and `h.update(data)`
 * on a hash object made earlier in the same scope. Shared by PG-CRYPTO-001 (weak hashes) and
 * PG-IDENT-001 (fast hashes of passwords).
 */

export interface HashCall {
  /** Normalised algorithm: md5, sha1, sha256, blake2b… */
  algorithm: string;
  /** What the source calls it, for messages: `hashlib.md5`, `h.update`. */
  api: string;
  /** The data hashed by this call (empty for a constructor without data). */
  inputs: SyntaxNode[];
  /** `usedforsecurity=False` was passed where the hash was made. */
  notForSecurity: boolean;
  /** The call is `update` on a hash object made elsewhere. */
  viaUpdate: boolean;
  /** The call that made the hash object (the call itself, or the constructor an `update` feeds). */
  origin: SyntaxNode;
}

/** Algorithms broken for collision resistance (MD5, SHA-1 and older). */
export const WEAK_ALGORITHMS: ReadonlySet<string> = new Set(["md5", "md4", "md2", "sha1", "sha", "md5sha1"]);

const HASHLIB_ALGORITHMS = new Set([
  "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha512_224", "sha512_256", "sha3_224", "sha3_256", "sha3_384",
  "sha3_512", "blake2b", "blake2s", "shake_128", "shake_256", "md4", "ripemd160", "sm3",
]);
const PYCRYPTODOME_ALGORITHMS = new Map([
  ["MD2", "md2"], ["MD4", "md4"], ["MD5", "md5"], ["SHA", "sha1"], ["SHA1", "sha1"], ["SHA224", "sha224"],
  ["SHA256", "sha256"], ["SHA384", "sha384"], ["SHA512", "sha512"], ["SHA3_224", "sha3_224"], ["SHA3_256", "sha3_256"],
  ["SHA3_384", "sha3_384"], ["SHA3_512", "sha3_512"], ["BLAKE2b", "blake2b"], ["BLAKE2s", "blake2s"],
  ["RIPEMD", "ripemd160"], ["RIPEMD160", "ripemd160"], ["keccak", "keccak"],
]);
const CRYPTOGRAPHY_ALGORITHMS = new Map([
  ["MD5", "md5"], ["SHA1", "sha1"], ["SHA224", "sha224"], ["SHA256", "sha256"], ["SHA384", "sha384"],
  ["SHA512", "sha512"], ["SHA512_224", "sha512_224"], ["SHA512_256", "sha512_256"], ["SHA3_224", "sha3_224"],
  ["SHA3_256", "sha3_256"], ["SHA3_384", "sha3_384"], ["SHA3_512", "sha3_512"], ["BLAKE2b", "blake2b"],
  ["BLAKE2s", "blake2s"], ["SM3", "sm3"],
]);

/** Last names of callees that may make or feed a hash: the first, cheap filter. */
export const HASH_LAST_NAMES: ReadonlySet<string> = new Set([
  ...HASHLIB_ALGORITHMS, ...PYCRYPTODOME_ALGORITHMS.keys(), ...CRYPTOGRAPHY_ALGORITHMS.keys(), "new", "update", "Hash",
]);

const CRYPTOGRAPHY_HASHES = "cryptography.hazmat.primitives.hashes.";

/** Normalises an algorithm name given as a string: `"SHA-1"` → `sha1`, `"md5"` → `md5`. */
export function normaliseAlgorithm(name: string): string {
  const lower = name.toLowerCase().replace(/[-\s]/gu, "");
  if (lower === "sha") return "sha1";
  return lower.replace(/^sha(\d)_/u, "sha$1_");
}

function pycryptodomeAlgorithm(name: string): string | undefined {
  const match = /^(?:Crypto|Cryptodome)\.Hash\.(\w+)\.new$/u.exec(name);
  return match ? PYCRYPTODOME_ALGORITHMS.get(match[1] as string) : undefined;
}

/** The algorithm of a cryptography `hashes.X()` call or `hashes.X` reference, or undefined. */
export function cryptographyAlgorithm(analyses: FileAnalyses, node: SyntaxNode): string | undefined {
  const inner = unparenthesize(node);
  const target = inner.type === "call" ? field(inner, "function") : inner;
  if (!target || (target.type !== "attribute" && target.type !== "identifier")) return undefined;
  const resolved = analyses.resolve(target);
  if (!resolved || resolved.origin === "local" || !resolved.name.startsWith(CRYPTOGRAPHY_HASHES)) return undefined;
  return CRYPTOGRAPHY_ALGORITHMS.get(resolved.name.slice(CRYPTOGRAPHY_HASHES.length));
}

/**
 * The hash algorithm named by a `digestmod`/`hash_name` style argument: a string (`"sha1"`), a
 * hashlib constructor (`hashlib.md5`), a PyCryptodome module (`SHA1`) or a cryptography class
 * instance (`hashes.SHA256()`). Undefined when unknown.
 */
export function algorithmOfReference(analyses: FileAnalyses, node: SyntaxNode): string | undefined {
  const text = stringValue(node);
  if (text !== null) return normaliseAlgorithm(text);
  const inner = unparenthesize(node);
  const fromCryptography = cryptographyAlgorithm(analyses, inner);
  if (fromCryptography) return fromCryptography;
  if (inner.type !== "attribute" && inner.type !== "identifier") return undefined;
  const resolved = analyses.resolve(inner);
  if (!resolved || resolved.origin === "local") return undefined;
  if (resolved.name.startsWith("hashlib.")) {
    const name = resolved.name.slice("hashlib.".length);
    return HASHLIB_ALGORITHMS.has(name) ? name : undefined;
  }
  const module = /^(?:Crypto|Cryptodome)\.Hash\.(\w+)$/u.exec(resolved.name);
  return module ? PYCRYPTODOME_ALGORITHMS.get(module[1] as string) : undefined;
}

function isFalse(analyses: FileAnalyses, node: SyntaxNode | undefined): boolean {
  if (!node) return false;
  const constant = analyses.constant(node);
  return constant !== undefined && constant.value === false;
}

/** Classifies a call that makes a hash (with or without data), or null. */
export function classifyHashConstructor(analyses: FileAnalyses, call: SyntaxNode): HashCall | null {
  const callee = field(call, "function");
  if (!callee) return null;
  const resolved = analyses.resolve(callee);
  if (!resolved || resolved.origin === "local") return null;
  const name = resolved.name;
  const lastName = name.slice(name.lastIndexOf(".") + 1);
  const api = callee.text;
  if (name.startsWith("hashlib.") || name.startsWith("_hashlib.")) {
    const args = callArguments(call);
    const notForSecurity = isFalse(analyses, args.keywords.get("usedforsecurity"));
    if (lastName === "new" && name.endsWith(".new")) {
      const algorithmName = stringValue(args.positional[0] ?? args.keywords.get("name"));
      if (algorithmName === null) return null;
      const data = args.positional[1] ?? args.keywords.get("data") ?? args.keywords.get("string");
      return { algorithm: normaliseAlgorithm(algorithmName), api, inputs: data ? [data] : [], notForSecurity, viaUpdate: false, origin: call };
    }
    const algorithm = name.slice(name.lastIndexOf(".") + 1).replace(/^openssl_/u, "");
    if (!HASHLIB_ALGORITHMS.has(algorithm)) return null;
    const data = args.positional[0] ?? args.keywords.get("data") ?? args.keywords.get("string");
    return { algorithm, api, inputs: data ? [data] : [], notForSecurity, viaUpdate: false, origin: call };
  }
  const pycryptodome = pycryptodomeAlgorithm(name);
  if (pycryptodome) {
    const args = callArguments(call);
    const data = args.positional[0] ?? args.keywords.get("data");
    return { algorithm: pycryptodome, api, inputs: data ? [data] : [], notForSecurity: false, viaUpdate: false, origin: call };
  }
  if (name.startsWith(CRYPTOGRAPHY_HASHES)) {
    if (lastName === "Hash") {
      const algorithmNode = argumentAt(call, 0, "algorithm");
      const algorithm = algorithmNode ? cryptographyAlgorithm(analyses, algorithmNode) : undefined;
      return algorithm ? { algorithm, api, inputs: [], notForSecurity: false, viaUpdate: false, origin: call } : null;
    }
    const algorithm = CRYPTOGRAPHY_ALGORITHMS.get(name.slice(CRYPTOGRAPHY_HASHES.length));
    return algorithm ? { algorithm, api, inputs: [], notForSecurity: false, viaUpdate: false, origin: call } : null;
  }
  return null;
}

function argumentAt(call: SyntaxNode, position: number, keyword: string): SyntaxNode | undefined {
  const args = callArguments(call);
  return args.keywords.get(keyword) ?? args.positional[position];
}

/**
 * `h.update(data)` where `h` was last bound to a hash constructor: the hash, with the data of
 * this call as its input. Null otherwise.
 */
export function classifyHashUpdate(analyses: FileAnalyses, call: SyntaxNode): HashCall | null {
  const callee = field(call, "function");
  if (callee?.type !== "attribute") return null;
  const receiver = field(callee, "object");
  if (receiver?.type !== "identifier") return null;
  const binding = analyses.scopes.bindingBefore(receiver.text, receiver);
  if (binding?.kind !== "assignment" || !binding.value) return null;
  const value = unparenthesize(binding.value);
  if (value.type !== "call") return null;
  const made = classifyHashConstructor(analyses, value);
  if (!made) return null;
  const data = callArguments(call).positional[0];
  return { ...made, api: callee.text, inputs: data ? [data] : [], viaUpdate: true, origin: value };
}

/** Classifies a hash constructor or an `update` on a hash object, after the cheap last-name filter. */
export function classifyHashCall(analyses: FileAnalyses, call: SyntaxNode, lastName: string): HashCall | null {
  if (lastName === "update") return classifyHashUpdate(analyses, call);
  return classifyHashConstructor(analyses, call);
}
