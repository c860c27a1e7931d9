import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { SECRET_BYTES, SECRET_VALUE } from "../crypto/lexicon.js";
import { SecretFlow, type SecretUse } from "./secret-flow.js";

/** Bytes of entropy below which a token or key can be guessed or collides: 128 bits. */
const MINIMUM_BYTES = 16;
const TOKEN_FUNCTIONS = new Set(["secrets.token_bytes", "secrets.token_hex", "secrets.token_urlsafe"]);
const URANDOM = new Set(["os.urandom"]);
const FILTER_NAMES = new Set(["token_bytes", "token_hex", "token_urlsafe", "urandom"]);
/** Values that are right at 8 or 12 bytes: nonces and IVs (GCM's nonce is 12 bytes, DES/Blowfish IVs 8). */
const SIZED_BY_ALGORITHM = new Set(["nonce", "iv"]);

export const shortRandomSecret: RuleModule = {
  meta: {
    id: "PG-RAND-004",
    name: "short-random-secret",
    title: "Token or key made from fewer than 16 random bytes",
    sections: ["G10", "C2"],
    cwe: [331, 330],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports `secrets.token_bytes(n)`, `secrets.token_hex(n)`, `secrets.token_urlsafe(n)` and `os.urandom(n)` with a constant `n` under 16 bytes. `secrets.token_*` calls are warnings when the value becomes a secret (as PG-RAND-001 defines it: a token, key, session-id or code name, a function named for one, a cookie, a key argument) and notes otherwise; `os.urandom` is reported only when the value becomes a secret other than a nonce or IV.",
      whyIsThisBad:
        "Under 128 bits, tokens can be found by brute force against an online endpoint with enough requests, and random identifiers collide by the birthday bound (64 bits collide after about 4 billion values). Keys under 128 bits fall to offline search.",
      example: 'import secrets\n\n\ndef func_newResetToken():\n    return secrets.token_hex(8)',
      useInstead: 'import secrets\n\n\ndef func_newResetToken():\n    return secrets.token_hex(16)  # or secrets.token_urlsafe(32)',
      notes:
        "Not reported: `os.urandom(12)` nonces and `os.urandom(8)` IVs (their size is set by the cipher), `os.urandom(n)` that does not become a secret (a few random bytes for an id or a seed), and sizes that are not constant. One-time codes that are short by design (six digits) should come from `secrets.randbelow` with attempt limits; suppress with a reason where a short token is intended.",
    },
  },
  create(context) {
    const analyses = context.analyses;
    const aliases = new ImportAliases(FILTER_NAMES);

    function bytesOf(use: SecretUse): string {
      return use.producer.detail;
    }

    const tokens = new SecretFlow(context, { lexicon: SECRET_VALUE, functionContext: true }, (use) => {
      context.report({
        node: use.node,
        message: `\`${use.producer.api}(${bytesOf(use)})\` makes a secret of only ${Number(bytesOf(use)) * 8} random bits (its value is ${use.where}); use at least ${MINIMUM_BYTES} bytes (\`secrets.token_urlsafe(32)\`).`,
      });
    });
    const keys = new SecretFlow(context, { lexicon: SECRET_BYTES, functionContext: false, directReturnsOnly: true, ignoredPhrases: SIZED_BY_ALGORITHM }, (use) => {
      context.report({
        node: use.node,
        message: `\`${use.producer.api}(${bytesOf(use)})\` makes a secret of only ${Number(bytesOf(use)) * 8} random bits (its value is ${use.where}); use at least ${MINIMUM_BYTES} bytes (\`os.urandom(32)\` for keys).`,
      });
    });

    function size(call: SyntaxNode): number | undefined {
      const args = callArguments(call);
      const argument = args.positional[0] ?? args.keywords.get("nbytes") ?? args.keywords.get("size");
      if (!argument) return undefined;
      const constant = analyses.constant(argument);
      return constant && typeof constant.value === "number" ? constant.value : undefined;
    }

    return {
      import_from_statement: aliases.visit,
      assignment(node) {
        tokens.assignment(node);
        keys.assignment(node);
      },
      return_statement(node) {
        tokens.returnStatement(node);
        keys.returnStatement(node);
      },
      pair(node) {
        tokens.pair(node);
        keys.pair(node);
      },
      call(node) {
        tokens.call(node);
        keys.call(node);
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        const resolved = analyses.resolve(callee);
        const isToken = matchesQualified(resolved, TOKEN_FUNCTIONS);
        if (!isToken && !matchesQualified(resolved, URANDOM)) return;
        const bytes = size(node);
        if (bytes === undefined || bytes >= MINIMUM_BYTES || bytes <= 0) return;
        (isToken ? tokens : keys).consider({ call: node, api: callee.text, detail: String(bytes) });
      },
      "module:exit"() {
        for (const producer of tokens.unreported()) {
          const bytes = Number(producer.detail);
          context.report({
            node: producer.call,
            severity: "note",
            message: `\`${producer.api}(${producer.detail})\` makes only ${bytes * 8} random bits; if this value is a token or an identifier that must not collide, use at least ${MINIMUM_BYTES} bytes.`,
          });
        }
      },
    };
  },
};
