import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/engine/finding.js";
import { escapeData, escapeProperty, formatGithub, formatGithubSummary } from "../../src/report/github.js";
import type { LintReport } from "../../src/report/report.js";
import { runCli } from "../support/cli.js";

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    rule: "deploy/socket-drift",
    django: null,
    severity: "error",
    message: "uWSGI listens on /run/uwsgi/app.sock, but nginx proxies to /tmp/app.sock",
    range: { file: "config/nginx/default.conf", line: 12, column: 5, endLine: 12, endColumn: 30 },
    related: [],
    stacks: [],
    ...overrides,
  };
}

/** Parses a workflow command line the way the runner does (actions/runner ActionCommand.TryParseV2). */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  expect(line.startsWith("::")).toBe(true);
  const end = line.indexOf("::", 2);
  expect(end).toBeGreaterThan(2);
  const head = line.slice(2, end);
  const space = head.indexOf(" ");
  const command = space < 0 ? head : head.slice(0, space);
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of head.slice(space + 1).split(",")) {
      const eq = pair.indexOf("=");
      properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), true);
    }
  }
  return { command, properties, message: unescape(line.slice(end + 2), false) };
}

function unescape(text: string, property: boolean): string {
  let out = text.replace(/%0D/g, "\r").replace(/%0A/g, "\n");
  if (property) out = out.replace(/%3A/g, ":").replace(/%2C/g, ",");
  return out.replace(/%25/g, "%");
}

const report = (findings: Finding[], extra: Partial<LintReport> = {}): LintReport => ({ root: "/ws/app", cwd: "/ws", findings, ...extra });

describe("--format github", () => {
  it("writes one workflow command per finding, with the range, the rule as title and workspace-relative paths", () => {
    const out = formatGithub(report([finding(), finding({ severity: "warning", rule: "compose/x" }), finding({ severity: "info", rule: "django/y" })]));
    const lines = out.split("\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe(
      "::error file=app/config/nginx/default.conf,line=12,endLine=12,col=5,endColumn=30,title=deploy/socket-drift::uWSGI listens on /run/uwsgi/app.sock, but nginx proxies to /tmp/app.sock",
    );
    expect(lines.slice(0, 3).map((l) => parseCommand(l).command)).toEqual(["error", "warning", "notice"]);
  });

  it("keeps paths root-relative without a cwd, and omits columns for multi-line ranges", () => {
    const out = formatGithub({ root: "/ws/app", findings: [finding({ range: { file: "a.py", line: 3, column: 2, endLine: 5, endColumn: 1 } })] });
    expect(parseCommand(out.trimEnd()).properties).toEqual({ file: "a.py", line: "3", endLine: "5", title: "deploy/socket-drift" });
  });

  it("escapes properties and messages so that the runner reads back exactly what we meant", () => {
    const nasty = "100% sure: a,b\r\nnext line with ::two colons:: and a literal %0A";
    const f = finding({
      message: nasty,
      range: { file: "odd dir,with:chars/100%.conf", line: 1, column: 1, endLine: 1, endColumn: 2 },
      related: [{ range: { file: "settings.py", line: 7, column: 1, endLine: 7, endColumn: 5 }, message: "STATIC_ROOT is set here" }],
    });
    const out = formatGithub(report([f]));
    expect(out.split("\n")).toHaveLength(2); // one line, then the final newline
    const parsed = parseCommand(out.trimEnd());
    expect(parsed.properties).toEqual({ file: "app/odd dir,with:chars/100%.conf", line: "1", endLine: "1", col: "1", endColumn: "2", title: "deploy/socket-drift" });
    expect(parsed.message).toBe(`${nasty}\n  app/settings.py:7:1: STATIC_ROOT is set here`);
  });

  it("escapes as GitHub documents", () => {
    expect(escapeData("a%b\rc\nd:e,f")).toBe("a%25b%0Dc%0Ad:e,f");
    expect(escapeProperty("a%b\rc\nd:e,f")).toBe("a%25b%0Dc%0Ad%3Ae%2Cf");
  });

  it("writes nothing when there is no finding", () => {
    expect(formatGithub(report([]))).toBe("");
  });
});

describe("GitHub step summary", () => {
  it("counts by severity and lists findings in a table whose cells a message cannot break", () => {
    const md = formatGithubSummary(
      report([
        finding({ message: "a | b <script>\nc", related: [{ range: { file: "x.py", line: 2, column: 3, endLine: 2, endColumn: 4 }, message: "there" }] }),
        finding({ severity: "warning", rule: "compose/x", message: "w" }),
      ]),
    );
    const lines = md.split("\n");
    expect(lines[0]).toBe("## django-prod-lint");
    expect(md).toContain("Found 2 problems: 1 error, 1 warning, 0 info.");
    expect(lines).toContain("| Severity | Location | Rule | Message |");
    expect(lines).toContain(
      "| error | `app/config/nginx/default.conf:12:5` | `deploy/socket-drift` | a \\| b &lt;script&gt;<br>c<br>↳ `app/x.py:2:3`: there |",
    );
    expect(lines).toContain("| warning | `app/config/nginx/default.conf:12:5` | `compose/x` | w |");
    // Every table row has exactly the four cells of the header.
    for (const row of lines.filter((l) => l.startsWith("| "))) expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(6);
  });

  it("says so when there is nothing to report", () => {
    expect(formatGithubSummary(report([]))).toBe("## django-prod-lint\n\nNo problems found.\n\n");
  });
});

describe("--format github from the command line", () => {
  it("makes paths relative to the working directory without GITHUB_WORKSPACE, and appends to GITHUB_STEP_SUMMARY", () => {
    const workspace = mkdtempSync(join(tmpdir(), "dpl-gh-"));
    mkdirSync(join(workspace, "proj"));
    symlinkSync(join(workspace, "missing-target"), join(workspace, "proj", "docker-compose.yml"));
    const summary = join(workspace, "summary.md");
    writeFileSync(summary, "earlier step\n");
    const run = runCli(["--format", "github", "proj"], workspace, { GITHUB_STEP_SUMMARY: summary });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error file=proj\/docker-compose\.yml,line=1,endLine=1,col=1,endColumn=1,title=parse\/problem::[^\n]+\n$/);
    expect(readFileSync(summary, "utf8")).toMatch(/^earlier step\n## django-prod-lint\n\nFound 1 problem: 1 error, 0 warnings, 0 info\.\n/);
    // Other formats leave the step summary alone.
    runCli(["--format", "json", "proj"], workspace, { GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: workspace });
    expect(readFileSync(summary, "utf8").match(/## django-prod-lint/g)).toHaveLength(1);
  });
});
