import { buildDeploymentGraph } from "./html/graph.js";
import type { DeploymentGraph } from "./html/graph-types.js";
import { renderPage } from "./html/page.js";
import type { LintReport } from "./report.js";

/**
 * `--format html`: one self-contained page that draws each stack with the findings on it
 * (docs/html-report.md). Without the model (a report built by hand) the page lists the
 * findings and draws nothing.
 */
export function formatHtml(report: LintReport): string {
  const graph: DeploymentGraph = report.model
    ? buildDeploymentGraph(report.model, report.findings)
    : { stacks: [], placements: report.findings.map(() => ({ nodes: [], edges: [] })) };
  return renderPage(report, graph, report.model);
}
