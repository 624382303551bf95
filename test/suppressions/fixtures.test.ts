import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintProject } from "../../src/lint.js";
import { runCli } from "../support/cli.js";
import { fixturePath, lintFixture, type FindingRow } from "../support/fixtures.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";

// Every case is fixtures/projects/seed-broken (8 findings, test/projects/seed.test.ts) with directives added.
// fixtures/suppressions/<case>/ is an overlay holding only the files the case changes: its .fixture.json names
// seed-broken as the base, which scripts/materialize-fixture.mjs copies first.
const NGINX = "config/nginx/default.conf.template";
const GZIP = "config/nginx/gzip.conf.template";
const PROD = "django_prod_skeleton/django_prod_skeleton/settings/prod.py";
const BASE = "django_prod_skeleton/django_prod_skeleton/settings/base.py";

function lint(name: string, select: string[] = []) {
  const { result, rows } = lintFixture(`suppressions/${name}`, { selection: { select, ignore: [] } });
  expect(result.internalErrors).toEqual([]);
  const suppressed: FindingRow[] = result.suppressed.map((f) => [f.rule, f.range.file, f.range.line, f.range.column]);
  const messages = result.findings.filter((f) => f.rule === "lint/unused-suppression").map((f) => `${f.range.file}:${f.range.line}:${f.range.column}-${f.range.endColumn} ${f.message}`);
  return { rows, suppressed, messages };
}

describe("inline suppressions on the seed project", () => {
  it("a directive at the end of a line suppresses that line (nginx, compose, .env, settings)", () => {
    const { rows, suppressed } = lint("on-the-line");
    expect(rows).toEqual([
      ["git/env-not-ignored", ".env.prod", 1, 1],
      ["deploy/media-alias", NGINX, 33, 15],
      ["parse/problem", GZIP, 2, 1],
      ["docker/env-in-image", "Dockerfile", 15, 1],
    ]);
    expect(suppressed).toEqual([
      ["git/env-tracked", ".env", 1, 1],
      ["deploy/socket-drift", NGINX, 3, 12],
      ["deploy/static-alias", NGINX, 28, 15],
      // prod.py sets DEBUG = True in this case, next to its directive.
      ["django/debug-enabled", PROD, 6, 1],
      ["compose/exposed-backing-port", "docker-compose.yml", 12, 9],
    ]);
  });

  it("a directive on a line of its own suppresses the next line (nginx, compose, Dockerfile, broken nginx, settings)", () => {
    const { rows, suppressed } = lint("line-above");
    expect(rows).toEqual([
      ["git/env-tracked", ".env", 1, 1],
      ["git/env-not-ignored", ".env.prod", 1, 1],
      ["deploy/socket-drift", NGINX, 3, 12],
      ["deploy/static-alias", NGINX, 28, 15],
    ]);
    expect(suppressed).toEqual([
      ["deploy/media-alias", NGINX, 34, 15],
      ["parse/problem", GZIP, 3, 1],
      ["django/debug-enabled", PROD, 7, 1],
      ["compose/exposed-backing-port", "docker-compose.yml", 13, 9],
      ["docker/env-in-image", "Dockerfile", 16, 1],
    ]);
  });

  it("disable-file suppresses a rule or a family in the whole file (.env files, nginx, Dockerfile)", () => {
    const { rows, suppressed, messages } = lint("file-wide");
    expect(rows).toEqual([
      ["parse/problem", GZIP, 2, 1],
      ["compose/exposed-backing-port", "docker-compose.yml", 12, 9],
      ["lint/unused-suppression", "Dockerfile", 1, 59],
    ]);
    expect(messages).toEqual(["Dockerfile:1:59-64 `parse` is disabled for this file but reported nothing in it; remove it from the directive"]);
    expect(suppressed).toEqual([
      ["git/env-tracked", ".env", 1, 1],
      ["git/env-not-ignored", ".env.prod", 1, 1],
      ["deploy/socket-drift", NGINX, 3, 12],
      ["deploy/static-alias", NGINX, 28, 15],
      ["deploy/media-alias", NGINX, 33, 15],
      ["docker/env-in-image", "Dockerfile", 16, 1],
    ]);
  });

  it("line directives name families (`deploy`, `deploy/`, `compose`)", () => {
    const { rows, suppressed } = lint("by-family");
    expect(rows).toEqual([
      ["git/env-tracked", ".env", 1, 1],
      ["git/env-not-ignored", ".env.prod", 1, 1],
      ["deploy/socket-drift", NGINX, 3, 12],
      ["parse/problem", GZIP, 2, 1],
      ["docker/env-in-image", "Dockerfile", 15, 1],
    ]);
    expect(suppressed).toEqual([
      ["deploy/static-alias", NGINX, 28, 15],
      ["deploy/media-alias", NGINX, 33, 15],
      ["compose/exposed-backing-port", "docker-compose.yml", 12, 9],
    ]);
  });

  it("reports unused, unknown, duplicate and malformed directives at the entry's columns", () => {
    const { rows, suppressed, messages } = lint("unused");
    expect(rows).toEqual([
      ["git/env-tracked", ".env", 1, 1],
      ["git/env-not-ignored", ".env.prod", 1, 1],
      ["lint/unused-suppression", ".gitignore", 5, 29],
      ["lint/unused-suppression", NGINX, 3, 109],
      ["lint/unused-suppression", NGINX, 9, 72],
      ["lint/unused-suppression", NGINX, 29, 37],
      ["deploy/media-alias", NGINX, 35, 15],
      // gzip.conf.template's unused `disable=deploy` is silenced by its disable-file=lint/unused-suppression.
      ["parse/problem", GZIP, 4, 1],
      ["lint/unused-suppression", "config/uwsgi/uwsgi.ini", 2, 29],
      ["lint/unused-suppression", BASE, 5, 3],
      ["lint/unused-suppression", "docker-compose.yml", 3, 55],
      ["lint/unused-suppression", "docker-compose.yml", 3, 63],
      ["compose/exposed-backing-port", "docker-compose.yml", 12, 9],
      ["lint/unused-suppression", "docker-compose.yml", 12, 50],
      ["lint/unused-suppression", "docker-compose.yml", 21, 17],
      ["lint/unused-suppression", "Dockerfile", 13, 55],
      ["docker/env-in-image", "Dockerfile", 15, 1],
    ]);
    expect(suppressed).toEqual([
      ["deploy/socket-drift", NGINX, 3, 12],
      // The first of two stacked directives above the alias; the second one (media-alias) is unused.
      ["deploy/static-alias", NGINX, 30, 15],
    ]);
    expect(messages).toEqual([
      ".gitignore:5:29-48 `git/env-not-ignored` is suppressed here but reported nothing on line 6; remove the directive",
      `${NGINX}:3:109-128 \`deploy/socket-drift\` is listed twice in this directive; remove one`,
      `${NGINX}:9:72-91 \`deploy/static-alias\` is suppressed here but reported nothing on line 9; remove the directive`,
      `${NGINX}:29:37-55 \`deploy/media-alias\` is suppressed here but reported nothing on line 30; remove the directive`,
      "config/uwsgi/uwsgi.ini:2:29-48 `deploy/socket-drift` is suppressed here but reported nothing on line 3; remove the directive",
      `${BASE}:5:3-48 malformed suppression: expected \`django-prod-lint: disable=<rule>[,<rule>…]\` or \`disable-file=<rule>[,…]\` after the tag, got \`disabel=deploy/static-alias\`; did you mean \`disable\`?`,
      "docker-compose.yml:3:55-62 `compose` is suppressed here but reported nothing on line 3; remove it from the directive",
      "docker-compose.yml:3:63-80 `compose/runserver` is already covered by `compose` in this directive; remove it",
      "docker-compose.yml:12:50-78 unknown rule `compose/exposed-backing-prot`; did you mean `compose/exposed-backing-port`?",
      "docker-compose.yml:21:17-43 empty rule list: name the rules to suppress, e.g. `django-prod-lint: disable=deploy/static-alias -- reason`",
      "Dockerfile:13:55-100 a comment starts only at the beginning of a line in a Dockerfile, so this directive is part of the line's value and suppresses nothing; put it on a line of its own above",
    ]);
  });

  it("with --select, directives of rules that did not run are not unused, and unused reports need lint/unused-suppression selected", () => {
    expect(lint("line-above", ["deploy/static-alias", "lint"]).rows).toEqual([["deploy/static-alias", NGINX, 28, 15]]);
    expect(lint("unused", ["deploy/static-alias", "lint/unused-suppression"]).rows).toEqual([
      ["lint/unused-suppression", NGINX, 3, 109],
      ["lint/unused-suppression", NGINX, 9, 72],
      ["lint/unused-suppression", BASE, 5, 3],
      ["lint/unused-suppression", "docker-compose.yml", 3, 63],
      ["lint/unused-suppression", "docker-compose.yml", 12, 50],
      ["lint/unused-suppression", "docker-compose.yml", 21, 17],
      ["lint/unused-suppression", "Dockerfile", 13, 55],
    ]);
    expect(lint("unused", ["deploy/static-alias"]).rows).toEqual([]);
  });
});

describe("inline suppressions from the command line", () => {
  const materialize = materializeFixture as (dir: string) => string;

  it("suppressed findings do not count for the exit code", () => {
    const dir = materialize(fixturePath("suppressions/on-the-line"));
    const run = runCli([dir, "--select", "deploy/socket-drift,deploy/static-alias,compose,django,lint"]);
    expect(run).toMatchObject({ status: 0, stdout: "No problems found.\n" });
    expect(runCli([dir, "--select", "deploy/media-alias"]).status).toBe(1);
  });

  it("unused-suppression findings are warnings in every format, and obey --ignore and --fail-on", () => {
    const dir = materialize(fixturePath("suppressions/unused"));
    const run = runCli([dir, "--format", "json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { rule: string; severity: string; file: string; line: number; column: number; endColumn: number }[] };
    const lintFindings = report.findings.filter((f) => f.rule === "lint/unused-suppression");
    expect(lintFindings.length).toBe(11);
    expect(new Set(lintFindings.map((f) => f.severity))).toEqual(new Set(["warning"]));
    expect(lintFindings.find((f) => f.file === "docker-compose.yml" && f.line === 12)).toMatchObject({ column: 50, endColumn: 78 });
    // Only the entries that are wrong whatever ran (duplicate, covered, unknown, malformed): six warnings.
    const onlyLint = runCli([dir, "--select", "lint", "--format", "json"]);
    expect(onlyLint.status).toBe(1);
    expect((JSON.parse(onlyLint.stdout) as { findings: unknown[] }).findings.length).toBe(6);
    expect(runCli([dir, "--select", "lint", "--fail-on", "error"]).status).toBe(0);
    expect(runCli([dir, "--select", "lint,compose", "--ignore", "lint/unused-suppression", "--format", "json"]).stdout).not.toContain("lint/unused-suppression");
  });
});

describe("inline suppressions in files the loaders never read", () => {
  it("reads the file a finding points at (a tracked private key: text before -----BEGIN is ignored by openssl)", () => {
    const key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";
    const dir = mkdtempSync(join(tmpdir(), "dpl-suppress-key-"));
    mkdirSync(join(dir, "deploy"));
    writeFileSync(join(dir, "deploy/server.key"), key);
    writeFileSync(join(dir, "deploy/other.key"), `# django-prod-lint: disable-file=git/secret-file-tracked -- a revoked demo key\n${key}`);
    execFileSync("git", ["init", "-q"], { cwd: dir });
    execFileSync("git", ["add", "-A"], { cwd: dir });
    const { findings, suppressed } = lintProject(dir, { selection: { select: ["git/secret-file-tracked", "lint"], ignore: [] } });
    expect(findings.map((f) => [f.rule, f.range.file, f.range.line])).toEqual([["git/secret-file-tracked", "deploy/server.key", 1]]);
    expect(suppressed.map((f) => [f.rule, f.range.file, f.range.line])).toEqual([["git/secret-file-tracked", "deploy/other.key", 2]]);
  });
});
