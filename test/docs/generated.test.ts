import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configJsonSchema } from "../../src/config/json-schema.js";
import { renderRulesPage } from "../../src/docs/rules-page.js";
import { GUIDELINE_IDS } from "../../src/guidelines/guidelines.js";
import { ALL_RULES } from "../../src/rules/index.js";

const root = new URL("../../", import.meta.url);

describe("generated files are current (run `npm run docs` when this fails)", () => {
  it("docs/rules.md matches the rules' meta", () => {
    expect(readFileSync(new URL("docs/rules.md", root), "utf8")).toBe(renderRulesPage(ALL_RULES));
  });

  it("schema/pyguard.schema.json matches the zod schema", () => {
    expect(JSON.parse(readFileSync(new URL("schema/pyguard.schema.json", root), "utf8"))).toEqual(configJsonSchema());
  });
});

describe("rule meta", () => {
  it("gives every rule a unique stable id, known guideline ids and complete docs", () => {
    const ids = ALL_RULES.map((rule) => rule.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { meta } of ALL_RULES) {
      expect(meta.id).toMatch(/^PG-[A-Z]+-\d{3}$/u);
      expect(meta.name).toMatch(/^[a-z][a-z0-9-]*$/u);
      expect(meta.sections.length).toBeGreaterThan(0);
      for (const section of meta.sections) expect(GUIDELINE_IDS).toContain(section);
      for (const text of [meta.title, meta.docs.whatItDoes, meta.docs.whyIsThisBad, meta.docs.example, meta.docs.useInstead]) {
        expect(text.trim().length).toBeGreaterThan(0);
      }
    }
  });

  it("lists each guideline id with the rules that serve it", () => {
    const page = renderRulesPage(ALL_RULES);
    for (const id of GUIDELINE_IDS) expect(page).toMatch(new RegExp(`^\\| ${id} \\|`, "mu"));
    for (const { meta } of ALL_RULES) expect(page).toContain(`## ${meta.id} ${meta.name}`);
  });
});
