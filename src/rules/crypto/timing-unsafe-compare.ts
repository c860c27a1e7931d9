import { calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { MAC_OR_TOKEN, headPhrase, isTestPath, snippet } from "./lexicon.js";
import { valueName } from "./values.js";

const HMAC_CONSTRUCTORS = new Set(["hmac.new", "hmac.HMAC"]);
const DIGEST_METHODS = new Set(["digest", "hexdigest"]);
/** Calls whose result is public or not a secret: lengths, types, counts. */
const NON_SECRET_CALLS = new Set(["len", "type", "isinstance", "id", "bool", "int", "count", "index", "find", "startswith", "endswith", "hash"]);

interface SecretSide {
  /** What the operand is: "an HMAC digest", "`signature`". */
  description: string;
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
        "Not reported: comparisons with a constant (`None`, `\"\"`, `\"Bearer\"`; a literal secret is PG-SEC-001's), `len(x) == …`, names that hold a property of a token rather than the token (`tokenType`, `signatureAlgorithm`, `digestLength`), lexer and pagination tokens (`nextPageToken`, `previousToken`), chained comparisons, and test modules. `hmac.compare_digest` needs two `str` (ASCII) or two `bytes`: the fix keeps the operands as they are.",
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
          return { description: receiver && isHmacCall(receiver) ? "an HMAC" : `the digest \`${snippet(node.text, 40)}\`` };
        }
      }
      if (node.type === "identifier") {
        // `expected = hmac.new(...).hexdigest()`: the name holds an HMAC whatever it is called.
        const binding = analyses.scopes.bindingBefore(node.text, node);
        const value = binding?.kind === "assignment" && binding.value ? unparenthesize(binding.value) : null;
        if (value?.type === "call" && DIGEST_METHODS.has(calleeLastName(value) ?? "")) {
          const side = secretSide(value);
          if (side) return { description: `\`${node.text}\` (${side.description})` };
        }
      }
      if (node.type !== "identifier" && node.type !== "attribute" && node.type !== "subscript" && node.type !== "call") return null;
      const name = valueName(node);
      if (name === null || !headPhrase(name, MAC_OR_TOKEN)) return null;
      return { description: `\`${snippet(node.text, 40)}\`` };
    }

    /** Constants, `None` and lengths are not secrets to time. */
    function isPublic(operand: SyntaxNode): boolean {
      const node = unparenthesize(operand);
      if (node.type === "none" || node.type === "string" || node.type === "integer" || node.type === "true" || node.type === "false") return true;
      if (node.type === "call" && NON_SECRET_CALLS.has(calleeLastName(node) ?? "")) return true;
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
        const operator = node.child(1)?.type;
        if (operator !== "==" && operator !== "!=") return;
        const left = node.child(0);
        const right = node.child(2);
        if (!left || !right) return;
        const side = secretSide(left) ?? secretSide(right);
        if (!side || isPublic(left) || isPublic(right)) return;
        const compare = compareDigestName(node);
        const call = `${compare ?? "hmac.compare_digest"}(${left.text}, ${right.text})`;
        const replacement = operator === "==" ? call : `not ${call}`;
        const shown = replacement.length <= 70 ? replacement : `${operator === "==" ? "" : "not "}${compare ?? "hmac.compare_digest"}(a, b)`;
        context.report({
          node,
          message: `${side.description.charAt(0).toUpperCase()}${side.description.slice(1)} is compared with \`${operator}\`, which takes longer the more leading bytes match and so leaks the value byte by byte; use \`${shown}\`.`,
          ...(compare
            ? { fix: { description: `Compare in constant time with ${compare} (both operands must be str or both bytes)`, replacement } }
            : {}),
        });
      },
    };
  },
};
