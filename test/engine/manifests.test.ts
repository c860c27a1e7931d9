import { describe, expect, it } from "vitest";
import { analyzeManifestSource } from "../../src/engine/manifests/analyze-manifest.js";
import { manifestKind } from "../../src/engine/manifests/kinds.js";
import { parsePep508 } from "../../src/engine/manifests/pep508.js";
import { parseRequirementsTxt, urlProjectName, vcsRevision } from "../../src/engine/manifests/requirements-txt.js";
import { parsePipfile, parsePyproject } from "../../src/engine/manifests/toml-manifests.js";
import type { Requirement } from "../../src/engine/manifests/types.js";
import { engineOptions } from "../support/engine.js";

function byName(requirements: readonly Requirement[], name: string): Requirement {
  const found = requirements.find((requirement) => requirement.name === name);
  if (!found) throw new Error(`no requirement ${name} in ${requirements.map((requirement) => requirement.name).join(", ")}`);
  return found;
}

describe("manifestKind", () => {
  it("knows manifests by file name", () => {
    expect(manifestKind("requirements.txt")).toBe("requirements");
    expect(manifestKind("app/requirements-dev.txt")).toBe("requirements");
    expect(manifestKind("dev-requirements.txt")).toBe("requirements");
    expect(manifestKind("constraints.txt")).toBe("requirements");
    expect(manifestKind("requirements.in")).toBe("requirements");
    expect(manifestKind("requirements/base.txt")).toBe("requirements");
    expect(manifestKind("sub/pyproject.toml")).toBe("pyproject");
    expect(manifestKind("Pipfile")).toBe("pipfile");
    expect(manifestKind("Pipfile.lock")).toBeNull();
    expect(manifestKind("notes.txt")).toBeNull();
    expect(manifestKind("requirements.py")).toBeNull();
  });
});

describe("PEP 508 requirement strings", () => {
  it("splits name, extras, specifier, URL and marker", () => {
    expect(parsePep508('Flask[async, dotenv] >= 2.0, < 4 ; python_version >= "3.8"')).toEqual({
      displayName: "Flask",
      extras: ["async", "dotenv"],
      specifier: ">=2.0,<4",
      markers: 'python_version >= "3.8"',
    });
    expect(parsePep508("pkg @ https://example.org/pkg.zip ; sys_platform == 'linux'")).toEqual({
      displayName: "pkg",
      extras: [],
      specifier: "",
      url: "https://example.org/pkg.zip",
      markers: "sys_platform == 'linux'",
    });
    expect(parsePep508("Django (>=3.2,<4)")?.specifier).toBe(">=3.2,<4");
    expect(parsePep508("./local/path")).toBeNull();
    expect(parsePep508("name garbage")).toBeNull();
  });
});

describe("requirements files", () => {
  const text = [
    "# a comment line",
    "requests==2.32.3 \\",
    "    --hash=sha256:aaaa \\",
    "    --hash=sha256:bbbb",
    "-i http://pypi.internal/simple",
    "--extra-index-url=https://extra.example/simple",
    "--find-links ./wheels",
    "--trusted-host pypi.internal  # trusted",
    'flask[async] >= 2.0 ; python_version >= "3.8"  # trailing comment',
    "pkg @ git+https://github.com/org/pkg@0123456789abcdef0123456789abcdef01234567",
    "-e git+https://github.com/org/repo.git@v1.0#egg=repo",
    "git+https://github.com/org/norev.git#egg=norev",
    "https://example.com/dist/mylib-1.0-py3-none-any.whl",
    "-e .",
    "./local/pkg",
    "numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.whl",
    "-r base.txt",
    "-c constraints.txt",
    "odd ==1.0 --config-settings key=value",
    "# not-a-continuation \\",
    "after-comment==1.0",
    "url-with-hash#fragment==1.0",
  ].join("\n");
  const manifest = parseRequirementsTxt("requirements.txt", text);

  it("joins continued lines, keeps the hashes and spans the whole entry", () => {
    const requests = byName(manifest.requirements, "requests");
    expect(requests.specifier).toBe("==2.32.3");
    expect(requests.hashes).toEqual(["sha256:aaaa", "sha256:bbbb"]);
    expect(requests.range).toEqual({ line: 2, column: 1, endLine: 4, endColumn: 23 });
  });

  it("reads index options with `=`, a space, or the short forms", () => {
    expect(manifest.indexes.map((setting) => [setting.kind, setting.value, setting.range.line])).toEqual([
      ["index-url", "http://pypi.internal/simple", 5],
      ["extra-index-url", "https://extra.example/simple", 6],
      ["find-links", "./wheels", 7],
      ["trusted-host", "pypi.internal", 8],
    ]);
  });

  it("reads extras and markers and strips comments", () => {
    const flask = byName(manifest.requirements, "flask");
    expect(flask).toMatchObject({ specifier: ">=2.0", extras: ["async"], markers: 'python_version >= "3.8"', text: 'flask[async] >= 2.0 ; python_version >= "3.8"' });
    expect(flask.range).toMatchObject({ line: 9, column: 1, endColumn: 46 });
  });

  it("reads direct references and VCS URLs with and without a revision", () => {
    expect(byName(manifest.requirements, "pkg")).toMatchObject({
      url: "git+https://github.com/org/pkg@0123456789abcdef0123456789abcdef01234567",
      revision: { kind: "ref", value: "0123456789abcdef0123456789abcdef01234567" },
    });
    const editable = byName(manifest.requirements, "repo");
    expect(editable).toMatchObject({ editable: true, url: "git+https://github.com/org/repo.git@v1.0#egg=repo", revision: { value: "v1.0" } });
    const norev = byName(manifest.requirements, "norev");
    expect(norev.url).toBe("git+https://github.com/org/norev.git#egg=norev");
    expect(norev.revision).toBeUndefined();
    expect(byName(manifest.requirements, "mylib").url).toBe("https://example.com/dist/mylib-1.0-py3-none-any.whl");
  });

  it("skips options, local paths and archive files, and keeps per-requirement options out of the specifier", () => {
    const names = manifest.requirements.map((requirement) => requirement.name);
    expect(names).not.toContain("numpy");
    expect(names.some((name) => name.includes("local") || name === "-e" || name === ".")).toBe(false);
    expect(byName(manifest.requirements, "odd").specifier).toBe("==1.0");
  });

  it("does not continue a comment line that ends with a backslash", () => {
    expect(byName(manifest.requirements, "after-comment")).toMatchObject({ specifier: "==1.0", range: { line: 21 } });
  });

  it("never throws on odd input", () => {
    expect(() => parseRequirementsTxt("requirements.txt", "\\\n\\\n--\n@\n==1\n[extra]\n\u0000")).not.toThrow();
    expect(parseRequirementsTxt("requirements.txt", "foo \\").requirements.map((requirement) => requirement.name)).toEqual(["foo"]);
  });

  it("names URL requirements after #egg=, the archive or the repository", () => {
    expect(urlProjectName("git+https://github.com/org/repo.git@main#egg=pkg-name")).toBe("pkg-name");
    expect(urlProjectName("https://example.org/dist/My_Lib-2.0.tar.gz")).toBe("My_Lib");
    expect(urlProjectName("git+ssh://git@github.com/org/tool.git@v1")).toBe("tool");
    expect(vcsRevision("git+ssh://git@github.com/org/tool.git@v1")).toEqual({ kind: "ref", value: "v1" });
    expect(vcsRevision("git+https://user:pw@host/org/tool.git")).toBeUndefined();
  });
});

describe("pyproject.toml", () => {
  const text = `[project]
name = "shop"
dependencies = [
  "requests>=2",
  "pkg @ git+https://github.com/o/pkg.git@main",
]

[project.optional-dependencies]
dev = ["pytest", "requests>=2"]
docs = ["pytest"]

[dependency-groups]
test = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff"]

[tool.poetry.dependencies]
python = "^3.10"
requests = "2.31.0"
tagged = { git = "https://github.com/o/tagged.git", tag = "v1" }
branched = { git = "https://github.com/o/branched.git", branch = "main" }
revved = { git = "git@github.com:o/revved.git", rev = "0123456789abcdef0123456789abcdef01234567" }
archive = { url = "https://example.org/archive-1.0.tar.gz" }
local = { path = "../local", develop = true }
multi = [{version = "<=1.9", python = "<3.8"}, {version = "^2.0", python = ">=3.8"}]

[tool.poetry.group.dev.dependencies]
pytest = "*"

[[tool.poetry.source]]
name = "private"
url = "http://pypi.internal/simple"
priority = "supplemental"

[tool.uv]
allow-insecure-host = ["pypi.internal"]
extra-index-url = ["https://extra.example/simple"]

[[tool.uv.index]]
name = "torch"
url = "https://download.pytorch.org/whl/cpu"

[tool.uv.sources]
torch = { index = "torch" }
other = { git = "https://github.com/o/other", rev = "abc" }

[[tool.pdm.source]]
name = "pdm-private"
url = "https://pdm.internal/simple"
verify_ssl = false
`;
  const manifest = parsePyproject("pyproject.toml", text);
  const sections = (name: string): string[] => manifest.requirements.filter((requirement) => requirement.name === name).map((requirement) => requirement.section);

  it("reads [project] dependencies, optional dependencies and dependency groups, each on its own line", () => {
    expect(byName(manifest.requirements, "requests")).toMatchObject({ section: "project.dependencies", specifier: ">=2", range: { line: 4, column: 3 } });
    expect(sections("pytest")).toEqual(["project.optional-dependencies.dev", "project.optional-dependencies.docs", "dependency-groups.test", "tool.poetry.group.dev.dependencies"]);
    const lines = manifest.requirements.filter((requirement) => requirement.name === "pytest").map((requirement) => requirement.range.line);
    expect(lines).toEqual([9, 10, 13, 27]);
    expect(byName(manifest.requirements, "pkg")).toMatchObject({ url: "git+https://github.com/o/pkg.git@main", revision: { kind: "ref", value: "main" } });
  });

  it("reads Poetry dependencies, groups and git revisions", () => {
    expect(manifest.requirements.find((requirement) => requirement.section === "tool.poetry.dependencies" && requirement.name === "requests")?.specifier).toBe("2.31.0");
    expect(byName(manifest.requirements, "tagged")).toMatchObject({ url: "git+https://github.com/o/tagged.git", revision: { kind: "tag", value: "v1" }, range: { line: 19 } });
    expect(byName(manifest.requirements, "branched").revision).toEqual({ kind: "branch", value: "main" });
    expect(byName(manifest.requirements, "revved")).toMatchObject({ url: "git+git@github.com:o/revved.git", revision: { kind: "rev" } });
    expect(byName(manifest.requirements, "archive").url).toBe("https://example.org/archive-1.0.tar.gz");
    expect(manifest.requirements.some((requirement) => requirement.name === "local" || requirement.name === "python")).toBe(false);
    expect(manifest.requirements.filter((requirement) => requirement.name === "multi").map((requirement) => requirement.specifier)).toEqual(["<=1.9", "^2.0"]);
  });

  it("reads Poetry, uv and PDM sources", () => {
    expect(manifest.indexes.map((setting) => [setting.kind, setting.value, setting.name, setting.verifySsl, setting.range.line])).toEqual([
      ["source", "http://pypi.internal/simple", "private", undefined, 31],
      ["extra-index-url", "https://extra.example/simple", undefined, undefined, 36],
      ["trusted-host", "pypi.internal", undefined, undefined, 35],
      ["source", "https://download.pytorch.org/whl/cpu", "torch", undefined, 40],
      ["source", "https://pdm.internal/simple", "pdm-private", false, 48],
    ]);
  });

  it("keeps uv sources: git entries as requirements, every sourced name as pinned elsewhere", () => {
    expect(manifest.sourcedElsewhere).toEqual(["torch", "other"]);
    expect(byName(manifest.requirements, "other")).toMatchObject({ section: "tool.uv.sources", url: "git+https://github.com/o/other", revision: { kind: "rev", value: "abc" } });
    expect(manifest.requirements.some((requirement) => requirement.name === "torch")).toBe(false);
  });

  it("finds inline optional dependencies and sub-table dependencies", () => {
    const inline = parsePyproject("pyproject.toml", '[project]\nname = "x"\noptional-dependencies = { dev = ["pytest"] }\n');
    expect(byName(inline.requirements, "pytest")).toMatchObject({ section: "project.optional-dependencies.dev", range: { line: 3 } });
    const subTable = parsePyproject("pyproject.toml", '[tool.poetry.dependencies]\npython = "^3.11"\n\n[tool.poetry.dependencies.requests]\nversion = "2.31.0"\n');
    expect(byName(subTable.requirements, "requests")).toMatchObject({ specifier: "2.31.0", range: { line: 4 } });
  });
});

describe("Pipfile", () => {
  const manifest = parsePipfile(
    "Pipfile",
    `[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[[source]]
url = "http://internal/simple"
verify_ssl = false
name = "internal"

[packages]
requests = "*"
"zope.interface" = "==5.0"
mylib = {git = "https://github.com/o/mylib.git", ref = "main", editable = true}
archive = {file = "https://example.org/archive-1.0.tar.gz"}
wheel = {file = "./wheels/wheel-1.0-py3-none-any.whl"}
local = {path = ".", editable = true}
django = {version = ">=4.2", extras = ["argon2"], index = "pypi"}

[dev-packages]
pytest = "==8.2.0"
`,
  );

  it("reads packages and dev-packages", () => {
    expect(manifest.requirements.map((requirement) => [requirement.name, requirement.section, requirement.specifier, requirement.range.line])).toEqual([
      ["requests", "packages", "*", 12],
      ["zope-interface", "packages", "==5.0", 13],
      ["mylib", "packages", "", 14],
      ["archive", "packages", "", 15],
      ["django", "packages", ">=4.2", 18],
      ["pytest", "dev-packages", "==8.2.0", 21],
    ]);
    expect(byName(manifest.requirements, "mylib")).toMatchObject({ url: "git+https://github.com/o/mylib.git", revision: { kind: "ref", value: "main" }, editable: true });
    expect(byName(manifest.requirements, "archive").url).toBe("https://example.org/archive-1.0.tar.gz");
    expect(byName(manifest.requirements, "django").extras).toEqual(["argon2"]);
  });

  it("reads sources with verify_ssl", () => {
    expect(manifest.indexes.map((setting) => [setting.value, setting.verifySsl, setting.name, setting.range.line])).toEqual([
      ["https://pypi.org/simple", true, "pypi", 2],
      ["http://internal/simple", false, "internal", 7],
    ]);
  });
});

describe("analyzeManifestSource", () => {
  it("turns invalid TOML into a parse warning, not a crash", () => {
    for (const [path, text] of [
      ["pyproject.toml", '[project]\ndependencies = ["a",\nname = \n'],
      ["Pipfile", "[packages\nrequests = *\n"],
    ] as const) {
      const result = analyzeManifestSource(path, text, engineOptions());
      expect(result.error).toBeUndefined();
      expect(result.findings).toEqual([]);
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toMatchObject({ kind: "parse", path });
      expect(result.warnings[0]?.message).toMatch(/^not valid TOML: .*; the manifest was not checked$/u);
      expect(result.warnings[0]?.line).toBeGreaterThan(0);
    }
  });

  it("honours suppression comments on the line and on the line above", () => {
    const text = [
      "flask  # pyguard: ignore[PG-DEP-001] -- pinned by the platform image",
      "# pyguard: ignore[PG-DEP-001] -- pinned by the platform image",
      "requests",
      "click",
    ].join("\n");
    const result = analyzeManifestSource("requirements.txt", text, engineOptions());
    expect(result.findings.map((finding) => [finding.line, finding.ruleId, finding.suppressed])).toEqual([
      [1, "PG-DEP-001", true],
      [3, "PG-DEP-001", true],
      [4, "PG-DEP-001", false],
    ]);
  });

  it("gives findings fingerprints that survive moving the entry", () => {
    const before = analyzeManifestSource("requirements.txt", "flask\n", engineOptions()).findings[0];
    const after = analyzeManifestSource("requirements.txt", "# deps\n\nflask\n", engineOptions()).findings[0];
    expect(before?.fingerprint).toBeDefined();
    expect(after?.fingerprint).toBe(before?.fingerprint);
    expect(after?.line).toBe(3);
  });
});
