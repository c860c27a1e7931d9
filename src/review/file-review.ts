import { analyzeBytes, type EngineOptions } from "../engine/analyze.js";
import { decodePythonSource } from "../engine/decode.js";
import type { FileWarning, Finding } from "../engine/types.js";
import { anchorFinding, type CommentAnchor } from "./anchor.js";
import { classifyFindings } from "./classify.js";
import { sourceLines, suggestedLines } from "./suggestion.js";
import { FileUnavailable, type ChangedFile, type FileNotice, type ReadHeadFile } from "./types.js";

/** An introduced finding with where its comment would go and, when it has a fix, the suggested lines. */
export interface IntroducedFinding {
  finding: Finding;
  anchor: CommentAnchor | null;
  suggestion: string[] | null;
}

/** What one file contributes to the review; the file's content is not kept. */
export interface FileReview {
  analyzed: boolean;
  introduced: IntroducedFinding[];
  suppressed: Finding[];
  advisory: Finding[];
  notices: FileNotice[];
  warnings: FileWarning[];
}

function skipped(path: string, message: string, warnings: FileWarning[] = []): FileReview {
  return { analyzed: false, introduced: [], suppressed: [], advisory: [], notices: [{ path, message }], warnings };
}

function describeReadFailure(error: unknown): string {
  if (error instanceof FileUnavailable) return `not analysed: ${error.message}`;
  const detail = error instanceof Error ? error.message : String(error);
  return `not analysed: the file could not be read (${detail.slice(0, 300)})`;
}

/** Suggestions need the text; it is decoded again only for the rare file whose findings carry a fix. */
function withSuggestions(path: string, bytes: Uint8Array, maxFileBytes: number, introduced: IntroducedFinding[]): void {
  if (!introduced.some((entry) => entry.finding.fix && entry.anchor)) return;
  const decoded = decodePythonSource(path, bytes, maxFileBytes);
  if ("error" in decoded) return;
  const lines = sourceLines(decoded.text);
  for (const entry of introduced) {
    const { fix } = entry.finding;
    if (fix && entry.anchor) entry.suggestion = suggestedLines(fix, entry.anchor, lines);
  }
}

/**
 * Reads, analyses and classifies one changed file. Nothing here throws: a file that is too
 * large, unreadable, binary or undecodable becomes a notice, and the review goes on.
 */
export async function reviewFile(file: ChangedFile, readFile: ReadHeadFile, engine: EngineOptions & { maxFileBytes: number }): Promise<FileReview> {
  if (file.size !== undefined && file.size > engine.maxFileBytes) {
    return skipped(file.path, `skipped: ${file.size} bytes is over the ${engine.maxFileBytes}-byte limit (set maxFileBytes in the config to change it)`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return skipped(file.path, describeReadFailure(error));
  }
  const result = analyzeBytes(file.path, bytes, engine);
  if (result.error) return skipped(file.path, result.error.message, result.warnings);

  const classified = classifyFindings(file, result.findings);
  const introduced = classified.introduced.map((finding) => ({ finding, anchor: anchorFinding(finding, file.patch), suggestion: null }));
  withSuggestions(file.path, bytes, engine.maxFileBytes, introduced);
  return { analyzed: true, introduced, suppressed: classified.suppressed, advisory: classified.advisory, notices: [], warnings: result.warnings };
}
