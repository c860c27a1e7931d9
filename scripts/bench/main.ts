/**
 * `npm run bench [FOLDER] [--runs N] [--json FILE]`: pyguard side by side with Ruff (its
 * WebAssembly build, S and N rules) and Bandit on the same files, plus the tree-sitter parse
 * floor, each in a fresh process, medians of N runs; then a 100-file pull request through the
 * real app against the fake GitHub.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpus, tmpdir } from "node:os";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { collectCorpus, standardLibraryPath } from "./corpus.js";
import { measurePullRequestReview, type BenchResult } from "../../test/support/bench-github.js";

interface Measurement {
  tool: string;
  wallMs: number;
  maxRssMb: number;
  files: number;
  findings: number;
  byRule?: Record<string, number>;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: "string", default: "3" }, json: { type: "string" }, "skip-pr": { type: "boolean", default: false } },
});
const runs = Math.max(1, Number.parseInt(values.runs ?? "3", 10) || 3);
const root = positionals[0] ?? standardLibraryPath();
const corpus = collectCorpus(root);
const listFile = join(mkdtempSync(join(tmpdir(), "pyguard-bench-")), "files.json");
writeFileSync(listFile, JSON.stringify(corpus.files));
const measureScript = fileURLToPath(new URL("./measure.js", import.meta.url));
const megabytes = corpus.bytes / 1e6;

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function measureInNode(tool: string): Measurement {
  const samples: Measurement[] = [];
  for (let run = 0; run < runs; run++) {
    const output = execFileSync(process.execPath, [measureScript, tool, listFile], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    samples.push(JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as Measurement);
  }
  return { ...(samples[0] as Measurement), wallMs: median(samples.map((sample) => sample.wallMs)), maxRssMb: median(samples.map((sample) => sample.maxRssMb)) };
}

function measureBandit(): Measurement | string {
  const probe = spawnSync("bandit", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return "skipped: the bandit command is not installed (Debian: apt-get install bandit)";
  const samples: Measurement[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync("/usr/bin/time", ["-f", "%M", "bandit", "-q", "-f", "json", "-o", "/dev/null", ...corpus.files], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const wallMs = performance.now() - started;
    const rssKb = Number.parseInt(result.stderr.trim().split("\n").at(-1) ?? "", 10);
    samples.push({ tool: "bandit", wallMs, maxRssMb: Number.isFinite(rssKb) ? rssKb / 1024 : Number.NaN, files: corpus.files.length, findings: Number.NaN });
  }
  return { ...(samples[0] as Measurement), wallMs: median(samples.map((sample) => sample.wallMs)), maxRssMb: median(samples.map((sample) => sample.maxRssMb)) };
}

function row(label: string, measurement: Measurement): string {
  const seconds = measurement.wallMs / 1000;
  return `| ${label} | ${seconds.toFixed(2)} s | ${(megabytes / seconds).toFixed(2)} | ${(corpus.files.length / seconds).toFixed(0)} | ${measurement.maxRssMb.toFixed(0)} MB |`;
}

const cpuModel = cpus()[0]?.model ?? "unknown CPU";
process.stdout.write(`Corpus: ${root} (${corpus.files.length} files, ${megabytes.toFixed(1)} MB); ${cpus().length} cores, ${cpuModel}; Node ${process.version}; median of ${runs} runs\n\n`);
const pyguard = measureInNode("pyguard");
const single = measureInNode("pyguard-1t");
const ruff = measureInNode("ruff");
const parse = measureInNode("parse");
const walk = measureInNode("walk");
const bandit = measureBandit();

const lines = ["| tool | wall | MB/s | files/s | peak RSS |", "| --- | --- | --- | --- | --- |"];
lines.push(row(`pyguard, all rules, ${cpus().length} threads`, pyguard));
lines.push(row("pyguard, all rules, 1 thread", single));
lines.push(row("Ruff wasm (S, N), same process kind", ruff));
lines.push(row("tree-sitter parse only (floor)", parse));
lines.push(row(`parse + one cursor walk over its ${walk.findings} nodes`, walk));
if (typeof bandit === "string") lines.push(`| Bandit | ${bandit} | | | |`);
else lines.push(row("Bandit", bandit));
const ratios = [
  `pyguard / Ruff: ${(pyguard.wallMs / ruff.wallMs).toFixed(2)}× (target ≤ 0.5×)`,
  `pyguard 1 thread / parse floor: ${(single.wallMs / parse.wallMs).toFixed(2)}× (target ≤ 1.5×); parse + walk / parse floor: ${(walk.wallMs / parse.wallMs).toFixed(2)}×`,
  typeof bandit === "string" ? "pyguard / Bandit: n/a" : `Bandit / pyguard: ${(bandit.wallMs / pyguard.wallMs).toFixed(1)}× faster (target ≥ 20×)`,
];
process.stdout.write(`${lines.join("\n")}\n\n${ratios.join("\n")}\n`);
process.stdout.write(`findings: pyguard ${pyguard.findings}, Ruff ${ruff.findings}\n`);
if (single.byRule) {
  const counts = Object.entries(single.byRule).sort(([a], [b]) => a.localeCompare(b));
  process.stdout.write(`\nFindings per rule on this corpus (unsuppressed):\n${counts.map(([rule, count]) => `  ${rule.padEnd(14)} ${count}`).join("\n")}\n`);
}

let pullRequests: BenchResult[] = [];
if (!values["skip-pr"]) {
  process.stdout.write("\nPull request of 100 changed Python files, through the real server against the fake GitHub:\n");
  pullRequests = [await measurePullRequestReview({ files: 100, mode: "process" }), await measurePullRequestReview({ files: 100, mode: "process", latencyMs: 50 })];
  for (const [index, result] of pullRequests.entries()) {
    process.stdout.write(
      `- ${index === 0 ? "no added latency" : "50 ms per request"}: ${(result.ms / 1000).toFixed(2)} s webhook → completed check run (review posted at ${((result.lastRequestMs ?? result.ms) / 1000).toFixed(2)} s), ${result.requests} GitHub requests (target ≤ ${result.files + 8}), conclusion ${result.conclusion}, app peak RSS ${result.appPeakRssMb?.toFixed(0) ?? "?"} MB\n`,
    );
  }
  process.stdout.write("\nPull request of 3000 changed Python files (GitHub's listing limit), same setup, for memory:\n");
  const large = await measurePullRequestReview({ files: 3000, mode: "process" });
  pullRequests.push(large);
  process.stdout.write(`- ${(large.ms / 1000).toFixed(2)} s webhook → completed check run, ${large.requests} GitHub requests, conclusion ${large.conclusion}, app peak RSS ${large.appPeakRssMb?.toFixed(0) ?? "?"} MB (target < 300 MB)\n`);
}

if (values.json) {
  writeFileSync(
    values.json,
    `${JSON.stringify({ date: new Date().toISOString(), corpus: { root, files: corpus.files.length, bytes: corpus.bytes }, cpus: cpus().length, cpuModel, node: process.version, runs, pyguard, single, ruff, parse, walk, bandit, pullRequests }, null, 2)}\n`,
  );
}
