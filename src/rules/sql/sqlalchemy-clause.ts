import { callArguments, field, stringParts, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";

/** Query methods that take a SQL expression; SQLAlchemy 1.x also took plain strings there, as raw SQL. */
const CLAUSE_METHODS = new Set(["filter", "order_by", "group_by", "having", "where"]);
const STRING_BUILDERS = new Set(["binary_operator", "concatenated_string"]);

function isBuiltString(node: SyntaxNode): boolean {
  const expression = unparenthesize(node);
  if (expression.type === "string") return stringParts(expression).interpolations.length > 0;
  if (STRING_BUILDERS.has(expression.type)) return true;
  if (expression.type === "call") {
    const callee = field(expression, "function");
    return callee?.type === "attribute" && field(callee, "attribute")?.text === "format";
  }
  return false;
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
        "Reports SQLAlchemy query methods (`filter`, `where`, `order_by`, `group_by`, `having`) given a string built at run time, or a value that comes from the request: SQLAlchemy 1.x pastes such strings into the SQL as they are.",
      whyIsThisBad:
        "`query.order_by(request.args['sort'])` lets the client write part of the SQL statement: `sort=id; DROP TABLE users` or a sub-select that leaks data. Column objects and bound parameters keep the statement's shape fixed.",
      example:
        'from flask import request\nfrom sqlalchemy.orm import Session\n\n@app.route("/users")\ndef func_listUsers():\n    sortColumn = request.args.get("sort", "name")\n    with Session(engine) as session:\n        users = session.query(User).order_by(f"{sortColumn} desc").all()\n    return {"users": [user.name for user in users]}',
      useInstead:
        'from flask import request\nfrom sqlalchemy.orm import Session\n\nSORTABLE = {"name": User.name, "created": User.created}\n\n@app.route("/users")\ndef func_listUsers():\n    column = SORTABLE.get(request.args.get("sort"), User.name)\n    with Session(engine) as session:\n        users = session.query(User).order_by(column.desc()).all()\n    return {"users": [user.name for user in users]}',
      notes:
        "Only in files that import SQLAlchemy or Flask-SQLAlchemy. Request data is an error; a string built from other values is a warning; constant strings and column expressions are fine.",
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
          const built = isBuiltString(argument);
          if (!source && !built) continue;
          const method = field(callee, "attribute")?.text ?? "filter";
          context.report({
            node: argument,
            severity: source ? "error" : "warning",
            message: source
              ? `${context.analyses.taint.describe(argument, source)} and is pasted into \`${method}()\` as raw SQL; map it to a column or pass it as a bound parameter.`
              : `\`${method}()\` gets SQL built at run time; use column expressions and bound parameters (\`User.name == value\`) instead of strings.`,
          });
          return;
        }
      },
    };
  },
};
