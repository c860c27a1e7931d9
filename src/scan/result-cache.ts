import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { FileResult } from "../engine/types.js";

export const CACHE_DIRECTORY = ".pyguard-cache";

/** Cache files are read back from disk, so they are validated like any other input; a bad one is ignored. */
const cacheFileSchema = z.object({
  version: z.literal(1),
  salt: z.string(),
  entries: z.record(z.string(), z.unknown()),
});

/**
 * Results by content hash, like Ruff's cache: a file whose bytes, path, config and engine are
 * unchanged is not parsed again. Only the entries used by the latest run are written back, so
 * the cache never grows past the tree it serves.
 */
export class ResultCache {
  private readonly previous = new Map<string, FileResult>();
  private readonly current = new Map<string, FileResult>();
  /** Set once this run stores a result the file on disk does not hold. */
  private changed = false;
  hits = 0;

  private constructor(
    private readonly file: string,
    private readonly salt: string,
  ) {}

  /** Opens the cache in `root` for a given engine and config; `salt` changes whenever either does. */
  static async open(root: string, salt: string): Promise<ResultCache> {
    const file = join(root, CACHE_DIRECTORY, "results-v1.json");
    const cache = new ResultCache(file, salt);
    try {
      const parsed = cacheFileSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
      if (parsed.success && parsed.data.salt === salt) {
        for (const [key, value] of Object.entries(parsed.data.entries)) cache.previous.set(key, value as FileResult);
      }
    } catch {
      // No cache yet, or an unreadable one: start empty.
    }
    return cache;
  }

  keyFor(path: string, bytes: Uint8Array): string {
    return createHash("sha256").update(path).update("\0").update(bytes).digest("hex");
  }

  get(key: string): FileResult | undefined {
    const result = this.previous.get(key) ?? this.current.get(key);
    if (result) {
      this.hits++;
      this.current.set(key, result);
    }
    return result;
  }

  set(key: string, result: FileResult): void {
    this.current.set(key, result);
    this.changed = true;
  }

  /** Writes the entries of this run atomically, with a CACHEDIR.TAG and a .gitignore so tools leave it alone. */
  async save(): Promise<void> {
    // A run that only hit the cache, and hit all of it, would write the same file again.
    if (!this.changed && this.current.size === this.previous.size) return;
    const directory = join(this.file, "..");
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, ".gitignore"), "*\n");
    await writeFile(join(directory, "CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n# pyguard's result cache; safe to delete.\n");
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ version: 1, salt: this.salt, entries: Object.fromEntries(this.current) }));
    await rename(temporary, this.file);
  }
}
