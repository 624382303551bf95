/**
 * The seed fixtures against real Django (issue 3, acceptance): the Django ids we report on
 * fixtures/projects/seed-skeleton and seed-broken are exactly those Django 3.2's
 * `check --deploy` reports, run in the app's folder with the environment real
 * `docker-compose config` gives the web service.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { lintProject } from "../../src/lint.js";
import { fixturePath } from "../support/fixtures.js";
import { toolAvailable } from "../support/tools.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";

const PYTHON = "/usr/bin/python3";
const RUNNER = join(import.meta.dirname, "../../scripts/django-diff/run_checks.py");

// The seed's production settings use PostgreSQL: Django imports the driver while loading the apps.
const djangoAvailable = toolAvailable("django", [PYTHON, "-c", "import django"]) && toolAvailable("python3-psycopg2", [PYTHON, "-c", "import psycopg2"]);
const composeAvailable = toolAvailable("docker-compose", ["docker-compose", "version"]);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The web service's environment as real docker-compose computes it (env_file, then environment). */
function composeEnvironment(dir: string): Record<string, string> {
  const run = spawnSync("docker-compose", ["--project-directory", dir, "-f", join(dir, "docker-compose.yml"), "config"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root" },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`docker-compose config failed: ${run.stderr}`);
  const doc = parse(run.stdout) as { services: Record<string, { environment?: Record<string, string | null> }> };
  const env: Record<string, string> = {};
  // `config` writes `$` as `$$`.
  for (const [k, v] of Object.entries(doc.services.web?.environment ?? {})) if (v !== null) env[k] = String(v).replace(/\$\$/g, "$");
  return env;
}

function djangoIds(appDir: string, env: Record<string, string>): string[] {
  const out = join(appDir, "..", "django-results.jsonl");
  const run = spawnSync(PYTHON, [RUNNER, out], {
    input: JSON.stringify({ jobs: 1, projects: [{ id: "seed", dir: appDir, env }] }),
    env: { PATH: "/usr/bin:/bin" },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`run_checks.py failed: ${run.stderr}`);
  const result = JSON.parse(readFileSync(out, "utf8").trim()) as { ids?: string[]; error?: string };
  if (result.error) throw new Error(result.error);
  return result.ids ?? [];
}

describe.skipIf(!djangoAvailable || !composeAvailable)("seed fixtures against real Django 3.2", () => {
  // uwsgi.ini: `chdir = /code/django_prod_skeleton/`, and /code is the repository root.
  it.each([
    // The production settings pass every deploy check: Django reports nothing, and neither may we.
    { fixture: "seed-skeleton", label: "detected: settings.prod", settingsModule: undefined, expected: [] as string[] },
    { fixture: "seed-broken", label: "detected: settings.prod", settingsModule: undefined, expected: [] },
    // The laptop settings (`--settings`), linted as if deployed: Django's answer is not empty.
    {
      fixture: "seed-skeleton",
      label: "--settings settings.local",
      settingsModule: "django_prod_skeleton.settings.local",
      expected: ["security.W004", "security.W008", "security.W009", "security.W012", "security.W016", "security.W018"],
    },
  ])("$fixture ($label): our Django ids are exactly Django's", ({ fixture, settingsModule, expected }) => {
    const dir = (materializeFixture as (d: string, o?: { git?: boolean }) => string)(fixturePath(`projects/${fixture}`), { git: true });
    dirs.push(dir);
    const env = composeEnvironment(dir);
    expect(env.DJANGO_SETTINGS_MODULE).toBe("django_prod_skeleton.settings.prod");
    if (settingsModule) env.DJANGO_SETTINGS_MODULE = settingsModule;
    const django = djangoIds(join(dir, "django_prod_skeleton"), env);
    expect(django).toEqual(expected);
    // Real Django here is 3.2; the seed pins 4.2, so lint with the version that runs.
    const result = lintProject(dir, { djangoVersion: { major: 3, minor: 2 }, ...(settingsModule ? { settingsModule } : {}) });
    const ours = [...new Set(result.findings.map((f) => f.django).filter((id): id is string => id !== null))].sort();
    expect(ours).toEqual(django);
  });
});
