import { calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { MAC_OR_TOKEN, TOKEN_NOT_AFTER, headPhrase, isTestPath, nameWords, snippet } from "./lexicon.js";
import { stringValue, valueName } from "./values.js";

const HMAC_CONSTRUCTORS = new Set(["hmac.new", "hmac.HMAC"]);
const DIGEST_METHODS = new Set(["digest", "hexdigest"]);
/** Calls whose result is public or not a secret: lengths, types, counts. */
const NON_SECRET_CALLS = new Set(["len", "type", "isinstance", "id", "bool", "int", "count", "index", "find", "startswith", "endswith", "hash"]);

interface SecretSide {
  /** What the operand is: "an HMAC digest", "`signature`". */
  description: string;
  /** Only a digest (a hash, not a MAC): often a file-integrity check, where timing does not matter. */
  digestOnly: boolean;
}

/** Names of the other operand that make the comparison about a type or a format, not a secret: `typeId`, `version`. */
const PUBLIC_WORDS = new Set(["id", "type", "kind", "version", "magic", "count", "len", "length", "index"]);
/** Phrases that name a plain digest rather than a MAC or a token. */
const DIGEST_PHRASES = new Set(["digest", "hexdigest"]);

/** True when the receiver chain of `node` indexes by position or slice (`token[:4].lower()`, `parts[1]`). */
function hasPositionalIndex(node: SyntaxNode): boolean {
  let current: SyntaxNode | null = node;
  for (let depth = 0; current && depth < 8; depth++) {
    switch (current.type) {
      case "subscript":
        if (stringValue(field(current, "subscript")) === null) return true;
        current = field(current, "value");
        break;
      case "call": {
        const callee = field(current, "function");
        current = callee?.type === "attribute" ? field(callee, "object") : null;
        break;
      }
      case "attribute":
        current = field(current, "object");
        break;
      default:
        return false;
    }
  }
  return false;
}

export const timingUnsafeCompare: RuleModule = {
  meta: {
    id: "PG-CRYPTO-007",
    name: "timing-unsafe-secret-comparison",
    title: "Signature, MAC, digest or token compared with `==`",
    sections: ["C2", "C7"],
    cwe: [208],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports `==` and `!=` between two values when one of them is an HMAC (`hmac.new(...).hexdigest()`, or a name bound to `hmac.new(...)`), a `.digest()`/`.hexdigest()` result, or is named like a signature, MAC, digest or token (`signature`, `expectedMac`, `csrfToken`, `request.headers[\"X-Hub-Signature-256\"]`, `apiKey`). When the file imports `hmac`, the finding carries a fix: `hmac.compare_digest(a, b)`.",
      whyIsThisBad:
        "`==` stops at the first byte that differs, so its running time tells how many leading bytes of a guess are right. Over many requests an attacker recovers a valid signature or token byte by byte. `hmac.compare_digest` takes the same time whatever the inputs.",
      example:
        'import hashlib\nimport hmac\n\n\ndef func_verifyWebhook(body, signature, secretKey):\n    expected = hmac.new(secretKey, body, hashlib.sha256).hexdigest()\n    return expected == signature',
      useInstead:
        'import hashlib\nimport hmac\n\n\ndef func_verifyWebhook(body, signature, secretKey):\n    expected = hmac.new(secretKey, body, hashlib.sha256).hexdigest()\n    return hmac.compare_digest(expected, signature)',
      notes:
        "A comparison whose only evidence is a plain digest (`digest == expected`, `hashlib.sha256(data).hexdigest() == value`) is a note: it is often a file-integrity check, where timing gives nothing away; HMACs, signatures, MACs and tokens are warnings. Not reported: comparisons with a constant (`None`, `\"\"`, `\"Bearer\"`; a literal secret is PG-SEC-001's), `len(x) == …`, names that hold a property of a token rather than the token (`tokenType`, `signatureAlgorithm`, `digestLength`), lexer and pagination tokens (`nextPageToken`, `previousToken`), chained comparisons, and test modules. `hmac.compare_digest` needs two `str` (ASCII) or two `bytes`: the fix keeps the operands as they are.",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    const analyses = context.analyses;

    function isHmacCall(node: SyntaxNode): boolean {
      if (node.type !== "call") return false;
      const callee = field(node, "function");
      if (!callee) return false;
      const resolved = analyses.resolve(callee);
      return resolved !== null && resolved.origin !== "local" && HMAC_CONSTRUCTORS.has(resolved.name);
    }

    function secretSide(operand: SyntaxNode): SecretSide | null {
      const node = unparenthesize(operand);
      if (node.type === "call") {
        const lastName = calleeLastName(node);
        if (lastName === null || NON_SECRET_CALLS.has(lastName)) return null;
        if (DIGEST_METHODS.has(lastName)) {
          const callee = field(node, "function");
          let receiver = callee?.type === "attribute" ? field(callee, "object") : null;
          if (receiver?.type === "identifier") {
            const binding = analyses.scopes.bindingBefore(receiver.text, receiver);
            if (binding?.kind === "assignment" && binding.value) receiver = unparenthesize(binding.value);
          }
          const hmacValue = receiver !== null && isHmacCall(receiver);
          return { description: hmacValue ? "an HMAC" : `the digest \`${snippet(node.text, 40)}\``, digestOnly: !hmacValue };
        }
      }
      if (node.type === "identifier") {
        // `expected = hmac.new(...).hexdigest()`: the name holds an HMAC whatever it is called.
        const binding = analyses.scopes.bindingBefore(node.text, node);
        const value = binding?.kind === "assignment" && binding.value ? unparenthesize(binding.value) : null;
        if (value?.type === "call" && DIGEST_METHODS.has(calleeLastName(value) ?? "")) {
          const side = secretSide(value);
          if (side) return { description: `\`${node.text}\` (${side.description})`, digestOnly: side.digestOnly };
        }
      }
      if (node.type !== "identifier" && node.type !== "attribute" && node.type !== "subscript" && node.type !== "call") return null;
      // `token[:n]`, `parts[0].lower()`: parsing, not a secret; only `headers["X-Signature"]`-style keys count.
      if (hasPositionalIndex(node)) return null;
      const name = valueName(node);
      const phrase = name === null ? null : headPhrase(name, MAC_OR_TOKEN);
      if (phrase === null) return null;
      return { description: `\`${snippet(node.text, 40)}\``, digestOnly: DIGEST_PHRASES.has(phrase) };
    }

    /**
     * Constants, `None`, lengths, module constants that are not secrets (`signal.SIGINT`,
     * `tokenize.NAME`) and lexer words (`self.eof`) are not secrets to time.
     */
    function isPublic(operand: SyntaxNode): boolean {
      const node = unparenthesize(operand);
      if (node.type === "none" || node.type === "string" || node.type === "integer" || node.type === "true" || node.type === "false") return true;
      if (node.type === "call" && NON_SECRET_CALLS.has(calleeLastName(node) ?? "")) return true;
      if (node.type === "identifier" || node.type === "attribute") {
        const name = valueName(node) ?? "";
        if (nameWords(name).some((word) => TOKEN_NOT_AFTER.has(word) || PUBLIC_WORDS.has(word))) return true;
        const resolved = analyses.resolve(node);
        if (resolved?.origin === "import" && !headPhrase(name, MAC_OR_TOKEN)) return true;
      }
      return analyses.constant(node) !== undefined;
    }

    /** How this file can call `compare_digest`: `hmac.compare_digest`, `compare_digest`, or null. */
    function compareDigestName(at: SyntaxNode): string | null {
      const hmacBinding = analyses.scopes.bindingBefore("hmac", at);
      if (hmacBinding?.kind === "import" && hmacBinding.qualifiedName === "hmac") return "hmac.compare_digest";
      const direct = analyses.scopes.bindingBefore("compare_digest", at);
      if (direct?.kind === "import" && direct.qualifiedName === "hmac.compare_digest") return "compare_digest";
      return null;
    }

    return {
      comparison_operator(node) {
        if (node.childCount !== 3) return;
        // `__eq__` compares two objects of the same kind, not a secret with a guess.
        const functionName = analyses.scopes.functionScopeAt(node)?.name;
        if (functionName === "__eq__" || functionName === "__ne__") return;
        const operator = node.child(1)?.type;
        if (operator !== "==" && operator !== "!=") return;
        const left = node.child(0);
        const right = node.child(2);
        if (!left || !right) return;
        const leftSide = secretSide(left);
        const rightSide = secretSide(right);
        const side = leftSide && rightSide ? (leftSide.digestOnly ? rightSide : leftSide) : (leftSide ?? rightSide);
        if (!side || isPublic(left) || isPublic(right)) return;
        const compare = compareDigestName(node);
        const call = `${compare ?? "hmac.compare_digest"}(${left.text}, ${right.text})`;
        const replacement = operator === "==" ? call : `not ${call}`;
        const shown = replacement.length <= 70 ? replacement : `${operator === "==" ? "" : "not "}${compare ?? "hmac.compare_digest"}(a, b)`;
        context.report({
          node,
          ...(side.digestOnly ? { severity: "note" as const } : {}),
          message: `${side.description.charAt(0).toUpperCase()}${side.description.slice(1)} is compared with \`${operator}\`, which takes longer the more leading bytes match and so leaks the value byte by byte; use \`${shown}\`.`,
          ...(compare
            ? { fix: { description: `Compare in constant time with ${compare} (both operands must be str or both bytes)`, replacement } }
            : {}),
        });
      },
    };
  },
};
