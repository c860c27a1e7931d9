import type { CliIo } from "../io.js";
import type { ReviewOptions } from "../options.js";

export async function runReview(_options: ReviewOptions, io: CliIo): Promise<number> {
  io.stderr.write("pyguard review: not available yet\n");
  return 2;
}
