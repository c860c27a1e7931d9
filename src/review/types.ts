import type { PyguardConfig } from "../config/schema.js";
import type { FileWarning, Finding, RuleModule, Severity } from "../engine/types.js";
import type { FilePatch } from "./diff.js";

/**
 * The review pipeline's view of a change: the same whether a pull request on GitHub or a local
 * branch drives it. Adapters (src/github, src/cli) build a ChangeSet and post the ReviewOutcome.
 */
export interface ChangedFile {
  /** Repository-relative POSIX path at the head revision. */
  path: string;
  /** The path before a rename. */
  previousPath?: string;
  status: "added" | "modified" | "renamed" | "copied" | "changed" | "removed" | "unchanged";
  /**
   * The parsed patch, or null when none is available (GitHub omits it for very large diffs):
   * such a file is still analysed, but its findings cannot be anchored and go to the summary.
   */
  patch: FilePatch | null;
  /** Size in bytes at the head revision, when the adapter knows it without fetching. */
  size?: number;
}

export interface ChangeSet {
  files: ChangedFile[];
  /** Set when the change edits the config file itself: the new config applies after merge. */
  changesConfig: boolean;
  /** Files listed by the adapter beyond what it could fetch (GitHub lists at most 3000 files). */
  truncated?: boolean;
}

/** Reads a file's content at the head revision; throws FileUnavailable with a reason when it cannot. */
export type ReadHeadFile = (file: ChangedFile) => Promise<Uint8Array>;

export class FileUnavailable extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(reason);
    this.name = "FileUnavailable";
  }
}

export interface ReviewInput {
  changeSet: ChangeSet;
  config: PyguardConfig;
  readFile: ReadHeadFile;
  /** Files fetched and analysed at once. */
  concurrency?: number;
  /** The head commit, named in messages ("fixed in abc1234"). */
  headSha?: string;
  /** The rule catalogue the config selects from; every rule pyguard ships unless a test passes its own. */
  rules?: readonly RuleModule[];
}

/** One inline comment, already validated against the diff: the line (and start line) are commentable and in one hunk. */
export interface InlineComment {
  path: string;
  line: number;
  side: "RIGHT";
  startLine?: number;
  startSide?: "RIGHT";
  body: string;
  fingerprint: string;
  severity: Severity;
}

export interface Annotation {
  path: string;
  startLine: number;
  endLine: number;
  startColumn?: number;
  endColumn?: number;
  level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

export type Conclusion = "success" | "failure" | "neutral";

export interface FileNotice {
  path: string;
  message: string;
}

export interface ReviewOutcome {
  /** Unsuppressed findings on added lines: commented inline and able to fail the check. */
  introduced: Finding[];
  /** Findings on added lines that a suppression comment silenced. */
  suppressed: Finding[];
  /** Findings elsewhere in the touched files (or in files without a patch): advisory only. */
  advisory: Finding[];
  /** Files skipped or not readable, and parse warnings. */
  notices: FileNotice[];
  warnings: FileWarning[];
  filesAnalyzed: number;
  conclusion: Conclusion;
  /** Check-run title, e.g. "2 errors, 1 warning in changed lines". */
  title: string;
  /** Check-run summary (Markdown, under GitHub's 65,535-character limit). */
  summary: string;
  /** Inline comments to post, capped by config.review.maxInlineComments, most severe first. */
  comments: InlineComment[];
  /** Check-run annotations for every introduced finding. */
  annotations: Annotation[];
  /** The fingerprints of every introduced finding (for resolving threads of fixed findings). */
  fingerprints: Set<string>;
}
