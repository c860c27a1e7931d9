import { matchesQualified } from "../../engine/analyses/names.js";
import { calleeLastName, field } from "../../engine/syntax.js";
import type { RuleModule } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { SECRET_VALUE } from "../crypto/lexicon.js";
import { SecretFlow } from "./secret-flow.js";

const UUID1 = new Set(["uuid.uuid1"]);

export const uuid1Secret: RuleModule = {
  meta: {
    id: "PG-RAND-003",
    name: "uuid1-as-secret",
    title: "`uuid.uuid1()` used as a token or secret",
    sections: ["G10"],
    cwe: [340],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports `uuid.uuid1()` values that become secrets, as PG-RAND-001 defines them: stored under a token, key, session-id or code name, returned by or made in a function named for one, sent as a credential header, set as a cookie, or used as a key.",
      whyIsThisBad:
        "A version-1 UUID is the time in 100-nanosecond steps, a clock sequence and the machine's MAC address. Someone who has seen one of your UUIDs, or knows roughly when a token was made, can enumerate the few candidates and guess it.",
      example: 'import uuid\n\n\ndef func_newSessionId():\n    return str(uuid.uuid1())',
      useInstead: 'import secrets\n\n\ndef func_newSessionId():\n    return secrets.token_urlsafe(32)',
      notes:
        "Not reported: `uuid1()` as a plain identifier (request ids, file names, database keys). `uuid4()` is random (122 bits from `os.urandom`) and not reported, though `secrets.token_urlsafe()` says the intent better.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(new Set(["uuid1"]));
    const flow = new SecretFlow(context, { lexicon: SECRET_VALUE, functionContext: true }, (use) => {
      context.report({
        node: use.node,
        message: `\`${use.producer.api}()\` makes a secret (its value is ${use.where}), but a version-1 UUID is the time and the machine's MAC address and can be guessed; use \`secrets.token_urlsafe(32)\`.`,
      });
    });
    return {
      import_from_statement: aliases.visit,
      assignment: flow.assignment,
      return_statement: flow.returnStatement,
      pair: flow.pair,
      call(node) {
        flow.call(node);
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (callee && matchesQualified(context.analyses.resolve(callee), UUID1)) flow.consider({ call: node, api: callee.text, detail: "" });
      },
    };
  },
};
