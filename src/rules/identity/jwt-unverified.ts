import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import type { Scope } from "../../engine/analyses/scopes.js";
import { ImportAliases } from "../support/import-aliases.js";
import { stringValue } from "../crypto/values.js";
import { dictionaryEntries, dictionaryOf, importsJwt, jwtCallKind } from "./jwt-calls.js";

interface PendingDecode {
  node: SyntaxNode;
  message: string;
  scope: Scope | null;
}

function isFalseLiteral(node: SyntaxNode | undefined): boolean {
  if (!node) return false;
  const inner = unparenthesize(node);
  return inner.type === "false" || (inner.type === "integer" && inner.text === "0");
}

/** The "none" entry of an `algorithms` list literal, if any. */
function allowsNone(node: SyntaxNode): boolean {
  const inner = unparenthesize(node);
  const values = inner.type === "list" || inner.type === "tuple" || inner.type === "set" ? inner.namedChildren : [inner];
  return values.some((value) => stringValue(value)?.toLowerCase() === "none");
}

export const jwtUnverified: RuleModule = {
  meta: {
    id: "PG-IDENT-005",
    name: "jwt-without-verification",
    title: "JWT decoded without verifying its signature, or signed with `none`",
    sections: ["C7", "G9", "C1"],
    cwe: [347, 345],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports PyJWT and python-jose calls that accept forged tokens: `jwt.decode` with `options={\"verify_signature\": False}` or `verify=False` (PyJWT 1.x), `jwt.decode` whose `algorithms` include `\"none\"`, and `jwt.encode(..., algorithm=\"none\")`. Also reports, as warnings, `jwt.decode` without `algorithms` (PyJWT 1.x and python-jose then trust the token's own `alg` header) and `options={\"verify_exp\": False}` (expired tokens keep working).",
      whyIsThisBad:
        "The claims of a token whose signature is not checked are whatever the sender wrote: anyone can claim to be any user or an administrator. Accepting `alg: none` or the token's own algorithm choice lets attackers strip or downgrade the signature.",
      example:
        'import jwt\n\n\ndef func_currentUser(token):\n    claims = jwt.decode(token, options={"verify_signature": False})\n    return claims["sub"]',
      useInstead:
        'import jwt\n\n\ndef func_currentUser(token, publicKey):\n    claims = jwt.decode(token, publicKey, algorithms=["RS256"], audience="my-api")\n    return claims["sub"]',
      notes:
        "An unverified decode in a function that also verifies the token afterwards (reading the issuer or `kid` to pick the key, then decoding with verification) is reported as a note. `jwt.get_unverified_header` is not reported. Options given through a variable are read when the variable is bound to a dict literal.",
    },
  },
  create(context) {
    const analyses = context.analyses;
    const aliases = new ImportAliases(new Set(["decode", "encode"]));
    let relevant: boolean | undefined;
    const pending: PendingDecode[] = [];
    const verifyingScopes = new Set<Scope | null>();

    function checkDecode(node: SyntaxNode, calleeText: string): void {
      const args = callArguments(node);
      const scope = analyses.scopes.functionScopeAt(node);
      const options = args.keywords.get("options") ?? args.positional[3];
      const optionEntries = options ? dictionaryOf(analyses, options) : null;
      const entries = optionEntries ? dictionaryEntries(optionEntries).entries : new Map<string, SyntaxNode>();
      if (isFalseLiteral(entries.get("verify_signature")) || isFalseLiteral(args.keywords.get("verify"))) {
        const how = entries.has("verify_signature") ? '`options={"verify_signature": False}`' : "`verify=False`";
        pending.push({
          node,
          scope,
          message: `\`${calleeText}\` is called with ${how}: the token's signature is not checked, so its claims are whatever the sender wrote; pass the key and \`algorithms=[…]\` and keep verification on.`,
        });
        return;
      }
      verifyingScopes.add(scope);
      const algorithms = args.keywords.get("algorithms") ?? args.positional[2];
      if (algorithms && allowsNone(algorithms)) {
        context.report({
          node,
          message: `\`${calleeText}\` accepts the algorithm \`"none"\`, so unsigned tokens pass; list only the algorithm you sign with (\`algorithms=["HS256"]\`).`,
        });
        return;
      }
      if (!algorithms && !args.hasSplat) {
        context.report({
          node,
          severity: "warning",
          message: `\`${calleeText}\` has no \`algorithms\` list, so older PyJWT and python-jose trust the token's own \`alg\` header (algorithm confusion); pass \`algorithms=["RS256"]\` (the one you sign with).`,
        });
        return;
      }
      if (isFalseLiteral(entries.get("verify_exp"))) {
        context.report({
          node,
          severity: "warning",
          message: `\`${calleeText}\` is called with \`options={"verify_exp": False}\`: expired tokens keep working; remove the option (use \`leeway=\` for clock skew).`,
        });
      }
    }

    function checkEncode(node: SyntaxNode, calleeText: string): void {
      const args = callArguments(node);
      const algorithm = stringValue(args.keywords.get("algorithm") ?? args.positional[2]);
      if (algorithm?.toLowerCase() !== "none") return;
      context.report({
        node,
        message: `\`${calleeText}\` signs with \`algorithm="none"\`: the token is unsigned and anyone can forge it; sign with \`"HS256"\` and a secret key or \`"RS256"\`/\`"ES256"\` and a private key.`,
      });
    }

    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        relevant ??= importsJwt(analyses);
        if (!relevant) return;
        const kind = jwtCallKind(analyses, node, lastName);
        if (!kind) return;
        const calleeText = field(node, "function")?.text ?? "jwt.decode";
        if (kind === "decode") checkDecode(node, calleeText);
        else checkEncode(node, calleeText);
      },
      "module:exit"() {
        for (const decode of pending) {
          const severity: Severity | undefined = verifyingScopes.has(decode.scope) ? "note" : undefined;
          const message = severity
            ? `${decode.message} (This function also decodes with verification; make sure only the verified claims are trusted.)`
            : decode.message;
          context.report({ node: decode.node, message, ...(severity ? { severity } : {}) });
        }
      },
    };
  },
};
