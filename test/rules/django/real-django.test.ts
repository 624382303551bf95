/**
 * Every django/* fixture, checked by real Django: Debian's Django 3.2 runs
 * `check --deploy` (security, caches and async_support tags) on the fixture with the
 * environment the compose service gets, and its ids must equal the ids our django/*
 * rules give when told the project runs Django 3.2. (Checks newer than 3.2 — E024, W025
 * — are covered by the version tables in the rule tests, from Django's source.)
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePath } from "../../support/fixtures.js";
import { toolAvailable } from "../../support/tools.js";
import { djangoIds, lintDjangoFixture } from "./django-table.js";

const PYTHON = "/usr/bin/python3";
const available = toolAvailable("django", [PYTHON, "-c", "import django"]);

// Imports Django once per fixture and prints the ids of the deploy checks, as `manage.py check --deploy --tag …` runs them.
const RUNNER = `
import json, os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.core import checks
messages = checks.run_checks(include_deployment_checks=True, tags=["security", "caches", "async_support"])
print(json.dumps(sorted(m.id for m in messages)))
`;

interface Case {
  rule: string;
  fixture: string;
}

interface Outcome {
  appDir: string | undefined;
  ours: string[];
  django: { stdout: string; stderr: string };
}

function fixtures(): Case[] {
  const root = fixturePath("rules/django");
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((rule) =>
      readdirSync(join(root, rule.name), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((fixture) => ({ rule: `django/${rule.name}`, fixture: fixture.name })),
    );
}

function runDjango(cwd: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, ["-c", RUNNER], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", () => resolve({ stdout, stderr }));
  });
}

const DJANGO_3_2 = { major: 3, minor: 2 };
const cases = fixtures();
const outcomes = new Map<string, Outcome>();

describe.skipIf(!available)("django/* fixtures agree with real Django 3.2", () => {
  // Lint every case, then run Django on them a few at a time: one Python start per case is most of the cost.
  beforeAll(async () => {
    const queue = cases.map(({ rule, fixture }) => {
      const linted = lintDjangoFixture(rule, fixture, "django", DJANGO_3_2);
      const web = linted.result.model.stacks[0]?.services.find((s) => s.name === "web");
      const workdir = web?.appServer?.workingDir;
      const appDir = workdir === undefined ? undefined : web?.filesystem.repoPath(workdir);
      const env: Record<string, string> = { PATH: "/usr/bin:/bin", PYTHONDONTWRITEBYTECODE: "1" };
      for (const [name, value] of web?.environment.values ?? []) if (value.value !== undefined) env[name] = value.value;
      return { key: `${rule}/${fixture}`, appDir, ours: djangoIds(linted), cwd: join(linted.dir, appDir ?? "."), env };
    });
    const workers = Array.from({ length: Math.max(2, availableParallelism()) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        outcomes.set(next.key, { appDir: next.appDir, ours: next.ours, django: await runDjango(next.cwd, next.env) });
      }
    });
    await Promise.all(workers);
    // ~100 Python starts: on a loaded 2-core machine (vitest runs 3 workers) this can pass two minutes.
  }, 300_000);

  for (const { rule, fixture } of cases) {
    it(`${rule}/${fixture}`, () => {
      const outcome = outcomes.get(`${rule}/${fixture}`) as Outcome;
      expect(outcome.appDir).toBe("app");
      expect(outcome.django.stderr).toBe("");
      expect({ fixture, ids: outcome.ours }).toEqual({ fixture, ids: JSON.parse(outcome.django.stdout) as string[] });
    });
  }
});
