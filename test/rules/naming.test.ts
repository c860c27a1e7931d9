import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { suggestFunctionName, suggestVariableName } from "../../src/rules/naming/name-forms.js";
import { analyze, found } from "../support/engine.js";

const NAMING = /^PG-NAME-/u;

/** `line:ruleId` of the naming findings only. */
function naming(source: string, path?: string, document: Record<string, unknown> = {}): string[] {
  return found(source, path, parseConfig(document, "test")).filter((entry) => NAMING.test(entry.split(":")[1] ?? ""));
}

function messages(source: string, path?: string, document: Record<string, unknown> = {}): string[] {
  return analyze(source, path, parseConfig(document, "test"))
    .findings.filter((finding) => NAMING.test(finding.ruleId))
    .map((finding) => finding.message);
}

const SNIPPET = [
  "def load_user(user_id):", // 1
  "    user_name = user_id", // 2
  "    return user_name", // 3
  "", // 4
  "def fnLoadUser(userId):", // 5
  "    return userId", // 6
].join("\n");

describe("naming options", () => {
  it("uses the default patterns", () => {
    expect(naming(SNIPPET)).toEqual(["1:PG-NAME-001", "1:PG-NAME-002", "2:PG-NAME-002", "5:PG-NAME-001"]);
  });

  it("applies a custom functionPattern, and suggests names that match it", () => {
    const document = { naming: { functionPattern: "^fn[A-Z][a-zA-Z0-9]*$" } };
    expect(naming(SNIPPET, "snippet.py", document)).toEqual(["1:PG-NAME-001", "1:PG-NAME-002", "2:PG-NAME-002"]);
    const [first] = messages(SNIPPET, "snippet.py", document);
    expect(first).toContain("does not match the configured pattern `^fn[A-Z][a-zA-Z0-9]*$`");
    expect(first).toContain("`fnLoadUser`");
  });

  it("applies a custom variablePattern (snake_case)", () => {
    const document = { naming: { variablePattern: "^[a-z][a-z0-9_]*$" } };
    const source = "def func_load(user_id, userName):\n    total_count = 0\n    return total_count, userName\n";
    expect(naming(source, "snippet.py", document)).toEqual(["1:PG-NAME-002"]);
    expect(messages(source, "snippet.py", document)[0]).toContain("rename it to `user_name`");
  });

  it("accepts the names in ignoreNames, for functions and variables", () => {
    const source = "def main(argv):\n    exit_code = 0\n    return exit_code\n\ndef handler(event, context):\n    return event\n";
    expect(naming(source)).toEqual(["1:PG-NAME-001", "2:PG-NAME-002", "5:PG-NAME-001"]);
    expect(naming(source, "snippet.py", { naming: { ignoreNames: ["main", "handler", "exit_code"] } })).toEqual([]);
  });

  it("skips test files unless checkTestFiles is true", () => {
    const source = "def load_rows(file_name):\n    return file_name\n\ndef test_rows(tmp_path):\n    assert tmp_path\n";
    for (const path of ["tests/test_rows.py", "pkg/rows_test.py", "conftest.py", "C:\\repo\\tests\\test_rows.py"]) {
      expect(naming(source, path)).toEqual([]);
    }
    // Checked: the helper and its parameter; the test (and its fixture parameter) keeps its name.
    expect(naming(source, "tests/test_rows.py", { naming: { checkTestFiles: true } })).toEqual(["1:PG-NAME-001", "1:PG-NAME-002"]);
    // Not a test file: `test_` elsewhere in the path, or `testing.py`.
    expect(naming(source, "test_pkg/rows.py")).toEqual(["1:PG-NAME-001", "1:PG-NAME-002"]);
    expect(naming(source, "testing.py")).toEqual(["1:PG-NAME-001", "1:PG-NAME-002"]);
  });

  it("exempts the configured decorators by their last dotted part, and their parameters", () => {
    const source = "import click\n\n@click.command()\ndef sync_users(dry_run):\n    return dry_run\n";
    expect(naming(source)).toEqual(["4:PG-NAME-001", "4:PG-NAME-002"]);
    expect(naming(source, "snippet.py", { naming: { exemptDecorators: ["click.command"] } })).toEqual([]);
  });

  it("keeps @override, fixtures and matching property accessors exempt when exemptDecorators is emptied", () => {
    const source = [
      "import pytest",
      "from typing import override",
      "class Service:",
      "    @override",
      "    def refresh_cache(self):",
      "        return None",
      "    @property",
      "    def user_name(self):",
      "        return 1",
      "    @user_name.setter",
      "    def user_name(self, value):",
      "        self.stored = value",
      "@pytest.fixture",
      "def db_session():",
      "    return None",
    ].join("\n");
    // `@property` is no longer exempt: the getter is reported once; the setter repeats its name.
    expect(naming(source, "snippet.py", { naming: { exemptDecorators: [] } })).toEqual(["8:PG-NAME-001"]);
  });
});

describe("naming messages", () => {
  it("names the identifier, the expected form and a conforming name", () => {
    const [functionMessage, parameterMessage, variableMessage] = messages(SNIPPET);
    expect(functionMessage).toBe("Function `load_user` is not named `func_` + camelCase; rename it to `func_loadUser` and update its callers.");
    expect(parameterMessage).toBe("Parameter `user_id` of `load_user` is not camelCase; rename it to `userId`.");
    expect(variableMessage).toBe("Variable `user_name` is not camelCase; rename it to `userName`.");
  });

  it("explains private names and UPPER_CASE locals, and offers no fix", () => {
    const source = "class Repo:\n    def _fetch_rows(self):\n        PAGE_SIZE = 10\n        return PAGE_SIZE\n";
    const result = analyze(source);
    const naming = result.findings.filter((finding) => NAMING.test(finding.ruleId));
    expect(naming.map((finding) => finding.message)).toEqual([
      "Method `Repo._fetch_rows` is not named `func_` + camelCase; rename it to `_func_fetchRows` and update its callers. The leading underscore marks it private; the rest of the name must still follow the convention.",
      "Variable `PAGE_SIZE` is not camelCase; rename it to `pageSize`. UPPER_CASE marks module- and class-level constants; inside a function, annotate it `Final` or move it to module level to keep it.",
    ]);
    expect(naming.every((finding) => finding.fix === undefined && finding.severity === "warning")).toBe(true);
  });

  it("suggests names that match the pattern", () => {
    const functionPattern = /^func_[a-z][a-zA-Z0-9]*$/u;
    const variablePattern = /^[a-z][a-zA-Z0-9]*$/u;
    expect(suggestFunctionName("load_user", functionPattern)).toBe("func_loadUser");
    expect(suggestFunctionName("loadUser", functionPattern)).toBe("func_loadUser");
    expect(suggestFunctionName("func_load_user", functionPattern)).toBe("func_loadUser");
    expect(suggestFunctionName("__load_user", functionPattern)).toBe("__func_loadUser");
    expect(suggestFunctionName("getHTTPResponse", functionPattern)).toBe("func_getHttpResponse");
    expect(suggestVariableName("user_name", variablePattern)).toBe("userName");
    expect(suggestVariableName("UserName", variablePattern)).toBe("userName");
    expect(suggestVariableName("MAX_RETRIES", variablePattern)).toBe("maxRetries");
    expect(suggestVariableName("_user_name", variablePattern)).toBe("_userName");
    expect(suggestVariableName("naïve_count", variablePattern)).toBeNull();
  });
});

describe("naming binding sites", () => {
  it("reports a name once per scope, at its first binding", () => {
    const source = [
      "user_name = 1", // 1
      "user_name = 2", // 2
      "def func_a():", // 3
      "    user_name = 3", // 4: a new local of func_a
      "    user_name = 4", // 5
      "    return [user_name for user_name in range(2)]", // 6: the comprehension is its own scope
    ].join("\n");
    expect(naming(source)).toEqual(["1:PG-NAME-002", "4:PG-NAME-002", "6:PG-NAME-002"]);
  });

  it("judges `global` names in the module and `nonlocal` names where they are defined", () => {
    const source = [
      "shared_map = {}", // 1
      "def func_a():", // 2
      "    global shared_map, other_map", // 3
      "    shared_map = {}", // 4: rebinds the module's name
      "    other_map = {}", // 5: first binding of a module name
      "    hit_count = 0", // 6
      "    def func_b():", // 7
      "        nonlocal hit_count", // 8
      "        hit_count = 1", // 9
      "    return func_b", // 10
    ].join("\n");
    expect(naming(source)).toEqual(["1:PG-NAME-002", "5:PG-NAME-002", "6:PG-NAME-002"]);
  });

  it("never checks uses, keyword arguments, attribute or subscript targets and imports", () => {
    const source = [
      "import numpy_like as np_lib",
      "from os.path import join as join_path",
      "def func_a(row):",
      "    row.user_id = 1",
      "    row['user_id'] = 2",
      "    join_path(first_part='a', second_part='b')",
      "    return dict(user_id=row, page_size=np_lib)",
    ].join("\n");
    expect(naming(source)).toEqual([]);
  });

  it("follows framework bases through aliases, factories and local subclasses", () => {
    const source = [
      "from flask_sqlalchemy import SQLAlchemy",
      "from django.views import generic",
      "db = SQLAlchemy()",
      "BaseView = generic.ListView",
      "class Account(db.Model):",
      "    user_name = db.Column(db.String)", // data field
      "class AccountList(BaseView):",
      "    template_name = 'accounts.html'", // ListView attribute
      "    def get_queryset(self):", // ListView method
      "        return []",
      "class ActiveAccountList(AccountList):",
      "    paginate_by = 10", // inherited through a local base
      "    def get_context_data(self, **extra_context):",
      "        return extra_context",
      "    def build_row(self):", // 15: its own method
      "        return None",
    ].join("\n");
    expect(naming(source)).toEqual(["15:PG-NAME-001"]);
  });
});
