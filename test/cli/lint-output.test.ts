import { describe, expect, it } from "vitest";
import { fixturePath } from "../support/fixtures.js";
import { runCli } from "../support/cli.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";

const broken = (materializeFixture as (dir: string) => string)(fixturePath("projects/seed-broken"));
const clean = (materializeFixture as (dir: string) => string)(fixturePath("projects/seed-skeleton"));

describe("linting from the command line", () => {
  it("prints ruff-like text with related locations and a summary, exit 1", () => {
    const run = runCli([broken]);
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      ".env:1:1: git/env-tracked error: .env is tracked by git and holds SECRET_KEY and POSTGRES_PASSWORD: its values are in the repository history; run 'git rm --cached .env', keep it git-ignored and rotate its secrets",
    );
    expect(lines[1]).toBe("    docker-compose.yml:26:15: service 'web' reads it (env_file)");
    expect(lines).toContain(
      "config/nginx/default.conf.template:28:15: deploy/static-alias error: nginx serves /static/ from the wrong directory: a request for /static/admin/css/base.css reads /code/django_prod_skeleton/staticadmin/css/base.css, but STATIC_ROOT puts that file at /code/django_prod_skeleton/static/admin/css/base.css (the alias lacks the trailing '/' its location has: use 'alias /code/django_prod_skeleton/static/;')",
    );
    expect(lines.at(-1)).toBe("Found 8 problems (6 errors, 2 warnings).");
  });

  it("exits 0 on the correct project", () => {
    const run = runCli([clean]);
    expect(run).toMatchObject({ status: 0, stdout: "No problems found.\n" });
  });

  it("honours --fail-on", () => {
    expect(runCli([broken, "--fail-on", "error"]).status).toBe(1);
    expect(runCli([broken, "--fail-on", "never"]).status).toBe(0);
    expect(runCli([broken, "--select", "compose", "--fail-on", "error"]).status).toBe(0);
    expect(runCli([broken, "--select", "compose", "--fail-on", "warning"]).status).toBe(1);
  });

  it("selects and ignores by rule id and family", () => {
    const rules = (args: string[]) =>
      (JSON.parse(runCli([broken, "--format", "json", ...args]).stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    expect(rules(["--select", "git"])).toEqual(["git/env-tracked", "git/env-not-ignored"]);
    expect(rules(["--select", "deploy/static-alias,compose/"])).toEqual(["deploy/static-alias", "compose/exposed-backing-port"]);
    expect(rules(["--ignore", "deploy", "--ignore", "git,parse"])).toEqual(["compose/exposed-backing-port", "docker/env-in-image"]);
    expect(rules(["--select", "deploy", "--ignore", "deploy/media-alias"])).toEqual(["deploy/socket-drift", "deploy/static-alias"]);
  });

  it("lints exactly the compose files given with --compose, relative to the working directory", () => {
    const json = (args: string[]) => JSON.parse(runCli(args, broken).stdout) as { findings: { rule: string }[] };
    expect(json([".", "--format", "json", "--compose", "docker-compose.yml", "--select", "compose"]).findings.map((f) => f.rule)).toEqual([
      "compose/exposed-backing-port",
    ]);
    const missing = runCli([".", "--compose", "nope.yml"], broken);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--compose 'nope.yml' is not a file");
  });

  it("prints the linked model with --print-model, secrets masked", () => {
    const run = runCli([clean, "--print-model"]);
    expect(run.status).toBe(0);
    const model = JSON.parse(run.stdout) as { stacks: { services: { name: string; django: { settingsModule: { module: string; source: string; at: string } } | null }[] }[] };
    const web = model.stacks[0]?.services.find((s) => s.name === "web");
    expect(web?.django?.settingsModule).toEqual({ module: "django_prod_skeleton.settings.prod", source: "compose", at: "docker-compose.yml:26:9" });
    expect(run.stdout).not.toContain("Zr4kP9vL2xQ7mN3tW8yB");
    expect(run.stdout).not.toContain("q8v#2mz!r6t@k1w");
    expect(run.stdout).toContain("Zr…(20 chars)");
  });
});
