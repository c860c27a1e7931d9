import { defaultConfig } from "../../src/config/load.js";
import type { PyguardConfig } from "../../src/config/schema.js";
import { callArguments, field } from "../../src/engine/syntax.js";
import type { RuleModule, Severity } from "../../src/engine/types.js";
import { parsePatch } from "../../src/review/diff.js";
import { reviewChangeSet } from "../../src/review/pipeline.js";
import type { ChangedFile, ReadHeadFile, ReviewInput, ReviewOutcome } from "../../src/review/types.js";

/**
 * The unified diff git would print for `source` if exactly the `added` lines were inserted into
 * the old file, with `context` lines around each change. Parsed with the real parser, so tests
 * exercise it too.
 */
export function insertionDiff(source: string, added: readonly number[], context = 3): string {
  const lines = source.endsWith("\n") ? source.slice(0, -1).split("\n") : source.split("\n");
  const addedSet = new Set(added);
  const groups: Array<[number, number]> = [];
  for (const line of [...addedSet].sort((a, b) => a - b)) {
    const start = Math.max(1, line - context);
    const end = Math.min(lines.length, line + context);
    const last = groups[groups.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else groups.push([start, end]);
  }
  const out: string[] = [];
  for (const [start, end] of groups) {
    const addedBefore = [...addedSet].filter((line) => line < start).length;
    const oldLines = end - start + 1 - [...addedSet].filter((line) => line >= start && line <= end).length;
    const oldStart = oldLines === 0 ? start - 1 - addedBefore : start - addedBefore;
    out.push(`@@ -${oldStart},${oldLines} +${start},${end - start + 1} @@`);
    for (let line = start; line <= end; line++) out.push(`${addedSet.has(line) ? "+" : " "}${lines[line - 1]}`);
  }
  return out.join("\n");
}

export function modifiedFile(path: string, source: string, added: readonly number[], context = 3): ChangedFile {
  return { path, status: "modified", patch: parsePatch(insertionDiff(source, added, context)) };
}

export function addedFile(path: string, source: string): ChangedFile {
  const lineCount = source.endsWith("\n") ? source.split("\n").length - 1 : source.split("\n").length;
  return { path, status: "added", patch: parsePatch(insertionDiff(source, Array.from({ length: lineCount }, (_, index) => index + 1))) };
}

/** A head-revision reader over in-memory files that records what it was asked for. */
export function memoryReader(contents: Record<string, string | Uint8Array>): ReadHeadFile & { requested: string[] } {
  const requested: string[] = [];
  const reader = async (file: ChangedFile): Promise<Uint8Array> => {
    requested.push(file.path);
    const content = contents[file.path];
    if (content === undefined) throw new Error(`no such file in the test: ${file.path}`);
    return typeof content === "string" ? new TextEncoder().encode(content) : content;
  };
  return Object.assign(reader, { requested });
}

export function configWith(overrides: (config: PyguardConfig) => void): PyguardConfig {
  const config = defaultConfig();
  overrides(config);
  return config;
}

export async function review(files: ChangedFile[], contents: Record<string, string | Uint8Array>, extra: Partial<ReviewInput> = {}): Promise<ReviewOutcome> {
  return reviewChangeSet({ changeSet: { files, changesConfig: false }, config: defaultConfig(), readFile: memoryReader(contents), ...extra });
}

const MARKERS: Record<string, Severity> = { markError: "error", markWarning: "warning", markNote: "note" };

/**
 * Test rules with behaviour the shipped rules may not have, so the pipeline tests do not depend
 * on rules being written concurrently: `markError(…)`, `markWarning(…)`, `markNote(…)` report
 * the whole call at that severity; `fixMe(…)` reports the call with a fix that renames the
 * callee to `fixedCall`; `fixArgument(…)` has a fix on its first argument.
 */
export const TEST_RULES: readonly RuleModule[] = [
  {
    meta: {
      id: "PG-TST-001",
      name: "marker-call",
      title: "A call the tests mark",
      sections: ["G4", "C3"],
      cwe: [],
      defaultSeverity: "error",
      docs: { whatItDoes: "Reports marker calls.", whyIsThisBad: "Tests need findings.", example: "markError(x)", useInstead: "pass" },
    },
    create(context) {
      return {
        call(node) {
          const callee = field(node, "function");
          const severity = callee ? MARKERS[callee.text] : undefined;
          if (severity) context.report({ node, severity, message: `\`${callee?.text}\` was called` });
        },
      };
    },
  },
  {
    meta: {
      id: "PG-TST-002",
      name: "fixable-call",
      title: "A call with an exact fix",
      sections: ["G6"],
      cwe: [],
      defaultSeverity: "warning",
      docs: { whatItDoes: "Reports fixMe calls.", whyIsThisBad: "Tests need fixes.", example: "fixMe(x)", useInstead: "fixedCall(x)" },
    },
    create(context) {
      return {
        call(node) {
          const callee = field(node, "function");
          if (callee?.text === "fixMe") {
            context.report({ node, message: "`fixMe` should be `fixedCall`", fix: { description: "Call `fixedCall` instead", replacement: "fixedCall", node: callee } });
          }
          if (callee?.text === "fixArgument") {
            const argument = callArguments(node).positional[0];
            if (argument) context.report({ node, message: "the argument should be `safeValue`", fix: { description: "Pass `safeValue`", replacement: "safeValue", node: argument } });
          }
        },
      };
    },
  },
];
