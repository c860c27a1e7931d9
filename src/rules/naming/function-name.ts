import type { Scope } from "../../engine/analyses/scopes.js";
import { field } from "../../engine/syntax.js";
import type { RuleModule } from "../../engine/types.js";
import { dictatedReason } from "./functions.js";
import { conforms, isDunder, isThrowaway } from "./name-forms.js";
import { isTestFile, namingSettings, suggestion } from "./settings.js";

export const functionName: RuleModule = {
  meta: {
    id: "PG-NAME-001",
    name: "function-name",
    title: "Function or method name is not `func_` followed by camelCase",
    sections: ["G2", "G1"],
    cwe: [],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports function and method definitions whose name does not match `naming.functionPattern` (by default `^func_[a-z][a-zA-Z0-9]*$`: `func_` followed by camelCase, such as `func_loadUser`).",
      whyIsThisBad:
        "The guidelines ask for one naming scheme so that reviewers can tell the project's functions from library calls and variables at a glance. A mix of styles hides what a line calls.",
      example: "def load_user(userId):\n    return userId\n\n\nclass Repository:\n    def fetchAll(self):\n        return []",
      useInstead: "def func_loadUser(userId):\n    return userId\n\n\nclass Repository:\n    def func_fetchAll(self):\n        return []",
      notes: [
        "Names are checked where they are defined (`def`, `async def`, nested functions and methods), once per scope: a second `def` of the same name (a conditional definition, an `@overload` implementation after its stubs) is not reported again. Calls are never checked. A rename is not offered as a fix, because callers elsewhere would break; the message suggests a conforming name.",
        "Exempt, because Python or a tool dictates the name:",
        [
          "- dunders (`__init__`, `__getattr__`, `__post_init__`…) and throwaway names (`_`, `__`, `@x.register` on `def _`);",
          "- private names: one or two leading underscores are set aside and the rest must conform, so `_func_loadUser` and `__func_loadUser` pass while `_loadUser` (no `func_`) is reported with the suggestion `_func_loadUser`;",
          "- tests and hooks found by name: functions and methods named `test`, `test_…` or `testX…` (pytest's and unittest's prefix; `testimony` is not a test), `pytest_*` hooks, `setUp`/`tearDown`/`setUpClass`/`tearDownClass`/`setUpModule`/`tearDownModule`/`asyncSetUp`/`asyncTearDown`/`setUpTestData`, pytest's xunit `setup_module`…`teardown_method`, and `load_tests`; other helpers in `Test*` classes are checked;",
          "- functions decorated `@override`/`@typing.override` or `@pytest.fixture`/`@fixture` (always), or with a decorator whose last dotted part is in `naming.exemptDecorators` (default: `override`, `property`, `setter`, `getter`, `deleter`, `overload`, `fixture`, `hookimpl`, `hookspec`, `validator`, `field_validator`, `model_validator`, `root_validator`); `@x.setter`/`getter`/`deleter` exempt only a function named `x`, since the accessor must repeat the property's name (another name makes a second property, which is checked);",
          "- methods that override what a base class defines: a library base in the framework table (`src/rules/naming/framework-bases.ts`: `ast.NodeVisitor.visit_*`, `logging.Handler.emit`, `json.JSONEncoder.default`, `threading.Thread.run`, `http.server.BaseHTTPRequestHandler.do_*`, `unittest.TestCase`, Django views, models, forms (`clean_<field>`), admin and commands, DRF views and serializers (`validate_<field>`, `perform_create`, `get_serializer_class`), Flask `MethodView`, pydantic, SQLAlchemy, Celery, Scrapy, PyTorch…), matched through imports, aliases and wildcard imports; or a base class defined in the same file, where the name is reported once, at the base;",
          "- names in `naming.ignoreNames` (external contracts such as `main`, `handler`, Sphinx's `setup`);",
          "- whole test files (`test_*.py`, `*_test.py`, `conftest.py`) unless `naming.checkTestFiles` is true.",
        ].join("\n"),
        "Class names are not checked. A base class imported from another module of the project is not followed: mark overrides of it with `@override`. Decorators that publish the function name (`@app.route` endpoints, `@celery.task`, `@click.command`) can be added to `naming.exemptDecorators`.",
      ].join("\n\n"),
    },
  },
  create(context) {
    const settings = namingSettings(context.options);
    if (!settings.checkTestFiles && isTestFile(context.path)) return {};
    const { analyses } = context;
    const scopes = analyses.scopes;
    /** Names already reported, by the scope that binds them. */
    const reported = new Map<Scope, Set<string>>();

    return {
      function_definition(node) {
        const nameNode = field(node, "name");
        if (!nameNode) return;
        const name = nameNode.text;
        if (conforms(name, settings.functionPattern)) return;
        if (settings.ignoreNames.has(name) || isDunder(name) || isThrowaway(name)) return;
        if (dictatedReason(analyses, settings, node, name) !== null) return;

        let scope = scopes.scopeOf(node)?.parent ?? scopes.module;
        if (scope.globals.has(name)) scope = scopes.module;
        let names = reported.get(scope);
        if (!names) {
          names = new Set();
          reported.set(scope, names);
        }
        if (names.has(name)) return;
        names.add(name);

        const what = scope.kind === "class" ? `Method \`${scope.name}.${name}\`` : `Function \`${name}\``;
        const suggested = suggestion(settings, "function", name);
        const privacy = name.startsWith("_") ? " The leading underscore marks it private; the rest of the name must still follow the convention." : "";
        const rename = suggested
          ? `rename it to \`${suggested}\` and update its callers`
          : `rename it to match \`${settings.functionPattern.source}\` and update its callers`;
        context.report({ node: nameNode, message: `${what} ${settings.functionMismatch}; ${rename}.${privacy}` });
      },
    };
  },
};
