import type { SinkKind } from "../../engine/analyses/taint.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";

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
