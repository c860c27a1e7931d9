import { writeFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { SEVERITY_RANK, type FileResult, type Finding, type Severity } from "../../engine/types.js";
import { parsePatch } from "../../review/diff.js";
import { pathFilter } from "../../review/paths.js";
import { ALL_RULES } from "../../rules/index.js";
import { VERSION } from "../../version.js";
import { openWorkspace } from "../config.js";
import { discoverPythonFiles, toPosix } from "../discover.js";
import { toJsonReport } from "../format/json.js";
import { toSarif } from "../format/sarif.js";
import { formatText } from "../format/text.js";
import { splitGitDiff } from "../git-diff.js";
import { diffSince, git, GitError } from "../git.js";
import { useColour, type CliIo } from "../io.js";
import { UsageError, type ScanOptions } from "../options.js";
import { scanFiles } from "../../scan/scan-files.js";
import { openResultCache } from "../../scan/cache-salt.js";
import { engineOptionsFor } from "../../scan/engine-options.js";
import type { FetchLike } from "../../rules/components/osv-client.js";
import { addOsvFindings } from "../../rules/components/osv-scan.js";

/** New-file lines added since REF, per absolute path; untracked files count as wholly added. */
async function changedLines(root: string, ref: string): Promise<Map<string, Set<number> | "all">> {
  const changes = new Map<string, Set<number> | "all">();
  for (const file of splitGitDiff(await diffSince(root, ref))) {
    if (file.status === "removed" || file.binary) continue;
    changes.set(resolve(root, file.path), parsePatch(file.patch).added);
  }
  const untracked = await git(root, ["ls-files", "--others", "--exclude-standard", "-z"]);
  for (const path of untracked.split("\0").filter(Boolean)) changes.set(resolve(root, path), "all");
  return changes;
}

export function failsAt(findings: readonly Finding[], failOn: Severity): boolean {
  return findings.some((finding) => !finding.suppressed && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]);
}

export async function runScan(options: ScanOptions, io: CliIo): Promise<number> {
  const workspace = await openWorkspace(io.cwd, options.config);
  const { config, root } = workspace;
  const filter = pathFilter(config.paths.include, config.paths.exclude);
  const discovered = await discoverPythonFiles(options.paths, io.cwd, root, filter);
  if (discovered.missing.length > 0) throw new UsageError(`no such file or folder: ${discovered.missing.join(", ")}`);

  let files = discovered.files;
  let changes: Map<string, Set<number> | "all"> | undefined;
  if (options.diff !== undefined) {
    if (!workspace.inGit) throw new GitError("--diff needs a git repository");
    changes = await changedLines(root, options.diff);
    files = files.filter((file) => changes?.has(file));
  }

  const cache = options["no-cache"] ? undefined : await openResultCache(root, config);
  let results: FileResult[] = await scanFiles(files, { config, cwd: io.cwd, ...(cache ? { cache } : {}) }, discovered.sizes);
  await cache?.save().catch(() => undefined);
  // Opt-in (PG-DEP-005 `osv: true`): the exact pins of the scanned manifests, checked online after the offline scan.
  const osv = await addOsvFindings({ results, cwd: io.cwd, engine: engineOptionsFor(config), fetch: io.fetch ?? (globalThis.fetch as FetchLike) });
  if (osv) results = osv.results;
  if (osv?.notice) io.stderr.write(`pyguard: ${osv.notice}\n`);
  let findings = results.flatMap((result) => result.findings);
  if (changes) {
    const byPath = new Map([...changes].map(([path, lines]) => [toPosix(relative(io.cwd, path)), lines]));
    findings = findings.filter((finding) => {
      const lines = byPath.get(finding.path);
      return lines === "all" || (lines !== undefined && lines.has(finding.line));
    });
  }

  const failOn = options["fail-on"] ?? config.failOn;
  let report: string;
  switch (options.format) {
    case "json":
      report = `${JSON.stringify(toJsonReport(results, findings), null, 2)}\n`;
      break;
    case "sarif":
      report = `${JSON.stringify(toSarif(results, findings, ALL_RULES, VERSION), null, 2)}\n`;
      break;
    default:
      report = formatText(results, findings, options.output === undefined && useColour(io.stdout));
  }
  if (options.output !== undefined) await writeFile(resolve(io.cwd, options.output), report);
  else io.stdout.write(report);

  if (results.some((result) => result.error?.kind === "io")) return 2;
  return failsAt(findings, failOn) ? 1 : 0;
}
