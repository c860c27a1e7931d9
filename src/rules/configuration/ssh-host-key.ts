import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { assignedCall } from "./helpers.js";

const POLICIES = new Set([
  "paramiko.AutoAddPolicy",
  "paramiko.client.AutoAddPolicy",
  "paramiko.WarningPolicy",
  "paramiko.client.WarningPolicy",
]);

/** The policy class a policy argument names: `paramiko.AutoAddPolicy()`, `paramiko.AutoAddPolicy`, or a name bound to either. */
function policyName(context: RuleContext, node: SyntaxNode): string | null {
  let expression = unparenthesize(node);
  if (expression.type === "identifier") {
    const created = assignedCall(context, expression);
    if (created) expression = created;
  }
  const target = expression.type === "call" ? field(expression, "function") : expression;
  if (!target) return null;
  const resolved = context.analyses.resolve(target);
  return matchesQualified(resolved, POLICIES) && resolved ? resolved.name.slice(resolved.name.lastIndexOf(".") + 1) : null;
}

export const sshHostKey: RuleModule = {
  meta: {
    id: "PG-CONF-005",
    name: "ssh-unknown-host-key-accepted",
    title: "SSH client accepts unknown host keys",
    sections: ["C5", "C2"],
    cwe: [295, 322],
    defaultSeverity: "error",
    bandit: ["B507"],
    docs: {
      whatItDoes:
        "Reports paramiko `set_missing_host_key_policy` given `AutoAddPolicy` or `WarningPolicy` (an instance or the class, directly or through a variable).",
      whyIsThisBad:
        "The host key is how an SSH client knows it talks to the real server. Accepting any unknown key lets whoever sits on the network path (a rogue Wi-Fi, a poisoned DNS answer) pose as the server, read the commands and passwords sent to it, and answer with their own data.",
      example:
        'import paramiko\n\ndef func_connect(hostName):\n    client = paramiko.SSHClient()\n    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n    client.connect(hostName)\n    return client',
      useInstead:
        'import paramiko\n\ndef func_connect(hostName):\n    client = paramiko.SSHClient()\n    client.load_system_host_keys()\n    client.set_missing_host_key_policy(paramiko.RejectPolicy())\n    client.connect(hostName)\n    return client',
      notes:
        "`RejectPolicy` (the default) and policy classes of your own (`class PinnedKeyPolicy(paramiko.MissingHostKeyPolicy)`) are not reported. Distribute the server's key in a `known_hosts` file and load it with `load_host_keys`.",
    },
  },
  create(context) {
    return {
      call(node) {
        if (calleeLastName(node) !== "set_missing_host_key_policy") return;
        const policy = callArguments(node).positional[0];
        const name = policy ? policyName(context, policy) : null;
        if (!name) return;
        context.report({
          node,
          message: `\`set_missing_host_key_policy(${name})\` ${name === "WarningPolicy" ? "only logs" : "silently trusts"} an unknown server key, so a man in the middle can pose as the server; load the known key (\`client.load_host_keys(path)\`) and keep \`RejectPolicy\`.`,
        });
      },
    };
  },
};
