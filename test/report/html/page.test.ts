import { beforeAll, describe, expect, it } from "vitest";
import { ALL_RULES } from "../../../rules/index.js";
import { formatRange } from "../../../src/core/location.js";
import type { Finding } from "../../../src/engine/finding.js";
import { formatHtml } from "../../../src/report/html.js";
import type { DeploymentGraph } from "../../../src/report/html/graph-types.js";
import { embeddedJson, renderPage } from "../../../src/report/html/page.js";
import type { LintReport } from "../../../src/report/report.js";
import { lintFixture } from "../../support/fixtures.js";

let report: LintReport;
let html: string;

beforeAll(() => {
  const { dir, result } = lintFixture("projects/seed-broken");
  report = { root: dir, findings: result.findings, rules: ALL_RULES, model: result.model };
  html = formatHtml(report);
});

function embedded(page: string): { placements: unknown[]; findings: { rule: string; file: string; line: number }[]; graph: { stacks: { nodes: unknown[] }[] } } {
  const json = /<script type="application\/json" id="dpl-data">(.*?)<\/script>/s.exec(page)?.[1];
  expect(json).toBeDefined();
  return JSON.parse(json!);
}

describe("the html page of the broken seed project", () => {
  it("is one document with a strict CSP that loads nothing", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`);
    // No network reference of any kind: no URL in src / href, no <link>, no external script, no @import / url(http…).
    expect(html).not.toMatch(/\s(src|href|xlink:href|action)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<(img|iframe|object|embed)\b/i);
  });

  it("lists every finding with its file:line and rule", () => {
    expect(report.findings.length).toBeGreaterThan(5);
    const items = [...html.matchAll(/<li class="finding [^"]*" id="finding-(\d+)" data-finding-index="(\d+)"/g)];
    expect(items.map((m) => Number(m[2]))).toEqual(report.findings.map((_, i) => i));
    report.findings.forEach((f, i) => {
      const item = new RegExp(`data-finding-index="${i}".*?</li>`, "s").exec(html)?.[0] ?? "";
      expect(item).toContain(formatRange(f.range));
      expect(item).toContain(f.rule);
    });
  });

  it("shows the rules' why and fix and a snippet of the lines involved", () => {
    const rule = ALL_RULES.find((r) => r.id === report.findings[0]!.rule)!;
    expect(html).toContain("Why and how to fix");
    expect(html).toContain(rule.fix.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;").slice(0, 40));
    expect(html).toMatch(/<pre class="snippet"[^>]*><span class="line( marked)?"><span class="num"/);
    expect(html).toContain('<span class="line marked">');
  });

  it("embeds the graph and the findings as JSON that parses", () => {
    const data = embedded(html);
    expect(data.findings.map((f) => [f.rule, f.file, f.line])).toEqual(report.findings.map((f) => [f.rule, f.range.file, f.range.line]));
    expect(data.placements).toHaveLength(report.findings.length);
    expect(data.graph.stacks.length).toBeGreaterThan(0);
  });

  it("draws every stack with focusable nodes and edges", () => {
    const data = embedded(html);
    const nodeCount = data.graph.stacks.reduce((n, s) => n + s.nodes.length, 0);
    expect(nodeCount).toBeGreaterThan(0);
    expect([...html.matchAll(/<g class="node [^"]*" data-node="[^"]+" tabindex="0" role="button" aria-label="[^"]+"/g)]).toHaveLength(nodeCount);
    expect(html).toContain("<svg class=\"drawing\" viewBox=");
  });

  it("summarises the stacks, the settings module and where it was chosen, the Django version and the counts", () => {
    const header = /<header class="summary">.*?<\/header>/s.exec(html)?.[0] ?? "";
    expect(header).toContain("Stacks found");
    expect(header).toMatch(/settings <span class="mono">[\w.]+<\/span> chosen by [\w.-]+/);
    expect(header).toMatch(/Django \d+\.\d+/);
    const errors = report.findings.filter((f) => f.severity === "error").length;
    expect(header).toContain(`✖</span> ${errors} error`);
  });

  it("stays under the 300 KB budget", () => {
    expect(Buffer.byteLength(html, "utf8")).toBeLessThan(300 * 1024);
  });
});

describe("the embedded JSON", () => {
  it("cannot close its script element or open a comment", () => {
    const finding: Finding = {
      rule: "nginx/x", django: null, severity: "error", message: "</script><script>alert(1)</script><!--",
      range: { file: "a.conf", line: 1, column: 1, endLine: 1, endColumn: 2 }, related: [], stacks: [],
    };
    const graph: DeploymentGraph = { stacks: [], placements: [{ nodes: [], edges: [] }] };
    const json = embeddedJson(graph, [finding]);
    expect(json).not.toContain("<");
    expect(JSON.parse(json).findings[0].message).toBe(finding.message);
    const page = renderPage({ root: "/r", findings: [finding] }, graph, undefined);
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    expect(page).toContain("&lt;/script&gt;&lt;script&gt;alert(1)");
  });

  it("works without a model: lists the findings and draws nothing", () => {
    const finding: Finding = {
      rule: "compose/y", django: null, severity: "warning", message: "m",
      range: { file: "docker-compose.yml", line: 3, column: 5, endLine: 3, endColumn: 9 }, related: [], stacks: [],
    };
    const page = formatHtml({ root: "/r", findings: [finding] });
    expect(page).toContain("docker-compose.yml:3:5");
    expect(page).toContain("No stack to draw");
  });
});
