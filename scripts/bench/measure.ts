/**
 * One measurement in a fresh process, so that each tool's peak RSS is its own:
 *   node dist-bench/measure.js <tool> <file-list.json>
 * Prints {wallMs, maxRssMb, files, findings} as JSON. Module loading is outside the timed part,
 * for every tool alike.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

type Tool = "pyguard" | "pyguard-1t" | "ruff" | "parse" | "walk";

async function run(tool: Tool, files: string[]): Promise<{ findings: number; wallMs: number; byRule?: Record<string, number> }> {
  switch (tool) {
    case "pyguard":
    case "pyguard-1t": {
      const { scanFiles } = await import("../../src/scan/scan-files.js");
      const { defaultConfig } = await import("../../src/config/load.js");
      const start = performance.now();
      const results = await scanFiles(files, { config: defaultConfig(), cwd: "/", threads: tool === "pyguard-1t" ? 1 : undefined });
      const wallMs = performance.now() - start;
      const byRule: Record<string, number> = {};
      for (const result of results) for (const finding of result.findings) if (!finding.suppressed) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
      return { wallMs, findings: results.reduce((sum, result) => sum + result.findings.length, 0), byRule };
    }
    case "ruff": {
      const { Workspace, PositionEncoding } = await import("@astral-sh/ruff-wasm-nodejs");
      const workspace = new Workspace({ lint: { select: ["S", "N"] } }, PositionEncoding.Utf16);
      const start = performance.now();
      let findings = 0;
      for (const file of files) {
        let text: string;
        try {
          text = readFileSync(file, "utf8");
        } catch {
          continue;
        }
        findings += (workspace.check(text) as unknown[]).length;
      }
      return { wallMs: performance.now() - start, findings };
    }
    case "parse": {
      const { parsePython } = await import("../../src/engine/parse.js");
      const { decodePythonSource } = await import("../../src/engine/decode.js");
      const start = performance.now();
      for (const file of files) {
        const decoded = decodePythonSource(file, readFileSync(file), 50 * 1024 * 1024);
        if ("text" in decoded) parsePython(decoded.text);
      }
      return { wallMs: performance.now() - start, findings: 0 };
    }
    case "walk": {
      // The binding's floor for any engine that looks at every node: parse, then one cursor pass
      // that reads each node's type, offsets and field (the properties a syntax tree needs).
      const { parsePython } = await import("../../src/engine/parse.js");
      const { decodePythonSource } = await import("../../src/engine/decode.js");
      const start = performance.now();
      let nodes = 0;
      let checksum = 0;
      for (const file of files) {
        const decoded = decodePythonSource(file, readFileSync(file), 50 * 1024 * 1024);
        if (!("text" in decoded)) continue;
        const cursor = parsePython(decoded.text).walk();
        for (;;) {
          // Read, not used: summing keeps the reads from being optimised away.
          checksum += cursor.nodeTypeId + cursor.startIndex + cursor.endIndex + (cursor.currentFieldId ?? 0);
          nodes++;
          if (cursor.gotoFirstChild()) continue;
          let done = false;
          while (!cursor.gotoNextSibling()) {
            if (!cursor.gotoParent()) {
              done = true;
              break;
            }
          }
          if (done) break;
        }
      }
      return { wallMs: performance.now() - start, findings: checksum > 0 ? nodes : 0 };
    }
  }
}

const [tool, listFile] = process.argv.slice(2);
if (!tool || !listFile || !["pyguard", "pyguard-1t", "ruff", "parse", "walk"].includes(tool)) {
  process.stderr.write("usage: measure <pyguard|pyguard-1t|ruff|parse|walk> <file-list.json>\n");
  process.exit(2);
}
const files = JSON.parse(readFileSync(listFile, "utf8")) as string[];
const { wallMs, findings, byRule } = await run(tool as Tool, files);
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ tool, wallMs, maxRssMb, files: files.length, findings, byRule })}\n`);
