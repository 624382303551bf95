import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyBaseline, baselineOf, BaselineError, readBaseline, writeBaseline } from "../../src/engine/baseline.js";
import type { Finding } from "../../src/engine/finding.js";

const tool = { name: "django-prod-lint", version: "0.0.0-test" };

function finding(rule: string, file: string, line: number, message: string): Finding {
  return {
    rule,
    django: null,
    severity: "error",
    message,
    range: { file, line, column: 1, endLine: line, endColumn: 10 },
    related: [],
    stacks: [],
  };
}

const alias = (shift = 0) => finding("deploy/static-alias", "nginx/default.conf", 20 + shift, "alias /app/static/ is not STATIC_ROOT /srv/static");
const debug = (shift = 0) => finding("django/debug-enabled", "app/settings.py", 3 + shift, `DEBUG is True (app/settings.py:${3 + shift})`);

describe("baselines", () => {
  it("hides the findings it recorded, also after lines moved, and keeps new ones", () => {
    const baseline = baselineOf([alias(), debug()], tool);
    expect(baseline.findings.map((e) => [e.rule, e.file])).toEqual([
      ["deploy/static-alias", "nginx/default.conf"],
      ["django/debug-enabled", "app/settings.py"],
    ]);
    const fresh = finding("compose/runserver", "docker-compose.yml", 9, "web runs manage.py runserver");
    const result = applyBaseline([debug(12), fresh, alias(-4)], baseline);
    expect(result.findings).toEqual([fresh]);
    expect(result).toMatchObject({ hidden: 2, stale: 0 });
  });

  it("counts identical findings: a second occurrence of a baselined problem is new", () => {
    const baseline = baselineOf([debug()], tool);
    const result = applyBaseline([debug(), debug(30)], baseline);
    expect(result.findings).toEqual([debug(30)]);
    expect(result.hidden).toBe(1);
  });

  it("reports entries that no longer match as stale", () => {
    const baseline = baselineOf([alias(), debug()], tool);
    expect(applyBaseline([alias()], baseline)).toMatchObject({ findings: [], hidden: 1, stale: 1 });
  });

  it("round-trips through a file and rejects files it did not write", () => {
    const dir = mkdtempSync(join(tmpdir(), "dpl-baseline-"));
    const path = join(dir, "baseline.json");
    writeBaseline(path, baselineOf([alias()], tool));
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ schemaVersion: 1, tool, findings: [{ rule: "deploy/static-alias" }] });
    expect(applyBaseline([alias(3)], readBaseline(path)).findings).toEqual([]);

    const bad = (text: string) => {
      writeFileSync(path, text);
      return () => readBaseline(path);
    };
    expect(bad("{not json")).toThrow(/not valid JSON.*--write-baseline/);
    expect(bad("[]")).toThrow(/is not a JSON object/);
    expect(bad('{"schemaVersion": 2, "findings": []}')).toThrow(/schemaVersion 2, expected 1/);
    expect(bad('{"schemaVersion": 1}')).toThrow(/no `findings` array/);
    expect(bad('{"schemaVersion": 1, "findings": [{"fingerprint": "a"}, {"rule": "x"}]}')).toThrow(/findings\[1\]/);
    expect(() => readBaseline(join(dir, "missing.json"))).toThrow(BaselineError);
    expect(() => readBaseline(join(dir, "missing.json"))).toThrow(/cannot read baseline .*ENOENT/);
  });
});
