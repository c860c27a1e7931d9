import { field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule } from "../../engine/types.js";
import { isTestPath, nameWords, snippet } from "../configuration/helpers.js";

/** Words that make an assertion an access decision. */
const AUTH_WORDS = new Set([
  "auth", "authenticated", "authorized", "authorised", "authorize", "authorization", "admin", "admins", "administrator",
  "perm", "perms", "permission", "permissions", "permitted", "role", "roles", "owner", "owns", "allowed", "staff",
  "superuser", "privileged", "privilege", "privileges", "acl", "logged", "entitled", "grant", "granted",
]);
const STRING_LITERAL = /[rbuf]*("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/giu;

export const assertAuthorization: RuleModule = {
  meta: {
    id: "PG-AUTHZ-002",
    name: "assert-used-for-authorization",
    title: "assert used for an authorization check",
    sections: ["G9", "C1"],
    cwe: [617, 703],
    defaultSeverity: "warning",
    bandit: ["B101"],
    docs: {
      whatItDoes:
        "Reports `assert` statements whose condition is an access decision: it names authentication, admin, permission, role, owner, staff or \"allowed\" state (`assert user.is_admin`, `assert request.user.has_perm(\"shop.refund\")`, `assert order.owner == currentUser`). Test files are exempt.",
      whyIsThisBad:
        "Python removes every `assert` when it runs with `-O` or `PYTHONOPTIMIZE`, which some deployments set. The check then disappears without a trace and everyone gets through. An `assert` also fails with an `AssertionError`, which web frameworks turn into a 500 error instead of a 403.",
      example: 'def func_refund(request, order):\n    assert request.user.has_perm("shop.refund")\n    order.refund()',
      useInstead:
        'import logging\n\nfrom django.core.exceptions import PermissionDenied\n\nLOGGER = logging.getLogger(__name__)\n\ndef func_refund(request, order):\n    if not request.user.has_perm("shop.refund"):\n        LOGGER.warning("refund refused for user %s", request.user.pk)\n        raise PermissionDenied\n    order.refund()',
      notes:
        "Test files (`test_*.py`, `*_test.py`, `conftest.py`, `tests/` folders) are exempt: asserts are how tests check. Type-narrowing asserts (`assert isinstance(user, AdminUser)`, `assert role is not None`) are not access decisions and are not reported. Words inside string literals do not count. Bandit's B101 reports every assert; `# nosec B101` also silences this rule.",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    return {
      assert_statement(node) {
        const condition = node.namedChild(0);
        if (!condition) return;
        const expression = unparenthesize(condition);
        // Type narrowing for checkers: assert isinstance(x, Admin), assert role is not None.
        if (expression.type === "call" && field(expression, "function")?.text === "isinstance") return;
        const text = expression.text;
        if (/\bis\s+(?:not\s+)?None\s*$/u.test(text) && !/\band\b|\bor\b/u.test(text)) return;
        const words = nameWords(text.replace(STRING_LITERAL, " "));
        const word = words.find((candidate) => AUTH_WORDS.has(candidate));
        if (!word) return;
        context.report({
          node,
          message: `\`assert ${snippet(expression, 50)}\` makes an access decision, and Python drops asserts under \`-O\`/\`PYTHONOPTIMIZE\`, so the check can vanish; test it with \`if not …:\` and raise \`PermissionDenied\`/\`abort(403)\` instead.`,
        });
      },
    };
  },
};
