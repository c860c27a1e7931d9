import { ANALYSIS_NODE_TYPES, createFileAnalyses } from "./analyses/index.js";
import { decodePythonSource, DEFAULT_MAX_FILE_BYTES } from "./decode.js";
import { disambiguateFingerprints, fingerprintOf } from "./fingerprint.js";
import { analyzeManifestSource } from "./manifests/analyze-manifest.js";
import { manifestKind } from "./manifests/kinds.js";
import { parseSource } from "./parse.js";
import type { ParsedSource } from "./syntax-tree.js";
import { applySuppressions } from "./suppress.js";
import { nodeRange } from "./syntax.js";
import type {
  FileResult,
  FileWarning,
  Finding,
  NodeVisitor,
  RuleContext,
  RuleModule,
  RuleOptions,
  Severity,
  SuppressionVocabulary,
  SyntaxNode,
} from "./types.js";

export interface ActiveRule {
  rule: RuleModule;
  /** A severity set by the config; it wins over the rule's own choice. */
  severityOverride?: Severity;
  options: RuleOptions;
}

export interface EngineOptions {
  rules: readonly ActiveRule[];
  /** Every rule pyguard knows, enabled or not, so that suppressions can be checked. */
  vocabulary: SuppressionVocabulary;
  maxFileBytes?: number;
}

interface Dispatch {
  visitors: Map<string, Array<{ index: number; visit: NodeVisitor }>>;
  exits: Array<{ index: number; visit: () => void }>;
}

/** Runs the engine on a file's bytes: decoding, size and binary checks, then the Python or manifest analysis. */
export function analyzeBytes(path: string, bytes: Uint8Array, options: EngineOptions): FileResult {
  const decoded = decodePythonSource(path, bytes, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  if ("error" in decoded) return { path, findings: [], warnings: [], error: decoded.error };
  if (manifestKind(path)) return analyzeManifestSource(path, decoded.text, options);
  return analyzeSource(path, decoded.text, options);
}

/**
 * Source text in, findings out. Parses once and copies the tree into JavaScript nodes (see
 * syntax-tree.ts); the nodes of every type that an analysis or an enabled rule visits are handed,
 * in source order, to the shared analyses and then to the rules' visitors for their type.
 */
export function analyzeSource(path: string, source: string, options: EngineOptions): FileResult {
  const warnings: FileWarning[] = [];
  let parsed: ParsedSource;
  try {
    parsed = parseSource(source);
  } catch (error) {
    return { path, findings: [], warnings, error: { path, kind: "internal", message: `could not parse: ${describe(error)}` } };
  }
  const root = parsed.root;
  const analyses = createFileAnalyses(root, source);
  const findings: Finding[] = [];
  const failedRules = new Set<number>();

  const dispatch: Dispatch = { visitors: new Map(), exits: [] };
  options.rules.forEach((active, index) => {
    const context = createContext(path, source, active, analyses, options.vocabulary, findings);
    let visitors;
    try {
      visitors = active.rule.create(context);
    } catch (error) {
      warnings.push(ruleFailure(path, active.rule, 1, error));
      return;
    }
    for (const [type, visit] of Object.entries(visitors)) {
      if (!visit) continue;
      if (type === "module:exit") {
        dispatch.exits.push({ index, visit: visit as () => void });
        continue;
      }
      const list = dispatch.visitors.get(type);
      const entry = { index, visit: visit as NodeVisitor };
      if (list) list.push(entry);
      else dispatch.visitors.set(type, [entry]);
    }
  });

  const hasError = root.hasError;
  const analysisTypes = new Set<string>(ANALYSIS_NODE_TYPES);
  const errorRegions: SyntaxNode[] = [];

  const moduleVisitors = dispatch.visitors.get("module");
  if (moduleVisitors) runVisitors(moduleVisitors, root);

  // The shared analyses record the whole file first, so that rules can ask about names bound
  // further down (a helper defined after the route that calls it).
  const nodes = parsed.nodes.filter((node) => node !== root && isWanted(node) && (analysisTypes.has(node.type) || dispatch.visitors.has(node.type) || node.type === "ERROR"));
  for (const node of nodes) {
    if (node.type === "ERROR") errorRegions.push(node);
    else analyses.enter(node);
  }
  analyses.finishRecording();
  for (const node of nodes) {
    const type = node.type;
    if (type === "ERROR") continue;
    analyses.revisit(node);
    const list = dispatch.visitors.get(type);
    if (list) runVisitors(list, node);
  }
  for (const exit of dispatch.exits) {
    if (failedRules.has(exit.index)) continue;
    try {
      exit.visit();
    } catch (error) {
      warnings.push(ruleFailure(path, (options.rules[exit.index] as ActiveRule).rule, root.endPosition.row + 1, error));
    }
  }

  if (hasError) warnings.push(...parseWarnings(path, parsed.nodes, errorRegions));
  const kept = errorRegions.length === 0 ? findings : findings.filter((finding) => !insideAny(finding, errorRegions));
  applySuppressions(kept, analyses.suppressions, options);
  kept.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  disambiguateFingerprints(kept);
  return { path, findings: kept, warnings };

  function runVisitors(list: Array<{ index: number; visit: NodeVisitor }>, node: SyntaxNode): void {
    for (const entry of list) {
      if (failedRules.has(entry.index)) continue;
      try {
        entry.visit(node);
      } catch (error) {
        // One broken rule must not cost the file its other findings.
        failedRules.add(entry.index);
        warnings.push(ruleFailure(path, (options.rules[entry.index] as ActiveRule).rule, node.startPosition.row + 1, error));
      }
    }
  }
}

/** `lambda`, `await`, `yield` and `type` name both a syntax node and its keyword token; the walk wants the nodes. */
const KEYWORD_TWINS = new Set(["lambda", "await", "yield", "type"]);

function isWanted(node: SyntaxNode): boolean {
  return !KEYWORD_TWINS.has(node.type) || node.isNamed;
}

function createContext(
  path: string,
  source: string,
  active: ActiveRule,
  analyses: RuleContext["analyses"],
  vocabulary: SuppressionVocabulary,
  findings: Finding[],
): RuleContext {
  const { meta } = active.rule;
  return {
    path,
    source,
    options: active.options,
    analyses,
    vocabulary,
    report(descriptor) {
      const node = descriptor.node;
      const finding: Finding = {
        ruleId: meta.id,
        sections: [...meta.sections],
        cwe: [...meta.cwe],
        severity: active.severityOverride ?? descriptor.severity ?? meta.defaultSeverity,
        message: descriptor.message,
        path,
        ...nodeRange(node),
        fingerprint: fingerprintOf(meta.id, path, analyses.enclosingName(node), node.text),
        suppressed: false,
      };
      if (descriptor.fix) {
        const target = descriptor.fix.node ?? node;
        finding.fix = { description: descriptor.fix.description, replacement: descriptor.fix.replacement, ...nodeRange(target) };
      }
      findings.push(finding);
    },
  };
}

function insideAny(finding: Finding, regions: readonly SyntaxNode[]): boolean {
  return regions.some((region) => {
    const start = region.startPosition;
    const end = region.endPosition;
    const afterStart = finding.line - 1 > start.row || (finding.line - 1 === start.row && finding.column - 1 >= start.column);
    const beforeEnd = finding.line - 1 < end.row || (finding.line - 1 === end.row && finding.column - 1 < end.column);
    return afterStart && beforeEnd;
  });
}

function parseWarnings(path: string, nodes: readonly SyntaxNode[], errorRegions: readonly SyntaxNode[]): FileWarning[] {
  const lines = new Set<number>(errorRegions.map((region) => region.startPosition.row + 1));
  if (lines.size === 0) {
    // Only MISSING tokens.
    for (const node of nodes) {
      if (node.isMissing) lines.add(node.startPosition.row + 1);
      if (lines.size >= 20) break;
    }
  }
  const sorted = [...lines].sort((a, b) => a - b);
  const shown = sorted.slice(0, 5).join(", ");
  const more = sorted.length > 5 ? ` and ${sorted.length - 5} more` : "";
  return [
    {
      path,
      kind: "parse",
      line: sorted[0] ?? 1,
      message: `syntax error at line ${shown}${more}; the rest of the file was analysed, findings inside the broken code were dropped`,
    },
  ];
}

function ruleFailure(path: string, rule: RuleModule, line: number, error: unknown): FileWarning {
  return { path, kind: "rule-error", line, message: `rule ${rule.meta.id} failed near line ${line} and was skipped for this file: ${describe(error)}` };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
