import type { RuleModule } from "../../engine/types.js";
import { SECURITY_NOTE_PATTERN } from "./security-words.js";

const NOTE_MARKER = /\b(TODO|FIXME|XXX|HACK|BUG)\b[:(]?/u;

export const securityTodo: RuleModule = {
  meta: {
    id: "PG-DOC-004",
    name: "security-todo",
    title: "Security work left as a TODO or FIXME note",
    sections: ["G11", "C4"],
    cwe: [546],
    defaultSeverity: "warning",
    docs: {
      whatItDoes: "Reports TODO, FIXME, XXX, HACK and BUG comments that mention security: authentication, passwords, tokens, injection, escaping, encryption, certificates, input validation and the like.",
      whyIsThisBad:
        "A security gap written down as a TODO ships with the code. Security belongs in the change that introduces the risk (C4: address security from the start); a note in a comment is neither tracked nor reviewed, and it tells an attacker reading the source where to look.",
      example: "def func_fetch(url):\n    # TODO: validate the host before we go to production\n    return requests.get(url, timeout=5)",
      useInstead:
        'ALLOWED_HOSTS = {"api.example.com"}\n\ndef func_fetch(url):\n    """Fetches from the partner API only (allow-list; see docs/threat-model.md)."""\n    if urlparse(url).hostname not in ALLOWED_HOSTS:\n        raise ValueError("host not allowed")\n    return requests.get(url, timeout=5)',
      notes:
        "In a pull-request review only notes on added lines are reported, so existing TODOs do not block. Track the work in an issue and reference it, or fix it in the change.",
    },
  },
  create(context) {
    return {
      comment(node) {
        const text = node.text;
        const marker = NOTE_MARKER.exec(text);
        if (!marker) return;
        const rest = text.slice(marker.index);
        const topic = SECURITY_NOTE_PATTERN.exec(rest);
        if (!topic) return;
        context.report({
          node,
          message: `A ${marker[1]} note about security (\`${topic[0]}\`) is left in the code; fix it in this change or track it in an issue and say so in a comment.`,
        });
      },
    };
  },
};
