import { z } from "zod";
import { GUIDELINE_IDS } from "../guidelines/guidelines.js";

export const severitySetting = z.enum(["error", "warning", "note", "off"]);
export type SeveritySetting = z.infer<typeof severitySetting>;

const severity = z.enum(["error", "warning", "note"]);

const ruleSetting = z.union([
  severitySetting,
  z.strictObject({
    severity: severitySetting.optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
]);

const regexSource = z.string().refine(
  (source) => {
    try {
      new RegExp(source, "u");
      return true;
    } catch {
      return false;
    }
  },
  { message: "must be a valid regular expression" },
);

export const namingSchema = z.strictObject({
  /** Function and method names. The guideline asks for func_ followed by camelCase. */
  functionPattern: regexSource.default("^func_[a-z][a-zA-Z0-9]*$"),
  /** Variables and parameters: camelCase. */
  variablePattern: regexSource.default("^[a-z][a-zA-Z0-9]*$"),
  /** Names that are always accepted (external contracts: `main`, `setup`, `handler`…). */
  ignoreNames: z.array(z.string()).default([]),
  /** Decorators whose functions keep names a framework dictates (their last dotted part is compared). */
  exemptDecorators: z
    .array(z.string())
    .default(["override", "property", "cached_property", "setter", "getter", "deleter", "overload", "fixture", "hookimpl", "hookspec", "validator", "field_validator", "model_validator", "root_validator"]),
  /** Check test files (test_*.py, *_test.py, conftest.py) too. */
  checkTestFiles: z.boolean().default(false),
});

export const reviewSchema = z.strictObject({
  /** The review event the GitHub App posts. */
  event: z.enum(["COMMENT", "REQUEST_CHANGES"]).default("COMMENT"),
  /** Inline comments per review; the rest go to the check run's annotations and summary. */
  maxInlineComments: z.number().int().min(0).max(100).default(25),
  /** Review draft pull requests too. */
  reviewDrafts: z.boolean().default(false),
});

export const configSchema = z.strictObject({
  /** The lowest severity that fails the check run and makes the CLI exit 1. */
  failOn: severity.default("error"),
  /** Files larger than this are skipped with a notice. */
  maxFileBytes: z.number().int().positive().max(50 * 1024 * 1024).default(2 * 1024 * 1024),
  /** Per-rule severity (or off), with rule options. */
  rules: z
    .record(z.string().regex(/^PG-[A-Z]+-\d{3}$/u, "rule ids look like PG-SQL-001"), ruleSetting)
    .default({}),
  /** Per-guideline severity (or off) for every rule that serves the id; a rule's own setting wins. */
  sections: z
    .partialRecord(z.enum(GUIDELINE_IDS as [string, ...string[]]), severitySetting)
    .default({}),
  paths: z
    .strictObject({
      include: z.array(z.string()).default(["**/*.py"]),
      exclude: z
        .array(z.string())
        .default([
          "**/.venv/**",
          "**/venv/**",
          "**/.tox/**",
          "**/.nox/**",
          "**/site-packages/**",
          "**/node_modules/**",
          "**/__pycache__/**",
          "**/.git/**",
          "**/migrations/**",
          "**/*_pb2.py",
          "**/*_pb2_grpc.py",
        ]),
    })
    .prefault({}),
  naming: namingSchema.prefault({}),
  review: reviewSchema.prefault({}),
});

export type PyguardConfig = z.infer<typeof configSchema>;
export type NamingOptions = z.infer<typeof namingSchema>;
