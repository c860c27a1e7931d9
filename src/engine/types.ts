import type { GuidelineId } from "../guidelines/guidelines.js";
import type { FileAnalyses } from "./analyses/index.js";
import type { Manifest, ManifestRange } from "./manifests/types.js";
import type { SyntaxNode } from "./syntax-tree.js";

export type { SyntaxNode } from "./syntax-tree.js";

export type Severity = "error" | "warning" | "note";

export const SEVERITY_RANK: Record<Severity, number> = { note: 1, warning: 2, error: 3 };

export interface RuleDocs {
  /** "What it does": one or two sentences. */
  whatItDoes: string;
  /** "Why is this bad?": the risk, in the reader's terms. */
  whyIsThisBad: string;
  /** Python code that the rule reports. */
  example: string;
  /** Python code that fixes the example. */
  useInstead: string;
  /** Options, exemptions and known limits, when the rule has any. */
  notes?: string;
}

export interface RuleMeta {
  /** Stable id, e.g. PG-SQL-001. Part of the public interface. */
  id: string;
  /** Short kebab-case name, e.g. sql-injection. */
  name: string;
  title: string;
  sections: readonly GuidelineId[];
  cwe: readonly number[];
  defaultSeverity: Severity;
  docs: RuleDocs;
  /** Bandit tests that cover the same ground, so that `# nosec B608` suppresses this rule too. */
  bandit?: readonly string[];
}

/** A replacement of the exact source range [line:column, endLine:endColumn) (1-based, end exclusive). */
export interface Fix {
  description: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  replacement: string;
}

export interface Finding {
  ruleId: string;
  sections: GuidelineId[];
  cwe: number[];
  severity: Severity;
  message: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: Fix;
  fingerprint: string;
  suppressed: boolean;
  suppression?: { comment: string; reason: string | null };
}

export interface ReportDescriptor {
  node: SyntaxNode;
  message: string;
  /** Overrides the rule's default severity for this finding (for example a tainted flow is an error, a plain non-constant value a warning). */
  severity?: Severity;
  fix?: Omit<Fix, "line" | "column" | "endLine" | "endColumn"> & { node?: SyntaxNode };
}

/** What a suppression comment may name. */
export interface SuppressionVocabulary {
  ruleIds: ReadonlySet<string>;
  banditIds: ReadonlySet<string>;
}

export interface RuleContext {
  readonly path: string;
  readonly vocabulary: SuppressionVocabulary;
  readonly source: string;
  readonly options: RuleOptions;
  readonly analyses: FileAnalyses;
  report(descriptor: ReportDescriptor): void;
}

/** Per-rule options from the config file, already validated. */
export type RuleOptions = Readonly<Record<string, unknown>>;

export type NodeVisitor = (node: SyntaxNode) => void;

/**
 * Visitors keyed by tree-sitter node type. The special key "module:exit" runs once after the
 * walk, for rules that need the whole file (for example "report once if nothing set a header").
 */
export type RuleVisitors = Partial<Record<string, NodeVisitor>> & { "module:exit"?: () => void };

export interface ManifestReport {
  range: ManifestRange;
  /** The manifest entry the finding is about; it identifies the finding across edits. */
  subject: string;
  message: string;
  severity?: Severity;
}

export interface ManifestContext {
  readonly path: string;
  readonly options: RuleOptions;
  report(descriptor: ManifestReport): void;
}

export interface RuleModule {
  meta: RuleMeta;
  /** Visitors for Python files; a rule about manifests only returns none. */
  create(context: RuleContext): RuleVisitors;
  /** Checks a dependency manifest (requirements*.txt, pyproject.toml, Pipfile). */
  checkManifest?(manifest: Manifest, context: ManifestContext): void;
}

export interface FileError {
  path: string;
  kind: "binary" | "encoding" | "too-large" | "io" | "internal";
  message: string;
}

export interface FileWarning {
  path: string;
  kind: "parse" | "rule-error";
  message: string;
  line: number;
}

export interface FileResult {
  path: string;
  findings: Finding[];
  warnings: FileWarning[];
  error?: FileError;
}
