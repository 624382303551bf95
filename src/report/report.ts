import type { Finding, Severity } from "../engine/finding.js";
import type { RuleDefinition } from "../engine/rule.js";
import type { DeploymentModel } from "../model/deployment-model.js";

/** Everything a formatter needs. */
export interface LintReport {
  root: string;
  findings: Finding[];
  /** The rules that ran (metadata for SARIF rule descriptors, help texts); absent in some tests. */
  rules?: readonly RuleDefinition[];
  /** The text format may use ANSI colours (stdout is a terminal, or FORCE_COLOR). */
  color?: boolean;
  /** The directory paths in CI annotations are relative to (GITHUB_WORKSPACE, else the working directory); absent: relative to root. */
  cwd?: string;
  /** The linked model, for formats that show the deployment itself (html); absent in some tests. */
  model?: DeploymentModel;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
