import { CONFIG_PATH } from "../../config/load.js";
import { ruleDocsUrl } from "../../docs/rule-docs.js";
import type { FileWarning, Finding, RuleMeta, Severity } from "../../engine/types.js";
import { GUIDELINE_IDS, GUIDELINES, type GuidelineId } from "../../guidelines/guidelines.js";
import { isBlocking } from "../classify.js";
import type { Conclusion, FileNotice } from "../types.js";
import { codeSpan, inlineMarkdown, plural, tableCell } from "./markdown.js";

/** GitHub's limit on a check run's summary. */
export const MAX_SUMMARY_LENGTH = 65_535;
/** What the summary may fill: the rest is left for an adapter's own notes (the GitHub App appends a few lines). */
const SUMMARY_BUDGET = MAX_SUMMARY_LENGTH - 1_500;
/** Room kept for the notices when findings alone would fill the summary: a skipped file must not go unmentioned. */
const NOTICES_BUDGET = 8_000;
const OMISSION_NOTE_BUDGET = 600;

export interface SummaryFacts {
  conclusion: Conclusion;
  failOn: Severity;
  /** Introduced findings, most severe first. */
  introduced: readonly Finding[];
  advisory: readonly Finding[];
  suppressed: readonly Finding[];
  notices: readonly FileNotice[];
  warnings: readonly FileWarning[];
  filesAnalyzed: number;
  commentCount: number;
  maxInlineComments: number;
  changesConfig: boolean;
  /** The adapter could not list every file of the change. */
  incompleteChangeSet: boolean;
  headSha?: string;
  ruleMeta: (ruleId: string) => RuleMeta | undefined;
}

/**
 * A document built from whole blocks (a paragraph, a table row, a list item) under a length
 * limit. A block that does not fit is left out whole, so the cut can never fall inside a code
 * span, an HTML comment or a table row.
 */
class BlockDocument {
  private readonly blocks: string[] = [];
  private used = 0;

  add(block: string, limit: number): boolean {
    if (this.used + block.length > limit) return false;
    this.blocks.push(block);
    this.used += block.length;
    return true;
  }

  get length(): number {
    return this.used;
  }

  toString(): string {
    return this.blocks.join("").trimEnd();
  }
}

interface ListSection {
  heading: string;
  /** What an item is called in the note about left-out items. */
  noun: string;
  items: string[];
}

function findingItem(finding: Finding, meta: RuleMeta | undefined): string {
  const rule = meta ? `[${finding.ruleId}](${ruleDocsUrl(meta)})` : finding.ruleId;
  return `- **${finding.severity}** ${rule} at ${codeSpan(`${finding.path}:${finding.line}`)}: ${inlineMarkdown(finding.message, 300)} (${finding.sections.join(", ")})\n`;
}

function suppressedItem(finding: Finding): string {
  const reason = finding.suppression?.reason;
  const why = reason ? `reason: ${inlineMarkdown(reason, 300)}` : "**no reason given**";
  return `- ${finding.ruleId} at ${codeSpan(`${finding.path}:${finding.line}`)}: ${why}\n`;
}

function guidelineTable(introduced: readonly Finding[], advisory: readonly Finding[]): string[] {
  const counts = new Map<GuidelineId, { introduced: number; advisory: number }>();
  const tally = (findings: readonly Finding[], key: "introduced" | "advisory"): void => {
    for (const finding of findings) {
      for (const id of finding.sections) {
        const entry = counts.get(id) ?? { introduced: 0, advisory: 0 };
        entry[key]++;
        counts.set(id, entry);
      }
    }
  };
  tally(introduced, "introduced");
  tally(advisory, "advisory");
  if (counts.size === 0) return [];
  const rows = GUIDELINE_IDS.filter((id) => counts.has(id)).map((id) => {
    const entry = counts.get(id) as { introduced: number; advisory: number };
    return `| **${id}** | ${tableCell(GUIDELINES[id])} | ${entry.introduced} | ${entry.advisory} |\n`;
  });
  return ["| Id | Guideline | Introduced | Advisory |\n|---|---|--:|--:|\n", ...rows];
}

function verdict(facts: SummaryFacts, blocking: number): string {
  const threshold = `\`failOn: ${facts.failOn}\``;
  switch (facts.conclusion) {
    case "failure":
      return `**${plural(blocking, "finding blocks", "findings block")} this change**: introduced by it, not suppressed, and at or above ${threshold}.`;
    case "neutral":
      return `**Nothing blocks this change.** Only introduced findings at or above ${threshold} fail the check; the findings below are for information.`;
    default:
      return "**No findings in the changed lines.**";
  }
}

function introduction(facts: SummaryFacts, blocking: number): string {
  const at = facts.headSha ? ` at \`${facts.headSha.slice(0, 7)}\`` : "";
  const lines = [
    verdict(facts, blocking),
    "",
    `Reviewed ${plural(facts.filesAnalyzed, "Python file")}${at}. Findings that start on lines this change adds are introduced; findings elsewhere in the changed files are advisory and never block.`,
  ];
  const uncommented = facts.introduced.length - facts.commentCount;
  if (uncommented > 0) {
    lines.push(
      "",
      `${plural(facts.commentCount, "introduced finding has", "introduced findings have")} an inline comment; the other ${uncommented.toLocaleString("en-US")} are over the limit (\`review.maxInlineComments: ${facts.maxInlineComments}\`) or on lines the diff cannot anchor, and appear as annotations.`,
    );
  }
  return `${lines.join("\n")}\n\n`;
}

function noticeItems(facts: SummaryFacts): string[] {
  const items: string[] = [];
  if (facts.incompleteChangeSet) items.push("- The change lists more files than could be fetched; the files beyond those were not reviewed.\n");
  for (const notice of facts.notices) items.push(`- ${codeSpan(notice.path)}: ${inlineMarkdown(notice.message, 500)}\n`);
  for (const warning of facts.warnings) items.push(`- ${codeSpan(`${warning.path}:${warning.line}`)}: ${inlineMarkdown(warning.message, 500)}\n`);
  return items;
}

function configNote(facts: SummaryFacts): string {
  if (!facts.changesConfig) return "";
  return `\n**Config:** this change edits ${codeSpan(CONFIG_PATH)}. This review used the base branch's config; the change applies after merge.\n`;
}

/** Adds a section's items while they fit; returns how many were left out. */
function addSection(document: BlockDocument, section: ListSection, limit: number): number {
  let added = 0;
  for (const item of section.items) {
    const block = added === 0 ? `\n### ${section.heading}\n\n${item}` : item;
    if (!document.add(block, limit)) break;
    added++;
  }
  return section.items.length - added;
}

function omissionNote(omitted: ReadonlyArray<{ noun: string; count: number }>): string {
  const parts = omitted.filter((entry) => entry.count > 0);
  const total = parts.reduce((sum, entry) => sum + entry.count, 0);
  if (total === 0) return "";
  const detail = parts.map((entry) => `${entry.count.toLocaleString("en-US")} ${entry.noun}`).join(", ");
  return `\n---\n_${plural(total, "item was", "items were")} left out to keep this summary under GitHub's ${MAX_SUMMARY_LENGTH.toLocaleString("en-US")}-character limit (${detail}). Every introduced finding is also an annotation; \`pyguard review --format json\` lists them all._\n`;
}

/**
 * The check run's summary: the verdict, a table by guideline, then blocking, non-blocking,
 * advisory and suppressed findings, then notices. Findings fill what the notices, the config
 * note and the note on left-out items do not need.
 */
export function renderSummary(facts: SummaryFacts): string {
  const blocking = facts.introduced.filter((finding) => isBlocking(finding, facts.failOn));
  const belowThreshold = facts.introduced.filter((finding) => !isBlocking(finding, facts.failOn));
  const item = (finding: Finding): string => findingItem(finding, facts.ruleMeta(finding.ruleId));
  const findingSections: ListSection[] = [
    { heading: `Blocking: introduced, at or above \`${facts.failOn}\``, noun: "blocking", items: blocking.map(item) },
    { heading: `Introduced, below \`${facts.failOn}\` (not blocking)`, noun: "introduced, not blocking", items: belowThreshold.map(item) },
    { heading: "Advisory: already in the changed files", noun: "advisory", items: facts.advisory.map(item) },
    { heading: "Suppressed on changed lines", noun: "suppressed", items: facts.suppressed.map(suppressedItem) },
  ];
  const notices: ListSection = { heading: "Notices", noun: "notices", items: noticeItems(facts) };
  const config = configNote(facts);
  const noticesLength = notices.items.reduce((sum, entry) => sum + entry.length, 40);
  const findingsLimit = SUMMARY_BUDGET - Math.min(noticesLength, NOTICES_BUDGET) - config.length - OMISSION_NOTE_BUDGET;
  const tailLimit = SUMMARY_BUDGET - config.length - OMISSION_NOTE_BUDGET;

  const document = new BlockDocument();
  document.add(introduction(facts, blocking.length), findingsLimit);
  for (const row of guidelineTable(facts.introduced, facts.advisory)) document.add(row, findingsLimit);

  const omitted: Array<{ noun: string; count: number }> = [];
  let full = false;
  for (const section of findingSections) {
    // Once a section overflows, later ones are left out whole rather than shown in scraps.
    const count = full ? section.items.length : addSection(document, section, findingsLimit);
    if (count > 0) full = true;
    omitted.push({ noun: section.noun, count });
  }
  omitted.push({ noun: notices.noun, count: addSection(document, notices, tailLimit) });
  document.add(config, SUMMARY_BUDGET);
  document.add(omissionNote(omitted), SUMMARY_BUDGET);
  return document.toString();
}
