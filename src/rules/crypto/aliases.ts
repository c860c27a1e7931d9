import { field } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";

/**
 * The rules' first filter is the last name of a callee (`md5` in `hashlib.md5(...)`), which is
 * cheap. `from hashlib import md5 as fastHash` calls `md5` under another name: this records such
 * aliases as the walk meets the imports (imports come before their uses), so the filter lets them
 * through to the resolver, which decides.
 */
export class AliasedNames {
  private readonly aliases = new Set<string>();

  constructor(private readonly lastNames: ReadonlySet<string>) {}

  /** Visitor for `import_from_statement` and `import_statement`. */
  readonly visit = (node: SyntaxNode): void => {
    for (const child of node.namedChildren) {
      if (child.type !== "aliased_import") continue;
      const name = field(child, "name");
      const alias = field(child, "alias");
      if (!name || !alias) continue;
      const text = name.text;
      if (this.lastNames.has(text.slice(text.lastIndexOf(".") + 1))) this.aliases.add(alias.text);
    }
  };

  /** True when a callee whose last name is `lastName` may be one of the functions. */
  has(lastName: string): boolean {
    return this.lastNames.has(lastName) || this.aliases.has(lastName);
  }
}
