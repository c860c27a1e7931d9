import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../config/json-schema.js";
import { ALL_RULES } from "../rules/index.js";
import { renderRulesPage } from "./rules-page.js";

/** `npm run docs`: regenerates docs/rules.md and the config's JSON Schema. */
const root = new URL("../../", import.meta.url);
writeFileSync(new URL("docs/rules.md", root), renderRulesPage(ALL_RULES));
writeFileSync(new URL("schema/pyguard.schema.json", root), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write("wrote docs/rules.md and schema/pyguard.schema.json\n");
