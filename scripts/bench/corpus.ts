import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export interface Corpus {
  root: string;
  files: string[];
  bytes: number;
}

const SKIPPED = new Set(["site-packages", "dist-packages", "__pycache__", ".git", "node_modules"]);

/** The standard library of the machine's python3, found the way Python itself reports it. */
export function standardLibraryPath(): string {
  return execFileSync("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: "utf8" }).trim();
}

/** Every .py file below `root`, sorted, with third-party packages left out. */
export function collectCorpus(root: string): Corpus {
  const files: string[] = [];
  let bytes = 0;
  const pending = [root];
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) pending.push(path);
      } else if (entry.isFile() && entry.name.endsWith(".py")) {
        files.push(path);
        bytes += statSync(path).size;
      }
    }
  }
  files.sort();
  return { root, files, bytes };
}
