import { mkdtempSync, readFileSync, statSync, writeFileSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/load.js";
import { ResultCache, CACHE_DIRECTORY } from "../../src/scan/result-cache.js";
import { scanFiles } from "../../src/scan/scan-files.js";

const RISKY = 'def func_run(expression):\n    """Run it."""\n    return eval(input())\n';
const SAFE = 'def func_double(value):\n    """Double it."""\n    return value * 2\n';

function project(): { root: string; files: string[] } {
  const root = mkdtempSync(join(tmpdir(), "pyguard-cache-"));
  const files = [join(root, "risky.py"), join(root, "safe.py")];
  writeFileSync(files[0] as string, RISKY);
  writeFileSync(files[1] as string, SAFE);
  return { root, files };
}

async function scanWithCache(root: string, files: string[], salt = "salt-1"): Promise<{ cache: ResultCache; ids: string[][] }> {
  const cache = await ResultCache.open(root, salt);
  const results = await scanFiles(files, { config: defaultConfig(), cwd: root, cache, threads: 1 });
  await cache.save();
  return { cache, ids: results.map((result) => result.findings.map((finding) => `${finding.ruleId}:${finding.line}`)) };
}

describe("the result cache", () => {
  it("answers an unchanged file from the cache with the same findings, and re-analyses a changed one", async () => {
    const { root, files } = project();
    const first = await scanWithCache(root, files);
    expect(first.cache.hits).toBe(0);
    expect(first.ids[0]).toContain("PG-DYN-001:3");

    const second = await scanWithCache(root, files);
    expect(second.cache.hits).toBe(2);
    expect(second.ids).toEqual(first.ids);

    writeFileSync(files[0] as string, SAFE.replace("func_double", "func_triple"));
    const third = await scanWithCache(root, files);
    expect(third.cache.hits).toBe(1);
    expect(third.ids[0]).toEqual([]);
  });

  it("ignores entries made for another engine or config (another salt)", async () => {
    const { root, files } = project();
    await scanWithCache(root, files, "salt-1");
    const other = await scanWithCache(root, files, "salt-2");
    expect(other.cache.hits).toBe(0);
  });

  it("does not rewrite the cache file when a run only hit it", async () => {
    const { root, files } = project();
    await scanWithCache(root, files);
    const file = join(root, CACHE_DIRECTORY, "results-v1.json");
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    utimesSync(file, past, past);
    const before = readFileSync(file, "utf8");
    await scanWithCache(root, files);
    expect(Math.round(statSync(file).mtimeMs)).toBe(past.getTime());
    expect(readFileSync(file, "utf8")).toBe(before);

    // A file that left the tree drops its entry: the cache is written again, smaller.
    await scanWithCache(root, files.slice(0, 1));
    expect(statSync(file).mtimeMs).toBeGreaterThan(past.getTime());
    expect(Object.keys((JSON.parse(readFileSync(file, "utf8")) as { entries: object }).entries)).toHaveLength(1);
  });

  it("analyses a file again when its stored entry is not a valid result (an edited cache adds or hides nothing)", async () => {
    const { root, files } = project();
    await scanWithCache(root, files);
    const file = join(root, CACHE_DIRECTORY, "results-v1.json");
    const stored = JSON.parse(readFileSync(file, "utf8")) as { entries: Record<string, { findings: Array<Record<string, unknown>> }> };
    for (const entry of Object.values(stored.entries)) {
      if (entry.findings.length > 0) entry.findings = [{ ...entry.findings[0], severity: "harmless" }];
    }
    writeFileSync(file, JSON.stringify(stored));
    const run = await scanWithCache(root, files);
    expect(run.cache.hits).toBe(1);
    expect(run.ids[0]).toContain("PG-DYN-001:3");
    const rewritten = JSON.parse(readFileSync(file, "utf8")) as { entries: Record<string, { findings: Array<{ severity: string }> }> };
    expect(Object.values(rewritten.entries).flatMap((entry) => entry.findings.map((finding) => finding.severity))).not.toContain("harmless");
  });

  it("starts empty from a corrupt cache file instead of failing", async () => {
    const { root, files } = project();
    await scanWithCache(root, files);
    writeFileSync(join(root, CACHE_DIRECTORY, "results-v1.json"), "{ not json");
    const run = await scanWithCache(root, files);
    expect(run.cache.hits).toBe(0);
    expect(run.ids[0]).toContain("PG-DYN-001:3");
  });
});
