/**
 * Real Django's `check --deploy` over the shape projects (fixtures/projects/shape-*), run
 * with the environment the production Django service gets: the values the model found in
 * the repository (compose environment, env files, the committed template of an env file the
 * checkout lacks), plus what only the deployer has — secrets that are not in the repository
 * (a fresh strong value each) and, for decouple, the `.env` made from `.env.example`.
 *
 * As in test/rules/django/seed-projects.test.ts, Debian's Django 3.2 runs a wrapper module
 * that star-imports the production settings and swaps DATABASES and CACHES for backends it
 * can load (django-redis is not installed); no deploy check reads either (caches.W002 is
 * about FileBasedCache only).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Service } from "../../src/model/deployment-model.js";
import { lintFixture } from "../support/fixtures.js";
import { toolAvailable } from "../support/tools.js";

const PYTHON = "/usr/bin/python3";
const available = toolAvailable("django", [PYTHON, "-c", "import django, environ, decouple"]);

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
  fixture: string;
  /** The compose service that runs Django in the production stack. */
  service: string;
  /** Files the deployer writes from a committed template before starting the stack: target → template. */
  deployerFiles?: Record<string, string>;
  /** The Django check ids real Django reports (none for a correct project). */
  ids: string[];
  /** KNOWN-GAP: ids of `ids` our django/* rules do not report yet. */
  oursMissing?: string[];
}

const CASES: Case[] = [
  { fixture: "shape-tutorial", service: "web", ids: [] },
  { fixture: "shape-cookiecutter", service: "django", ids: [] },
  { fixture: "shape-override", service: "web", ids: [] },
  { fixture: "shape-decouple", service: "web", deployerFiles: { ".env": ".env.example" }, ids: [] },
  // The twins whose planted mistake is one Django's own checks see: both sides must agree.
  {
    fixture: "shape-tutorial-broken-debug",
    service: "web",
    ids: ["security.W004", "security.W008", "security.W012", "security.W016", "security.W018"],
  },
  { fixture: "shape-override-broken-debug", service: "web", ids: ["security.W018"] },
  {
    fixture: "shape-decouple-broken-debug-no-cast",
    service: "web",
    deployerFiles: { ".env": ".env.example" },
    ids: ["security.W018"],
  },
];

/** A value only the deployer has: long and varied enough for Django's SECRET_KEY check. */
function deployerSecret(): string {
  return randomBytes(48).toString("base64url");
}

/** A committed template with its blanks filled in, as the deployer copies it. */
function filledTemplate(text: string): string {
  return text.replace(/^([A-Za-z_][A-Za-z0-9_]*)=$/gm, (_, name: string) => `${name}=${deployerSecret()}`);
}

/** The production service's environment: the repository's values, and the deployer's for the rest. */
function productionEnvironment(service: Service): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of service.environment.values) env[name] = value.value ?? deployerSecret();
  return env;
}

const dirs: string[] = [];
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

for (const c of CASES) {
  describe(`fixtures/projects/${c.fixture}`, () => {
    const linted = lintFixture(`projects/${c.fixture}`, { selection: { select: ["django"], ignore: [] } });
    dirs.push(linted.dir);
    const service = linted.result.model.stacks
      .filter((s) => s.purpose.kind === "production")
      .flatMap((s) => s.services)
      .find((s) => s.name === c.service);
    const missing = new Set(c.oursMissing ?? []);

    it(`our django/* rules report ${c.ids.length === 0 ? "nothing" : c.ids.filter((id) => !missing.has(id)).join(", ") || "nothing (KNOWN-GAP)"}`, () => {
      expect(linted.result.internalErrors).toEqual([]);
      expect(service?.django?.settings).toBeDefined();
      expect(linted.result.findings.map((f) => f.django).sort()).toEqual(c.ids.filter((id) => !missing.has(id)));
    });

    it.skipIf(!available)(`real Django 3.2 reports ${c.ids.length === 0 ? "no security id" : c.ids.join(", ")}`, () => {
      const workdir = service?.appServer?.workingDir;
      const appDir = workdir === undefined ? undefined : service?.filesystem.repoPath(workdir);
      const module = service?.django?.settingsModule?.module;
      expect(appDir).toBeDefined();
      expect(module).toBeDefined();
      const cwd = join(linted.dir, appDir as string);
      for (const [target, template] of Object.entries(c.deployerFiles ?? {})) {
        writeFileSync(join(linted.dir, target), filledTemplate(readFileSync(join(linted.dir, template), "utf8")));
      }
      writeFileSync(
        join(cwd, "_dpl_check_settings.py"),
        `from ${module} import *  # noqa\n` +
          'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}\n' +
          'CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\n',
      );
      const env: Record<string, string> = {
        ...productionEnvironment(service as Service),
        PATH: "/usr/bin:/bin",
        PYTHONDONTWRITEBYTECODE: "1",
        DJANGO_SETTINGS_MODULE: "_dpl_check_settings",
      };
      const run = spawnSync(PYTHON, ["-c", RUNNER], { cwd, env, encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual(c.ids);
    });
  });
}
