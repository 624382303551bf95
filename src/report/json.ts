import { TOOL_NAME, VERSION } from "../version.js";
import { countBySeverity, type LintReport } from "./report.js";

/** The JSON report, schemaVersion 1 (docs/report.schema.json). */
export function formatJson(report: LintReport): string {
  const json = {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: VERSION },
    root: report.root,
    findings: report.findings.map((f) => ({
      rule: f.rule,
      django: f.django,
      severity: f.severity,
      message: f.message,
      file: f.range.file,
      line: f.range.line,
      column: f.range.column,
      endLine: f.range.endLine,
      endColumn: f.range.endColumn,
      related: f.related.map((r) => ({ file: r.range.file, line: r.range.line, column: r.range.column, message: r.message })),
      ...(f.stacks.length > 0 ? { stacks: f.stacks } : {}),
    })),
    summary: countBySeverity(report.findings),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
