import type { FileAnalyses } from "../../engine/analyses/index.js";
import { field } from "../../engine/syntax.js";
import type { SyntaxNode } from "../../engine/types.js";
import { classInfo, inheritsName } from "./classes.js";
import { isTestName } from "./name-forms.js";
import type { NamingSettings } from "./settings.js";

/** unittest and pytest (xunit-style) hooks, and the unittest `load_tests` protocol. */
const TEST_HOOKS = new Set([
  "setUp",
  "tearDown",
  "setUpClass",
  "tearDownClass",
  "setUpModule",
  "tearDownModule",
  "asyncSetUp",
  "asyncTearDown",
  "setUpTestData",
  "setup_module",
  "teardown_module",
  "setup_function",
  "teardown_function",
  "setup_class",
  "teardown_class",
  "setup_method",
  "teardown_method",
  "load_tests",
]);

/** Decorators that always exempt, whatever the config lists: `@override` (PEP 698) and pytest fixtures. */
const ALWAYS_EXEMPT_DECORATORS = new Set(["override", "fixture"]);
const PROPERTY_ACCESSORS = new Set(["setter", "getter", "deleter"]);

/**
 * Why something outside the function dictates its name (and so its parameters' names), or null.
 * A test, fixture or hook that pytest/unittest finds by name; a decorator that makes the name a
 * contract (`@override`, `@pytest.fixture`, `@x.setter` on `x`, the configured
 * `exemptDecorators`); a method that a base class defines (a library base in the framework table,
 * or a base class of this file).
 */
export function dictatedReason(
  analyses: FileAnalyses,
  settings: NamingSettings,
  definition: SyntaxNode,
  name: string,
): string | null {
  if (isTestName(name)) return "a test that pytest and unittest collect by name";
  if (name.startsWith("pytest_")) return "a pytest hook";
  if (TEST_HOOKS.has(name)) return "a unittest/pytest hook";
  const decorator = exemptingDecorator(analyses, settings, definition, name);
  if (decorator) return `decorated \`@${decorator}\``;
  const scope = analyses.scopes.scopeOf(definition)?.parent;
  if (scope?.kind === "class" && inheritsName(classInfo(analyses, scope.node), name)) return "an override of a base-class method";
  return null;
}

/** The decorator that exempts the function, as written, or null. */
function exemptingDecorator(analyses: FileAnalyses, settings: NamingSettings, definition: SyntaxNode, name: string): string | null {
  for (const decorator of analyses.decoratorsOf(definition)) {
    const expression = decorator.type === "call" ? field(decorator, "function") : decorator;
    if (!expression) continue;
    let last: string;
    if (expression.type === "identifier") last = expression.text;
    else if (expression.type === "attribute") {
      last = field(expression, "attribute")?.text ?? "";
      if (PROPERTY_ACCESSORS.has(last)) {
        // `@x.setter` keeps the name of the property `x`; on another name it makes a second property.
        const property = field(expression, "object");
        const propertyName = property?.type === "attribute" ? field(property, "attribute")?.text : property?.text;
        if (propertyName === name) return expression.text;
        continue;
      }
    } else continue;
    if (ALWAYS_EXEMPT_DECORATORS.has(last) || settings.exemptDecorators.has(last)) return expression.text;
  }
  return null;
}
