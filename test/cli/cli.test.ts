import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dpl-cli-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("CLI contract", () => {
  it("prints the version and help with exit 0", () => {
    const version = runCli(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^django-prod-lint \d+\.\d+\.\d+\n$/);
    const help = runCli(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: django-prod-lint [options] [PATH]");
  });

  it("exits 2 with a one-line reason on usage errors", () => {
    for (const args of [["--format", "xml"], ["--fail-on", "sometimes"], ["--nope"], ["/definitely/not/here"], ["--select", "nosuchfamily"], ["a", "b"]]) {
      const run = runCli(args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr.split("\n")[0]).toMatch(/^django-prod-lint: /);
      expect(run.stdout).toBe("");
    }
  });

  it("refuses a --django-version outside the modelled releases, naming them", () => {
    for (const version of ["1.8", "6.0", "9.9.1"]) {
      const run = runCli(["--django-version", version, "."]);
      expect(run.status, version).toBe(2);
      expect(run.stderr).toBe(`django-prod-lint: --django-version ${version}: django-prod-lint models Django 1.11 … 5.2; name one of those releases\nTry 'django-prod-lint --help'.\n`);
    }
    expect(runCli(["--django-version", "1.11", mkdtempSync(join(tmpdir(), "dpl-empty-"))]).status).toBe(0);
  });

  it("exits 2 when PATH is a file", () => {
    const dir = tempProject({ "file.txt": "x" });
    const run = runCli([join(dir, "file.txt")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("is not a directory");
  });

  it("lints an empty directory cleanly with exit 0", () => {
    const dir = tempProject({});
    const run = runCli([dir]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("No problems found.\n");
  });

  it("writes the report to --output", () => {
    const dir = tempProject({});
    const out = join(dir, "report.json");
    const run = runCli([dir, "--format", "json", "--output", out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    expect(JSON.parse(readFileSync(out, "utf8")).schemaVersion).toBe(1);
  });

  it("lists and explains rules", () => {
    const list = runCli(["--list-rules"]);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^parse\/problem\s+error\s+/m);
    const json = JSON.parse(runCli(["--list-rules", "--format", "json"]).stdout) as { id: string }[];
    expect(json.map((r) => r.id)).toContain("parse/problem");
    const explain = runCli(["--explain", "parse/problem"]);
    expect(explain.status).toBe(0);
    expect(explain.stdout).toContain("# parse/problem");
    expect(runCli(["--explain", "no/such-rule"]).status).toBe(2);
  });
});
