import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/load.js";
import { normalizeName } from "../../src/engine/manifests/pep508.js";
import { ADVISORIES } from "../../src/rules/components/advisories.js";
import { DEPRECATED_PACKAGES } from "../../src/rules/components/deprecated-packages.js";
import { boundsOf, compareVersionText, exactPin, inRange, parseVersion } from "../../src/rules/components/pep440.js";
import { analyze, found } from "../support/engine.js";

describe("PEP 440 versions", () => {
  it("sorts the forms PEP 440 lists in its order", () => {
    const ordered = [
      "1.0.dev456",
      "1.0a1",
      "1.0a2.dev456",
      "1.0a12.dev456",
      "1.0a12",
      "1.0b1.dev456",
      "1.0b2",
      "1.0b2.post345.dev456",
      "1.0b2.post345",
      "1.0rc1.dev456",
      "1.0rc1",
      "1.0",
      "1.0+abc.5",
      "1.0+abc.7",
      "1.0+5",
      "1.0.post456.dev34",
      "1.0.post456",
      "1.0.15",
      "1.1.dev1",
      "2!0.1",
    ];
    for (let index = 1; index < ordered.length; index++) {
      expect(compareVersionText(ordered[index - 1] as string, ordered[index] as string), `${ordered[index - 1]} < ${ordered[index]}`).toBe(-1);
      expect(compareVersionText(ordered[index] as string, ordered[index - 1] as string)).toBe(1);
    }
  });

  it("normalizes spellings", () => {
    for (const [a, b] of [
      ["1.0", "1.0.0"],
      ["1.0", "v1.0"],
      ["1.0alpha1", "1.0a1"],
      ["1.0-beta.2", "1.0b2"],
      ["1.0c1", "1.0rc1"],
      ["1.0pre1", "1.0rc1"],
      ["1.0-1", "1.0.post1"],
      ["1.0.rev1", "1.0.post1"],
      ["1.0.post", "1.0.post0"],
      ["1.0-dev", "1.0.dev0"],
      ["1.0RC1", "1.0rc1"],
      ["0!1.0", "1.0"],
    ]) {
      expect(compareVersionText(a as string, b as string), `${a} == ${b}`).toBe(0);
    }
  });

  it("compares release segments numerically, padding with zeros", () => {
    expect(compareVersionText("2.10", "2.9")).toBe(1);
    expect(compareVersionText("2022.12.7", "2022.9.24")).toBe(1);
    expect(compareVersionText("1.26.5", "1.26.4.1")).toBe(1);
    expect(compareVersionText("1.2.0.0.1", "1.2")).toBe(1);
  });

  it("rejects what is not a version", () => {
    for (const text of ["", "abc", "1.0.x", "1..0", "1.0+", "latest", "*"]) expect(parseVersion(text), text).toBeNull();
    expect(compareVersionText("1.0", "main")).toBeNull();
  });
});

describe("specifiers", () => {
  it("finds the one version an exact pin allows", () => {
    expect(exactPin("==2.31.0", "pep440")).toBe("2.31.0");
    expect(exactPin("===2.31.0", "pep440")).toBe("2.31.0");
    expect(exactPin("==2.31.0,!=2.30", "pep440")).toBe("2.31.0");
    expect(exactPin("==2.*", "pep440")).toBeNull();
    expect(exactPin(">=2.31", "pep440")).toBeNull();
    expect(exactPin("2.31.0", "pep440")).toBeNull();
    expect(exactPin("2.31.0", "poetry")).toBe("2.31.0");
    expect(exactPin("=2.31.0", "poetry")).toBe("2.31.0");
    expect(exactPin("^2.31.0", "poetry")).toBeNull();
    expect(exactPin("2.31.0 || 2.32.0", "poetry")).toBeNull();
    expect(exactPin("*", "poetry")).toBeNull();
  });

  it("tells pins, bounded ranges, lower bounds and no constraint apart", () => {
    const summary = (specifier: string, style: "pep440" | "poetry" = "pep440"): string => {
      const bounds = boundsOf(specifier, style);
      return bounds.pinned ? "pinned" : bounds.unconstrained ? "open" : bounds.upper && bounds.lower ? "range" : bounds.upper ? "capped" : "lower";
    };
    expect(summary("")).toBe("open");
    expect(summary("*")).toBe("open");
    expect(summary("!=1.5")).toBe("open");
    expect(summary("==1.2.3")).toBe("pinned");
    expect(summary("===1.2.3")).toBe("pinned");
    expect(summary("==1.2.*")).toBe("range");
    expect(summary("~=1.4")).toBe("range");
    expect(summary(">=1.4,<2")).toBe("range");
    expect(summary("<2")).toBe("capped");
    expect(summary(">=1.4")).toBe("lower");
    expect(summary(">1.4,!=1.5")).toBe("lower");
    expect(summary("^1.2", "poetry")).toBe("range");
    expect(summary("~1.2", "poetry")).toBe("range");
    expect(summary("1.2.3", "poetry")).toBe("pinned");
    expect(summary(">=1.2 <2.0", "poetry")).toBe("range");
    expect(summary("^1.2 || >=3", "poetry")).toBe("lower");
    expect(summary("1.2.*", "poetry")).toBe("range");
    expect(summary("*", "poetry")).toBe("open");
  });

  it("places versions in half-open affected ranges", () => {
    const version = (text: string) => parseVersion(text) ?? (() => { throw new Error(text); })();
    expect(inRange(version("2.30.0"), { introduced: "2.3.0", fixed: "2.31.0" })).toBe(true);
    expect(inRange(version("2.31.0"), { introduced: "2.3.0", fixed: "2.31.0" })).toBe(false);
    expect(inRange(version("2.31.0rc1"), { introduced: "2.3.0", fixed: "2.31.0" })).toBe(true);
    expect(inRange(version("2.2.1"), { introduced: "2.3.0", fixed: "2.31.0" })).toBe(false);
    expect(inRange(version("0.1"), { fixed: "5.4" })).toBe(true);
    expect(inRange(version("9.9"), { introduced: "1.0" })).toBe(true);
  });
});

describe("shipped data tables", () => {
  it("has advisories with normalized names, CVE or GHSA ids and ordered ranges", () => {
    for (const advisory of ADVISORIES) {
      expect(advisory.package).toBe(normalizeName(advisory.package));
      expect(advisory.id).toMatch(/^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3})$/u);
      expect(advisory.affected.length).toBeGreaterThan(0);
      for (const range of advisory.affected) {
        expect(range.fixed, `${advisory.id} needs a fixed version`).toBeDefined();
        expect(parseVersion(range.fixed as string)).not.toBeNull();
        if (range.introduced !== undefined) expect(compareVersionText(range.introduced, range.fixed as string)).toBe(-1);
      }
    }
  });

  it("lists deprecated packages by normalized name, each with a source", () => {
    for (const entry of DEPRECATED_PACKAGES) {
      expect(entry.package).toBe(normalizeName(entry.package));
      expect(entry.source).toMatch(/^https:\/\//u);
    }
  });
});

describe("PG-DEP-010 options and message", () => {
  const source = "import cgi\nimport cgitb\nimport crypt\nimport imp\n";

  it("reports modules removed at or before `pythonVersion` (default 3.12)", () => {
    expect(found(source).filter((entry) => entry.endsWith("PG-DEP-010"))).toEqual(["4:PG-DEP-010"]);
    const config = defaultConfig();
    config.rules["PG-DEP-010"] = { options: { pythonVersion: "3.13" } };
    expect(found(source, "snippet.py", config).filter((entry) => entry.endsWith("PG-DEP-010"))).toEqual(["1:PG-DEP-010", "2:PG-DEP-010", "3:PG-DEP-010", "4:PG-DEP-010"]);
    config.rules["PG-DEP-010"] = { options: { pythonVersion: "3.11" } };
    expect(found(source, "snippet.py", config).filter((entry) => entry.endsWith("PG-DEP-010"))).toEqual([]);
  });

  it("names the line where plain FTP is used", () => {
    const result = analyze("import ftplib\n\n\ndef func_list(host):\n    return ftplib.FTP(host).nlst()\n");
    const finding = result.findings.find((entry) => entry.ruleId === "PG-DEP-010");
    expect(finding).toMatchObject({ line: 1, severity: "warning" });
    expect(finding?.message).toContain("`ftplib.FTP` (line 5)");
  });
});

describe("PG-DEP-011 and request data", () => {
  it("leaves XML parsed from the request to PG-INPUT-012", () => {
    const source = [
      "import xml.etree.ElementTree as ET",
      "",
      "from flask import Blueprint, request",
      "",
      'SHOP = Blueprint("shop", __name__)',
      "",
      "",
      '@SHOP.route("/import", methods=["POST"])',
      "def func_import():",
      "    root = ET.fromstring(request.get_data())",
      '    return {"items": len(root)}',
      "",
    ].join("\n");
    expect(found(source).filter((entry) => entry.endsWith("PG-DEP-011"))).toEqual([]);
  });
});
