import { ConfigError } from "../config/load.js";
import { VERSION } from "../version.js";
import { runRules } from "./commands/rules.js";
import { runScan } from "./commands/scan.js";
import { GitError } from "./git.js";
import type { CliIo } from "./io.js";
import { parseCommand, USAGE, UsageError } from "./options.js";

/** The `pyguard` command. Returns the exit status: 0 clean, 1 findings at or above fail-on, 2 usage, config or I/O error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseCommand(argv);
    switch (command.name) {
      case "help":
        io.stdout.write(USAGE);
        return 0;
      case "version":
        io.stdout.write(`pyguard ${VERSION}\n`);
        return 0;
      case "rules":
        return runRules(io);
      case "scan":
        return await runScan(command.options, io);
      case "review": {
        const { runReview } = await import("./commands/review.js");
        return await runReview(command.options, io);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`pyguard: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof GitError) {
      io.stderr.write(`pyguard: ${error.message}\n`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^E[A-Z]+$/u.test(code)) {
      io.stderr.write(`pyguard: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
