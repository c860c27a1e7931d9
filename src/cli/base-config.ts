import { CONFIG_PATH, defaultConfig, parseConfigText } from "../config/load.js";
import type { PyguardConfig } from "../config/schema.js";
import { git } from "./git.js";

/**
 * The config as committed at a revision, read from git rather than the working tree: a branch
 * that edits .github/pyguard.yml must not change how its own review is judged.
 */
export async function configAtRevision(root: string, commit: string, label: string): Promise<PyguardConfig> {
  const listing = await git(root, ["ls-tree", "-z", commit, "--", CONFIG_PATH]);
  const entry = /^\d{6} blob ([0-9a-f]{7,64})\t/u.exec(listing);
  if (!entry?.[1]) return defaultConfig();
  const text = await git(root, ["cat-file", "blob", entry[1]]);
  return parseConfigText(text, `${label}:${CONFIG_PATH}`);
}
