import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, defaultConfig, loadConfigFile, parseConfigText } from "../../src/config/load.js";
import { activeRules } from "../../src/config/resolve.js";
import { ALL_RULES } from "../../src/rules/index.js";

function problemsOf(text: string): string[] {
  try {
    parseConfigText(text, "pyguard.yml");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error("expected the config to be rejected");
}

describe("config", () => {
  it("has secure, documented defaults", () => {
    const config = defaultConfig();
    expect(config.failOn).toBe("error");
    expect(config.maxFileBytes).toBe(2 * 1024 * 1024);
    expect(config.paths.exclude).toEqual(expect.arrayContaining(["**/migrations/**", "**/*_pb2.py", "**/.venv/**"]));
    expect(config.review).toEqual({ event: "COMMENT", maxInlineComments: 25, reviewDrafts: false });
    expect(config.naming.functionPattern).toBe("^func_[a-z][a-zA-Z0-9]*$");
  });

  it("accepts an empty file as the defaults", () => {
    expect(parseConfigText("", "pyguard.yml")).toEqual(defaultConfig());
  });

  it("names the key and the expected form of every problem", () => {
    expect(problemsOf("failOn: fatal\n")).toEqual(['failOn: expected one of "error", "warning", "note"']);
    expect(problemsOf("failon: error\n")).toEqual(['(top level): unknown key "failon"']);
    expect(problemsOf("rules:\n  PG-DYN-001: loud\n")[0]).toMatch(/^rules\.PG-DYN-001: expected a severity/u);
    expect(problemsOf("rules:\n  PG-NOPE-999: off\n")).toEqual(["rules.PG-NOPE-999: no rule has this id (see docs/rules.md for the list)"]);
    expect(problemsOf("naming:\n  functionPattern: '(['\n")).toEqual(["naming.functionPattern: must be a valid regular expression"]);
    expect(problemsOf("paths:\n  include: '**/*.py'\n")).toEqual(["paths.include: expected array"]);
    expect(problemsOf("review:\n  maxInlineComments: 1000\n")[0]).toMatch(/^review\.maxInlineComments: /u);
    expect(problemsOf("- a\n- b\n")[0]).toMatch(/expected a mapping/u);
    expect(problemsOf("failOn: [unclosed\n")[0]).toMatch(/^not valid YAML: /u);
  });

  it("turns rules off or changes their severity by rule id or guideline id, the rule's own setting winning", () => {
    const config = parseConfigText("sections:\n  G4: warning\nrules:\n  PG-DYN-001: note\n", "pyguard.yml");
    const evalRule = activeRules(config, ALL_RULES).find((active) => active.rule.meta.id === "PG-DYN-001");
    expect(evalRule?.severityOverride).toBe("note");
    const off = parseConfigText("sections:\n  G4: off\n", "pyguard.yml");
    expect(activeRules(off, ALL_RULES).some((active) => active.rule.meta.sections.includes("G4"))).toBe(false);
  });

  it("treats a missing default file as the defaults but a missing --config file as an error", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pyguard-config-"));
    await expect(loadConfigFile(join(directory, "absent.yml"), { required: false })).resolves.toEqual(defaultConfig());
    await expect(loadConfigFile(join(directory, "absent.yml"), { required: true })).rejects.toBeInstanceOf(ConfigError);
    writeFileSync(join(directory, "pyguard.yml"), "failOn: warning\n");
    await expect(loadConfigFile(join(directory, "pyguard.yml"), { required: true })).resolves.toMatchObject({ failOn: "warning" });
  });
});
