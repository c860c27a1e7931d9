import type { FileAnalyses } from "../../engine/analyses/index.js";
import { field, unparenthesize } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";
import { stringValue } from "../crypto/values.js";

/** PyJWT and python-jose entry points (module functions and `jwt.PyJWT().decode`). */
const DECODERS = new Set(["jwt.decode", "jwt.api_jwt.decode", "jose.jwt.decode", "jwt.PyJWT.decode", "jwt.api_jwt.PyJWT.decode"]);
const ENCODERS = new Set(["jwt.encode", "jwt.api_jwt.encode", "jose.jwt.encode", "jwt.PyJWT.encode", "jwt.api_jwt.PyJWT.encode"]);

export type JwtCallKind = "decode" | "encode";

/** True when the file imports PyJWT or python-jose; asked lazily, after the engine has recorded the imports. */
export function importsJwt(analyses: FileAnalyses): boolean {
  return analyses.importsModule("jwt") || analyses.importsModule("jose");
}

/** `jwt.decode(...)` / `jwt.encode(...)` of PyJWT or python-jose, through imports and aliases; null otherwise. */
export function jwtCallKind(analyses: FileAnalyses, call: SyntaxNode, lastName: string): JwtCallKind | null {
  if (lastName !== "decode" && lastName !== "encode") {
    // An alias such as `from jwt import decode as jwtDecode`.
    const callee = field(call, "function");
    const resolved = callee ? analyses.resolve(callee) : null;
    if (!resolved || resolved.origin !== "import") return null;
    if (DECODERS.has(resolved.name)) return "decode";
    return ENCODERS.has(resolved.name) ? "encode" : null;
  }
  const callee = field(call, "function");
  if (!callee) return null;
  // jwt.PyJWT().decode(...): resolve the class the instance comes from.
  if (callee.type === "attribute") {
    const receiver = field(callee, "object");
    if (receiver?.type === "call") {
      const constructor = field(receiver, "function");
      const resolved = constructor ? analyses.resolve(constructor) : null;
      if (!resolved || resolved.origin === "local") return null;
      const name = `${resolved.name}.${lastName}`;
      if (DECODERS.has(name)) return "decode";
      return ENCODERS.has(name) ? "encode" : null;
    }
  }
  const resolved = analyses.resolve(callee);
  if (!resolved || resolved.origin === "local") return null;
  if (DECODERS.has(resolved.name)) return "decode";
  return ENCODERS.has(resolved.name) ? "encode" : null;
}

/** A dict literal, or a name last bound to one before `at`. */
export function dictionaryOf(analyses: FileAnalyses, node: SyntaxNode): SyntaxNode | null {
  const inner = unparenthesize(node);
  if (inner.type === "dictionary") return inner;
  if (inner.type !== "identifier") return null;
  const binding = analyses.scopes.bindingBefore(inner.text, inner);
  if (binding?.kind !== "assignment" || !binding.value) return null;
  const value = unparenthesize(binding.value);
  return value.type === "dictionary" ? value : null;
}

/** The constant-keyed entries of a dict literal; `spread` is true when it has `**other`. */
export function dictionaryEntries(dict: SyntaxNode): { entries: Map<string, SyntaxNode>; spread: boolean } {
  const entries = new Map<string, SyntaxNode>();
  let spread = false;
  for (const child of dict.namedChildren) {
    if (child.type === "dictionary_splat") {
      spread = true;
      continue;
    }
    if (child.type !== "pair") continue;
    const key = stringValue(field(child, "key"));
    const value = field(child, "value");
    if (key === null) spread = true;
    else if (value) entries.set(key, value);
  }
  return { entries, spread };
}
