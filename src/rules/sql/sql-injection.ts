import { matchesQualified } from "../../engine/analyses/names.js";
import { argument, callArguments, calleeLastName, field, unparenthesize, type CallArguments } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import {
  ListAdditions,
  describeKind,
  examineString,
  firstDynamicStep,
  listValues,
  snippet,
  type BuildStep,
  type StringBuild,
} from "../support/string-building.js";
import { firstTaintedStep, taintNote } from "../support/taint-note.js";

/** Method names of the sinks; the cheapest test, made before anything is resolved. */
const SINK_NAMES = new Set([
  "execute",
  "executemany",
  "executescript",
  "exec_driver_sql",
  "mogrify",
  "fetch",
  "fetchrow",
  "fetchval",
  "raw",
  "extra",
  "text",
  "RawSQL",
  "read_sql",
  "read_sql_query",
]);

/** DB-API and asyncpg methods that also exist on many other objects: reported only when the text looks like SQL. */
const WEAK_METHODS = new Set(["execute", "executemany", "mogrify", "fetch", "fetchrow", "fetchval", "raw"]);
/** Methods that only take SQL, whatever the receiver. */
const STRONG_METHODS = new Set(["executescript", "exec_driver_sql"]);

const SQLALCHEMY_TEXT = new Set(["sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "sqlmodel.text"]);
const PANDAS_READ_SQL = new Set([
  "pandas.read_sql",
  "pandas.read_sql_query",
  "pandas.io.sql.read_sql",
  "pandas.io.sql.read_sql_query",
  "modin.pandas.read_sql",
]);

const QUERY_KEYWORDS = ["sql", "query", "statement", "operation", "stmt"];
/** Positions of `QuerySet.extra(select, where, params, tables, order_by)` arguments that hold SQL. */
const EXTRA_SQL_ARGUMENTS: ReadonlyArray<[string, number]> = [
  ["select", 0],
  ["where", 1],
  ["tables", 3],
  ["order_by", 4],
];

/** An SQL keyword in capitals anywhere in the constant text... */
const SQL_KEYWORD =
  /\b(?:SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|REPLACE|MERGE|PRAGMA|EXEC|EXECUTE|CALL|GRANT|REVOKE|TRUNCATE|FROM|WHERE|VALUES|JOIN|LIMIT|ORDER\s+BY|GROUP\s+BY)\b/u;
/** ...or a statement shape in any case. */
const SQL_PHRASE =
  /\bselect\b[\s\S]*\bfrom\b|\binsert\s+(?:or\s+\w+\s+)?into\b|\bdelete\s+from\b|\bupdate\s+[\w."`[\]]+\s+set\b|\b(?:create|drop|alter|truncate)\s+(?:table|index|view|database|schema)\b|\bwhere\s+[\w."`]+\s*(?:=|<|>|!=|<>|\blike\b|\bin\b)|^\s*pragma\b/iu;

export function looksLikeSql(text: string): boolean {
  return SQL_KEYWORD.test(text) || SQL_PHRASE.test(text);
}

type SinkFamily = "dbapi" | "asyncpg" | "script" | "driver" | "text" | "raw" | "rawsql" | "extra" | "pandas";

interface Sink {
  family: SinkFamily;
  /** Reported only when the text looks like SQL. */
  weak: boolean;
}

const FLASK_SQLALCHEMY = new Set(["flask_sqlalchemy.SQLAlchemy"]);

/** `db.text(...)` where `db = SQLAlchemy(app)` (Flask-SQLAlchemy re-exports `text`). */
function isFlaskSqlalchemyText(context: RuleContext, callee: SyntaxNode): boolean {
  const receiver = callee.type === "attribute" ? field(callee, "object") : null;
  if (receiver?.type !== "identifier") return false;
  const binding = context.analyses.scopes.bindingBefore(receiver.text, receiver) ?? context.analyses.scopes.bindingsOf(receiver.text, receiver)[0];
  const value = binding?.kind === "assignment" && binding.value ? unparenthesize(binding.value) : null;
  const constructor = value?.type === "call" ? field(value, "function") : null;
  return !!constructor && matchesQualified(context.analyses.resolve(constructor), FLASK_SQLALCHEMY);
}

function classify(context: RuleContext, callee: SyntaxNode, lastName: string): Sink | null {
  if (STRONG_METHODS.has(lastName)) return { family: lastName === "executescript" ? "script" : "driver", weak: false };
  switch (lastName) {
    case "text":
      return matchesQualified(context.analyses.resolve(callee), SQLALCHEMY_TEXT) || isFlaskSqlalchemyText(context, callee)
        ? { family: "text", weak: false }
        : null;
    case "read_sql":
    case "read_sql_query":
      return matchesQualified(context.analyses.resolve(callee), PANDAS_READ_SQL) ? { family: "pandas", weak: false } : null;
    case "RawSQL": {
      const resolved = context.analyses.resolve(callee);
      return resolved && resolved.origin !== "local" ? { family: "rawsql", weak: false } : null;
    }
    case "extra":
      return callee.type === "attribute" ? { family: "extra", weak: false } : null;
    case "raw": {
      if (callee.type !== "attribute") return null;
      const receiver = field(callee, "object");
      // Model.objects.raw(...) is Django's raw query; other `.raw(...)` calls must look like SQL.
      const manager = receiver?.type === "attribute" ? field(receiver, "attribute")?.text : undefined;
      return { family: "raw", weak: manager !== "objects" };
    }
    case "fetch":
    case "fetchrow":
    case "fetchval":
      return callee.type === "attribute" ? { family: "asyncpg", weak: true } : null;
    default:
      return WEAK_METHODS.has(lastName) ? { family: "dbapi", weak: true } : null;
  }
}

function queryArgument(sink: Sink, args: CallArguments): SyntaxNode | undefined {
  switch (sink.family) {
    case "text":
      return argument(args, 0, "text");
    case "script":
      return argument(args, 0, "sql_script");
    case "rawsql":
    case "pandas":
      return argument(args, 0, "sql");
    case "raw":
      return argument(args, 0, "raw_query");
    default: {
      const first = args.positional[0];
      if (first) return first;
      for (const keyword of QUERY_KEYWORDS) {
        const value = args.keywords.get(keyword);
        if (value) return value;
      }
      return undefined;
    }
  }
}

/** The SQL fragments of a `QuerySet.extra(...)` call: list elements and dict values of select/where/tables/order_by. */
function extraFragments(context: RuleContext, args: CallArguments): SyntaxNode[] {
  const fragments: SyntaxNode[] = [];
  for (const [keyword, position] of EXTRA_SQL_ARGUMENTS) {
    const value = argument(args, position, keyword);
    if (!value) continue;
    let container = unparenthesize(value);
    if (container.type === "identifier") {
      const bound = context.analyses.scopes.bindingBefore(container.text, container);
      if (bound?.kind === "assignment" && bound.value) container = unparenthesize(bound.value);
    }
    if (container.type === "list" || container.type === "tuple") {
      for (const element of container.namedChildren) if (element.type !== "comment") fragments.push(element);
    } else if (container.type === "dictionary") {
      for (const pair of container.namedChildren) {
        const pairValue = pair.type === "pair" ? field(pair, "value") : null;
        if (pairValue) fragments.push(pairValue);
      }
    } else {
      fragments.push(container);
    }
  }
  return fragments;
}

function placeholderFor(context: RuleContext): string {
  return context.analyses.importsModule("sqlite3") || context.analyses.importsModule("aiosqlite") ? "?" : "%s";
}

function exampleValue(step: BuildStep): string {
  const first = step.dynamic[0];
  let text = first ? unparenthesize(first) : undefined;
  // str(userId) -> userId
  if (text?.type === "call" && field(text, "function")?.text === "str") text = callArguments(text).positional[0] ?? text;
  return text && (text.type === "identifier" || text.type === "attribute") && text.text.length <= 30 ? text.text : "value";
}

function advice(context: RuleContext, sink: Sink, sinkName: string, value: string): string {
  switch (sink.family) {
    case "text":
      return `bind the values: \`session.execute(text("… WHERE id = :id"), {"id": ${value}})\``;
    case "raw":
      return `pass the values as parameters: \`${sinkName}("… WHERE id = %s", [${value}])\``;
    case "rawsql":
      return `pass the values as parameters: \`RawSQL("… = %s", (${value},))\``;
    case "extra":
      return `pass the values in \`params\`: \`.extra(where=["id = %s"], params=[${value}])\`, or use the ORM's \`filter\``;
    case "pandas":
      return `pass the values as parameters: \`${sinkName}("… WHERE id = ${placeholderFor(context)}", connection, params=(${value},))\``;
    case "asyncpg":
      return `pass the values as arguments: \`${sinkName}("… WHERE id = $1", ${value})\``;
    case "script":
      return `\`executescript\` takes no parameters; run each statement with \`execute("… WHERE id = ?", (${value},))\``;
    default:
      return `pass the values as parameters: \`${sinkName}("… WHERE id = ${placeholderFor(context)}", (${value},))\``;
  }
}

/** Text right before a value, inside the construction that inserts it (the constant part of an f-string or a `+` chain). */
function textBefore(value: SyntaxNode): string {
  const parent = value.parent;
  if (!parent) return "";
  if (parent.type === "interpolation") {
    const previous = parent.previousNamedSibling;
    return previous?.type === "string_content" ? previous.text : "";
  }
  if (parent.type === "binary_operator" && field(parent, "right")?.startIndex === value.startIndex) {
    let left = field(parent, "left");
    if (left?.type === "binary_operator") left = field(left, "right");
    return left?.type === "string" ? left.text.replace(/["']+$/u, "") : "";
  }
  return "";
}

/** A value that stands where SQL expects a table or column name, which no placeholder can hold. */
const IDENTIFIER_POSITION = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|BY|SELECT|TRUNCATE|EXISTS)\s*[`"[]?$/iu;
/** The same, for a template's placeholders: `"SELECT * FROM {}".format(t)`, `"... FROM %s" % t`. */
const IDENTIFIER_PLACEHOLDER = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|BY|SELECT|TRUNCATE|EXISTS)\s*[`"[]?(?:\{[^{}]*\}|%(?:\([^)]*\))?s)/iu;

function isIdentifierPosition(step: BuildStep): boolean {
  if (step.kind === "join") return true;
  if (step.kind === "format" || step.kind === "percent") {
    const template = step.kind === "format" ? field(field(step.node, "function") ?? step.node, "object") : field(step.node, "left");
    return template?.type === "string" && IDENTIFIER_PLACEHOLDER.test(template.text);
  }
  return step.dynamic.some((value) => IDENTIFIER_POSITION.test(textBefore(value)));
}

function message(
  context: RuleContext,
  sink: Sink,
  sinkName: string,
  call: SyntaxNode,
  argumentNode: SyntaxNode,
  step: BuildStep,
  tainted: string | null,
): string {
  const how = describeKind(step.kind);
  const line = step.node.startPosition.row + 1;
  const onLine = line === call.startPosition.row + 1 ? "" : ` on line ${line}`;
  const from = `from ${listValues(step.dynamic)}${tainted ? ` (${tainted})` : ""}`;
  const value = exampleValue(step);
  const tail = isIdentifierPosition(step)
    ? `table and column names cannot be parameters: check \`${value}\` against a fixed allow-list of names, and pass the values as parameters`
    : advice(context, sink, sinkName, value);
  const argument = unparenthesize(argumentNode);
  if (step.variable) {
    const direct = argument.type === "identifier" && argument.text === step.variable;
    const through = argument.type === "identifier" && !direct ? ` through \`${argument.text}\`` : "";
    return `\`${step.variable}\` is built with ${how}${onLine} ${from} and ${direct ? "is passed to" : "reaches"} \`${sinkName}\`${through}; ${tail}.`;
  }
  return `The SQL passed to \`${sinkName}\` is built with ${how}${onLine} ${from}; ${tail}.`;
}

export const sqlInjection: RuleModule = {
  meta: {
    id: "PG-SQL-001",
    name: "sql-injection",
    title: "SQL built from values with string formatting",
    sections: ["G5", "C3"],
    cwe: [89],
    defaultSeverity: "error",
    bandit: ["B608", "B610", "B611"],
    docs: {
      whatItDoes:
        "Reports SQL text built with an f-string, `%`, `.format()`, `+`, `+=` or `str.join` from values that are not constants, when it reaches a query: DB-API `execute`/`executemany`/`executescript`, SQLAlchemy `text` and `exec_driver_sql`, Django `objects.raw`, `extra` and `RawSQL`, asyncpg `fetch`/`fetchrow`/`fetchval`, and `pandas.read_sql`. A variable assigned that way earlier in the function counts too.",
      whyIsThisBad:
        "A value pasted into SQL text becomes part of the statement. A quote in it ends the string literal and the rest runs as SQL: an attacker can read other rows, change data or drop tables. Parameters are sent apart from the statement and are never parsed as SQL.",
      example:
        'from flask import request\n\n@app.route("/users")\ndef func_findUser():\n    userName = request.args["name"]\n    query = f"SELECT id, email FROM users WHERE name = \'{userName}\'"\n    cursor = get_db().cursor()\n    cursor.execute(query)\n    return cursor.fetchone()',
      useInstead:
        'from flask import request\n\n@app.route("/users")\ndef func_findUser():\n    cursor = get_db().cursor()\n    cursor.execute("SELECT id, email FROM users WHERE name = %s", (request.args["name"],))\n    return cursor.fetchone()',
      notes:
        "Not reported: constant queries (including f-strings whose values are module constants), parameterized calls, placeholder lists built only from literals and `len()` (`\", \".join([\"%s\"] * len(ids))`, `\"?, \" * len(ids)`), values that are numbers (`int(x)`, `float(x)`, `len(x)`), and `psycopg2.sql` composition (`sql.SQL(...).format(sql.Identifier(name))`). `execute`, `executemany`, `mogrify`, `fetch*` and `raw` exist on many objects that are not databases, so for them the constant text must look like SQL (a keyword in capitals such as `SELECT` or `WHERE`, or a statement shape such as `select … from`); `text`, `objects.raw`, `RawSQL`, `extra`, `read_sql`, `executescript` and `exec_driver_sql` are reported whatever the text. Names in capitals are configuration by convention and count as constants (`f\"SELECT * FROM {USERS_TABLE}\"`, `settings.AUDIT_TABLE`); `self.tableName` does not. Variables are followed back through their assignments in the same function: `+=` chains, `q = q + ...`, assignments in `if`/`else` branches and loops (both the branch's value and the one before it), and lists filled with `append`/`extend`/`insert` before `\" AND \".join(conditions)`. A query passed in as a parameter is not followed into the caller (a tainted-flow rule's job). The severity is `error` when the taint analysis sees a value in the query come from request data, `input()`, `sys.argv` or another untrusted source (the message names it), and `warning` for other values that are not constants, such as a function's parameter, whose callers the analysis does not follow.",
    },
  },
  create(context) {
    const aliases = new ImportAliases(SINK_NAMES);
    const additions = new ListAdditions(context.analyses);
    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        if (ListAdditions.handles(lastName)) {
          additions.record(node, lastName);
          return;
        }
        if (!aliases.has(lastName)) return;
        const callee = field(node, "function");
        if (!callee) return;
        // An alias (`from sqlalchemy import text as sqlText`) is classified by what it imports.
        const realName = SINK_NAMES.has(lastName) ? lastName : importedLastName(context, callee);
        const sink = realName ? classify(context, callee, realName) : null;
        if (!sink) return;
        const args = callArguments(node);
        const sinkName = snippet(callee, 40);
        const candidates = sink.family === "extra" ? extraFragments(context, args) : [queryArgument(sink, args)];
        // SQL built from request data or other untrusted input is an error; SQL built from other
        // values that are not constants (a parameter whose callers are not followed) a warning.
        let untainted: { expression: SyntaxNode; step: BuildStep } | undefined;
        for (const candidate of candidates) {
          if (!candidate) continue;
          const expression = unparenthesize(candidate);
          // Quick exits: plain names of parameters and constants are the common case.
          if (expression.type === "call" && sink.family !== "extra" && !isStringMethodCall(expression)) continue;
          const build = examineString(context.analyses, expression, { additions });
          const step = build.incomplete ? undefined : firstDynamicStep(build);
          if (!step) continue;
          if (sink.weak && !looksLikeSql(build.text)) continue;
          const tainted = taintedStep(context, build, expression, step);
          if (tainted) {
            context.report({ node, severity: "error", message: message(context, sink, sinkName, node, expression, tainted.step, tainted.note) });
            return;
          }
          untainted ??= { expression, step };
        }
        if (untainted) {
          context.report({ node, severity: "warning", message: message(context, sink, sinkName, node, untainted.expression, untainted.step, null) });
        }
      },
    };
  },
};

/**
 * The construction that inserts untrusted data into the SQL, with the clause naming its source:
 * the first step (in source order) one of whose values the taint analysis traces to a source, or
 * else `first` when the query as a whole carries such data (a variable that held request data
 * before `+=` added to it). Null when nothing in the query comes from a source.
 */
function taintedStep(
  context: RuleContext,
  build: StringBuild,
  expression: SyntaxNode,
  first: BuildStep,
): { step: BuildStep; note: string } | null {
  const tainted = firstTaintedStep(context, build, "sql");
  if (tainted) return tainted;
  const note = taintNote(context, expression, "sql");
  return note ? { step: first, note } : null;
}

function importedLastName(context: RuleContext, callee: SyntaxNode): string | null {
  const resolved = context.analyses.resolve(callee);
  if (resolved?.origin !== "import") return null;
  return resolved.name.slice(resolved.name.lastIndexOf(".") + 1);
}

const BUILDING_METHODS = new Set(["format", "join", "strip", "lstrip", "rstrip", "upper", "lower", "replace"]);

/** `"...".format(x)`, `" ".join(parts)`: calls that build strings (any other call's result is not followed). */
function isStringMethodCall(call: SyntaxNode): boolean {
  const callee = field(call, "function");
  if (callee?.type !== "attribute") return false;
  const method = field(callee, "attribute")?.text;
  return method !== undefined && BUILDING_METHODS.has(method);
}
