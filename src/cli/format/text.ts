import type { FileResult, Finding, Severity } from "../../engine/types.js";

const COLOURS: Record<Severity | "dim" | "bold", [string, string]> = {
  error: ["\u001b[31m", "\u001b[39m"],
  warning: ["\u001b[33m", "\u001b[39m"],
  note: ["\u001b[36m", "\u001b[39m"],
  dim: ["\u001b[2m", "\u001b[22m"],
  bold: ["\u001b[1m", "\u001b[22m"],
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Compiler-style lines: `path:line:col  severity  RULE  message  [G5, C3]`, then a summary. */
export function formatText(results: readonly FileResult[], findings: readonly Finding[], colour: boolean): string {
  const paint = (kind: keyof typeof COLOURS, text: string): string => (colour ? `${COLOURS[kind][0]}${text}${COLOURS[kind][1]}` : text);
  const lines: string[] = [];
  const shown = findings.filter((finding) => !finding.suppressed);
  for (const finding of shown) {
    lines.push(
      `${paint("bold", `${finding.path}:${finding.line}:${finding.column}`)}  ${paint(finding.severity, finding.severity.padEnd(7))}  ${finding.ruleId}  ${finding.message}  ${paint("dim", `[${finding.sections.join(", ")}]`)}`,
    );
  }
  for (const result of results) {
    if (result.error) lines.push(`${paint("bold", result.error.path)}  ${paint("warning", "skipped")}  ${result.error.message}`);
    for (const warning of result.warnings) lines.push(`${paint("bold", `${warning.path}:${warning.line}`)}  ${paint("warning", "warning")}  ${warning.message}`);
  }
  const counts = { error: 0, warning: 0, note: 0 };
  for (const finding of shown) counts[finding.severity]++;
  const suppressed = findings.length - shown.length;
  const errors = results.filter((result) => result.error).length;
  const parts = [plural(counts.error, "error"), plural(counts.warning, "warning"), plural(counts.note, "note")];
  let summary = `${parts.join(", ")} in ${plural(results.length, "file")}`;
  if (suppressed > 0) summary += ` (${suppressed} suppressed)`;
  if (errors > 0) summary += `; ${plural(errors, "file")} skipped`;
  if (lines.length > 0) lines.push("");
  lines.push(shown.length === 0 && errors === 0 ? paint("dim", `No findings. ${summary}.`) : `${summary}.`);
  return `${lines.join("\n")}\n`;
}
