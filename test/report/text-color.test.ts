import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/engine/finding.js";
import { formatText, useColor } from "../../src/report/text.js";
import { runCli } from "../support/cli.js";
import { fixturePath } from "../support/fixtures.js";

const FINDING: Finding = {
  rule: "deploy/socket-drift",
  django: null,
  severity: "error",
  message: "uwsgi_pass reaches unix:/tmp/a.sock",
  range: { file: "nginx.conf", line: 3, column: 12, endLine: 3, endColumn: 30 },
  related: [{ range: { file: "uwsgi.ini", line: 2, column: 10, endLine: 2, endColumn: 20 }, message: "uWSGI listens on unix:/run/b.sock" }],
  stacks: [],
};

describe("colour in the text format", () => {
  it("is decided by FORCE_COLOR, then NO_COLOR, then whether stdout is a terminal", () => {
    expect(useColor({}, true)).toBe(true);
    expect(useColor({}, false)).toBe(false);
    expect(useColor({ NO_COLOR: "1" }, true)).toBe(false);
    expect(useColor({ NO_COLOR: "" }, true)).toBe(true);
    expect(useColor({ FORCE_COLOR: "1" }, false)).toBe(true);
    expect(useColor({ FORCE_COLOR: "0" }, true)).toBe(false);
    expect(useColor({ FORCE_COLOR: "1", NO_COLOR: "1" }, false)).toBe(true);
  });

  it("paints the location, the severity and related locations; without colour the text is plain", () => {
    const coloured = formatText({ root: "/r", findings: [FINDING], color: true }).split("\n");
    expect(coloured[0]).toBe("\x1b[1mnginx.conf:3:12:\x1b[0m deploy/socket-drift \x1b[1;31merror:\x1b[0m uwsgi_pass reaches unix:/tmp/a.sock");
    expect(coloured[1]).toBe("    \x1b[2muwsgi.ini:2:10:\x1b[0m uWSGI listens on unix:/run/b.sock");
    expect(formatText({ root: "/r", findings: [FINDING] })).not.toContain("\x1b[");
  });

  it("the CLI colours only when asked (stdout is a pipe here), and never into --output files", () => {
    const project = fixturePath("projects/seed-broken");
    expect(runCli([project]).stdout).not.toContain("\x1b[");
    expect(runCli([project], undefined, { FORCE_COLOR: "1" }).stdout).toContain("\x1b[1;31merror:\x1b[0m");
    expect(runCli([project], undefined, { FORCE_COLOR: "1", NO_COLOR: "1" }).stdout).toContain("\x1b[");
    const out = join(mkdtempSync(join(tmpdir(), "dpl-color-")), "report.txt");
    runCli([project, "--output", out], undefined, { FORCE_COLOR: "1" });
    const written = readFileSync(out, "utf8");
    expect(written).toContain("deploy/socket-drift error:");
    expect(written).not.toContain("\x1b[");
  });
});
