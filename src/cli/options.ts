import { parseArgs } from "node:util";
import { z } from "zod";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const USAGE = `pyguard: reviews Python code against the secure-coding guidelines

Usage:
  pyguard scan [PATH...] [options]     scan files and folders (default: .)
  pyguard review [--base REF]          run the pull-request review locally on your branch
  pyguard rules                        list the rules and the guideline ids they serve
  pyguard --version | --help

Options for scan:
  --diff REF              report only lines changed since the git revision REF
  --format FORMAT         text (default), json or sarif
  --fail-on SEVERITY      error (default: the config's failOn), warning or note
  --config FILE           config file (default: .github/pyguard.yml in the repository)
  --output FILE           write the report to FILE instead of standard output
  --no-cache              do not read or write the result cache

Options for review:
  --base REF              the branch the change would merge into (default: origin/HEAD, else main,
                          else master); the diff starts at its merge-base with HEAD and takes in
                          uncommitted and untracked files
  --format FORMAT         text (default) or json
  --config FILE           config file (default: .github/pyguard.yml as committed on the base)

Exit status: 0 nothing at or above the fail-on severity, 1 findings at or above it, 2 usage, config or I/O error.
`;

const scanOptions = z.strictObject({
  diff: z.string().min(1).optional(),
  format: z.enum(["text", "json", "sarif"]).default("text"),
  "fail-on": z.enum(["error", "warning", "note"]).optional(),
  config: z.string().min(1).optional(),
  output: z.string().min(1).optional(),
  "no-cache": z.boolean().default(false),
});

const reviewOptions = z.strictObject({
  base: z.string().min(1).optional(),
  format: z.enum(["text", "json"]).default("text"),
  config: z.string().min(1).optional(),
});

export type ScanOptions = z.infer<typeof scanOptions> & { paths: string[] };
export type ReviewOptions = z.infer<typeof reviewOptions>;

export type Command =
  | { name: "scan"; options: ScanOptions }
  | { name: "review"; options: ReviewOptions }
  | { name: "rules" }
  | { name: "help" }
  | { name: "version" };

function validated<T>(schema: z.ZodType<T>, values: unknown): T {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const option = issue?.path.join(".") ?? "";
  if (issue?.code === "invalid_value") throw new UsageError(`--${option} must be one of: ${issue.values.join(", ")}`);
  throw new UsageError(`--${option}: ${issue?.message ?? "invalid value"}`);
}

export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") return { name: "help" };
  if (first === "--version" || first === "-V") return { name: "version" };
  try {
    switch (first) {
      case "scan": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            diff: { type: "string" },
            format: { type: "string" },
            "fail-on": { type: "string" },
            config: { type: "string" },
            output: { type: "string", short: "o" },
            "no-cache": { type: "boolean" },
          },
        });
        return { name: "scan", options: { ...validated(scanOptions, values), paths: positionals.length > 0 ? positionals : ["."] } };
      }
      case "review": {
        const { values } = parseArgs({
          args: rest,
          allowPositionals: false,
          options: { base: { type: "string" }, format: { type: "string" }, config: { type: "string" } },
        });
        return { name: "review", options: validated(reviewOptions, values) };
      }
      case "rules":
        if (rest.length > 0) throw new UsageError("pyguard rules takes no arguments");
        return { name: "rules" };
      default:
        throw new UsageError(`unknown command "${first}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // node:util parseArgs errors name the offending option already.
    throw new UsageError((error as Error).message);
  }
}
