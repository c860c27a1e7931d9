import type { FileAnalyses } from "../../engine/analyses/index.js";
import { field, unparenthesize } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";

/** Functions of the `random` module (and methods of `random.Random`) that produce values. */
export const RANDOM_FUNCTIONS: ReadonlySet<string> = new Set([
  "random", "randint", "randrange", "choice", "choices", "sample", "shuffle", "getrandbits", "randbytes", "uniform",
  "triangular",
]);
/** numpy's legacy functions and Generator methods that produce values. */
const NUMPY_FUNCTIONS = new Set([
  "rand", "randn", "randint", "random", "random_sample", "ranf", "sample", "choice", "bytes", "permutation", "shuffle",
  "integers",
]);
/** Constructors of predictable generator objects. */
const GENERATOR_CLASSES = new Set([
  "random.Random", "numpy.random.default_rng", "numpy.random.RandomState", "numpy.random.Generator",
]);

/** Last names that may be a predictable random source: the cheap filter. */
export const RANDOM_LAST_NAMES: ReadonlySet<string> = new Set([...RANDOM_FUNCTIONS, ...NUMPY_FUNCTIONS]);

export interface RandomSource {
  /** As written: `random.choice`, `rng.integers`. */
  api: string;
  /** The function or method name: `choice`. */
  method: string;
}

function isGeneratorConstructor(analyses: FileAnalyses, node: SyntaxNode): boolean {
  if (node.type !== "call") return false;
  const callee = field(node, "function");
  const resolved = callee ? analyses.resolve(callee) : null;
  return resolved !== null && resolved.origin !== "local" && GENERATOR_CLASSES.has(resolved.name);
}

/** The head name of `callee` is also imported from `secrets` (`try: from secrets import randbits / except: from random …`). */
function hasSecureAlternative(analyses: FileAnalyses, callee: SyntaxNode): boolean {
  let head: SyntaxNode | null = callee;
  for (let depth = 0; head?.type === "attribute" && depth < 8; depth++) head = field(head, "object");
  if (head?.type !== "identifier") return false;
  const bindings = analyses.scopes.bindingsOf(head.text, head);
  return bindings.length > 1 && bindings.some((binding) => binding.kind === "import" && /^(?:secrets\.|random\.SystemRandom)/u.test(binding.qualifiedName ?? ""));
}

/**
 * `random.choice(...)`, `from random import randint` … `randint(...)`, `numpy.random.rand()`,
 * `random.Random().random()`, `rng.integers(...)` with `rng = numpy.random.default_rng()`.
 * `random.SystemRandom` and `secrets` are not sources: they are secure.
 */
export function randomSource(analyses: FileAnalyses, call: SyntaxNode, lastName: string): RandomSource | null {
  const callee = field(call, "function");
  if (!callee) return null;
  const resolved = analyses.resolve(callee);
  if (resolved && resolved.origin !== "local") {
    if (resolved.origin === "import" && hasSecureAlternative(analyses, callee)) return null;
    const name = resolved.name;
    const method = name.slice(name.lastIndexOf(".") + 1);
    if (name === `random.${method}` && RANDOM_FUNCTIONS.has(method)) return { api: callee.text, method };
    if (name === `numpy.random.${method}` && NUMPY_FUNCTIONS.has(method)) return { api: callee.text, method };
    return null;
  }
  if (callee.type !== "attribute" || !RANDOM_LAST_NAMES.has(lastName)) return null;
  let receiver = field(callee, "object");
  if (receiver?.type === "identifier") {
    const binding = analyses.scopes.bindingBefore(receiver.text, receiver);
    receiver = binding?.kind === "assignment" && binding.value ? unparenthesize(binding.value) : null;
  }
  return receiver && isGeneratorConstructor(analyses, receiver) ? { api: callee.text, method: lastName } : null;
}

/** What to use instead, by method. */
export function secureAlternative(method: string): string {
  switch (method) {
    case "choice":
    case "choices":
    case "sample":
      return "`secrets.choice(alphabet)` per character, or `secrets.token_urlsafe(32)`";
    case "randint":
    case "randrange":
    case "integers":
      return "`secrets.randbelow(n)`";
    case "getrandbits":
      return "`secrets.randbits(k)`";
    case "randbytes":
    case "bytes":
      return "`secrets.token_bytes(32)`";
    case "shuffle":
    case "permutation":
      return "`secrets.SystemRandom().shuffle(...)`";
    default:
      return "`secrets.token_hex(32)` or `secrets.token_urlsafe(32)`";
  }
}
