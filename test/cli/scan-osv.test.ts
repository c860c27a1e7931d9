import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import type { FetchLike } from "../../src/rules/components/osv-client.js";

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "pyguard-osv-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

interface Finding {
  ruleId: string;
  path: string;
  line: number;
  severity: string;
  message: string;
  suppressed: boolean;
}

async function scanJson(root: string, fetch: FetchLike): Promise<{ code: number; findings: Finding[]; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(["scan", "--format", "json", "--no-cache"], { cwd: root, stdout, stderr, fetch });
  return { code, findings: (JSON.parse(stdout.text) as { findings: Finding[] }).findings, stderr: stderr.text };
}

const REQUIREMENTS = [
  "requests==2.32.3",
  "flask==3.0.3  # pyguard: ignore[PG-DEP-005] -- the advisory is about a feature we do not use",
  "click>=8",
  "",
].join("\n");
const OSV_ON = "rules:\n  PG-DEP-005:\n    severity: warning\n    options:\n      osv: true\n";

function osvFake(): { fetch: FetchLike; bodies: string[]; urls: string[] } {
  const bodies: string[] = [];
  const urls: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    urls.push(url);
    bodies.push(init.body);
    const queries = (JSON.parse(init.body) as { queries: Array<{ package: { name: string } }> }).queries;
    return { ok: true, status: 200, json: async () => ({ results: queries.map(() => ({ vulns: [{ id: "GHSA-xxxx-xxxx-xxxx" }] })) }) };
  };
  return { fetch, bodies, urls };
}

describe("pyguard scan with PG-DEP-005's osv option", () => {
  it("asks OSV about the exact pins and reports what it lists, with suppressions and the configured severity", async () => {
    const root = project({ "requirements.txt": REQUIREMENTS, ".github/pyguard.yml": OSV_ON, "app.py": "VALUE = 1\n" });
    const fake = osvFake();
    const result = await scanJson(root, fake.fetch);
    expect(fake.urls).toEqual(["https://api.osv.dev/v1/querybatch"]);
    expect(JSON.parse(fake.bodies[0] as string)).toEqual({
      queries: [
        { package: { name: "requests", ecosystem: "PyPI" }, version: "2.32.3" },
        { package: { name: "flask", ecosystem: "PyPI" }, version: "3.0.3" },
      ],
    });
    const osv = result.findings.filter((finding) => finding.ruleId === "PG-DEP-005");
    expect(osv.map((finding) => [finding.path, finding.line, finding.severity, finding.suppressed])).toEqual([
      ["requirements.txt", 1, "warning", false],
      ["requirements.txt", 2, "warning", true],
    ]);
    expect(osv[0]?.message).toBe(
      "`requests==2.32.3` is affected by an advisory in OSV: GHSA-xxxx-xxxx-xxxx (https://osv.dev/vulnerability/GHSA-xxxx-xxxx-xxxx); upgrade to a version they list as fixed (source: OSV).",
    );
    expect(result.stderr).toBe("");
  });

  it("stays offline unless the option is on", async () => {
    const root = project({ "requirements.txt": REQUIREMENTS });
    const fake = osvFake();
    const result = await scanJson(root, fake.fetch);
    expect(fake.urls).toEqual([]);
    expect(result.findings.filter((finding) => finding.ruleId === "PG-DEP-005")).toEqual([]);
  });

  it("reports a failed lookup as a notice and keeps the offline results", async () => {
    const root = project({ "requirements.txt": "requests==2.30.0\n", ".github/pyguard.yml": OSV_ON });
    const failing: FetchLike = () => Promise.reject(new Error("network is unreachable"));
    const result = await scanJson(root, failing);
    expect(result.stderr).toBe("pyguard: OSV lookup for PG-DEP-005 skipped: could not reach OSV: network is unreachable\n");
    expect(result.findings.map((finding) => [finding.ruleId, finding.line, finding.message.includes("advisory table")])).toEqual([["PG-DEP-005", 1, true]]);
    expect(result.code).toBe(0);
  });
});
