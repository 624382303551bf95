import { basename } from "node:path";
import type { SourceRange } from "../../core/location.js";
import { SEVERITY_ORDER, type Finding, type Severity } from "../../engine/finding.js";
import type { RuleDefinition } from "../../engine/rule.js";
import type { DeploymentModel } from "../../model/deployment-model.js";
import { formatVersion } from "../../model/django-version.js";
import { TOOL_NAME, VERSION } from "../../version.js";
import { countBySeverity, type LintReport } from "../report.js";
import type { DeploymentGraph } from "./graph-types.js";
import { layoutStack } from "./layout.js";
import { PAGE_SCRIPT } from "./page-script.js";
import { PAGE_STYLE } from "./page-style.js";
import { SnippetSource } from "./snippets.js";
import { escapeXml, renderStackSvg, SEVERITY_STYLE, type Mark } from "./svg.js";

/**
 * The whole HTML document: summary header, one drawing per stack, the findings list beside
 * it, and the graph + findings as JSON for the client script. Loads nothing (strict CSP).
 */

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";
const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export function renderPage(report: LintReport, graph: DeploymentGraph, model: DeploymentModel | undefined): string {
  const findings = report.findings;
  const marks = findingMarks(graph, findings);
  const title = `${TOOL_NAME} report: ${basename(report.root) || report.root}`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    "</head>",
    "<body>",
    renderSummary(report, graph, model, title),
    "<main>",
    renderDrawings(graph, marks),
    renderFindings(report, graph, model),
    "</main>",
    `<script type="application/json" id="dpl-data">${embeddedJson(graph, findings)}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** Per drawn node / edge: the worst severity of the findings placed on it, and their number. */
export function findingMarks(graph: DeploymentGraph, findings: readonly Finding[]): Map<string, Mark> {
  const marks = new Map<string, Mark>();
  graph.placements.forEach((placement, i) => {
    const finding = findings[i];
    if (!finding) return;
    for (const id of new Set([...placement.nodes, ...placement.edges])) {
      const mark = marks.get(id);
      if (!mark) marks.set(id, { severity: finding.severity, count: 1 });
      else {
        mark.count++;
        if (SEVERITY_ORDER[finding.severity] > SEVERITY_ORDER[mark.severity]) mark.severity = finding.severity;
      }
    }
  });
  return marks;
}

/** JSON inside `<script>`: `<` escaped so no `</script>` or `<!--` can end it early. */
export function embeddedJson(graph: DeploymentGraph, findings: readonly Finding[]): string {
  const data = {
    tool: { name: TOOL_NAME, version: VERSION },
    graph: { stacks: graph.stacks },
    placements: findings.map((_, i) => graph.placements[i] ?? { nodes: [], edges: [] }),
    findings: findings.map((f, i) => ({
      index: i,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      file: f.range.file,
      line: f.range.line,
      column: f.range.column,
      related: f.related.map((r) => ({ file: r.range.file, line: r.range.line, column: r.range.column, message: r.message })),
      stacks: f.stacks,
    })),
  };
  return JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function severityLabel(severity: Severity): string {
  const style = SEVERITY_STYLE[severity];
  return `<span class="sev sev-${severity}-text"><span aria-hidden="true">${style.icon}</span> ${style.word}</span>`;
}

function where(range: SourceRange): string {
  return `${range.file}:${range.line}:${range.column}`;
}

function renderSummary(report: LintReport, graph: DeploymentGraph, model: DeploymentModel | undefined, title: string): string {
  const counts = countBySeverity(report.findings);
  const rows: string[] = [`<dt>Root</dt><dd class="mono">${escapeXml(report.root)}</dd>`];
  const stacks = model?.stacks ?? [];
  const stackItems = stacks.length > 0
    ? stacks.map((s) => `<li><span class="mono">${escapeXml(s.id)}</span> — ${escapeXml(s.purpose.kind)} (${escapeXml(s.purpose.reason)}), ${s.services.length} ${s.services.length === 1 ? "service" : "services"}</li>`)
    : graph.stacks.map((s) => `<li>${escapeXml(s.title)}</li>`);
  rows.push(`<dt>Stacks found</dt><dd>${stackItems.length === 0 ? "none" : `<ul>${stackItems.join("")}</ul>`}</dd>`);
  const apps: string[] = [];
  for (const stack of stacks) {
    for (const service of stack.services) {
      const app = service.django;
      if (!app) continue;
      const choice = app.settingsModule;
      const settings = choice
        ? `settings <span class="mono">${escapeXml(choice.module)}</span> chosen by ${escapeXml(choice.source)}${choice.range ? ` at <span class="mono">${escapeXml(where(choice.range))}</span>` : ""}`
        : "settings module not found";
      const v = app.version;
      const version = `Django ${escapeXml(formatVersion(v.version))} (${v.source === "assumed" ? "assumed: nothing pins a version" : `from ${escapeXml(v.source)}${v.spec ? ` <span class="mono">${escapeXml(v.spec)}</span>` : ""}${v.range ? ` at <span class="mono">${escapeXml(where(v.range))}</span>` : ""}`})`;
      apps.push(`<li><span class="mono">${escapeXml(stack.id)}</span> › <strong>${escapeXml(service.name)}</strong>: ${settings}; ${version}</li>`);
    }
  }
  if (model) rows.push(`<dt>Django services</dt><dd>${apps.length === 0 ? "none found" : `<ul>${apps.join("")}</ul>`}</dd>`);
  const countItems = SEVERITIES.map((s) => `<li class="sev-${s}-text"><span aria-hidden="true">${SEVERITY_STYLE[s].icon}</span> ${counts[s]} ${counts[s] === 1 ? SEVERITY_STYLE[s].word : `${SEVERITY_STYLE[s].word}s`}</li>`);
  return [
    '<header class="summary">',
    `<h1>${escapeXml(title)}</h1>`,
    `<p>${report.findings.length} ${report.findings.length === 1 ? "finding" : "findings"} — ${escapeXml(TOOL_NAME)} ${escapeXml(VERSION)}</p>`,
    `<dl>${rows.join("")}</dl>`,
    `<ul class="counts" aria-label="Findings by severity">${countItems.join("")}</ul>`,
    "</header>",
  ].join("\n");
}

function renderDrawings(graph: DeploymentGraph, marks: ReadonlyMap<string, Mark>): string {
  const legend = [
    "<li>── request path</li>",
    "<li>- - data path</li>",
    "<li>··· configuration</li>",
    `<li class="sev-error-text">✕ broken (thick, red)</li>`,
    ...SEVERITIES.map((s) => `<li class="sev-${s}-text"><span aria-hidden="true">${SEVERITY_STYLE[s].icon}</span> n: ${SEVERITY_STYLE[s].word} findings</li>`),
  ];
  const stacks = graph.stacks.map((stack, i) => {
    const layout = layoutStack(stack);
    return [
      `<section class="stack" id="stack-${i}" aria-labelledby="stack-${i}-title">`,
      `<h2 id="stack-${i}-title">${escapeXml(stack.title)}</h2>`,
      layout.nodes.length === 0 ? "<p>Nothing to draw in this stack.</p>" : `<div class="drawing-frame">${renderStackSvg(layout, i, marks)}</div>`,
      "</section>",
    ].join("\n");
  });
  return [
    '<section class="drawings" aria-labelledby="drawings-title">',
    '<h2 id="drawings-title">The deployment</h2>',
    `<ul class="legend" aria-label="Legend">${legend.join("")}</ul>`,
    '<p class="no-print"><button type="button" id="fit-toggle" aria-pressed="false">Fit drawings to the width</button></p>',
    stacks.length === 0 ? "<p>No stack to draw: no compose file or host deployment was found.</p>" : stacks.join("\n"),
    "</section>",
  ].join("\n");
}

function renderFindings(report: LintReport, graph: DeploymentGraph, model: DeploymentModel | undefined): string {
  const rules = new Map<string, RuleDefinition>((report.rules ?? []).map((r) => [r.id, r]));
  const snippets = model ? new SnippetSource(model) : undefined;
  const families = [...new Set(report.findings.map((f) => family(f.rule)))].sort();
  const filters = [
    '<div class="filters">',
    `<fieldset><legend>Severity</legend>${SEVERITIES.map((s) => `<label><input type="checkbox" data-severity="${s}" checked> ${severityLabel(s)}</label>`).join("")}</fieldset>`,
    `<label>Rule family <select id="filter-family"><option value="">all</option>${families.map((f) => `<option value="${escapeXml(f)}">${escapeXml(f)}</option>`).join("")}</select></label>`,
    '<label>Search <input type="search" id="filter-search" placeholder="rule, file, text"></label>',
    "</div>",
    '<p class="status" id="filter-status" role="status" aria-live="polite"></p>',
    '<div class="selection" id="selection" hidden><span id="selection-text"></span><button type="button" id="selection-clear">Show all findings</button></div>',
  ];
  const items = report.findings.map((f, i) => renderFinding(f, i, rules.get(f.rule), snippets, graph.placements[i]));
  return [
    '<section class="findings" aria-labelledby="findings-title">',
    `<h2 id="findings-title">Findings (${report.findings.length})</h2>`,
    ...filters,
    items.length === 0 ? "<p>No findings.</p>" : `<ol class="finding-list">${items.join("\n")}</ol>`,
    "</section>",
  ].join("\n");
}

function family(rule: string): string {
  return rule.split("/")[0] ?? rule;
}

function renderFinding(f: Finding, index: number, rule: RuleDefinition | undefined, snippets: SnippetSource | undefined, placement: { nodes: string[]; edges: string[] } | undefined): string {
  const placed = placement !== undefined && placement.nodes.length + placement.edges.length > 0;
  const searchText = [f.rule, f.severity, where(f.range), f.message, ...f.related.map((r) => `${where(r.range)} ${r.message}`)].join(" ").toLowerCase();
  const related = f.related.length === 0
    ? ""
    : `<ul class="related" aria-label="Related locations">${f.related.map((r) => `<li><span class="mono">${escapeXml(where(r.range))}</span> ${escapeXml(r.message)}</li>`).join("")}</ul>`;
  const snippet = snippets ? renderSnippet(snippets, f.range) : "";
  const help = rule
    ? `<details><summary>Why and how to fix</summary><p><strong>Why:</strong> ${escapeXml(rule.why)}</p><p><strong>Fix:</strong> ${escapeXml(rule.fix)}</p></details>`
    : "";
  return [
    `<li class="finding sev-${f.severity}" id="finding-${index}" data-finding-index="${index}" data-severity="${f.severity}" data-family="${escapeXml(family(f.rule))}" data-rule="${escapeXml(f.rule)}" data-search="${escapeXml(searchText)}" tabindex="0">`,
    `<div class="head">${severityLabel(f.severity)}<span class="rule mono">${escapeXml(f.rule)}</span><span class="where mono">${escapeXml(where(f.range))}</span></div>`,
    `<p class="message">${escapeXml(f.message)}</p>`,
    related,
    snippet,
    help,
    placed ? "" : '<p class="unplaced">Not drawn: this finding concerns no single part of the drawing.</p>',
    "</li>",
  ].join("");
}

function renderSnippet(snippets: SnippetSource, range: SourceRange): string {
  if (!snippets.allowed(range.file)) return '<p class="no-snippet">No snippet: this file holds secrets.</p>';
  const lines = snippets.snippet(range);
  if (!lines || lines.length === 0) return "";
  const body = lines.map((l) => `<span class="line${l.marked ? " marked" : ""}"><span class="num" aria-hidden="true">${l.number}</span>${escapeXml(l.text)}</span>`).join("");
  return `<pre class="snippet" aria-label="${escapeXml(`Lines ${lines[0]?.number}–${lines[lines.length - 1]?.number} of ${range.file}`)}">${body}</pre>`;
}
