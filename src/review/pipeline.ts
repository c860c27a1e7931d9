import { activeRules } from "../config/resolve.js";
import type { PyguardConfig } from "../config/schema.js";
import type { FileWarning, Finding, RuleMeta, RuleModule } from "../engine/types.js";
import { ALL_RULES, suppressionVocabulary } from "../rules/index.js";
import { isValidAnchor } from "./anchor.js";
import { byPlace, bySeverityThenPlace, conclusionOf } from "./classify.js";
import { mapWithConcurrency } from "./concurrency.js";
import { reviewFile, type FileReview, type IntroducedFinding } from "./file-review.js";
import { isPythonPath, pathFilter } from "./paths.js";
import { renderTitle, toAnnotation } from "./render/check-run.js";
import { renderCommentBody } from "./render/comment.js";
import { renderSummary } from "./render/summary.js";
import type { ChangedFile, FileNotice, InlineComment, ReviewInput, ReviewOutcome } from "./types.js";

const DEFAULT_CONCURRENCY = 8;

/** The Python files the config covers that exist at the head revision; a renamed file goes by its new path. */
export function selectReviewedFiles(files: readonly ChangedFile[], config: PyguardConfig): ChangedFile[] {
  const covered = pathFilter(config.paths.include, config.paths.exclude);
  return files.filter((file) => file.status !== "removed" && file.status !== "unchanged" && isPythonPath(file.path) && covered(file.path));
}

/** Inline comments for the most severe anchorable findings, up to the config's cap. */
function inlineComments(introduced: readonly IntroducedFinding[], patches: ReadonlyMap<string, ChangedFile>, cap: number, metaOf: (id: string) => RuleMeta | undefined): InlineComment[] {
  const comments: InlineComment[] = [];
  for (const { finding, anchor, suggestion } of introduced) {
    if (comments.length >= cap) break;
    const patch = patches.get(finding.path)?.patch;
    // Checked again here, right before the comment leaves the pipeline: one bad anchor fails the whole review.
    if (!anchor || !patch || !isValidAnchor(anchor, patch)) continue;
    const comment: InlineComment = {
      path: finding.path,
      line: anchor.line,
      side: "RIGHT",
      body: renderCommentBody({ finding, meta: metaOf(finding.ruleId), suggestion }),
      fingerprint: finding.fingerprint,
      severity: finding.severity,
    };
    if (anchor.startLine !== undefined) {
      comment.startLine = anchor.startLine;
      comment.startSide = "RIGHT";
    }
    comments.push(comment);
  }
  return comments;
}

interface Collected {
  introduced: IntroducedFinding[];
  suppressed: Finding[];
  advisory: Finding[];
  notices: FileNotice[];
  warnings: FileWarning[];
  filesAnalyzed: number;
}

function collect(reviews: readonly FileReview[]): Collected {
  const collected: Collected = { introduced: [], suppressed: [], advisory: [], notices: [], warnings: [], filesAnalyzed: 0 };
  for (const review of reviews) {
    if (review.analyzed) collected.filesAnalyzed++;
    collected.introduced.push(...review.introduced);
    collected.suppressed.push(...review.suppressed);
    collected.advisory.push(...review.advisory);
    collected.notices.push(...review.notices);
    collected.warnings.push(...review.warnings);
  }
  collected.introduced.sort((a, b) => bySeverityThenPlace(a.finding, b.finding));
  collected.suppressed.sort(byPlace);
  collected.advisory.sort(bySeverityThenPlace);
  return collected;
}

/**
 * The review of a change set, the same for a pull request and a local branch: analyse the
 * touched Python files, classify each finding as introduced, suppressed or advisory, decide
 * the conclusion, and render the inline comments, annotations and check-run summary.
 */
export async function reviewChangeSet(input: ReviewInput): Promise<ReviewOutcome> {
  const { changeSet, config } = input;
  const catalogue: readonly RuleModule[] = input.rules ?? ALL_RULES;
  const metaById = new Map(catalogue.map((rule) => [rule.meta.id, rule.meta]));
  const metaOf = (id: string): RuleMeta | undefined => metaById.get(id);
  const engine = { rules: activeRules(config, catalogue), vocabulary: suppressionVocabulary(catalogue), maxFileBytes: config.maxFileBytes };

  const files = selectReviewedFiles(changeSet.files, config);
  const reviews = await mapWithConcurrency(files, input.concurrency ?? DEFAULT_CONCURRENCY, (file) => reviewFile(file, input.readFile, engine));
  const collected = collect(reviews);
  const introduced = collected.introduced.map((entry) => entry.finding);

  const comments = inlineComments(collected.introduced, new Map(files.map((file) => [file.path, file])), config.review.maxInlineComments, metaOf);
  const conclusion = conclusionOf(introduced, collected.advisory, config.failOn);
  const unanalysedFiles = new Set(collected.notices.map((notice) => notice.path)).size;
  const summaryFacts = {
    conclusion,
    failOn: config.failOn,
    introduced,
    advisory: collected.advisory,
    suppressed: collected.suppressed,
    notices: collected.notices,
    warnings: collected.warnings,
    filesAnalyzed: collected.filesAnalyzed,
    commentCount: comments.length,
    maxInlineComments: config.review.maxInlineComments,
    changesConfig: changeSet.changesConfig,
    incompleteChangeSet: changeSet.truncated === true,
    ruleMeta: metaOf,
    ...(input.headSha !== undefined ? { headSha: input.headSha } : {}),
  };
  return {
    introduced,
    suppressed: collected.suppressed,
    advisory: collected.advisory,
    notices: collected.notices,
    warnings: collected.warnings,
    filesAnalyzed: collected.filesAnalyzed,
    conclusion,
    title: renderTitle({ introduced, advisoryCount: collected.advisory.length, unanalysedFiles }),
    summary: renderSummary(summaryFacts),
    comments,
    annotations: introduced.map((finding) => toAnnotation(finding, metaOf(finding.ruleId))),
    fingerprints: new Set(introduced.map((finding) => finding.fingerprint)),
  };
}
