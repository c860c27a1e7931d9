import type { SyntaxNode } from "../types.js";

export interface Suppression {
  /** The comment's text. */
  text: string;
  style: "pyguard" | "nosec";
  /** Rule ids, guideline ids or Bandit test ids; empty means every rule. */
  ids: string[];
  reason: string | null;
  line: number;
  /** A comment alone on its line also covers the next line. */
  standalone: boolean;
}

// A directive starts the comment or follows another tool's directive (`# noqa: E501  # nosec`);
// the words inside prose ("we removed the nosec marker") are not directives.
const PYGUARD_PATTERN = /(?:^|#)\s*pyguard:\s*ignore(?:\[([^\]]*)\])?(.*)$/iu;
const NOSEC_PATTERN = /(?:^|#)\s*nosec\b((?::?\s*,?\s*[A-Za-z]+[-\w]*\d)*)(.*)$/u;
const REASON_PATTERN = /^\s*(?:--|—|:)\s*(\S.*)$/u;

function parseReason(rest: string): string | null {
  const match = REASON_PATTERN.exec(rest);
  if (!match) return null;
  // Another tool's directive after the reason is not part of it.
  const text = match[1] ?? "";
  if (text.startsWith("#")) return null;
  const reason = text.split(/\s+#\s*/u)[0]?.trim() ?? "";
  return reason.length > 0 ? reason : null;
}

function splitIds(list: string | undefined): string[] {
  if (!list) return [];
  return list
    .split(/[\s,:]+/u)
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

/** Parses the suppression directive of a comment, if it has one. */
export function parseSuppression(comment: SyntaxNode, source: string): Suppression | null {
  const lineStart = source.lastIndexOf("\n", comment.startIndex - 1) + 1;
  const standalone = source.slice(lineStart, comment.startIndex).trim().length === 0;
  return parseSuppressionText(comment.text, comment.startPosition.row + 1, standalone);
}

/** The same, for a comment's text (also used for manifests, where there is no syntax tree). */
export function parseSuppressionText(text: string, line: number, standalone: boolean): Suppression | null {
  const pyguard = PYGUARD_PATTERN.exec(text);
  if (pyguard) {
    return { text, style: "pyguard", ids: splitIds(pyguard[1]), reason: parseReason(pyguard[2] ?? ""), line, standalone };
  }
  const nosec = NOSEC_PATTERN.exec(text);
  if (nosec) {
    return { text, style: "nosec", ids: splitIds(nosec[1]), reason: parseReason(nosec[2] ?? ""), line, standalone };
  }
  return null;
}

export class SuppressionTable {
  private readonly byLine = new Map<number, Suppression[]>();
  readonly all: Suppression[] = [];

  constructor(private readonly source: string) {}

  add(comment: SyntaxNode): Suppression | null {
    const suppression = parseSuppression(comment, this.source);
    if (!suppression) return null;
    this.insert(suppression);
    return suppression;
  }

  insert(suppression: Suppression): void {
    this.all.push(suppression);
    this.index(suppression.line, suppression);
    if (suppression.standalone) this.index(suppression.line + 1, suppression);
  }

  /** The suppressions that cover a finding on `line`. */
  at(line: number): readonly Suppression[] {
    return this.byLine.get(line) ?? [];
  }

  private index(line: number, suppression: Suppression): void {
    const list = this.byLine.get(line);
    if (list) list.push(suppression);
    else this.byLine.set(line, [suppression]);
  }
}
