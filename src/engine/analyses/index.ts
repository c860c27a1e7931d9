import type { SyntaxNode } from "../types.js";
import { field } from "../syntax.js";
import { evaluateConstant, type Constant } from "./constants.js";
import { resolveName, type ResolvedName } from "./names.js";
import { SCOPE_NODE_TYPES, ScopeTracker, type Scope } from "./scopes.js";
import { SuppressionTable } from "./suppressions.js";
import { FLOW_NODE_TYPES, FlowFacts } from "./flow.js";
import { TaintAnalysis } from "./taint.js";

/** Facts about one file, computed once during the engine's walk and shared by every rule. */
export interface FileAnalyses {
  readonly scopes: ScopeTracker;
  readonly suppressions: SuppressionTable;
  /** Resolves an identifier or attribute chain through imports and scopes. */
  resolve(expression: SyntaxNode): ResolvedName | null;
  /** The value of an expression that is constant, or undefined. */
  constant(expression: SyntaxNode): Constant | undefined;
  /** True when the file imports `module` or anything below it. */
  importsModule(module: string): boolean;
  /** The qualified name of the function or class around `node` (`Repo.func_load`), empty at module level. */
  enclosingName(node: SyntaxNode): string;
  /** Returns, `if` statements, decorators and container writes of the file. */
  readonly flow: FlowFacts;
  /** Untrusted data flowing to sinks (see taint.ts). */
  readonly taint: TaintAnalysis;
  /** The decorator expressions of a function or class definition. */
  decoratorsOf(definition: SyntaxNode): SyntaxNode[];
}

export const ANALYSIS_NODE_TYPES: readonly string[] = [...new Set([...SCOPE_NODE_TYPES, ...FLOW_NODE_TYPES, "comment"])];

export interface FileAnalysesDriver extends FileAnalyses {
  /** Recording pass: every collected node, in source order. */
  enter(node: SyntaxNode): void;
  finishRecording(): void;
  /** Rule pass: the same nodes again, so that scope queries follow the rules' position. */
  revisit(node: SyntaxNode): void;
}

export function createFileAnalyses(root: SyntaxNode, source: string): FileAnalysesDriver {
  const scopes = new ScopeTracker(root);
  const suppressions = new SuppressionTable(source);
  const importedModules = new Set<string>();
  const flow = new FlowFacts(scopes);
  const importsModule = (module: string): boolean => {
    if (importedModules.has(module)) return true;
    const prefix = `${module}.`;
    for (const imported of importedModules) if (imported.startsWith(prefix)) return true;
    return false;
  };
  // Bindings are complete once recording ends; from then on every rule asks about the same callees.
  let recording = true;
  const resolved = new Map<SyntaxNode, ResolvedName | null>();
  const resolve = (expression: SyntaxNode): ResolvedName | null => {
    if (recording) return resolveName(scopes, expression);
    const known = resolved.get(expression);
    if (known !== undefined) return known;
    const name = resolveName(scopes, expression);
    resolved.set(expression, name);
    return name;
  };
  // Rules ask about the same expressions again and again; bindings are complete once rules run.
  const constants = new Map<SyntaxNode, Constant | null>();
  const constant = (expression: SyntaxNode): Constant | undefined => {
    const known = constants.get(expression);
    if (known !== undefined) return known ?? undefined;
    const value = evaluateConstant(scopes, expression);
    constants.set(expression, value ?? null);
    return value;
  };
  const taint = new TaintAnalysis({ scopes, flow, source, root, resolve, constant, importsModule });

  return {
    scopes,
    suppressions,
    flow,
    taint,
    decoratorsOf: (definition) => flow.decoratorsOf(definition),
    enter(node) {
      if (node.type === "comment") {
        suppressions.add(node);
        return;
      }
      scopes.enter(node);
      flow.enter(node);
      if (node.type === "import_statement" || node.type === "import_from_statement") recordModules(node, importedModules);
    },
    finishRecording() {
      recording = false;
      scopes.finishRecording();
    },
    revisit(node) {
      scopes.revisit(node);
    },
    resolve,
    constant,
    importsModule,
    enclosingName(node) {
      // From the scopes, which are already ordered: no walk up through every enclosing expression.
      const names: string[] = [];
      for (let scope: Scope | null = scopes.scopeAt(node); scope; scope = scope.parent) {
        if (scope.kind === "function" || scope.kind === "class") names.push(scope.name);
      }
      return names.reverse().join(".");
    },
  };
}

function recordModules(node: SyntaxNode, modules: Set<string>): void {
  if (node.type === "import_from_statement") {
    const moduleName = field(node, "module_name");
    if (moduleName) modules.add(moduleName.text);
    return;
  }
  for (const child of node.namedChildren) {
    const name = child.type === "aliased_import" ? field(child, "name") : child;
    if (name?.type === "dotted_name") modules.add(name.text);
  }
}
