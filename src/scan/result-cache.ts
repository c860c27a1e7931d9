import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { FileResult } from "../engine/types.js";
import { GUIDELINE_IDS, type GuidelineId } from "../guidelines/guidelines.js";

export const CACHE_DIRECTORY = ".pyguard-cache";

const position = { line: z.number().int(), column: z.number().int(), endLine: z.number().int(), endColumn: z.number().int() };

/** A stored result: a cache file is read back from disk, and an edited one must not add or hide findings unnoticed. */
const fileResultSchema = z.object({
  path: z.string(),
  findings: z.array(
    z.object({
      ruleId: z.string(),
      sections: z.array(z.enum(GUIDELINE_IDS as [GuidelineId, ...GuidelineId[]])),
      cwe: z.array(z.number().int()),
      severity: z.enum(["error", "warning", "note"]),
      message: z.string(),
      path: z.string(),
      ...position,
      fix: z.object({ description: z.string(), replacement: z.string(), ...position }).optional(),
      fingerprint: z.string(),
      suppressed: z.boolean(),
      suppression: z.object({ comment: z.string(), reason: z.string().nullable() }).optional(),
    }),
  ),
  warnings: z.array(z.object({ path: z.string(), kind: z.enum(["parse", "rule-error"]), message: z.string(), line: z.number().int() })),
  error: z.object({ path: z.string(), kind: z.enum(["binary", "encoding", "too-large", "io", "internal"]), message: z.string() }).optional(),
});

/** Cache files are validated like any other input; a bad entry is analysed again, a bad file ignored. */
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
  /** Entries as read from disk, validated when first used. */
  private readonly previous = new Map<string, unknown>();
  private previousCount = 0;
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
        for (const [key, value] of Object.entries(parsed.data.entries)) cache.previous.set(key, value);
        cache.previousCount = cache.previous.size;
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
    let result = this.current.get(key);
    if (!result && this.previous.has(key)) {
      const stored = fileResultSchema.safeParse(this.previous.get(key));
      this.previous.delete(key);
      if (!stored.success) {
        // The entry will be written back from a fresh analysis.
        this.changed = true;
        return undefined;
      }
      result = stored.data;
    }
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
    if (!this.changed && this.current.size === this.previousCount) return;
    const directory = join(this.file, "..");
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, ".gitignore"), "*\n");
    await writeFile(join(directory, "CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n# pyguard's result cache; safe to delete.\n");
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ version: 1, salt: this.salt, entries: Object.fromEntries(this.current) }));
    await rename(temporary, this.file);
  }
}
