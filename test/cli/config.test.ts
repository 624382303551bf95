/** Configuration files through the built CLI, on a copy of fixtures/projects/seed-broken (8 findings). */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { fixturePath } from "../support/fixtures.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";

type Row = [string, string, number, string];

const ALL_ROWS: Row[] = [
  ["git/env-tracked", ".env", 1, "error"],
  ["git/env-not-ignored", ".env.prod", 1, "warning"],
  ["deploy/socket-drift", "config/nginx/default.conf.template", 3, "error"],
  ["deploy/static-alias", "config/nginx/default.conf.template", 28, "error"],
  ["deploy/media-alias", "config/nginx/default.conf.template", 33, "error"],
  ["parse/problem", "config/nginx/gzip.conf.template", 2, "error"],
  ["compose/exposed-backing-port", "docker-compose.yml", 12, "warning"],
  ["docker/env-in-image", "Dockerfile", 15, "error"],
];

let pristine: string;
beforeAll(() => {
  pristine = (materializeFixture as (dir: string) => string)(fixturePath("projects/seed-broken"));
});

/** A fresh copy of the broken seed project (git index included) with the given extra files. */
function seedWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dpl-config-cli-"));
  cpSync(pristine, dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

/** Lints `dir` as JSON: exit status and [rule, file, line, severity] rows. */
function lint(dir: string, args: string[] = []) {
  const run = runCli([dir, "--format", "json", ...args]);
  expect(run.stderr).toBe("");
  const report = JSON.parse(run.stdout) as { findings: { rule: string; file: string; line: number; severity: string }[] };
  return { status: run.status, rows: report.findings.map((f): Row => [f.rule, f.file, f.line, f.severity]) };
}

const rowsOf = (...rules: string[]) => ALL_ROWS.filter((r) => rules.includes(r[0]));

describe("config files through the CLI", () => {
  it("lints the seed project as before without a config", () => {
    expect(lint(seedWith({}))).toEqual({ status: 1, rows: ALL_ROWS });
  });

  it("select (YAML) and ignore (JSON) choose the rules", () => {
    expect(lint(seedWith({ "django-prod-lint.config.yaml": "select: [git]\n" })).rows).toEqual(rowsOf("git/env-tracked", "git/env-not-ignored"));
    expect(lint(seedWith({ "django-prod-lint.config.json": '{"ignore": ["deploy", "parse/problem"]}' })).rows).toEqual(
      rowsOf("git/env-tracked", "git/env-not-ignored", "compose/exposed-backing-port", "docker/env-in-image"),
    );
  });

  it("severity overrides rewrite findings, the rule id over its family, and off rules do not run", () => {
    const dir = seedWith({ ".django-prod-lint.yml": "severity:\n  deploy: warning\n  deploy/static-alias: info\n  git/env-tracked: off\n" });
    expect(lint(dir, ["--fail-on", "never"])).toEqual({
      status: 0,
      rows: [
        ["git/env-not-ignored", ".env.prod", 1, "warning"],
        ["deploy/socket-drift", "config/nginx/default.conf.template", 3, "warning"],
        ["deploy/static-alias", "config/nginx/default.conf.template", 28, "info"],
        ["deploy/media-alias", "config/nginx/default.conf.template", 33, "warning"],
        ["parse/problem", "config/nginx/gzip.conf.template", 2, "error"],
        ["compose/exposed-backing-port", "docker-compose.yml", 12, "warning"],
        ["docker/env-in-image", "Dockerfile", 15, "error"],
      ],
    });
  });

  it("per-file-ignores drop findings in matching files (pyproject.toml)", () => {
    const pyproject = '[project]\nname = "skeleton"\n\n[tool.django-prod-lint.per-file-ignores]\n"config/nginx/" = ["*"]\n"Dockerfile" = ["docker"]\n".env*" = ["git/env-tracked"]\n';
    expect(lint(seedWith({ "pyproject.toml": pyproject })).rows).toEqual(rowsOf("git/env-not-ignored", "compose/exposed-backing-port"));
  });

  it("settings, compose and django-version change what is linted", () => {
    // A settings module that does not exist: nothing evaluates STATIC_ROOT / MEDIA_ROOT, the alias rules stay silent.
    expect(lint(seedWith({ ".django-prod-lint.yaml": "settings: no.such.settings\n" })).rows).toEqual(
      ALL_ROWS.filter((r) => r[0] !== "deploy/static-alias" && r[0] !== "deploy/media-alias"),
    );
    // The stack is only what the named compose file declares: a database alone (no nginx reads gzip.conf.template).
    const dbOnly = "services:\n  db:\n    image: postgres:16.2\n    env_file: .env\n    ports:\n      - \"5432:5432\"\n";
    expect(lint(seedWith({ "db-only.yml": dbOnly, ".django-prod-lint.yaml": "compose: [db-only.yml]\n" })).rows).toEqual([
      ["git/env-tracked", ".env", 1, "error"],
      ["git/env-not-ignored", ".env.prod", 1, "warning"],
      ["compose/exposed-backing-port", "db-only.yml", 6, "warning"],
    ]);
    // Django 3.0 had no default Referrer-Policy (security.W022).
    const old = lint(seedWith({ ".django-prod-lint.yaml": 'django-version: "3.0"\n' })).rows;
    expect(old.filter((r) => !ALL_ROWS.some((a) => a[0] === r[0]))).toEqual([
      ["django/referrer-policy-missing", "django_prod_skeleton/django_prod_skeleton/settings/prod.py", 1, "warning"],
    ]);
  });

  it("fail-on decides the exit status", () => {
    expect(lint(seedWith({ ".django-prod-lint.yaml": "fail-on: never\n" })).status).toBe(0);
    const onlyWarnings = seedWith({ ".django-prod-lint.yaml": "select: [compose]\nfail-on: error\n" });
    expect(lint(onlyWarnings)).toEqual({ status: 0, rows: rowsOf("compose/exposed-backing-port") });
  });

  it("an option on the command line replaces the config's value", () => {
    const dir = seedWith({
      ".django-prod-lint.yaml": 'select: [git]\nfail-on: never\nsettings: no.such.settings\ndjango-version: "3.0"\n',
    });
    expect(lint(dir).status).toBe(0);
    expect(lint(dir, ["--select", "deploy/static-alias", "--fail-on", "error", "--settings", "django_prod_skeleton.settings.prod"])).toEqual({
      status: 1,
      rows: rowsOf("deploy/static-alias"),
    });
    expect(lint(dir, ["--select", "django", "--django-version", "5.2"]).rows).toEqual([]);
    expect(lint(seedWith({ ".django-prod-lint.yaml": "ignore: [git]\n" }), ["--ignore", "deploy"]).rows).toEqual(
      rowsOf("git/env-tracked", "git/env-not-ignored", "parse/problem", "compose/exposed-backing-port", "docker/env-in-image"),
    );
    const compose = seedWith({ "db-only.yml": "services: {}\n", ".django-prod-lint.yaml": "compose: [db-only.yml]\n" });
    expect(lint(compose, ["--compose", join(compose, "docker-compose.yml")]).rows).toEqual(ALL_ROWS);
  });

  it("--config names the file (relative to the working directory) and skips discovery; --no-config skips it", () => {
    const dir = seedWith({ ".django-prod-lint.yaml": "select: [git]\n", "pyproject.toml": "[tool.django-prod-lint]\n" });
    const elsewhere = mkdtempSync(join(tmpdir(), "dpl-config-file-"));
    writeFileSync(join(elsewhere, "lint.json"), '{"select": ["parse"]}');
    const run = runCli([dir, "--format", "json", "--config", "lint.json"], elsewhere);
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).toEqual(["parse/problem"]);
    expect(lint(seedWith({ ".django-prod-lint.yaml": "fail-on: [" }), ["--no-config"])).toEqual({ status: 1, rows: ALL_ROWS });
  });
});

describe("start-up", () => {
  it("loads ajv only when there is a config file to validate", () => {
    const dir = mkdtempSync(join(tmpdir(), "dpl-config-empty-"));
    const ajvLoaded = () => runCli([dir], undefined, { NODE_DEBUG: "module" }).stderr.includes("node_modules/ajv/");
    expect(ajvLoaded()).toBe(false);
    writeFileSync(join(dir, ".django-prod-lint.yaml"), "fail-on: error\n");
    expect(ajvLoaded()).toBe(true);
  });
});

describe("config errors through the CLI: exit 2, one line naming file, key and fix", () => {
  const fails = (files: Record<string, string>, args: string[] = []) => {
    const dir = seedWith(files);
    const run = runCli([dir, ...args]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    const [first, second, rest] = run.stderr.split("\n");
    expect(second).toBe("Try 'django-prod-lint --help'.");
    expect(rest).toBe("");
    return first!.replaceAll(`${dir}/`, "");
  };

  it("rejects schema errors with the key path", () => {
    expect(fails({ ".django-prod-lint.yaml": "select: git\n" })).toBe('django-prod-lint: .django-prod-lint.yaml:1:1: select: must be a list of rule ids or families (got "git")');
    expect(fails({ ".django-prod-lint.yaml": "fail_on: error\n" })).toMatch(/^django-prod-lint: \.django-prod-lint\.yaml:1:1: fail_on: unknown key \(allowed: select, ignore, severity, per-file-ignores, /);
    expect(fails({ "django-prod-lint.config.json": '{\n  "fail-on": "high"\n}' })).toBe(
      'django-prod-lint: django-prod-lint.config.json:2:3: fail-on: must be one of error, warning, info, never (got "high")',
    );
    expect(fails({ ".django-prod-lint.yaml": "severity:\n  deploy/static-alia: info\n" })).toBe(
      'django-prod-lint: .django-prod-lint.yaml:2:3: severity."deploy/static-alia": unknown rule or family (see --list-rules)',
    );
    expect(fails({ ".django-prod-lint.yaml": 'per-file-ignores:\n  "compose/**": compose\n' })).toBe(
      'django-prod-lint: .django-prod-lint.yaml:2:3: per-file-ignores."compose/**": must be a list of rule ids or families, or ["*"] (got "compose")',
    );
    expect(fails({ "pyproject.toml": '[tool.django-prod-lint]\nselect = ["gti"]\n' })).toBe(
      'django-prod-lint: pyproject.toml: [tool.django-prod-lint] select[0]: unknown rule or family (see --list-rules): "gti"',
    );
  });

  it("rejects syntax errors with file:line:col", () => {
    expect(fails({ ".django-prod-lint.yaml": "select: [git\nfail-on: error\n" })).toMatch(/^django-prod-lint: \.django-prod-lint\.yaml:2:1: invalid YAML: /);
    expect(fails({ "pyproject.toml": '[tool.django-prod-lint]\nselect = "git\n' })).toMatch(/^django-prod-lint: pyproject\.toml:2:\d+: invalid TOML: /);
  });

  it("refuses two config files, a missing --config, and --config with --no-config", () => {
    expect(fails({ ".django-prod-lint.yaml": "{}\n", "django-prod-lint.config.json": "{}" })).toBe(
      "django-prod-lint: found 2 config files: django-prod-lint.config.json and .django-prod-lint.yaml; keep one",
    );
    expect(fails({}, ["--config", "/nonexistent/lint.yaml"])).toBe("django-prod-lint: cannot read config file /nonexistent/lint.yaml: no such file");
    expect(fails({}, ["--config", "x.yaml", "--no-config"])).toBe("django-prod-lint: --config and --no-config exclude each other: give one");
  });

  it("documents --config and --no-config in --help", () => {
    const help = runCli(["--help"]).stdout;
    expect(help).toMatch(/^ {2}--config FILE {12}read the configuration from FILE/m);
    expect(help).toMatch(/^ {2}--no-config {14}do not look for a configuration file$/m);
  });
});
