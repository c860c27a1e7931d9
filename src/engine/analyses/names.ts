import type { SyntaxNode } from "../types.js";
import { field } from "../syntax.js";
import type { ScopeTracker } from "./scopes.js";

export type NameOrigin = "import" | "local" | "global";

export interface ResolvedName {
  /** The dotted path, with an imported head replaced by what it imports: `subprocess.call` for `c` after `from subprocess import call as c`. */
  name: string;
  /** import: the head was imported; local: the head is a variable, parameter, function or class of this file; global: unbound here (a builtin, or a module used without an import we can see). */
  origin: NameOrigin;
}

/**
 * Resolves an identifier or attribute chain through the file's imports and scopes. Returns null
 * for anything else (calls, subscripts, literals as receivers).
 */
export function resolveName(scopes: ScopeTracker, expression: SyntaxNode): ResolvedName | null {
  const tail: string[] = [];
  let current: SyntaxNode | null = expression;
  for (let depth = 0; current && depth < 64; depth++) {
    if (current.type === "identifier") {
      const head = current.text;
      const suffix = tail.length > 0 ? `.${tail.reverse().join(".")}` : "";
      const binding = scopes.bindingBefore(head, current) ?? scopes.bindingsOf(head, current).at(-1);
      if (!binding) return { name: head + suffix, origin: "global" };
      if (binding.kind === "import" && binding.qualifiedName !== undefined) {
        return { name: binding.qualifiedName + suffix, origin: "import" };
      }
      return { name: head + suffix, origin: "local" };
    }
    if (current.type !== "attribute") return null;
    const attribute = field(current, "attribute");
    if (!attribute) return null;
    tail.push(attribute.text);
    current = field(current, "object");
  }
  return null;
}

/**
 * True when `resolved` names one of `candidates` (dotted paths such as `pickle.loads`) and is
 * not a local variable that happens to share the name.
 */
export function matchesQualified(resolved: ResolvedName | null, candidates: ReadonlySet<string>): boolean {
  return resolved !== null && resolved.origin !== "local" && candidates.has(resolved.name);
}
