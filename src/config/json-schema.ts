import { z } from "zod";
import { configSchema } from "./schema.js";

/** The config's JSON Schema, generated from the zod schema, for editors (yaml-language-server). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: "input", target: "draft-7" }) as Record<string, unknown>;
  return {
    ...schema,
    title: "pyguard configuration (.github/pyguard.yml)",
  };
}
