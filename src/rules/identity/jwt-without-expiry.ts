import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { stringValue } from "../crypto/values.js";
import { dictionaryEntries, importsJwt, jwtCallKind } from "./jwt-calls.js";

const EXPIRY_CLAIM = "exp";
const ADDING_METHODS = new Set(["update", "setdefault", "__setitem__"]);

export const jwtWithoutExpiry: RuleModule = {
  meta: {
    id: "PG-IDENT-006",
    name: "jwt-without-expiry",
    title: "JWT issued without an `exp` claim",
    sections: ["C7"],
    cwe: [613],
    defaultSeverity: "note",
    docs: {
      whatItDoes:
        "Reports `jwt.encode` (PyJWT, python-jose) whose payload is a dict literal, or a variable bound to one, with no `exp` key, when no `payload[\"exp\"] = …`, `payload.update(exp=…)` or `payload.setdefault(\"exp\", …)` adds it before the call.",
      whyIsThisBad:
        "A token without an expiry is valid forever: a token that leaks through a log, a browser history or a stolen device keeps working until the signing key is rotated.",
      example:
        'import jwt\n\n\ndef func_issueToken(userId, signingKey):\n    return jwt.encode({"sub": str(userId)}, signingKey, algorithm="HS256")',
      useInstead:
        'from datetime import datetime, timedelta, timezone\n\nimport jwt\n\n\ndef func_issueToken(userId, signingKey):\n    expiresAt = datetime.now(tz=timezone.utc) + timedelta(minutes=15)\n    return jwt.encode({"sub": str(userId), "exp": expiresAt}, signingKey, algorithm="HS256")',
      notes:
        "Payloads built elsewhere (a parameter, a function's result, a dict with `**` entries) are not reported: the claim may be there. A note, not a warning: some tokens are meant to be checked against a server-side record instead.",
    },
  },
  create(context) {
    const analyses = context.analyses;
    const aliases = new ImportAliases(new Set(["encode"]));
    let relevant: boolean | undefined;
    /** Assignments of payload dicts that later got an `exp` (keyed by the assignment's position). */
    const completed = new Set<number>();

    function bindingSite(identifier: SyntaxNode): number | undefined {
      const binding = analyses.scopes.bindingBefore(identifier.text, identifier);
      return binding?.kind === "assignment" ? binding.site.startIndex : undefined;
    }

    /** `payload.update(exp=…)`, `payload.update({"exp": …})`, `payload.setdefault("exp", …)`. */
    function recordMethod(node: SyntaxNode, lastName: string): void {
      const callee = field(node, "function");
      const receiver = callee?.type === "attribute" ? field(callee, "object") : null;
      if (receiver?.type !== "identifier") return;
      const args = callArguments(node);
      const first = args.positional[0];
      let adds = args.keywords.has(EXPIRY_CLAIM) || stringValue(first) === EXPIRY_CLAIM;
      if (!adds && lastName === "update" && first && unparenthesize(first).type === "dictionary") {
        const { entries, spread } = dictionaryEntries(unparenthesize(first));
        adds = entries.has(EXPIRY_CLAIM) || spread;
      }
      if (!adds && !args.hasSplat) return;
      const site = bindingSite(receiver);
      if (site !== undefined) completed.add(site);
    }

    function checkEncode(node: SyntaxNode): void {
      const args = callArguments(node);
      const payload = args.positional[0] ?? args.keywords.get("payload") ?? args.keywords.get("claims");
      if (!payload) return;
      let dict = unparenthesize(payload);
      let variable: string | null = null;
      if (dict.type === "identifier") {
        const binding = analyses.scopes.bindingBefore(dict.text, dict);
        if (binding?.kind !== "assignment" || !binding.value || completed.has(binding.site.startIndex)) return;
        variable = dict.text;
        dict = unparenthesize(binding.value);
      }
      if (dict.type !== "dictionary") return;
      const { entries, spread } = dictionaryEntries(dict);
      if (spread || entries.has(EXPIRY_CLAIM)) return;
      const callee = field(node, "function")?.text ?? "jwt.encode";
      const what = variable ? `the payload \`${variable}\`` : "a payload";
      context.report({
        node,
        message: `\`${callee}\` signs ${what} without an \`exp\` claim, so the token never expires; add \`"exp": datetime.now(tz=timezone.utc) + timedelta(minutes=15)\` (or the lifetime you need).`,
      });
    }

    return {
      import_from_statement: aliases.visit,
      assignment(node) {
        if (completed.size > 10_000) return;
        const left = field(node, "left");
        if (left?.type !== "subscript") return;
        if (stringValue(field(left, "subscript")) !== EXPIRY_CLAIM) return;
        const target = field(left, "value");
        if (target?.type !== "identifier") return;
        const site = bindingSite(target);
        if (site !== undefined) completed.add(site);
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        if (ADDING_METHODS.has(lastName)) {
          recordMethod(node, lastName);
          return;
        }
        if (!aliases.has(lastName)) return;
        relevant ??= importsJwt(analyses);
        if (!relevant) return;
        if (jwtCallKind(analyses, node, lastName) === "encode") checkEncode(node);
      },
    };
  },
};
