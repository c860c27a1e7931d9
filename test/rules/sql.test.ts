import { describe, expect, it } from "vitest";
import { messageOn, severitiesOf } from "../support/engine.js";

describe("PG-SQL-001: severity follows the taint analysis", () => {
  const source = `import sqlite3
import pandas as pd
from django.db.models.expressions import RawSQL
from flask import Flask, request
from sqlalchemy import text
from shop.models import Order, User
app = Flask(__name__)
@app.route("/search")
def func_search():
    cursor = sqlite3.connect("app.db").cursor()
    name = request.args["q"]
    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")
    cursor.execute("SELECT * FROM users WHERE name = '%s'" % request.args["q"])
    cursor.execute("SELECT * FROM users WHERE name = '" + name + "'")
    cursor.execute("SELECT * FROM users WHERE name = '{}'".format(request.form["name"]))
    statement = text(f"SELECT * FROM users WHERE name = '{name}'")
    users = User.objects.raw(f"SELECT * FROM auth_user WHERE username = '{name}'")
    orders = Order.objects.extra(where=[f"status = '{request.args['status']}'"])
    frame = pd.read_sql(f"SELECT * FROM sales WHERE region = '{name}'", cursor.connection)
    cursor.execute("SELECT * FROM users WHERE name = ?", (name,))
    return statement, users, orders, frame
def func_helper(cursor, name, status, region, connection):
    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")
    cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)
    cursor.execute("SELECT * FROM users WHERE name = '" + name + "'")
    cursor.execute("SELECT * FROM users WHERE name = '{}'".format(name))
    statement = text(f"SELECT * FROM users WHERE name = '{name}'")
    users = User.objects.raw(f"SELECT * FROM auth_user WHERE username = '{name}'")
    orders = Order.objects.extra(where=[f"status = '{status}'"])
    frame = pd.read_sql(f"SELECT * FROM sales WHERE region = '{region}'", connection)
    cursor.execute("SELECT * FROM users WHERE id = 1")
    cursor.execute(f"SELECT * FROM users WHERE id = {int(request.args['id'])}")
    return statement, users, orders, frame
`;

  it("is an error for request data, a warning for parameters whose callers are not followed, and silent for constants", () => {
    expect(severitiesOf(source, "PG-SQL-001")).toEqual([
      ...[12, 13, 14, 15, 16, 17, 18, 19].map((line) => `${line}:error`),
      ...[23, 24, 25, 26, 27, 28, 29, 30].map((line) => `${line}:warning`),
    ]);
  });

  it("names the source of tainted values, and none for untainted values", () => {
    expect(messageOn(source, "PG-SQL-001", 12)).toBe(
      "The SQL passed to `cursor.execute` is built with an f-string from `name` (`name` comes from `request.args` on line 11); pass the values as parameters: `cursor.execute(\"… WHERE id = ?\", (name,))`.",
    );
    expect(messageOn(source, "PG-SQL-001", 15)).toContain("from `request.form[\"name\"]` (`request.form[\"name\"]` comes from `request.form` on line 15)");
    expect(messageOn(source, "PG-SQL-001", 16)).toContain("(`name` comes from `request.args` on line 11)");
    expect(messageOn(source, "PG-SQL-001", 18)).toContain("comes from `request.args` on line 18");
    expect(messageOn(source, "PG-SQL-001", 23)).toBe(
      "The SQL passed to `cursor.execute` is built with an f-string from `name`; pass the values as parameters: `cursor.execute(\"… WHERE id = ?\", (name,))`.",
    );
    expect(messageOn(source, "PG-SQL-001", 29)).toBe(
      "The SQL passed to `Order.objects.extra` is built with an f-string from `status`; pass the values in `params`: `.extra(where=[\"id = %s\"], params=[status])`, or use the ORM's `filter`.",
    );
  });

  const steps = `import sqlite3
from flask import Flask, request
from shop.models import Order
app = Flask(__name__)
def func_console(cursor, column):
    query = f"SELECT * FROM users ORDER BY {column}"
    query += " WHERE name = '" + input("name: ") + "'"
    cursor.execute(query)
@app.route("/report")
def func_report(cursor, limit):
    query = request.args["q"]
    query += f" WHERE id = {limit}"
    cursor.execute(query)
    return Order.objects.extra(select={"total": "SUM(%s)" % limit}, where=[f"status = '{request.args['status']}'"])
def func_django(request):
    return Order.objects.extra(where=[f"status = '{request.GET['status']}'"])
`;

  it("is an error when any part of the query is tainted, not only the first value inserted", () => {
    expect(severitiesOf(steps, "PG-SQL-001")).toEqual(["8:error", "13:error", "14:error", "16:error"]);
    // The message names the construction that inserts the tainted value, and its source.
    expect(messageOn(steps, "PG-SQL-001", 8)).toBe(
      "`query` is built with `+` concatenation on line 7 from `input(\"name: \")` (`input(\"name: \")` comes from `input()` on line 7) and is passed to `cursor.execute`; pass the values as parameters: `cursor.execute(\"… WHERE id = ?\", (value,))`.",
    );
    // A variable that held request data before `+=` added to it.
    expect(messageOn(steps, "PG-SQL-001", 13)).toContain("(`query` comes from `request.args` on line 11)");
    // The tainted `where` fragment of `extra`, not the untainted `select` one before it.
    expect(messageOn(steps, "PG-SQL-001", 14)).toContain("from `request.args['status']` (`request.args['status']` comes from `request.args` on line 14)");
    expect(messageOn(steps, "PG-SQL-001", 16)).toContain("comes from `request.GET` on line 16");
  });
});

describe("PG-SQL-002: severity follows the taint analysis, constant strings are fine", () => {
  const source = `from flask import Flask, request
from sqlalchemy import select
from shop.config import SORT_COLUMN
from shop.models import User, db
app = Flask(__name__)
DEFAULT_SORT = "name"
DIRECTION = "desc"
ORDER = f"{DEFAULT_SORT} {DIRECTION}"
@app.route("/users")
def func_listUsers():
    query = db.session.query(User)
    sortColumn = request.args.get("sort", "name")
    query = query.order_by(f"{sortColumn} desc")
    query = query.filter("name = '" + request.args["q"] + "'")
    query = query.order_by(f"{DEFAULT_SORT} desc")
    query = query.order_by("name " + "desc")
    query = query.order_by("%s %s" % (DEFAULT_SORT, DIRECTION))
    query = query.order_by("{} {}".format(DEFAULT_SORT, "asc"))
    query = query.order_by(f"{SORT_COLUMN} desc")
    query = query.order_by(f"{ORDER}, id")
    order = DEFAULT_SORT + " " + DIRECTION
    query = query.order_by(f"{order} nulls last")
    query = query.order_by(f"{DEFAULT_SORT if DIRECTION else 'id'} asc")
    query = query.group_by(fallbackSort + ", id")
    return query.all()
def func_helper(session, column, days):
    statement = select(User).order_by(f"{column} desc")
    statement = statement.where("created > now() - interval '%d days'" % days)
    statement = statement.order_by(f"{DEFAULT_SORT}, {column}")
    ordering = DEFAULT_SORT
    if days > 7:
        ordering = column
    statement = statement.order_by(f"{ordering} desc")
    return session.execute(statement).all()
fallbackSort = "created"
`;

  it("is an error for request data, a warning for other non-constant values, and silent for constants", () => {
    expect(severitiesOf(source, "PG-SQL-002")).toEqual(["13:error", "14:error", "27:warning", "28:warning", "29:warning", "33:warning"]);
  });

  it("names the values that are not constants", () => {
    expect(messageOn(source, "PG-SQL-002", 27)).toBe(
      "`order_by()` gets SQL built at run time with an f-string from `column`; use column expressions and bound parameters (`User.name == value`) instead of strings.",
    );
    expect(messageOn(source, "PG-SQL-002", 28)).toContain("built at run time with `%` formatting from `days`;");
    expect(messageOn(source, "PG-SQL-002", 33)).toContain("built at run time with an f-string from `ordering`;");
  });
});
