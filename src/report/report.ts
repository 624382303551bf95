import type { Finding, Severity } from "../engine/finding.js";

/** Everything a formatter needs. */
export interface LintReport {
  root: string;
  findings: Finding[];
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
