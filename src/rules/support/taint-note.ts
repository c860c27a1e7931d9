import type { SinkKind } from "../../engine/analyses/taint.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";
import type { BuildStep, StringBuild } from "./string-building.js";

/**
 * Where untrusted data in one of `expressions` comes from, as a clause for a message
 * ("`host` comes from `sys.argv` on line 12"), or null when the taint analysis finds no source.
 * Asked only for findings about to be reported, so it costs nothing on clean code.
 */
export function taintNote(context: RuleContext, expressions: SyntaxNode | readonly SyntaxNode[], sink: SinkKind): string | null {
  const list = Array.isArray(expressions) ? expressions : [expressions as SyntaxNode];
  for (const expression of list.slice(0, 4)) {
    const source = context.analyses.taint.sourceOf(expression, sink);
    if (!source) continue;
    const text = expression.text.replace(/\s+/gu, " ");
    // `request.get_data()` is itself the source: say so rather than "comes from itself".
    if (text === source.label) return `\`${source.label}\` is untrusted input`;
    return context.analyses.taint.describe(expression, source);
  }
  return null;
}

/**
 * The first construction of a built string (in source order) with a value the taint analysis
 * traces to a source, and the clause naming it; null when no step inserts untrusted data.
 */
export function firstTaintedStep(context: RuleContext, build: StringBuild, sink: SinkKind): { step: BuildStep; note: string } | null {
  const steps = build.steps.filter((step) => step.dynamic.length > 0).sort((a, b) => a.node.startIndex - b.node.startIndex);
  for (const step of steps) {
    for (const value of step.dynamic) {
      const note = taintNote(context, value, sink);
      if (note) return { step, note };
    }
  }
  return null;
}
