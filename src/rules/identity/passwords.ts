import type { FileAnalyses } from "../../engine/analyses/index.js";
import type { SyntaxNode } from "../../engine/types.js";
import {
  PASSWORD_RELATED,
  PASSWORD_VALUE,
  SECRET_VALUE,
  containedPhrase,
  headPhrase,
  isPasswordHashingFunction,
} from "../crypto/lexicon.js";
import { destinationOf, findNamed, functionNameAt, valueName } from "../crypto/values.js";

/**
 * Decides whether a hash call hashes a password. PG-IDENT-001 reports fast hashes of passwords;
 * PG-CRYPTO-001 (weak hashes) leaves those calls to it, so that a call gets one finding.
 */
export interface PasswordEvidence {
  kind: "value" | "target" | "function";
  /** The password-named value, the target that stores the hash, or the function. */
  name: string;
}

export function isPasswordName(name: string): boolean {
  return headPhrase(name, PASSWORD_VALUE) !== null;
}

/** Inputs that go along with a password without being one. */
const COMPANIONS = new Set(["salt", "pepper", "nonce", "iv"]);

function isCompanion(input: SyntaxNode): boolean {
  const name = valueName(input);
  const phrase = name === null ? null : headPhrase(name, SECRET_VALUE);
  return phrase !== null && COMPANIONS.has(phrase);
}

/** A token, key or other secret that is not a password: hashing it fast is fine. */
function isOtherSecretName(name: string): boolean {
  if (isPasswordName(name)) return false;
  const phrase = headPhrase(name, SECRET_VALUE);
  return phrase !== null && !COMPANIONS.has(phrase);
}

/** The password-named part of the hashed data, or null. */
export function passwordInput(inputs: readonly SyntaxNode[]): string | null {
  for (const input of inputs) {
    const name = findNamed(input, isPasswordName);
    if (name) return name;
  }
  return null;
}

export function passwordEvidence(analyses: FileAnalyses, call: SyntaxNode, inputs: readonly SyntaxNode[]): PasswordEvidence | null {
  const value = passwordInput(inputs);
  if (value) return { kind: "value", name: value };
  // A token or key hashed for lookup is not a password, whatever the function is called.
  for (const input of inputs) if (findNamed(input, isOtherSecretName)) return null;
  const destination = destinationOf(call, undefined, (node) => functionNameAt(analyses, node));
  if (
    (destination.kind === "variable" || destination.kind === "attribute" || destination.kind === "key" || destination.kind === "keyword") &&
    containedPhrase(destination.name, PASSWORD_RELATED)
  ) {
    return { kind: "target", name: destination.name };
  }
  if (inputs.length === 0 || inputs.every(isCompanion)) return null;
  const functionName = functionNameAt(analyses, call);
  if (functionName && isPasswordHashingFunction(functionName)) return { kind: "function", name: functionName };
  return null;
}

/** passlib schemes that are fast, unsalted or broken. */
export const WEAK_PASSLIB_SCHEMES: ReadonlySet<string> = new Set([
  "md5_crypt", "apr_md5_crypt", "sun_md5_crypt", "des_crypt", "bsdi_crypt", "bigcrypt", "crypt16", "ldap_md5",
  "ldap_sha1", "ldap_salted_md5", "ldap_salted_sha1", "ldap_salted_sha256", "ldap_salted_sha512", "ldap_plaintext",
  "ldap_des_crypt", "ldap_md5_crypt", "plaintext", "hex_md4", "hex_md5", "hex_sha1", "hex_sha256", "hex_sha512",
  "mysql323", "mysql41", "postgres_md5", "oracle10", "oracle11", "lmhash", "nthash", "msdcc", "msdcc2", "cisco_pix",
  "cisco_asa", "cisco_type7", "htdigest", "roundup_plaintext",
]);
