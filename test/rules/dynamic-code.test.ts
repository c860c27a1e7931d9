import { describe, expect, it } from "vitest";
import { analyze, messageOn, severitiesOf } from "../support/engine.js";

describe("PG-DYN-001: severity follows the taint analysis", () => {
  const source = `import builtins
from flask import Flask, request
app = Flask(__name__)
@app.route("/calc")
def func_calculate():
    expression = request.args["q"]
    first = eval(expression)
    exec(request.form["code"])
    compiled = compile(f"result = {expression}", "<input>", "exec")
    return first, compiled
def func_console():
    return builtins.eval(input())
def func_helper(expression, script):
    exec(script)
    return eval(expression) + eval(f"settings.{expression}")
`;

  it("is an error for request data and input(), a warning for parameters whose callers are not followed", () => {
    expect(severitiesOf(source, "PG-DYN-001")).toEqual(["7:error", "8:error", "9:error", "12:error", "14:warning", "15:warning", "15:warning"]);
  });

  it("names the source of tainted code, and none for untainted code", () => {
    expect(messageOn(source, "PG-DYN-001", 7)).toContain("(`expression` comes from `request.args` on line 6)");
    expect(messageOn(source, "PG-DYN-001", 12)).toContain("(`input()` is untrusted input)");
    expect(messageOn(source, "PG-DYN-001", 14)).toBe(
      "`exec` runs code built at run time from `script`; parse the data instead (for example `ast.literal_eval` or `json.loads`).",
    );
  });
});

describe("PG-DYN-003: severity follows the taint analysis", () => {
  const source = `import base64
import pickle
import joblib
import marshal
import numpy as np
import torch
import yaml
from flask import Flask, request
app = Flask(__name__)
@app.route("/restore", methods=["POST"])
def func_restore():
    first = pickle.loads(request.data)
    second = pickle.loads(request.get_data())
    third = pickle.loads(request.files["state"].read())
    fourth = pickle.load(request.files["state"])
    session = base64.b64decode(request.cookies["session"])
    fifth = pickle.loads(session)
    sixth = marshal.loads(request.data)
    seventh = yaml.load(request.data)
    eighth = yaml.unsafe_load(request.data)
    ninth = joblib.load(request.args["model"])
    tenth = torch.load(request.files["weights"])
    eleventh = np.load(request.files["arrays"], allow_pickle=True)
    return "ok"
def func_readCache(payload, path, document):
    first = pickle.loads(payload)
    with open(path, "rb") as handle:
        second = pickle.load(handle)
    third = yaml.load(document)
    fourth = yaml.load(document, Loader=yaml.Loader)
    fifth = torch.load(path)
    sixth = np.load(path, allow_pickle=True)
    seventh = joblib.load("model.pkl")
    return first, second, third, fourth, fifth, sixth, seventh
`;

  it("is an error for request bodies, uploads and cookies, a warning for data of unknown origin", () => {
    expect(severitiesOf(source, "PG-DYN-003")).toEqual([
      ...[12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23].map((line) => `${line}:error`),
      ...[26, 28, 29, 30, 31, 32, 33].map((line) => `${line}:warning`),
    ]);
  });

  it("names the source of tainted data, and none for untainted data", () => {
    expect(messageOn(source, "PG-DYN-003", 13)).toContain("(`request.get_data()` is untrusted input)");
    expect(messageOn(source, "PG-DYN-003", 14)).toContain("comes from `request.files` on line 14");
    expect(messageOn(source, "PG-DYN-003", 17)).toContain("(`session` comes from `request.cookies` on line 16)");
    expect(messageOn(source, "PG-DYN-003", 19)).toContain("(`request.data` is untrusted input)");
    expect(messageOn(source, "PG-DYN-003", 26)).toBe(
      "`pickle.loads` rebuilds objects from `payload` with pickle, which runs any code the data names while loading; load a data format instead (`json.loads`), or sign the bytes with `hmac` and check the signature before loading.",
    );
  });

  it("keeps the yaml.safe_load fix on both severities", () => {
    const fixes = analyze(source, "app.py")
      .findings.filter((finding) => finding.ruleId === "PG-DYN-003" && finding.fix)
      .map((finding) => `${finding.line}:${finding.severity}:${finding.fix?.replacement ?? ""}`);
    expect(fixes).toEqual(["19:error:safe_load", "20:error:safe_load", "29:warning:safe_load"]);
  });
});

describe("PG-DYN-004: severity follows the taint analysis", () => {
  const source = `import os
import shlex
import subprocess
import sys
from flask import Flask, request
app = Flask(__name__)
@app.route("/ping")
def func_ping(useShell):
    host = request.args["host"]
    first = os.system(f"ping -c 1 {host}")
    second = subprocess.run("nslookup " + request.form["name"], shell=True)
    third = subprocess.run(["bash", "-c", "dig %s" % host])
    fourth = subprocess.run("ping -c 1 " + host, shell=useShell)
    fifth = os.system("ping -c 1 " + shlex.quote(host))
    return {"n": [first, second, third, fourth, fifth]}
def func_console(directory):
    command = f"ls {directory}"
    command += " | grep " + input("pattern: ")
    os.system(command)
    return os.popen("cat " + sys.argv[1]).read()
def func_helper(host, command):
    os.system(f"ping -c 1 {host}")
    subprocess.getoutput(command)
    subprocess.run("nslookup " + host, shell=True)
    return os.system("uptime")
`;

  it("is an error for request data, input() and sys.argv, a warning for parameters and for a shell option that is not constant", () => {
    expect(severitiesOf(source, "PG-DYN-004")).toEqual([
      "10:error",
      "11:error",
      "12:error",
      "13:warning",
      "14:note",
      "19:error",
      "20:error",
      "22:warning",
      "23:warning",
      "24:warning",
    ]);
  });

  it("names the source of tainted values, describing the construction that inserts them, and none for untainted values", () => {
    expect(messageOn(source, "PG-DYN-004", 10)).toContain("from `host` through a shell; `host` comes from `request.args` on line 9.");
    expect(messageOn(source, "PG-DYN-004", 13)).toContain("through a shell (`shell=useShell`); `host` comes from `request.args` on line 9.");
    expect(messageOn(source, "PG-DYN-004", 19)).toContain(
      "`command` is built with `+` concatenation on line 18 from `input(\"pattern: \")`; `input(\"pattern: \")` comes from `input()` on line 18.",
    );
    expect(messageOn(source, "PG-DYN-004", 22)).toBe(
      "`os.system` runs a command built with an f-string from `host` through a shell. Run the program with an argument list and no shell: `subprocess.run([\"program\", host], check=True)`.",
    );
  });
});
