import type { Severity } from "../engine/finding.js";
import { countBySeverity, type LintReport } from "./report.js";

/** ANSI styles, used only when the report asks for colour (a terminal; see `useColor`). */
const SEVERITY_STYLE: Record<Severity, string> = { error: "\x1b[1;31m", warning: "\x1b[1;33m", info: "\x1b[1;36m" };
const BOLD = "\x1b[1m";
const DIM = "\x1b[2m";
const RESET = "\x1b[0m";

/**
 * Colour on a terminal only: FORCE_COLOR (not "0") forces it, NO_COLOR (https://no-color.org) turns
 * it off, otherwise a TTY gets it — FORCE_COLOR winning over NO_COLOR, as Node itself does.
 */
export function useColor(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTty;
}

/** ruff-like: `path:line:col: rule-id message`, related locations indented below, then a summary. */
export function formatText(report: LintReport): string {
  const paint = (style: string, text: string): string => (report.color ? `${style}${text}${RESET}` : text);
  const lines: string[] = [];
  // Naming the stack only helps when findings come from more than one.
  const stacks = new Set(report.findings.flatMap((f) => f.stacks));
  for (const f of report.findings) {
    const django = f.django ? ` [${f.django}]` : "";
    const where = stacks.size > 1 && f.stacks.length > 0 ? ` (stack ${f.stacks.join(", ")})` : "";
    const location = paint(BOLD, `${f.range.file}:${f.range.line}:${f.range.column}:`);
    lines.push(`${location} ${f.rule}${django} ${paint(SEVERITY_STYLE[f.severity], `${f.severity}:`)} ${f.message}${where}`);
    for (const r of f.related) {
      lines.push(`    ${paint(DIM, `${r.range.file}:${r.range.line}:${r.range.column}:`)} ${r.message}`);
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
