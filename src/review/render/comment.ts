import { ruleDocsUrl } from "../../docs/rule-docs.js";
import { SUPPRESSION_RULE_IDS } from "../../engine/suppress.js";
import type { Finding, RuleMeta } from "../../engine/types.js";
import { GUIDELINES } from "../../guidelines/guidelines.js";
import { fingerprintMarker } from "../markers.js";
import { fencedBlock, inlineMarkdown } from "./markdown.js";

/** GitHub rejects comment bodies of 65,536 characters or more; adapters may add a line or two of their own. */
export const MAX_COMMENT_BODY = 59_000;

export interface CommentContent {
  finding: Finding;
  /** The rule's metadata; undefined only if the rule left the catalogue. */
  meta: RuleMeta | undefined;
  /** The lines of a ```suggestion block for the anchored range, when the finding has a fix that fits it. */
  suggestion: string[] | null;
}

export function guidelineLines(finding: Finding): string[] {
  return finding.sections.map((id) => `- **${id}**: ${GUIDELINES[id]}`);
}

function howToFix(content: CommentContent, withSuggestion: boolean, withExample: boolean): string[] {
  const { finding, meta, suggestion } = content;
  const lines: string[] = [];
  if (finding.fix) {
    lines.push(`**How to fix it:** ${inlineMarkdown(finding.fix.description, 500)}`);
    if (withSuggestion && suggestion) lines.push("", fencedBlock("suggestion", suggestion.join("\n")));
  } else if (meta && withExample) {
    lines.push("**How to fix it**, for example:", "", fencedBlock("python", meta.docs.useInstead.trimEnd()));
  }
  return lines;
}

function render(content: CommentContent, withSuggestion: boolean, withExample: boolean): string {
  const { finding, meta } = content;
  const title = meta ? `${finding.ruleId}: ${meta.title}` : finding.ruleId;
  const lines = [`**${title}** (${finding.severity})`, "", inlineMarkdown(finding.message), "", "**Guidelines**", ...guidelineLines(finding)];
  if (meta) lines.push("", `**Why it matters:** ${meta.docs.whyIsThisBad}`);
  const fix = howToFix(content, withSuggestion, withExample);
  if (fix.length > 0) lines.push("", ...fix);
  // A finding about a suppression comment cannot itself be suppressed on that line.
  if (!SUPPRESSION_RULE_IDS.has(finding.ruleId)) {
    lines.push("", `If the code is safe as written, say why on the line: \`# pyguard: ignore[${finding.ruleId}] -- <reason>\``);
  }
  lines.push("", meta ? `[${finding.ruleId} documentation](${ruleDocsUrl(meta)})` : "", fingerprintMarker(finding.fingerprint));
  return lines.join("\n");
}

/**
 * An inline comment: what is wrong, which guideline it breaks (in the guideline's words), why
 * it matters, how to fix it (as a suggestion GitHub can apply when the rule has an exact fix),
 * the rule docs, and the hidden fingerprint that later runs find the comment by.
 */
export function renderCommentBody(content: CommentContent): string {
  const full = render(content, true, true);
  if (full.length <= MAX_COMMENT_BODY) return full;
  // Only a suggestion over a very long range can get this big; the annotation still has the finding.
  return render(content, false, false);
}
