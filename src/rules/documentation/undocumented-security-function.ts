import { field } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { isTestPath } from "./test-paths.js";
import { isSecurityName, SECURITY_CALL_PREFIXES, SECURITY_CALLS } from "./security-words.js";

const DIRECTIVE = /^#\s*(pyguard:|nosec\b|noqa\b|type:|pragma\b|fmt:|pylint:|mypy:|isort:|expect:)/u;

function hasDocstring(definition: SyntaxNode): boolean {
  const first = field(definition, "body")?.namedChild(0);
  if (first?.type !== "expression_statement") return false;
  const expression = first.namedChild(0);
  return expression?.type === "string" || expression?.type === "concatenated_string";
}

export const undocumentedSecurityFunction: RuleModule = {
  meta: {
    id: "PG-DOC-001",
    name: "undocumented-security-function",
    title: "Security-relevant function without a docstring or comment",
    sections: ["G11", "C4"],
    cwe: [1059],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports functions that handle authentication, authorization, cryptography, tokens, passwords or signatures, found by their name or by what they call, when they have neither a docstring nor a comment.",
      whyIsThisBad:
        "Security code encodes decisions: which algorithm, which check, what happens on failure, what the caller must guarantee. When those decisions are not written down, reviewers cannot tell a deliberate choice from a mistake, and the next change quietly undoes them.",
      example: "def func_verifySignature(payload, signature):\n    expected = hmac.new(KEY, payload, hashlib.sha256).hexdigest()\n    return hmac.compare_digest(expected, signature)",
      useInstead:
        'def func_verifySignature(payload, signature):\n    """Checks a webhook signature (HMAC-SHA256 over the raw body, as the sender computes it).\n\n    Constant-time comparison: a plain == would leak the expected value byte by byte.\n    """\n    expected = hmac.new(KEY, payload, hashlib.sha256).hexdigest()\n    return hmac.compare_digest(expected, signature)',
      notes:
        "A function is security-relevant when a word of its name (after splitting camelCase and underscores, without the `func_` prefix) is one such as auth, login, password, token, jwt, encrypt, sign, signature, verify-signature, hmac, permission, role, csrf, otp, secret, credential, sanitize, or when it calls hashlib, hmac, bcrypt, argon2, jwt, cryptography, secrets, passlib, itsdangerous or a framework's login and password-hash helpers. Any docstring, or any comment inside the function or on the line above it (tool directives such as `# noqa`, `# type:` or a test expectation `# expect:` do not count), documents it. Test files are not checked.",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    const documentedLines = new Set<number>();
    const byCall = new Map<SyntaxNode, string>();
    const byName: SyntaxNode[] = [];
    return {
      comment(node) {
        if (!DIRECTIVE.test(node.text)) documentedLines.add(node.startPosition.row + 1);
      },
      function_definition(node) {
        const name = field(node, "name")?.text ?? "";
        if (name.startsWith("__") && name.endsWith("__")) return;
        if (isSecurityName(name)) byName.push(node);
      },
      call(node) {
        const scope = context.analyses.scopes.functionScopeAt(node);
        if (!scope || scope.kind !== "function" || byCall.has(scope.node)) return;
        const callee = field(node, "function");
        if (!callee || (callee.type !== "attribute" && callee.type !== "identifier")) return;
        const resolved = context.analyses.resolve(callee);
        if (!resolved || resolved.origin === "local") return;
        if (SECURITY_CALLS.has(resolved.name) || SECURITY_CALL_PREFIXES.some((prefix) => resolved.name.startsWith(prefix))) {
          byCall.set(scope.node, resolved.name);
        }
      },
      "module:exit"() {
        const reported = new Set<number>();
        const check = (definition: SyntaxNode, reason: string): void => {
          if (reported.has(definition.startIndex) || hasDocstring(definition)) return;
          const first = definition.startPosition.row + 1;
          const last = definition.endPosition.row + 1;
          const decorators = context.analyses.decoratorsOf(definition);
          const top = decorators.length > 0 ? Math.min(first, ...decorators.map((decorator) => decorator.startPosition.row + 1)) : first;
          for (let line = top - 1; line <= last; line++) if (documentedLines.has(line)) return;
          reported.add(definition.startIndex);
          const nameNode = field(definition, "name") ?? definition;
          context.report({
            node: nameNode,
            message: `\`${nameNode.text}\` ${reason} but has no docstring or comment; write down what it guarantees, which algorithm or check it relies on and what happens on failure.`,
          });
        };
        for (const definition of byName) check(definition, "is security-relevant by its name");
        for (const [definition, call] of byCall) check(definition, `handles security (it calls \`${call}\`)`);
      },
    };
  },
};
