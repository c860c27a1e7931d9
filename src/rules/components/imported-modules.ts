import { field } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";

/** One module an import statement brings in, with the names it takes from it. */
export interface ImportedModule {
  /** The dotted module path: `xml.etree.ElementTree` for `import xml.etree.ElementTree as ET` and for `from xml.etree import ElementTree`. */
  module: string;
  /** For `from m import a, b`: the names taken (`*` for a wildcard); empty for `import m`. */
  names: string[];
}

/**
 * The modules of an `import` or `from … import` statement. `from pkg import name` yields `pkg`
 * with `name`, and also `pkg.name` (a submodule, when it is one: the caller decides by name).
 * Relative imports (`from . import cgi`) are the project's own modules and yield nothing.
 */
export function importedModules(statement: SyntaxNode): ImportedModule[] {
  const result: ImportedModule[] = [];
  if (statement.type === "import_statement") {
    for (const child of statement.namedChildren) {
      const name = child.type === "aliased_import" ? field(child, "name") : child;
      if (name?.type === "dotted_name") result.push({ module: name.text, names: [] });
    }
    return result;
  }
  if (statement.type !== "import_from_statement") return result;
  const moduleName = field(statement, "module_name");
  if (!moduleName || moduleName.type !== "dotted_name") return result;
  const module = moduleName.text;
  const names: string[] = [];
  for (const child of statement.namedChildren) {
    if (child.startIndex === moduleName.startIndex) continue;
    if (child.type === "wildcard_import") names.push("*");
    else if (child.type === "dotted_name") names.push(child.text);
    else if (child.type === "aliased_import") {
      const name = field(child, "name");
      if (name) names.push(name.text);
    }
  }
  result.push({ module, names });
  for (const name of names) if (name !== "*") result.push({ module: `${module}.${name}`, names: [] });
  return result;
}
