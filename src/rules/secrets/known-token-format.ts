import type { RuleModule, Severity, SyntaxNode } from "../../engine/types.js";
import { hasTestMarker, nameWords } from "./lexicon.js";
import { literalSourceText } from "./literals.js";
import { bindingNameOf } from "./sites.js";
import { describeToken, findTokens, isAwsSecretKey, TOKEN_PREFILTER, type TokenMatch } from "./token-formats.js";

function article(label: string): string {
  return /^(?:[AEIOU]|npm\b)/u.test(label) ? "an" : "a";
}

const RANK: Record<Severity, number> = { note: 1, warning: 2, error: 3 };

function strongest(matches: readonly TokenMatch[]): TokenMatch {
  let best = matches[0] as TokenMatch;
  for (const match of matches) if (RANK[severityOf(match)] > RANK[severityOf(best)]) best = match;
  return best;
}

function severityOf(match: TokenMatch): Severity {
  return match.marked ? "note" : match.format.severity;
}

export const knownTokenFormat: RuleModule = {
  meta: {
    id: "PG-SEC-002",
    name: "known-token-format",
    title: "Credential in a well-known token format",
    sections: ["G6"],
    cwe: [798, 321],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports string literals (including the constant parts of f-strings, bytes and implicit concatenations) and comments that contain a credential in a well-known format: AWS access key ids (`AKIA`/`ASIA` + 16), AWS secret access keys (40 characters, only under an `aws_secret_access_key`-like name), GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab tokens (`glpat-`), Slack tokens (`xoxb-`…) and webhook URLs, Stripe live keys (`sk_live_`, `rk_live_`), Google API keys (`AIza`), PEM private key blocks, Twilio API keys, SendGrid keys, npm and PyPI tokens, OpenAI- and Anthropic-style `sk-…` keys, and JSON Web Tokens.",
      whyIsThisBad:
        "These are live credentials with a recognisable shape: scanners that crawl public code find them within minutes. Once committed, a token is compromised even if a later commit removes it, because the history keeps it.",
      example: 'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"',
      useInstead:
        'import boto3\n\n# Credentials come from the environment, the shared config file or the instance role.\nclient = boto3.client("s3")',
      notes:
        "Revoke a reported token first, then remove it. Messages show at most a 4-character public prefix and the length, never the token. A value containing a test marker (`EXAMPLE`, as in AWS's documented `AKIAIOSFODNN7EXAMPLE`, `FAKE`, `DUMMY`, `SAMPLE`, `XXXX`, `12345678`…) is reported as a note, so documentation and test values stay visible without failing the check. JWTs are warnings: many are short-lived test tokens, but a long-lived one is a bearer credential. A PEM header without a key body (`line.startswith(\"-----BEGIN RSA PRIVATE KEY-----\")`) is not reported, nor are public keys and certificates.",
    },
  },
  create(context) {
    /** End of the last implicit concatenation scanned as a whole; its parts are not scanned again. */
    let concatenationEnd = -1;

    function reportTokens(node: SyntaxNode, text: string, where: string): boolean {
      const matches = findTokens(text);
      if (matches.length === 0) return false;
      const match = strongest(matches);
      const others = matches.length > 1 ? ` (and ${matches.length - 1} more known format${matches.length > 2 ? "s" : ""})` : "";
      const marked = match.marked ? "; it is marked as an example or test value" : "; revoke it, then load it from the environment or a secret store";
      const severity = severityOf(match);
      context.report({
        node,
        message: `${where} contains what looks like ${article(match.format.label)} ${match.format.label} (${describeToken(match)})${others}${marked}.`,
        ...(severity !== "error" ? { severity } : {}),
      });
      return true;
    }

    /** An AWS secret access key has no prefix: a 40-character string, classified by the name it is bound to. */
    function checkAwsSecret(node: SyntaxNode): void {
      const value = literalSourceText(node);
      if (value.length !== 40 || !/^[A-Za-z0-9/+]{40}$/u.test(value)) return;
      const name = bindingNameOf(node);
      if (!name || !isAwsSecretKey(value, nameWords(name))) return;
      const marked = hasTestMarker(value);
      context.report({
        node,
        message: `\`${name.length <= 48 ? name : "this name"}\` holds what looks like an AWS secret access key (40 characters)${marked ? "; it is marked as an example or test value" : "; revoke it, then let boto3 find credentials in the environment or the instance role"}.`,
        ...(marked ? { severity: "note" as const } : {}),
      });
    }

    return {
      concatenated_string(node) {
        if (!TOKEN_PREFILTER.test(node.text)) return;
        concatenationEnd = node.endIndex;
        reportTokens(node, literalSourceText(node), "This string");
      },
      string(node) {
        const text = node.text;
        if (TOKEN_PREFILTER.test(text)) {
          if (node.startIndex < concatenationEnd) return;
          if (reportTokens(node, literalSourceText(node), "This string")) return;
        }
        // 40 characters between quotes, perhaps after a one- or two-letter prefix.
        if (text.length >= 42 && text.length <= 44) checkAwsSecret(node);
      },
      comment(node) {
        const text = node.text;
        if (TOKEN_PREFILTER.test(text)) reportTokens(node, text, "This comment");
      },
    };
  },
};
