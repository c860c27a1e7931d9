import { field } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";

/**
 * A rule's first filter is the last name of the callee (`execute` in `cur.execute(...)`), which
 * is cheap. `from importlib import import_module as im` makes `im(...)` call `import_module`
 * under another name; this records such aliases as the walk meets the imports, so the filter can
 * let them through to the resolver, which decides.
 */
export class ImportAliases {
  private readonly aliases = new Set<string>();

  constructor(private readonly lastNames: ReadonlySet<string>) {}

  /** Visitor for `import_from_statement`. */
  readonly visit = (node: SyntaxNode): void => {
    for (const child of node.namedChildren) {
      if (child.type !== "aliased_import") continue;
      const name = field(child, "name");
      const alias = field(child, "alias");
      if (!name || !alias) continue;
      const last = name.text.slice(name.text.lastIndexOf(".") + 1);
      if (this.lastNames.has(last)) this.aliases.add(alias.text);
    }
  };

  /** True when a callee whose last name is `lastName` may be one of the functions. */
  has(lastName: string): boolean {
    return this.lastNames.has(lastName) || this.aliases.has(lastName);
  }
}
