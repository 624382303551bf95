import { isAbsolute, join, relative, sep } from "node:path";
import type { SourceRange } from "../core/location.js";
import type { Finding, Severity } from "../engine/finding.js";
import { TOOL_NAME } from "../version.js";
import { countBySeverity, type LintReport } from "./report.js";

/**
 * `--format github`: GitHub Actions workflow commands, one line per finding, which the runner turns into
 * annotations on the pull request's diff:
 *   ::error file=<path>,line=<l>,endLine=<l>,col=<c>,endColumn=<c>,title=<rule id>::<message>
 * Paths are relative to the workspace (`report.cwd`: GITHUB_WORKSPACE, else the working directory), since the
 * lint root may be a subfolder of the checkout. Related locations are appended to the message text, which
 * GitHub shows as the annotation body.
 */
export function formatGithub(report: LintReport): string {
  return report.findings.map((f) => githubCommand(f, report)).join("");
}

const COMMAND: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

function githubCommand(f: Finding, report: LintReport): string {
  const r = f.range;
  const props: [string, string | number][] = [["file", workspacePath(r.file, report)], ["line", r.line], ["endLine", r.endLine]];
  // GitHub honours columns only for single-line annotations.
  if (r.line === r.endLine) props.push(["col", r.column], ["endColumn", Math.max(r.endColumn, r.column)]);
  props.push(["title", f.rule]);
  const related = f.related.map((rel) => `\n  ${location(rel.range, report)}: ${rel.message}`).join("");
  const text = `${f.message}${related}`;
  return `::${COMMAND[f.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",")}::${escapeData(text)}\n`;
}

/** Escapes a command's message as the runner unescapes it: `%` first, so that `%0A` in a message stays literal. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value: also `:` and `,`, which end the property list and separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** A root-relative finding path made relative to the workspace, with forward slashes (`app/deploy/nginx.conf`). */
export function workspacePath(file: string, report: LintReport): string {
  if (report.cwd === undefined) return file;
  const absolute = isAbsolute(file) ? file : join(report.root, file);
  return relative(report.cwd, absolute).split(sep).join("/");
}

function location(range: SourceRange, report: LintReport): string {
  return `${workspacePath(range.file, report)}:${range.line}:${range.column}`;
}

/**
 * The Markdown appended to GITHUB_STEP_SUMMARY: counts by severity and a table of findings. Messages are
 * already secret-masked; table cells escape `|`, `<`, `>` and line breaks so that a message cannot break the table.
 */
export function formatGithubSummary(report: LintReport): string {
  const counts = countBySeverity(report.findings);
  const total = report.findings.length;
  const lines = [`## ${TOOL_NAME}`, ""];
  if (total === 0) {
    lines.push("No problems found.", "");
    return `${lines.join("\n")}\n`;
  }
  lines.push(
    `Found ${total} problem${total === 1 ? "" : "s"}: ${counts.error} error${counts.error === 1 ? "" : "s"}, ` +
      `${counts.warning} warning${counts.warning === 1 ? "" : "s"}, ${counts.info} info.`,
    "",
    "| Severity | Location | Rule | Message |",
    "|---|---|---|---|",
  );
  for (const f of report.findings) {
    const related = f.related.map((rel) => `<br>↳ ${code(location(rel.range, report))}: ${cell(rel.message)}`).join("");
    lines.push(`| ${f.severity} | ${code(location(f.range, report))} | ${code(f.rule)} | ${cell(f.message)}${related} |`);
  }
  lines.push("");
  return `${lines.join("\n")}\n`;
}

function cell(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** A code span in a table cell: `|` must still be escaped there; backticks cannot occur in it. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\r?\n/g, " ")}\``;
}
