import { join, resolve } from "node:path";
import { CONFIG_PATH, loadConfigFile } from "../config/load.js";
import type { PyguardConfig } from "../config/schema.js";
import { gitRoot } from "./git.js";

export interface Workspace {
  /** The repository root (or the working directory outside git); config globs are relative to it. */
  root: string;
  inGit: boolean;
  config: PyguardConfig;
  configPath: string;
}

/** Finds the repository, then reads --config or the repository's .github/pyguard.yml. */
export async function openWorkspace(cwd: string, configOption: string | undefined): Promise<Workspace> {
  const repository = await gitRoot(cwd);
  const root = repository ?? cwd;
  const configPath = configOption ? resolve(cwd, configOption) : join(root, CONFIG_PATH);
  const config = await loadConfigFile(configPath, { required: configOption !== undefined });
  return { root, inGit: repository !== null, config, configPath };
}
