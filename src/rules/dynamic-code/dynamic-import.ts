import { matchesQualified } from "../../engine/analyses/names.js";
import { argument, callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { examineString, snippet } from "../support/string-building.js";
import { taintNote } from "../support/taint-note.js";

const IMPORTERS = new Set(["__import__", "builtins.__import__", "importlib.__import__", "importlib.import_module"]);
const LAST_NAMES = new Set(["__import__", "import_module"]);

export const dynamicImport: RuleModule = {
  meta: {
    id: "PG-DYN-002",
    name: "dynamic-import",
    title: "Module imported by a name that is not a constant",
    sections: ["G4"],
    cwe: [470],
    defaultSeverity: "warning",
    docs: {
      whatItDoes: "Reports `__import__(name)` and `importlib.import_module(name)` when the module name is not a constant.",
      whyIsThisBad:
        "Importing a module runs its top-level code. When the name comes from a request, a file or a setting that someone else can change, they choose which code runs in the program: any installed module, or a file they managed to place on the import path.",
      example:
        'import importlib\n\ndef func_loadExporter(formatName):\n    module = importlib.import_module(f"exporters.{formatName}")\n    return module.func_export',
      useInstead:
        'from exporters import csvExporter, jsonExporter\n\n# Only these modules can be chosen.\nEXPORTERS = {"csv": csvExporter, "json": jsonExporter}\n\ndef func_loadExporter(formatName):\n    return EXPORTERS[formatName].func_export',
      notes:
        "Constant names are not reported, nor names taken from a loop over a constant list (`for name in (\"a\", \"b\"): import_module(name)`), nor names in capitals, which are configuration by convention (`settings.CACHE_BACKEND`, `for app in settings.INSTALLED_APPS`). The severity is `error` when the name comes from request data or another untrusted source, and `warning` otherwise, because plugin loaders often read the name from trusted configuration; map allowed names to modules, or suppress the finding with the reason.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(LAST_NAMES);
    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        const resolved = context.analyses.resolve(callee);
        if (!resolved || !matchesQualified(resolved, IMPORTERS)) return;
        const args = callArguments(node);
        const name = argument(args, 0, "name");
        if (!name) return;
        const expression = unparenthesize(name);
        if (context.analyses.constant(expression)) return;
        const build = examineString(context.analyses, expression);
        if (build.incomplete) return;
        // Built only from constants and loop variables over constant lists.
        if (build.opaque.length === 0 && build.steps.every((step) => step.dynamic.length === 0)) return;
        const shown = resolved.name.endsWith("import_module") ? "importlib.import_module" : "__import__";
        // A name from a request or another source is an error; one from configuration a warning.
        const tainted = taintNote(context, expression, "code");
        context.report({
          node,
          ...(tainted ? { severity: "error" as const } : {}),
          message: `\`${shown}\` imports a module named by \`${snippet(expression)}\`, which is not a constant${tainted ? ` (${tainted})` : ""}; map the allowed names to modules in a dictionary instead of importing whatever name arrives.`,
        });
      },
    };
  },
};
