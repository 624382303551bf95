import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { fixturePath } from "../support/fixtures.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";

interface JsonFinding {
  rule: string;
  file: string;
  line: number;
}

/** The broken seed project (8 findings) as a user's checkout, fresh for each test. */
let dir: string;
beforeEach(() => {
  dir = (materializeFixture as (d: string) => string)(fixturePath("projects/seed-broken"));
});

const findingsOf = (stdout: string): [string, string, number][] =>
  (JSON.parse(stdout) as { findings: JsonFinding[] }).findings.map((f) => [f.rule, f.file, f.line]);

function edit(file: string, change: (text: string) => string): void {
  const path = join(dir, file);
  writeFileSync(path, change(readFileSync(path, "utf8")));
}

describe("--write-baseline / --baseline", () => {
  it("records every finding, then hides exactly those: exit 0 until a new problem appears", () => {
    const written = runCli([dir, "--write-baseline", join(dir, "baseline.json")]);
    expect(written.status).toBe(0);
    expect(written.stderr).toBe("django-prod-lint: wrote 8 findings to the baseline " + join(dir, "baseline.json") + "\n");
    expect(written.stdout).not.toContain("error");
    const file = JSON.parse(readFileSync(join(dir, "baseline.json"), "utf8")) as { schemaVersion: number; findings: { fingerprint: string; rule: string }[] };
    expect(file.schemaVersion).toBe(1);
    expect(file.findings.map((f) => f.rule).sort()).toEqual([
      "compose/exposed-backing-port",
      "deploy/media-alias",
      "deploy/socket-drift",
      "deploy/static-alias",
      "docker/env-in-image",
      "git/env-not-ignored",
      "git/env-tracked",
      "parse/problem",
    ]);
    expect(new Set(file.findings.map((f) => f.fingerprint)).size).toBe(8);

    const clean = runCli([dir, "--baseline", join(dir, "baseline.json"), "--format", "json"]);
    expect(clean.status).toBe(0);
    expect(findingsOf(clean.stdout)).toEqual([]);
    expect(clean.stderr).toBe("django-prod-lint: the baseline hid 8 known findings\n");

    // Lines added above the findings, in their files and in the files their messages name.
    for (const file of ["config/nginx/default.conf.template", "docker-compose.yml", "Dockerfile", "django_prod_skeleton/django_prod_skeleton/settings/base.py"]) {
      edit(file, (text) => `# reviewed in the adoption PR\n#\n#\n${text}`);
    }
    const shifted = runCli([dir, "--baseline", join(dir, "baseline.json"), "--format", "json"]);
    expect(findingsOf(shifted.stdout)).toEqual([]);
    expect(shifted.status).toBe(0);

    // A new problem fails the run, alone.
    edit("docker-compose.yml", (text) => text.replace("      - ./data/cache:/data\n", '      - ./data/cache:/data\n    ports:\n      - "6379:6379"\n'));
    const fresh = runCli([dir, "--baseline", join(dir, "baseline.json"), "--format", "json"]);
    expect(fresh.status).toBe(1);
    expect(findingsOf(fresh.stdout)).toEqual([["compose/exposed-backing-port", "docker-compose.yml", 23]]);
    expect(JSON.parse(fresh.stdout).findings[0].message).toContain("Redis service 'cache'");
  });

  it("says when recorded findings no longer occur", () => {
    runCli([dir, "--write-baseline", join(dir, "baseline.json")]);
    edit("docker-compose.yml", (text) => text.replace('    ports:\n      - "5432:5432"\n', ""));
    const run = runCli([dir, "--baseline", join(dir, "baseline.json")]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("django-prod-lint: the baseline hid 7 known findings; 1 baseline entry no longer occurs (fixed? rewrite it with --write-baseline)\n");
  });

  it("reads the baseline named by the configuration file, relative to the project root; --baseline wins", () => {
    runCli([dir, "--write-baseline", join(dir, "baseline.json")]);
    writeFileSync(join(dir, ".django-prod-lint.yaml"), "baseline: baseline.json\n");
    const viaConfig = runCli([dir, "--format", "json"]);
    expect(viaConfig.status).toBe(0);
    expect(findingsOf(viaConfig.stdout)).toEqual([]);

    writeFileSync(join(dir, "empty.json"), JSON.stringify({ schemaVersion: 1, findings: [] }));
    const overridden = runCli([dir, "--baseline", join(dir, "empty.json"), "--format", "json"]);
    expect(overridden.status).toBe(1);
    expect(findingsOf(overridden.stdout)).toHaveLength(8);
  });

  it("rejects what it cannot use with exit 2 and a reason", () => {
    writeFileSync(join(dir, "bad.json"), "{ not json");
    const bad = runCli([dir, "--baseline", join(dir, "bad.json")]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^django-prod-lint: baseline '.*bad\.json' is not valid JSON \(.*\); rewrite it with --write-baseline\n/);

    const missing = runCli([dir, "--baseline", join(dir, "missing.json")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read baseline");
    expect(missing.stderr).toContain("ENOENT");

    const both = runCli([dir, "--baseline", "a.json", "--write-baseline", "b.json"]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain("--baseline and --write-baseline exclude each other");

    const unwritable = runCli([dir, "--write-baseline", join(dir, "no-such-dir", "b.json")]);
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toContain("cannot write baseline");
  });
});
