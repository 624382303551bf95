/**
 * The seed projects set the HTTPS settings: our django/* rules find nothing there, and
 * neither does real Django. Debian's Django 3.2 has no psycopg2 and no RedisCache, so real
 * Django runs on a wrapper module that star-imports the production settings and swaps
 * DATABASES and CACHES for ones it can load — neither is read by a deploy check's verdict
 * here (caches.W002 concerns FileBasedCache only).
 */
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lintFixture } from "../../support/fixtures.js";
import { toolAvailable } from "../../support/tools.js";

const PYTHON = "/usr/bin/python3";
const available = toolAvailable("django", [PYTHON, "-c", "import django"]);

const RUNNER = `
import json, os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.core import checks
messages = checks.run_checks(include_deployment_checks=True, tags=["security", "caches", "async_support"])
print(json.dumps(sorted(m.id for m in messages)))
`;

for (const project of ["seed-skeleton", "seed-broken"]) {
  describe(`fixtures/projects/${project}`, () => {
    const linted = lintFixture(`projects/${project}`, { selection: { select: ["django"], ignore: [] } });
    const web = linted.result.model.stacks.flatMap((s) => s.services).find((s) => s.name === "web");
    afterAll(() => rmSync(linted.dir, { recursive: true, force: true }));

    it("our django/* rules find nothing, on evaluated production settings", () => {
      expect(linted.result.internalErrors).toEqual([]);
      expect(linted.rows).toEqual([]);
      expect(web?.django?.settingsModule?.module).toBe("django_prod_skeleton.settings.prod");
      const values = web?.django?.settings?.values;
      expect(values?.get("SECRET_KEY")?.value.kind).toBe("str");
      expect(values?.get("SECURE_HSTS_SECONDS")?.value).toEqual({ kind: "int", value: 31536000 });
      expect(values?.get("MIDDLEWARE")?.value.kind).toBe("list");
    });

    it.skipIf(!available)("real Django 3.2 finds nothing either", () => {
      const workdir = web?.appServer?.workingDir;
      const appDir = workdir === undefined ? undefined : web?.filesystem.repoPath(workdir);
      expect(appDir).toBe("django_prod_skeleton");
      const cwd = join(linted.dir, appDir as string);
      writeFileSync(
        join(cwd, "_dpl_check_settings.py"),
        "from django_prod_skeleton.settings.prod import *  # noqa\n" +
          'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}\n' +
          'CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\n',
      );
      const env: Record<string, string> = { PATH: "/usr/bin:/bin", PYTHONDONTWRITEBYTECODE: "1" };
      for (const [name, value] of web?.environment.values ?? []) if (value.value !== undefined) env[name] = value.value;
      env.DJANGO_SETTINGS_MODULE = "_dpl_check_settings";
      const run = spawnSync(PYTHON, ["-c", RUNNER], { cwd, env, encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual([]);
    });
  });
}
