import { callArguments, field, stringParts, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { describeKind, examineString, firstDynamicStep, listValues } from "../support/string-building.js";

/** Query methods that take a SQL expression; SQLAlchemy 1.x also took plain strings there, as raw SQL. */
const CLAUSE_METHODS = new Set(["filter", "order_by", "group_by", "having", "where"]);
/** Operators that build strings; `|`, `&`, `-`, `*` … combine column expressions (`(User.a == 1) | (User.b == 2)`). */
const STRING_OPERATORS = new Set(["+", "%"]);

function isBuiltString(node: SyntaxNode): boolean {
  const expression = unparenthesize(node);
  if (expression.type === "string") return stringParts(expression).interpolations.length > 0;
  if (expression.type === "concatenated_string") return true;
  if (expression.type === "binary_operator") return STRING_OPERATORS.has(field(expression, "operator")?.text ?? "");
  if (expression.type === "call") {
    const callee = field(expression, "function");
    return callee?.type === "attribute" && field(callee, "attribute")?.text === "format";
  }
  return false;
}

/**
 * For a string built at run time, how it takes values that are not constants ("with an f-string
 * from `column`"); null when every part is a constant: literals, names bound only to constants
 * (`analyses.constant`), and names in capitals, configuration by convention as for PG-SQL-001
 * (`SORT_COLUMN` imported from settings, `settings.DEFAULT_SORT`). "" when the values are not
 * known (an expression too large to read to the end, or not a known string).
 */
function nonConstantBuild(context: RuleContext, expression: SyntaxNode): string | null {
  if (context.analyses.constant(expression)) return null;
  const build = examineString(context.analyses, expression);
  if (build.incomplete) return "";
  const step = firstDynamicStep(build);
  if (step) return ` with ${describeKind(step.kind)} from ${listValues(step.dynamic)}`;
  return build.opaque.length > 0 || build.quoted.length > 0 ? "" : null;
}

export const sqlalchemyClause: RuleModule = {
  meta: {
    id: "PG-SQL-002",
    name: "sqlalchemy-string-clause",
    title: "SQLAlchemy filter, order_by, group_by or having built from a string",
    sections: ["G5", "C3"],
    cwe: [89],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports SQLAlchemy query methods (`filter`, `where`, `order_by`, `group_by`, `having`) given a string built at run time from values that are not constants, or a value that comes from the request: SQLAlchemy 1.x pastes such strings into the SQL as they are.",
      whyIsThisBad:
        "`query.order_by(request.args['sort'])` lets the client write part of the SQL statement: `sort=id; DROP TABLE users` or a sub-select that leaks data. Column objects and bound parameters keep the statement's shape fixed.",
      example:
        'from flask import request\nfrom sqlalchemy.orm import Session\n\n@app.route("/users")\ndef func_listUsers():\n    sortColumn = request.args.get("sort", "name")\n    with Session(engine) as session:\n        users = session.query(User).order_by(f"{sortColumn} desc").all()\n    return {"users": [user.name for user in users]}',
      useInstead:
        'from flask import request\nfrom sqlalchemy.orm import Session\n\nSORTABLE = {"name": User.name, "created": User.created}\n\n@app.route("/users")\ndef func_listUsers():\n    column = SORTABLE.get(request.args.get("sort"), User.name)\n    with Session(engine) as session:\n        users = session.query(User).order_by(column.desc()).all()\n    return {"users": [user.name for user in users]}',
      notes:
        "Only in files that import SQLAlchemy or Flask-SQLAlchemy. Request data is an error; a string built from other values that are not constants is a warning. Constant strings are fine, and so are strings built only from constants with an f-string, `+`, `%` or `.format()` (`f\"{DEFAULT_SORT} desc\"`, `\"name \" + \"desc\"`): literals, names bound only to constants, and names in capitals, which are configuration by convention as for PG-SQL-001 (`settings.DEFAULT_SORT`). Column expressions are fine too.",
    },
  },
  create(context) {
    let relevant: boolean | undefined;
    return {
      call(node) {
        const callee = field(node, "function");
        if (callee?.type !== "attribute" || !CLAUSE_METHODS.has(field(callee, "attribute")?.text ?? "")) return;
        relevant ??= context.analyses.importsModule("sqlalchemy") || context.analyses.importsModule("flask_sqlalchemy");
        if (!relevant) return;
        for (const argument of callArguments(node).positional) {
          const source = context.analyses.taint.sourceOf(argument, "sql");
          const built = !source && isBuiltString(argument) ? nonConstantBuild(context, unparenthesize(argument)) : null;
          if (!source && built === null) continue;
          const method = field(callee, "attribute")?.text ?? "filter";
          context.report({
            node: argument,
            severity: source ? "error" : "warning",
            message: source
              ? `${context.analyses.taint.describe(argument, source)} and is pasted into \`${method}()\` as raw SQL; map it to a column or pass it as a bound parameter.`
              : `\`${method}()\` gets SQL built at run time${built ?? ""}; use column expressions and bound parameters (\`User.name == value\`) instead of strings.`,
          });
          return;
        }
      },
    };
  },
};
