import { countBySeverity, type LintReport } from "./report.js";

/** ruff-like: `path:line:col: rule-id message`, related locations indented below, then a summary. */
export function formatText(report: LintReport): string {
  const lines: string[] = [];
  // Naming the stack only helps when findings come from more than one.
  const stacks = new Set(report.findings.flatMap((f) => f.stacks));
  for (const f of report.findings) {
    const django = f.django ? ` [${f.django}]` : "";
    const where = stacks.size > 1 && f.stacks.length > 0 ? ` (stack ${f.stacks.join(", ")})` : "";
    lines.push(`${f.range.file}:${f.range.line}:${f.range.column}: ${f.rule}${django} ${f.severity}: ${f.message}${where}`);
    for (const r of f.related) {
      lines.push(`    ${r.range.file}:${r.range.line}:${r.range.column}: ${r.message}`);
    }
  }
  const counts = countBySeverity(report.findings);
  const total = report.findings.length;
  if (total === 0) {
    lines.push("No problems found.");
  } else {
    const parts = (["error", "warning", "info"] as const)
      .filter((s) => counts[s] > 0)
      .map((s) => `${counts[s]} ${s}${counts[s] === 1 ? "" : "s"}`);
    lines.push(`Found ${total} problem${total === 1 ? "" : "s"} (${parts.join(", ")}).`);
  }
  return `${lines.join("\n")}\n`;
}
