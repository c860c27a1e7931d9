import { readdir, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { isPythonPath, type PathFilter } from "../review/paths.js";

export function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

const SKIPPED_DIRECTORIES = new Set([".git", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".pyguard-cache"]);

function isInside(path: string, root: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot === "" || (!fromRoot.startsWith("..") && !isAbsolute(fromRoot));
}

export interface DiscoveredFiles {
  /** Absolute paths of the Python files to scan, sorted. */
  files: string[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
  /** Sizes in bytes, from the walk, so the scanner can plan its threads without reading. */
  sizes: Map<string, number>;
}

/**
 * Expands files and folders into the Python files to scan. A file named explicitly is scanned
 * even if the globs would leave it out (like Ruff's `--force-exclude` off); folders are walked
 * iteratively and filtered by the config's globs relative to `root`.
 */
export async function discoverPythonFiles(targets: readonly string[], cwd: string, root: string, filter: PathFilter): Promise<DiscoveredFiles> {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const target of targets) {
    const absolute = resolve(cwd, target);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      missing.push(target);
      continue;
    }
    if (info.isFile()) {
      files.add(absolute);
      continue;
    }
    // Globs are relative to the repository; a folder outside it is matched relative to itself.
    const base = isInside(absolute, root) ? root : absolute;
    const pending = [absolute];
    while (pending.length > 0) {
      const directory = pending.pop() as string;
      let entries;
      try {
        entries = await readdir(directory, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(path);
        } else if (entry.isFile() && isPythonPath(toPosix(relative(base, path)))) {
          if (filter(toPosix(relative(base, path)))) files.add(path);
        }
      }
    }
  }
  const sorted = [...files].sort();
  const sizes = new Map<string, number>();
  await Promise.all(
    sorted.map(async (file) => {
      try {
        sizes.set(file, (await stat(file)).size);
      } catch {
        // Unreadable now: the scan reports it when it tries to read.
      }
    }),
  );
  return { files: sorted, missing, sizes };
}
