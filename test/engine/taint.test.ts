import { describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/engine/analyze.js";
import type { SinkKind } from "../../src/engine/analyses/taint.js";
import type { RuleModule } from "../../src/engine/types.js";
import { evalExec } from "../../src/rules/dynamic-code/eval-exec.js";
import { suppressionVocabulary } from "../../src/rules/index.js";

/** A probe rule: `sink_<kind>(value)` reports where `value` comes from. */
const probe: RuleModule = {
  meta: { ...evalExec.meta, id: "PG-TEST-002", name: "taint-probe" },
  create(context) {
    return {
      call(node) {
        const callee = node.childForFieldName("function");
        const match = /^sink_(\w+)$/u.exec(callee?.text ?? "");
        const value = node.childForFieldName("arguments")?.namedChild(0);
        if (!match || !value) return;
        const source = context.analyses.taint.sourceOf(value, match[1] as SinkKind, { environment: match[1] === "shell" });
        if (source) context.report({ node, message: context.analyses.taint.describe(value, source) });
      },
    };
  },
};

function flows(source: string): string[] {
  const result = analyzeSource("app.py", source, { rules: [{ rule: probe, options: {} }], vocabulary: suppressionVocabulary() });
  expect(result.warnings.filter((warning) => warning.kind === "rule-error")).toEqual([]);
  return result.findings.map((finding) => `${finding.line}: ${finding.message}`);
}

const FLASK = "from flask import Flask, request\napp = Flask(__name__)\n";

describe("taint sources", () => {
  it("finds Flask request data, input() and sys.argv", () => {
    const source = `${FLASK}import sys
name = request.args.get("name")
sink_sql(name)
sink_sql(request.form["q"])
sink_sql(request.get_json()["id"])
sink_sql(input("x"))
sink_sql(sys.argv[1])
sink_sql(request.method)
`;
    expect(flows(source)).toEqual([
      "5: `name` comes from `request.args` on line 4",
      "6: `request.form[\"q\"]` comes from `request.form` on line 6",
      "7: `request.get_json()[\"id\"]` comes from `request.get_json()` on line 7",
      "8: `input(\"x\")` comes from `input()` on line 8",
      "9: `sys.argv[1]` comes from `sys.argv` on line 9",
    ]);
  });

  it("treats Django request fields and URL parameters as sources, but not request.user", () => {
    const source = `from django.http import HttpResponse
def func_view(request, slug):
    sink_sql(request.GET["q"])
    sink_sql(slug)
    sink_sql(request.user.username)
    return HttpResponse("ok")
`;
    expect(flows(source)).toEqual(["3: `request.GET[\"q\"]` comes from `request.GET` on line 3", "4: `slug` comes from `route parameter slug` on line 2"]);
  });

  it("knows Flask route variables, except those a converter already validated", () => {
    const source = `${FLASK}@app.route("/users/<name>/<int:userId>")
def func_show(name, userId, extra=None):
    sink_sql(name)
    sink_sql(userId)
    sink_sql(extra)
`;
    expect(flows(source)).toEqual(["5: `name` comes from `route parameter name` on line 4"]);
  });

  it("knows FastAPI parameters, except dependencies and validated types", () => {
    const source = `from fastapi import FastAPI, Depends
app = FastAPI()
@app.get("/items/{itemId}")
def func_read(itemId: int, q: str, db=Depends(func_db), limit: Optional[int] = None):
    sink_sql(q)
    sink_sql(itemId)
    sink_sql(db)
    sink_sql(limit)
`;
    expect(flows(source)).toEqual(["5: `q` comes from `route parameter q` on line 4"]);
  });

  it("counts the environment only for rules that ask", () => {
    const source = "import os\nvalue = os.environ['X']\nsink_shell(value)\nsink_sql(value)\nsink_shell(os.getenv('Y'))\n";
    expect(flows(source)).toEqual(["3: `value` comes from `os.environ` on line 2", "5: `os.getenv('Y')` comes from `os.getenv` on line 5"]);
  });
});

describe("taint propagation", () => {
  it("follows assignments, unpacking, string building and string methods", () => {
    const source = `${FLASK}raw = request.args["q"]
first, second = raw, "constant"
query = f"SELECT * FROM t WHERE a = '{first}'"
other = "SELECT " + raw.strip().lower()
third = "x %s" % raw
fourth = "{}".format(raw)
fifth = ",".join([raw])
sink_sql(query)
sink_sql(other)
sink_sql(third)
sink_sql(fourth)
sink_sql(fifth)
sink_sql(second)
`;
    expect(flows(source).map((line) => line.split(":")[0])).toEqual(["10", "11", "12", "13", "14"]);
  });

  it("tracks containers per constant key and mutations", () => {
    const source = `${FLASK}data = {"safe": "x", "user": request.args["u"]}
sink_sql(data["safe"])
sink_sql(data["user"])
items = []
items.append(request.args["v"])
sink_sql(items)
config = {}
config["host"] = request.args["h"]
config["port"] = "80"
sink_sql(config["port"])
sink_sql(config["host"])
`;
    expect(flows(source).map((line) => line.split(":")[0])).toEqual(["5", "8", "13"]);
  });

  it("applies summaries of functions in the same file, defined before or after the call, and nested functions", () => {
    const source = `${FLASK}def func_wrap(value, prefix="p"):
    return prefix + value

def func_constant(value):
    return "fixed"

def func_init(app):
    @app.route("/x")
    def func_route():
        term = func_wrap(request.args["t"])
        sink_sql(term)
        sink_sql(func_constant(request.args["t"]))
        sink_sql(func_later(request.args["t"]))

def func_later(value):
    return value.upper()
`;
    expect(flows(source).map((line) => line.split(":")[0])).toEqual(["13", "15"]);
  });

  it("stops at sanitizers for the matching sink kind only", () => {
    const source = `${FLASK}import shlex, html
raw = request.args["q"]
sink_shell(shlex.quote(raw))
sink_sql(shlex.quote(raw))
sink_html(html.escape(raw))
sink_sql(int(raw))
sink_path(os.path.basename(raw))
`;
    expect(flows(source).map((line) => line.split(":")[0])).toEqual(["6"]);
  });
});

describe("guards and constant conditions", () => {
  it("accepts allow-list checks that guard the use", () => {
    const source = `${FLASK}ALLOWED = {"a", "b"}
def func_one():
    kind = request.args["kind"]
    if kind in ALLOWED:
        sink_sql(kind)
    sink_sql(kind)

def func_two():
    kind = request.args["kind"]
    if kind not in ALLOWED:
        abort(400)
    sink_sql(kind)

def func_three():
    kind = request.args["kind"]
    if not kind.isdigit():
        return "bad"
    sink_sql(kind)
`;
    expect(flows(source).map((line) => line.split(":")[0])).toEqual(["8"]);
  });

  it("checks URL hosts for URL sinks only and path containment for path sinks only", () => {
    const source = `${FLASK}from urllib.parse import urlparse
import os
def func_fetch():
    url = request.args["url"]
    if urlparse(url).hostname not in {"api.example.com"}:
        abort(400)
    sink_url(url)
    sink_sql(url)

def func_read():
    name = os.path.realpath(request.args["f"])
    if not name.startswith("/srv/data/"):
        abort(404)
    sink_path(name)
    sink_sql(name)
`;
    expect(flows(source).map((line) => line.split(":")[0])).toEqual(["10", "17"]);
  });

  it("ignores values assigned only on branches that can never run", () => {
    const source = `${FLASK}DEBUG = False
value = "safe"
if DEBUG:
    value = request.args["v"]
sink_sql(value)
other = request.args["o"] if False else "fine"
sink_sql(other)
if True:
    third = "ok"
else:
    third = request.args["t"]
sink_sql(third)
`;
    expect(flows(source)).toEqual([]);
  });
});

describe("module functions", () => {
  it("do not pass their arguments' taint on as data methods do", () => {
    const source = `${FLASK}import requests
response = requests.get("https://api.example.com/items", params={"q": request.args["q"]}, timeout=5)
sink_sql(response)
settings = {}
sink_sql(settings.get("key", request.args["k"]))
`;
    expect(flows(source).map((line) => line.split(":")[0])).toEqual(["7"]);
  });
});
