import { describe, expect, it } from "vitest";
import { analyze } from "../support/engine.js";

/** Findings of the given rules only, as `line:ruleId:severity`. */
function findings(source: string, prefix: RegExp): string[] {
  return analyze(source, "app.py")
    .findings.filter((finding) => prefix.test(finding.ruleId) && !finding.suppressed)
    .map((finding) => `${finding.line}:${finding.ruleId}:${finding.severity}`);
}

const FLASK = 'import requests\nfrom urllib.parse import urljoin, urlparse\nfrom flask import Blueprint, abort, request\nbp = Blueprint("b", __name__)\n';
const SSRF = /^PG-SSRF-/u;

describe("PG-SSRF-001/002: where request data sits in the URL", () => {
  it("tells the whole URL and its host (001) from an open authority and urljoin (002) and from a path (nothing)", () => {
    const source = `${FLASK}@bp.route("/x")
def func_view():
    value = request.args["v"]
    requests.get(value, timeout=5)
    requests.get(f"https://{value}/api", timeout=5)
    requests.get("https://api.example.com" + value, timeout=5)
    requests.get(urljoin("https://api.example.com/", value), timeout=5)
    requests.get(f"https://api.example.com/items/{value}", timeout=5)
    requests.get(urljoin("https://api.example.com/", "items/" + value), timeout=5)
    requests.get("https://api.example.com/search", params={"q": value}, timeout=5)
    return "ok"
`;
    expect(findings(source, SSRF)).toEqual(["8:PG-SSRF-001:error", "9:PG-SSRF-001:error", "10:PG-SSRF-002:warning", "11:PG-SSRF-002:warning"]);
  });

  it("accepts a host check through a variable (a note: redirects stay on), with its polarity, and refuses a bypassable one", () => {
    const source = `${FLASK}ALLOWED = {"api.example.com"}
@bp.route("/a")
def func_checked():
    url = request.args["u"]
    host = urlparse(url).hostname
    if host not in ALLOWED:
        abort(400)
    return requests.get(url, timeout=5).status_code
@bp.route("/b")
def func_positiveOnly():
    url = request.args["u"]
    if urlparse(url).hostname not in ALLOWED or url:
        requests.get(url, timeout=5)
    return "ok"
@bp.route("/c")
def func_bypassable():
    url = request.args["u"]
    if not url.startswith("https://api.example.com"):
        abort(400)
    return requests.get(url, timeout=5).status_code
`;
    expect(findings(source, SSRF)).toEqual(["12:PG-SSRF-003:note", "17:PG-SSRF-001:error", "22:PG-SSRF-003:warning", "24:PG-SSRF-001:error"]);
  });
});

describe("PG-SSRF-003: bypassable allow-lists", () => {
  it("reports substring, open prefix, bare suffix and loose patterns, not exact checks or file names", () => {
    const source = `import re
def func_check(url, host, fileName, email):
    if "example.com" in url:
        return 1
    if url.startswith("https://example.com"):
        return 2
    if host.endswith("example.com"):
        return 3
    if re.search(r"example\\.com", url):
        return 4
    if url.startswith("https://example.com/") or host.endswith(".example.com") or host == "example.com":
        return 5
    if fileName.endswith("report.pdf") or email.endswith("@example.com"):
        return 6
    if re.fullmatch(r"https://example\\.com/.*", url):
        return 7
    return 0
`;
    expect(findings(source, /^PG-SSRF-003$/u)).toEqual(["3:PG-SSRF-003:warning", "5:PG-SSRF-003:warning", "7:PG-SSRF-003:warning", "9:PG-SSRF-003:warning"]);
  });
});

describe("PG-INPUT-013: archive extraction", () => {
  it("is an error for uploaded tar archives, a warning for other tar archives, and quiet with a filter or for local zips", () => {
    const source = `import tarfile, zipfile
from flask import request
def func_upload():
    with tarfile.open(fileobj=request.files["a"]) as archive:
        archive.extractall("/srv/a")
def func_local():
    with tarfile.open("/srv/backup.tar") as archive:
        archive.extractall("/srv/b")
        archive.extractall("/srv/c", filter="data")
    with zipfile.ZipFile("/srv/local.zip") as bundle:
        bundle.extractall("/srv/d")
`;
    expect(findings(source, /^PG-INPUT-013$/u)).toEqual(["5:PG-INPUT-013:error", "8:PG-INPUT-013:warning"]);
  });
});

describe("PG-INPUT-015: program, script and options", () => {
  it("leaves shell=True and sh -c lists to PG-DYN-004", () => {
    const source = `import subprocess
from flask import request
def func_run():
    script = request.form["s"]
    subprocess.run(["bash", "-c", script], check=True)
    subprocess.run(script, shell=True, check=True)
    subprocess.run(["cmd", "/c", script], check=True)
`;
    expect(findings(source, /^PG-INPUT-015$/u)).toEqual(["7:PG-INPUT-015:error"]);
  });
});
