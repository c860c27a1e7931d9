import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeManifestSource } from "../../src/engine/manifests/analyze-manifest.js";
import { manifestKind } from "../../src/engine/manifests/kinds.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { analyze, engineOptions } from "../support/engine.js";

/**
 * Rule fixtures: test/fixtures/rules/<rule id>/*.py. A trailing `# expect: PG-XXX-000[, …]`
 * comment names the findings that line must produce; every other line must produce none, from
 * any rule. Each rule needs a fixture that it fires on and a clean one (`*clean*.py`) full of the
 * look-alikes it must leave alone. Rules about dependency manifests keep manifest fixtures under
 * their folder, at any depth and under their real names (`found/requirements.txt`,
 * `clean/pyproject.toml`, `clean_pipfile/Pipfile`), with the same `# expect:` comments; a path
 * containing "clean" makes a clean fixture.
 */
const FIXTURES = join(import.meta.dirname, "..", "fixtures", "rules");
const EXPECT = /#\s*expect:\s*([A-Z0-9, -]+?)\s*$/u;

function expectations(source: string): string[] {
  const expected: string[] = [];
  source.split("\n").forEach((line, index) => {
    const match = EXPECT.exec(line);
    if (!match?.[1]) return;
    for (const id of match[1].split(",").map((part) => part.trim()).filter(Boolean)) expected.push(`${index + 1}:${id}`);
  });
  return expected.sort();
}

function fixtureFiles(directory: string): string[] {
  return [
    ...readdirSync(directory)
      .filter((name) => name.endsWith(".py"))
      .map((name) => join(directory, name)),
    ...manifestFiles(directory),
  ];
}

function manifestFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: "utf8" })
    .filter((name) => manifestKind(name.split(/[\\/]/u).join("/")) !== null)
    .map((name) => join(directory, name))
    .sort();
}

const ruleDirectories = readdirSync(FIXTURES).filter((name) => statSync(join(FIXTURES, name)).isDirectory());

describe("rule fixtures", () => {
  for (const directory of ruleDirectories) {
    for (const file of fixtureFiles(join(FIXTURES, directory))) {
      it(`${directory}/${relative(join(FIXTURES, directory), file)}`, () => {
        const source = readFileSync(file, "utf8");
        const path = relative(FIXTURES, file);
        const result = manifestKind(path) ? analyzeManifestSource(path, source, engineOptions()) : analyze(source, path);
        expect(result.error).toBeUndefined();
        expect(result.warnings.filter((warning) => warning.kind === "rule-error" || manifestKind(path) !== null)).toEqual([]);
        const actual = result.findings
          .filter((finding) => !finding.suppressed)
          .map((finding) => `${finding.line}:${finding.ruleId}`)
          .sort();
        expect(actual).toEqual(expectations(source));
      });
    }
  }
});

describe("every rule has fixtures", () => {
  for (const rule of ALL_RULES) {
    it(`${rule.meta.id} has a firing fixture and a clean fixture`, () => {
      const directory = join(FIXTURES, rule.meta.id);
      const files = fixtureFiles(directory);
      const firing = files.filter((file) => expectations(readFileSync(file, "utf8")).some((entry) => entry.endsWith(`:${rule.meta.id}`)));
      const clean = files.filter((file) => /clean/u.test(file));
      expect(firing.length, `no fixture in ${directory} expects ${rule.meta.id}`).toBeGreaterThan(0);
      expect(clean.length, `no *clean*.py fixture in ${directory}`).toBeGreaterThan(0);
      for (const file of clean) {
        expect(expectations(readFileSync(file, "utf8")).filter((entry) => entry.endsWith(`:${rule.meta.id}`))).toEqual([]);
      }
    });
  }
});
