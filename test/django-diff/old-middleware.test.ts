/**
 * Django 1.11's two middleware settings, against the restated 1.11 … 2.2 checks
 * (scripts/django-diff/old_deploy_checks.py) on settings real Django 3.2 evaluates: the
 * generated projects of django-diff.test.ts always set MIDDLEWARE, so the MIDDLEWARE_CLASSES
 * and `MIDDLEWARE = None` paths are exercised here, one hand-written project each.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lintProject } from "../../src/lint.js";
import { toolAvailable } from "../support/tools.js";

const PYTHON = "/usr/bin/python3";
const RUNNER = resolve(import.meta.dirname, "../../scripts/django-diff/run_checks.py");
const available = toolAvailable("django", [PYTHON, "-c", "import django"]);

const ALL = [
  "django.middleware.security.SecurityMiddleware",
  "django.contrib.sessions.middleware.SessionMiddleware",
  "django.middleware.common.CommonMiddleware",
  "django.middleware.csrf.CsrfViewMiddleware",
  "django.contrib.auth.middleware.AuthenticationMiddleware",
  "django.contrib.messages.middleware.MessageMiddleware",
  "django.middleware.clickjacking.XFrameOptionsMiddleware",
];
const without = (name: string) => ALL.filter((m) => !m.endsWith(name));
const py = (items: string[]) => `[\n${items.map((m) => `    ${JSON.stringify(m)},\n`).join("")}]`;

/** Middleware lines of each case; the rest of the settings is the same secure production module. */
const CASES: Record<string, string> = {
  "classes-only": `MIDDLEWARE_CLASSES = ${py(ALL)}`,
  "classes-without-security": `MIDDLEWARE_CLASSES = ${py(without("SecurityMiddleware"))}`,
  "neither-set": "",
  "modern-without-csrf": `MIDDLEWARE = ${py(without("CsrfViewMiddleware"))}`,
  "both-empty": "MIDDLEWARE = []\nMIDDLEWARE_CLASSES = []",
  "both-set": `MIDDLEWARE = ${py(without("SessionMiddleware"))}\nMIDDLEWARE_CLASSES = ${py(ALL)}`,
  "classes-without-session-insecure-cookies": `MIDDLEWARE_CLASSES = ${py(without("SessionMiddleware"))}\nSESSION_COOKIE_SECURE = False`,
};

function settings(middleware: string): string {
  return [
    "import os",
    `SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]`,
    "DEBUG = False",
    `ALLOWED_HOSTS = ["shop.example.com"]`,
    `INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "django.contrib.messages"]`,
    middleware,
    `ROOT_URLCONF = "shop.urls"`,
    "SECURE_SSL_REDIRECT = True",
    "SECURE_HSTS_SECONDS = 31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS = True",
    "SECURE_HSTS_PRELOAD = True",
    "SECURE_CONTENT_TYPE_NOSNIFF = True",
    "SECURE_BROWSER_XSS_FILTER = True",
    `X_FRAME_OPTIONS = "DENY"`,
    "SESSION_COOKIE_SECURE = True",
    "CSRF_COOKIE_SECURE = True",
    "",
  ].join("\n");
}

const KEY = "Kp7vR2mX9qL4wT8nB3zF6hJ1sD5gY0cV7xN2mQ8rW4tE9uI3oA6";
let root = "";

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!available)("Django 1.11's MIDDLEWARE_CLASSES and MIDDLEWARE = None, against the restated 1.11 … 2.2 checks", () => {
  it("our ids equal the checks of each release, case by case", () => {
    root = mkdtempSync(join(tmpdir(), "dpl-old-middleware-"));
    const projects = Object.entries(CASES).map(([id, middleware]) => {
      const dir = join(root, id);
      mkdirSync(join(dir, "shop"), { recursive: true });
      writeFileSync(join(dir, "shop/__init__.py"), "");
      writeFileSync(join(dir, "shop/urls.py"), "urlpatterns = []\n");
      writeFileSync(join(dir, "shop/settings.py"), settings(middleware));
      writeFileSync(join(dir, "requirements.txt"), "Django==1.11.29\ngunicorn==19.10.0\n");
      writeFileSync(join(dir, ".env"), `DJANGO_SECRET_KEY=${KEY}\n`);
      writeFileSync(
        join(dir, "docker-compose.yml"),
        'services:\n  web:\n    build: .\n    env_file: .env\n    environment:\n      DJANGO_SETTINGS_MODULE: shop.settings\n',
      );
      writeFileSync(join(dir, "Dockerfile"), 'FROM python:3.6-slim\nCOPY . /app\nWORKDIR /app\nCMD ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000"]\n');
      writeFileSync(join(dir, "shop/wsgi.py"), "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n");
      return { id, dir, env: { DJANGO_SETTINGS_MODULE: "shop.settings", DJANGO_SECRET_KEY: KEY } };
    });
    const out = join(root, "results.jsonl");
    const run = spawnSync(PYTHON, [RUNNER, out], {
      input: JSON.stringify({ jobs: 2, tags: ["security"], projects }),
      env: { PATH: "/usr/bin:/bin" },
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    const results = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; old?: Record<string, string[]>; error?: string });
    const rows: string[] = [];
    const expected: string[] = [];
    for (const r of results.sort((a, b) => a.id.localeCompare(b.id))) {
      expect(r.error).toBeUndefined();
      for (const [line, ids] of Object.entries(r.old ?? {})) {
        const [major, minor] = line.split(".").map(Number) as [number, number];
        const result = lintProject(join(root, r.id), { djangoVersion: { major, minor } });
        const ours = [...new Set(result.findings.map((f) => f.django).filter((id): id is string => id !== null))].sort();
        rows.push(`${r.id} @${line}: ${ours.join(" ")}`);
        expected.push(`${r.id} @${line}: ${ids.join(" ")}`);
      }
    }
    expect(rows).toEqual(expected);
    // The cases do reach the paths they are for.
    const at = (id: string, line: string) => expected.find((row) => row.startsWith(`${id} @${line}:`)) ?? "";
    expect(at("classes-only", "1.11")).toBe("classes-only @1.11: ");
    expect(at("classes-only", "2.0")).toContain("security.W001 security.W002 security.W003");
    expect(at("neither-set", "1.11")).not.toContain("security.W003");
    expect(at("modern-without-csrf", "1.11")).not.toContain("security.W003");
    expect(at("modern-without-csrf", "2.0")).toContain("security.W003");
    expect(at("classes-without-security", "1.11")).toContain("security.W001");
  });
});
