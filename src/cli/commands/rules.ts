import { ALL_RULES } from "../../rules/index.js";
import type { CliIo } from "../io.js";

export function runRules(io: CliIo): number {
  const width = Math.max(...ALL_RULES.map((rule) => rule.meta.id.length), 10);
  for (const { meta } of ALL_RULES) {
    io.stdout.write(`${meta.id.padEnd(width)}  ${meta.defaultSeverity.padEnd(7)}  ${meta.title}  [${meta.sections.join(", ")}]\n`);
  }
  return 0;
}
