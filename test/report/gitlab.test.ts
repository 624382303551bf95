import { Ajv } from "ajv";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/engine/finding.js";
import { fingerprintFindings, messageWithoutLineNumbers } from "../../src/engine/fingerprint.js";
import { formatGitlab, type GitLabIssue } from "../../src/report/gitlab.js";
import { REPO_ROOT, runCli } from "../support/cli.js";
import { fixturePath } from "../support/fixtures.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";

const schema = JSON.parse(readFileSync(join(REPO_ROOT, "test", "report", "gitlab-codequality.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const range = (file: string, line: number, column: number, endLine = line, endColumn = column + 5) => ({ file, line, column, endLine, endColumn });

function socketDrift(shift = 0): Finding {
  return {
    rule: "deploy/socket-drift",
    django: null,
    severity: "error",
    message: "uwsgi_pass reaches unix:/run/app.sock, but no app server listens on that socket: point nginx at the socket the app server creates",
    range: range("nginx/default.conf", 12 + shift, 9, 12 + shift, 33),
    related: [{ range: range("uwsgi.ini", 4 + shift, 1), message: "uWSGI listens on unix:/tmp/app.sock" }],
    stacks: ["docker-compose.yml"],
  };
}

function debugOn(shift = 0): Finding {
  return {
    rule: "django/debug-enabled",
    django: "security.W018",
    severity: "warning",
    message: `DEBUG is True in production (set at app/settings.py:${3 + shift}): set DEBUG = False`,
    range: range("app/settings.py", 3 + shift, 9),
    related: [],
    stacks: [],
  };
}

const info: Finding = {
  rule: "compose/example-info",
  django: null,
  severity: "info",
  message: "web:8000 is published on every interface",
  range: range("docker-compose.yml", 7, 7, 8, 2),
  related: [],
  stacks: [],
};

describe("--format gitlab (GitLab Code Quality)", () => {
  it("writes the documented issue array exactly", () => {
    const out = formatGitlab({ root: "/repo", findings: [socketDrift(), debugOn(), info] });
    const issues = JSON.parse(out) as GitLabIssue[];
    expect(out.endsWith("]\n")).toBe(true);
    expect(issues).toEqual([
      {
        type: "issue",
        description:
          "deploy/socket-drift: uwsgi_pass reaches unix:/run/app.sock, but no app server listens on that socket: point nginx at the socket the app server creates (see uwsgi.ini:4: uWSGI listens on unix:/tmp/app.sock)",
        check_name: "deploy/socket-drift",
        fingerprint: "f79c7e5d17b1e58a9a9c95d0120a7b67",
        severity: "critical",
        categories: ["Bug Risk"],
        location: { path: "nginx/default.conf", lines: { begin: 12, end: 12 } },
      },
      {
        type: "issue",
        description: "django/debug-enabled: DEBUG is True in production (set at app/settings.py:3): set DEBUG = False",
        check_name: "django/debug-enabled",
        fingerprint: "5b8494577ca114f5de84206016e3dccc",
        severity: "major",
        categories: ["Security"],
        location: { path: "app/settings.py", lines: { begin: 3, end: 3 } },
      },
      {
        type: "issue",
        description: "compose/example-info: web:8000 is published on every interface",
        check_name: "compose/example-info",
        fingerprint: "7b31d335ddb81c53ada16bfc20141a36",
        severity: "info",
        categories: ["Bug Risk"],
        location: { path: "docker-compose.yml", lines: { begin: 7, end: 8 } },
      },
    ]);
    expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
  });

  it("fingerprints hash rule, file, the message without line numbers and an occurrence counter", () => {
    const expected = createHash("sha256")
      .update("django/debug-enabled\0app/settings.py\0DEBUG is True in production (set at app/settings.py): set DEBUG = False\x000")
      .digest("hex")
      .slice(0, 32);
    expect(fingerprintFindings([debugOn()])).toEqual([expected]);
  });

  it("keeps fingerprints when lines shift (in the file and in the files the message names)", () => {
    const before = fingerprintFindings([socketDrift(), debugOn(), info]);
    const after = fingerprintFindings([info, debugOn(40), socketDrift(7)]);
    expect(after).toEqual([before[2], before[1], before[0]]);
    expect(new Set(before).size).toBe(3);
  });

  it("changes the fingerprint when the problem changes, and tells identical findings in one file apart", () => {
    const other = { ...debugOn(), message: debugOn().message.replace("True", "'1'") };
    expect(fingerprintFindings([other])).not.toEqual(fingerprintFindings([debugOn()]));
    expect(fingerprintFindings([{ ...debugOn(), range: range("other/settings.py", 3, 9) }])).not.toEqual(fingerprintFindings([debugOn()]));
    const twice = fingerprintFindings([debugOn(10), debugOn()]);
    expect(twice[0]).not.toBe(twice[1]);
    // Counted in file order, whatever order the findings come in.
    expect(fingerprintFindings([debugOn(), debugOn(10)])).toEqual([twice[1], twice[0]]);
  });

  it("strips line numbers only where they follow a named file or 'line'", () => {
    expect(messageWithoutLineNumbers("see settings.py:12:4 and web:8000", ["app/settings.py"])).toBe("see settings.py and web:8000");
    expect(messageWithoutLineNumbers("set on line 14 of the file")).toBe("set on line of the file");
  });

  it("the schema rejects what GitLab would not read (the schema can fail)", () => {
    expect(validate([{ description: "x", check_name: "r", fingerprint: "f", severity: "error", location: { path: "a", lines: { begin: 1 } } }])).toBe(false);
    expect(validate([{ description: "x", check_name: "r", fingerprint: "f", severity: "major", location: { path: "/abs/a", lines: { begin: 1 } } }])).toBe(false);
    expect(validate([{ description: "x", check_name: "r", fingerprint: "f", severity: "major", location: { path: "a", lines: { begin: 0 } } }])).toBe(false);
    expect(validate({})).toBe(false);
  });

  it("lints the broken seed from the CLI: valid report, unique fingerprints, repository-relative paths, no secrets", () => {
    const dir = (materializeFixture as (d: string) => string)(fixturePath("projects/seed-broken"));
    const run = runCli([dir, "--format", "gitlab"]);
    expect(run.status).toBe(1);
    const issues = JSON.parse(run.stdout) as GitLabIssue[];
    expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
    expect(issues.length).toBe(8);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    expect(issues[0]).toMatchObject({ check_name: "git/env-tracked", severity: "critical", location: { path: ".env", lines: { begin: 1 } } });
    expect(issues.some((i) => i.check_name === "deploy/static-alias" && i.location.path === "config/nginx/default.conf.template" && i.location.lines.begin === 28)).toBe(true);
    const env = readFileSync(join(dir, ".env"), "utf8");
    for (const secret of ["SECRET_KEY", "POSTGRES_PASSWORD"]) {
      const value = new RegExp(`^${secret}=(.*)$`, "m").exec(env)?.[1] ?? "";
      expect(value.length).toBeGreaterThan(8);
      expect(run.stdout).not.toContain(value);
    }
    // The same project linted again, from another checkout, gives the same fingerprints.
    const again = JSON.parse(runCli([(materializeFixture as (d: string) => string)(fixturePath("projects/seed-broken")), "--format", "gitlab"]).stdout) as GitLabIssue[];
    expect(again.map((i) => i.fingerprint)).toEqual(issues.map((i) => i.fingerprint));
  });

  it("prints an empty array for a clean project", () => {
    const dir = (materializeFixture as (d: string) => string)(fixturePath("projects/seed-skeleton"));
    expect(runCli([dir, "--format", "gitlab"])).toMatchObject({ status: 0, stdout: "[]\n" });
  });
});
