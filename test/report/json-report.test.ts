import { Ajv } from "ajv";
import { readFileSync, symlinkSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../support/cli.js";

const schema = JSON.parse(readFileSync(join(REPO_ROOT, "docs", "report.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

describe("JSON report", () => {
  it("validates against docs/report.schema.json and counts findings", () => {
    const dir = mkdtempSync(join(tmpdir(), "dpl-json-"));
    symlinkSync(join(dir, "missing-target"), join(dir, "docker-compose.yml"));
    const run = runCli([dir, "--format", "json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { rule: string; file: string; line: number }[]; summary: Record<string, number> };
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.findings.map((f) => [f.rule, f.file, f.line])).toEqual([["parse/problem", "docker-compose.yml", 1]]);
    expect(report.summary).toEqual({ error: 1, warning: 0, info: 0 });
  });

  it("rejects reports that break the contract (the schema can fail)", () => {
    expect(validate({ schemaVersion: 1, tool: { name: "django-prod-lint", version: "1" }, root: "/", findings: [{ rule: "x" }], summary: { error: 0, warning: 0, info: 0 } })).toBe(false);
  });
});
