import { describe, expect, it } from "vitest";
import { applyFindingPolicy, fileGlobMatcher, rulesTurnedOff, severityOverride, type FindingPolicy } from "../../src/engine/config-filter.js";
import type { Finding, Severity } from "../../src/engine/finding.js";

function finding(rule: string, file: string, severity: Severity = "error"): Finding {
  return { rule, django: null, severity, message: "m", range: { file, line: 1, column: 1, endLine: 1, endColumn: 2 }, related: [], stacks: [] };
}

const rows = (findings: Finding[]) => findings.map((f) => [f.rule, f.range.file, f.severity]);

describe("severity overrides", () => {
  const severity: FindingPolicy["severity"] = { deploy: "warning", "deploy/static-alias": "info", "git/": "off", "git/env-tracked": "error" };

  it("prefers the rule id over its family", () => {
    expect(severityOverride("deploy/static-alias", severity)).toBe("info");
    expect(severityOverride("deploy/media-alias", severity)).toBe("warning");
    expect(severityOverride("git/env-not-ignored", severity)).toBe("off");
    expect(severityOverride("git/env-tracked", severity)).toBe("error");
    expect(severityOverride("compose/runserver", severity)).toBeUndefined();
  });

  it("lists the rules that are off, keeping a rule its own key turns back on", () => {
    expect(rulesTurnedOff(["git/env-tracked", "git/env-not-ignored", "deploy/db-host"], severity)).toEqual(["git/env-not-ignored"]);
  });

  it("rewrites the severity of every finding of the rule", () => {
    const out = applyFindingPolicy(
      [finding("deploy/static-alias", "a.conf"), finding("deploy/media-alias", "a.conf"), finding("compose/runserver", "c.yml", "warning")],
      { severity, perFileIgnores: [] },
    );
    expect(rows(out)).toEqual([
      ["deploy/static-alias", "a.conf", "info"],
      ["deploy/media-alias", "a.conf", "warning"],
      ["compose/runserver", "c.yml", "warning"],
    ]);
  });
});

describe("per-file ignores", () => {
  const findings = [
    finding("parse/problem", "config/nginx/gzip.conf"),
    finding("deploy/static-alias", "config/nginx/default.conf"),
    finding("compose/runserver", "docker-compose.yml"),
    finding("git/env-tracked", "legacy/.env"),
    finding("git/env-tracked", ".env"),
  ];

  it("drops the named rules in matching files only", () => {
    const out = applyFindingPolicy(findings, {
      severity: {},
      perFileIgnores: [
        { glob: "config/nginx/", rules: ["parse"] },
        { glob: "legacy/**", rules: ["*"] },
        { glob: "docker-compose.yml", rules: ["compose/runserver"] },
      ],
    });
    expect(rows(out)).toEqual([
      ["deploy/static-alias", "config/nginx/default.conf", "error"],
      ["git/env-tracked", ".env", "error"],
    ]);
  });

  it("matches like .gitignore: folders, names at any depth, dot files", () => {
    expect(fileGlobMatcher("config/")("config/nginx/a.conf")).toBe(true);
    expect(fileGlobMatcher("config/")("config")).toBe(false);
    expect(fileGlobMatcher("nginx")("config/nginx/a.conf")).toBe(true);
    expect(fileGlobMatcher("*.template")("config/nginx/a.conf.template")).toBe(true);
    expect(fileGlobMatcher("*.template")("config/nginx/a.conf")).toBe(false);
    expect(fileGlobMatcher("compose/**")("compose/prod/.env")).toBe(true);
    expect(fileGlobMatcher("./compose/*.yml")("compose/prod.yml")).toBe(true);
    expect(fileGlobMatcher("compose/*.yml")("other/compose/prod.yml")).toBe(false);
    expect(fileGlobMatcher(".env*")(".env.prod")).toBe(true);
  });

  it("returns the findings unchanged without a policy", () => {
    expect(applyFindingPolicy(findings, { severity: {}, perFileIgnores: [] })).toEqual(findings);
  });
});
