import type { Binding, BindingKind, Scope } from "../../engine/analyses/scopes.js";
import { field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { classInfo, inheritsName } from "./classes.js";
import { dictatedReason } from "./functions.js";
import { conforms, isCapitalised, isDunder, isThrowaway, isUpperCase } from "./name-forms.js";
import { isTestFile, namingSettings, suggestion } from "./settings.js";

/** Bindings that introduce a variable. A name first bound by `def`, `class` or `import` is not one. */
const VARIABLE_KINDS = new Set<BindingKind>([
  "assignment",
  "augmented-assignment",
  "annotation",
  "parameter",
  "for",
  "with",
  "except",
  "walrus",
  // `match` captures: the scope tracker has the kind but does not record them yet.
  "match",
]);

const RECEIVERS = new Set(["self", "cls"]);
/** Values a capitalised module- or class-level name may hold and still be a type: `UserId = NewType(…)`, `Vector = list[float]`, `Base = declarative_base()`, `Json = dict | list`. */
const TYPE_LIKE_VALUES = new Set(["call", "subscript", "identifier", "attribute"]);
const FINAL = /\bFinal\b/u;
const TYPE_ALIAS = /\bTypeAlias\b|^type\[/u;

/** How a message names the binding: "Loop variable `rowIndex`", "Class attribute `Repo.pageSize`". */
function describe(binding: Binding): string {
  const name = binding.name;
  switch (binding.kind) {
    case "for":
      return `${binding.site.type === "for_in_clause" ? "Comprehension variable" : "Loop variable"} \`${name}\``;
    case "with":
      return `\`with\` target \`${name}\``;
    case "except":
      return `Exception variable \`${name}\``;
    default:
      if (binding.scope.kind === "module") return `Module variable \`${name}\``;
      if (binding.scope.kind === "class") return `Class attribute \`${binding.scope.name}.${name}\``;
      return `Variable \`${name}\``;
  }
}

export const variableName: RuleModule = {
  meta: {
    id: "PG-NAME-002",
    name: "variable-name",
    title: "Variable or parameter name is not camelCase",
    sections: ["G1"],
    cwe: [],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports variables and parameters whose name does not match `naming.variablePattern` (by default camelCase, `^[a-z][a-zA-Z0-9]*$`: `userName`, `retryCount`), where the name is bound.",
      whyIsThisBad:
        "The guidelines ask for camelCase variables so that the code base reads one way. Mixed styles make reviews slower and let look-alike names (`user_id` next to `userId`) refer to different values.",
      example: "def func_greet(user_name):\n    greeting_text = f\"Hello {user_name}\"\n    return greeting_text",
      useInstead: "def func_greet(userName):\n    greetingText = f\"Hello {userName}\"\n    return greetingText",
      notes: [
        "Checked where a name is bound: parameters (of functions, methods and lambdas), assignment and annotation targets (also inside tuples and starred targets), `+=` targets, `for` and comprehension variables, `with … as` and `except … as` names, and `:=`. Each name is reported once per scope, at its first binding; a later reassignment is not reported, nor is a name first bound by a `def`, `class` or `import` (`func_x = cache(func_x)`). Uses, keyword arguments of calls (`requests.get(url, allow_redirects=False)`), attribute and subscript targets (`self.user_id = …`, `row[\"user_id\"] = …`) and import bindings (`import numpy as np`) are never checked. A `global` name is judged in the module, a `nonlocal` one where its function defines it. A rename is not offered as a fix: uses elsewhere (keyword callers of a parameter) would break.",
        "Exempt:",
        [
          "- dunders (`__all__`, `__version__`, `__slots__`) and throwaway names (`_`, `__`);",
          "- private names: one or two leading underscores are set aside and the rest must conform (`_userName` passes, `_user_name` is reported with the suggestion `_userName`);",
          "- constants: UPPER_CASE names (`MAX_RETRIES`, `_DEFAULT_TIMEOUT`, `X`) assigned at module or class level (so Enum members and settings too), and UPPER_CASE names annotated `Final` in any scope; an UPPER_CASE local without `Final` is a variable and is reported;",
          "- type names bound by assignment at module or class level: a capitalised name whose value is a call, a subscript, a name, an attribute or a `|` union (`UserId = NewType(…)`, `T_co = TypeVar(…)`, `Vector = list[float]`, `Base = declarative_base()`, `Json = dict | list`), or annotated `TypeAlias`; a capitalised name bound to a literal (`Greeting = \"hi\"`) is a variable. Class names are not checked;",
          "- class-level names that a base class dictates: attributes a library base reads (`template_name`, `serializer_class`, `_fields_`; see the framework table in `src/rules/naming/framework-bases.ts`), names bound by a base class of the same file (reported once, at the base), every field of a data contract (Django and SQLAlchemy models, Django forms, DRF serializers, pydantic, marshmallow, msgspec, `TypedDict`: columns, form inputs and JSON keys), and every option of a nested `class Meta` or `class Config`. Dataclass and NamedTuple fields are the project's own attributes and are checked;",
          "- parameters named `self` or `cls`, and every parameter of a function whose name something else dictates (its signature is dictated too): tests and fixtures (parameters are fixture names), pytest and unittest hooks, `@override`, decorators in `naming.exemptDecorators` (pluggy hooks and pydantic validators match parameters by name), property accessors and overrides of base-class methods. Parameters of dunder methods are checked (`__init__`'s are the constructor's keyword arguments); so are lambda parameters, which are the author's own names;",
          "- names in `naming.ignoreNames`, and whole test files (`test_*.py`, `*_test.py`, `conftest.py`) unless `naming.checkTestFiles` is true.",
        ].join("\n"),
        "Not yet checked: `match` capture patterns (they are checked as soon as the scope tracker records them) and type parameters (`def f[T]()`, which are type names).",
      ].join("\n\n"),
    },
  },
  create(context) {
    const settings = namingSettings(context.options);
    if (!settings.checkTestFiles && isTestFile(context.path)) return {};
    const { analyses } = context;
    const scopes = analyses.scopes;
    const pattern = settings.variablePattern;
    /** Scopes met during the walk; their names are judged at the end, when every binding is recorded. */
    const visited: Scope[] = [];

    function visit(node: SyntaxNode): void {
      let scope = scopes.scopeOf(node);
      // The `lambda` keyword token has the type `lambda` too, and the tracker opens a scope for
      // it under the same key; the lambda's own scope (with its parameters) is then its parent.
      if (scope && node.type === "lambda") {
        if (!node.isNamed) return;
        const end = node.endIndex;
        for (let guard = 0; scope && scope.endIndex !== end && guard < 4; guard++) {
          scope = scope.parent?.startIndex === scope.startIndex ? scope.parent : undefined;
        }
      }
      if (scope) visited.push(scope);
    }

    /**
     * Each name of a scope, once, at its first binding: the scope tracker has already found the
     * binding sites, so a conforming name costs a regex test and no syntax-tree access.
     */
    function checkScope(scope: Scope): void {
      let dictated: boolean | undefined;
      for (const [name, bindings] of scope.bindings) {
        if (conforms(name, pattern) || settings.ignoreNames.has(name) || isDunder(name) || isThrowaway(name)) continue;
        const first = bindings[0];
        if (!first || first.scope !== scope || !VARIABLE_KINDS.has(first.kind) || scope.nonlocals.has(name)) continue;
        if (first.kind === "parameter") {
          if (RECEIVERS.has(name)) continue;
          if (scope.kind === "function") {
            dictated ??= dictatedReason(analyses, settings, scope.node, scope.name) !== null;
            if (dictated) continue;
          }
          report(first.node, name, `Parameter \`${name}\` of ${owner(scope)}`, false);
          continue;
        }
        if (exemptInScope(scope, name, first)) continue;
        const upperLocal = isUpperCase(name) && scope.kind !== "module" && scope.kind !== "class";
        report(first.node, name, describe(first), upperLocal);
      }
    }

    function owner(scope: Scope): string {
      if (scope.kind !== "function") return "a lambda";
      return scope.parent?.kind === "class" ? `\`${scope.parent.name}.${scope.name}\`` : `\`${scope.name}\``;
    }

    function exemptInScope(scope: Scope, name: string, binding: Binding): boolean {
      const atTopLevel = scope.kind === "module" || scope.kind === "class";
      const declared = binding.kind === "assignment" || binding.kind === "annotation";
      if (declared && isUpperCase(name)) {
        if (atTopLevel) return true;
        const annotation = field(binding.site, "type");
        if (annotation && FINAL.test(annotation.text)) return true;
      }
      if (declared && atTopLevel && isCapitalised(name) && isTypeLike(binding)) return true;
      if (scope.kind === "class") {
        const info = classInfo(analyses, scope.node);
        if (info.optionsClass || info.dataFields || inheritsName(info, name)) return true;
      }
      return false;
    }

    function isTypeLike(binding: Binding): boolean {
      const annotation = field(binding.site, "type");
      if (annotation && TYPE_ALIAS.test(annotation.text)) return true;
      if (!binding.value) return false;
      const value = unparenthesize(binding.value);
      if (TYPE_LIKE_VALUES.has(value.type)) return true;
      return value.type === "binary_operator" && field(value, "operator")?.text === "|";
    }

    function report(node: SyntaxNode, name: string, what: string, upperLocal: boolean): void {
      const suggested = suggestion(settings, "variable", name);
      const rename = suggested ? `rename it to \`${suggested}\`` : `rename it to match \`${pattern.source}\``;
      const hint = upperLocal
        ? " UPPER_CASE marks module- and class-level constants; inside a function, annotate it `Final` or move it to module level to keep it."
        : name.startsWith("_")
          ? " The leading underscore marks it private; the rest of the name must still follow the convention."
          : "";
      context.report({ node, message: `${what} ${settings.variableMismatch}; ${rename}.${hint}` });
    }

    return {
      function_definition: visit,
      lambda: visit,
      list_comprehension: visit,
      set_comprehension: visit,
      dictionary_comprehension: visit,
      generator_expression: visit,
      class_definition: visit,
      "module:exit"() {
        checkScope(scopes.module);
        for (const scope of visited) checkScope(scope);
      },
    };
  },
};
