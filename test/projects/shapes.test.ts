/**
 * Correct-by-construction projects in the layouts Django deployments commonly copy
 * (fixtures/projects/shape-<name>), each with broken twins that plant one mistake typical
 * of that layout (fixtures/projects/shape-<name>-broken-<case>). A correct project gives no
 * finding from any rule; a twin gives exactly its planted [rule, file, line, column] rows.
 * Real nginx -t and docker-compose config run over these projects in real-tools.test.ts,
 * real Django's check --deploy in shapes-django.test.ts.
 *
 * KNOWN-GAP entries record where the linter disagrees with the truth today: `falseAlarms`
 * are rows it reports although nothing is wrong, `missing` are planted rows it does not
 * report. The tests assert today's behaviour exactly, so fixing a gap makes them fail: then
 * delete the entry.
 */
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/engine/finding.js";
import type { Service, Stack } from "../../src/model/deployment-model.js";
import { describeEndpoint, pathOrString } from "../../src/model/queries.js";
import type { LintResult } from "../../src/lint.js";
import { lintFixture, type FindingRow } from "../support/fixtures.js";

interface Twin {
  /** fixtures/projects/<fixture> */
  fixture: string;
  plants: string;
  /** Every row a correct linter reports: the planted mistake's findings. */
  rows: FindingRow[];
  /** KNOWN-GAP: rows of `rows` the linter does not report yet. */
  missing?: FindingRow[];
}

interface Shape {
  fixture: string;
  layout: string;
  /** KNOWN-GAP: rows reported on the correct project (and on every twin) although nothing is wrong there. */
  falseAlarms?: FindingRow[];
  twins: Twin[];
}


const sameRow = (a: FindingRow, b: FindingRow): boolean => a.every((v, i) => v === b[i]);
/** The engine's report order (compareFindings): file, line, column, rule. */
const byReportOrder = (a: FindingRow, b: FindingRow): number =>
  a[1].localeCompare(b[1]) || a[2] - b[2] || a[3] - b[3] || a[0].localeCompare(b[0]);

/** What the linter reports today: the truth, less the rows it misses, plus its false alarms. */
function rowsToday(rows: FindingRow[], missing: FindingRow[] = [], falseAlarms: FindingRow[] = []): FindingRow[] {
  for (const m of missing) if (!rows.some((r) => sameRow(r, m))) throw new Error(`missing row ${m.join(" ")} is not one of the planted rows`);
  return [...rows.filter((r) => !missing.some((m) => sameRow(m, r))), ...falseAlarms].sort(byReportOrder);
}

const SHAPES: Shape[] = [
  {
    fixture: "shape-tutorial",
    layout: "the Dockerizing-Django tutorial: app/ + nginx/ images, gunicorn on web:8000, absent .env.prod with a committed -sample",
    twins: [
      {
        fixture: "shape-tutorial-broken-alias-slash",
        plants: "alias /home/app/web/staticfiles without the trailing slash of location /static/",
        rows: [["deploy/static-alias", "nginx/nginx.conf", 32, 15]],
      },
      {
        fixture: "shape-tutorial-broken-gunicorn-port",
        plants: "gunicorn binds 0.0.0.0:8080, the upstream still says web:8000",
        rows: [["deploy/socket-drift", "nginx/nginx.conf", 2, 12]],
      },
      {
        fixture: "shape-tutorial-broken-sql-host",
        plants: "SQL_HOST=localhost in .env.prod-sample",
        rows: [["deploy/db-host", ".env.prod-sample", 10, 1]],
      },
      {
        fixture: "shape-tutorial-broken-debug",
        plants: "DEBUG=1 in .env.prod-sample, which also skips the `if not DEBUG:` HTTPS block",
        rows: [
          ["django/csrf-cookie-secure", "app/bookshelf/settings.py", 1, 1],
          ["django/hsts-not-set", "app/bookshelf/settings.py", 1, 1],
          ["django/session-cookie-secure", "app/bookshelf/settings.py", 1, 1],
          ["django/ssl-redirect", "app/bookshelf/settings.py", 1, 1],
          ["django/debug-enabled", "app/bookshelf/settings.py", 15, 1],
        ],
      },
    ],
  },
  {
    fixture: "shape-cookiecutter",
    layout: "cookiecutter-django: docker-compose.production.yml, compose/production/*, .envs/.production/* (git-ignored), django-environ",
    twins: [
      {
        fixture: "shape-cookiecutter-broken-redis-localhost",
        plants: "REDIS_URL=redis://127.0.0.1:6379/0 in .envs/.production/.django",
        rows: [["deploy/cache-host", ".envs/.production/.django", 19, 1]],
      },
      {
        fixture: "shape-cookiecutter-broken-db-name-drift",
        plants: "POSTGRES_DB=lending in .envs/.production/.postgres, DATABASE_URL names lending_library",
        rows: [["deploy/db-credentials-drift", ".envs/.production/.django", 10, 1]],
      },
      {
        fixture: "shape-cookiecutter-broken-env-tracked",
        plants: ".envs/.production/.django committed although .gitignore covers it",
        rows: [["git/env-tracked", ".envs/.production/.django", 1, 1]],
      },
      {
        fixture: "shape-cookiecutter-broken-media-mount",
        plants: "the media volume mounted at /app/media, MEDIA_ROOT is APPS_DIR/media (/app/lending_library/media)",
        rows: [["deploy/media-alias", "compose/production/nginx/default.conf", 27, 15]],
      },
    ],
  },
  {
    fixture: "shape-override",
    layout: "docker-compose.yml (uWSGI, production) + docker-compose.override.yml merged by a plain `docker compose up`",
    twins: [
      {
        fixture: "shape-override-broken-published-postgres",
        plants: "the override publishes postgres on 5432 of every interface",
        rows: [
          ["compose/exposed-backing-port", "docker-compose.override.yml", 7, 9],
          ["compose/override-in-production", "docker-compose.override.yml", 7, 9],
        ],
      },
      {
        fixture: "shape-override-broken-debug",
        plants: "the override sets DJANGO_DEBUG=1",
        rows: [
          ["django/debug-enabled", "catalog/settings.py", 8, 1],
          ["compose/override-in-production", "docker-compose.override.yml", 8, 21],
        ],
      },
    ],
  },
  {
    fixture: "shape-decouple",
    layout: "python-decouple reading a git-ignored .env from the bind-mounted project folder, uWSGI on a shared unix socket",
    twins: [
      {
        fixture: "shape-decouple-broken-debug-no-cast",
        plants: 'DEBUG = config("DEBUG") without cast=bool: the string "False" is truthy',
        rows: [["django/debug-enabled", "readinglist/settings.py", 9, 1]],
      },
      {
        fixture: "shape-decouple-broken-socket-not-shared",
        plants: "uWSGI socket and nginx upstream moved to /tmp/readinglist.sock, which the containers do not share",
        rows: [["deploy/socket-drift", "deploy/nginx/readinglist.conf", 2, 12]],
      },
      {
        fixture: "shape-decouple-broken-env-not-ignored",
        plants: ".env (with the production secrets) present and not in .gitignore",
        rows: [["git/env-not-ignored", ".env", 1, 1]],
      },
    ],
  },
];

const dirs: string[] = [];
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const linted = new Map<string, { result: LintResult; rows: FindingRow[] }>();
function lint(fixture: string): { result: LintResult; rows: FindingRow[] } {
  let entry = linted.get(fixture);
  if (!entry) {
    const { dir, result, rows } = lintFixture(`projects/${fixture}`);
    dirs.push(dir);
    entry = { result, rows };
    linted.set(fixture, entry);
  }
  return entry;
}

function stackPurposes(result: LintResult): [string, string][] {
  return result.model.stacks.map((s) => [s.id, s.purpose.kind]);
}

function stackNamed(result: LintResult, id: string): Stack {
  const stack = result.model.stacks.find((s) => s.id === id);
  if (!stack) throw new Error(`no stack ${id}`);
  return stack;
}

function serviceNamed(stack: Stack, name: string): Service {
  const service = stack.services.find((s) => s.name === name);
  if (!service) throw new Error(`no service ${name} in ${stack.id}`);
  return service;
}

function listeners(service: Service): [string, string, string][] {
  return (service.appServer?.listeners ?? []).map((l) => [describeEndpoint(l.endpoint), l.protocol, `${l.range.file}:${l.range.line}`]);
}

function settingText(service: Service, name: string): string | undefined {
  return pathOrString(service.django?.settings?.values.get(name)?.value);
}

function findingOf(fixture: string, rule: string): Finding {
  const finding = lint(fixture).result.findings.find((f) => f.rule === rule);
  if (!finding) throw new Error(`${fixture}: no ${rule} finding`);
  return finding;
}

function relatedRows(finding: Finding): [string, number, number][] {
  return finding.related.map((r) => [r.range.file, r.range.line, r.range.column]);
}

for (const shape of SHAPES) {
  describe(`fixtures/projects/${shape.fixture}: ${shape.layout}`, () => {
    it("the correct project: no finding from any rule, no parse problem", () => {
      const { result, rows } = lint(shape.fixture);
      expect(result.internalErrors).toEqual([]);
      expect(result.model.problems).toEqual([]);
      expect(rows).toEqual(rowsToday([], [], shape.falseAlarms));
    });

    for (const twin of shape.twins) {
      it(`${twin.fixture}: ${twin.plants}`, () => {
        const { result, rows } = lint(twin.fixture);
        expect(result.internalErrors).toEqual([]);
        expect(result.model.problems).toEqual([]);
        expect(rows).toEqual(rowsToday(twin.rows, twin.missing, shape.falseAlarms));
      });
    }
  });
}

describe("the shapes are understood", () => {
  it("tutorial: docker-compose.prod.yml is production, gunicorn on :8000 from the entrypoint, settings from wsgi.py, env from the -sample template", () => {
    const { result } = lint("shape-tutorial");
    expect(stackPurposes(result)).toEqual([
      ["docker-compose.prod.yml", "production"],
      ["docker-compose.yml", "development"],
    ]);
    const prod = stackNamed(result, "docker-compose.prod.yml");
    const web = serviceNamed(prod, "web");
    expect(web.appServer?.kind).toBe("gunicorn");
    expect(web.appServer?.workingDir).toBe("/home/app/web");
    expect(web.command[0]?.value).toBe("/home/app/web/entrypoint.prod.sh");
    expect(listeners(web)).toEqual([["0.0.0.0:8000", "http", "docker-compose.prod.yml:8"]]);
    expect(web.django?.settingsModule).toMatchObject({ module: "bookshelf.settings", source: "wsgi.py" });
    expect(settingText(web, "STATIC_ROOT")).toBe("/home/app/web/staticfiles");
    expect(settingText(web, "MEDIA_ROOT")).toBe("/home/app/web/mediafiles");
    // .env.prod is git-ignored and absent: its committed template gives the non-secret values.
    expect(web.environment.missingEnvFiles.map((m) => m.path)).toEqual([".env.prod"]);
    expect(web.environment.values.get("DEBUG")).toMatchObject({ value: "0", templateFor: ".env.prod", range: { file: ".env.prod-sample", line: 2 } });
    expect(web.environment.values.get("SECRET_KEY")?.value).toBeUndefined();
    expect(web.django?.settings?.values.get("DEBUG")?.value).toEqual({ kind: "int", value: 0 });
    expect(web.django?.settings?.values.get("SECURE_HSTS_SECONDS")?.value).toEqual({ kind: "int", value: 31536000 });
    expect(web.django?.settings?.values.get("ALLOWED_HOSTS")?.value).toMatchObject({ kind: "list", items: [{ kind: "str", value: "books.example.org" }] });
    const nginx = serviceNamed(prod, "nginx");
    expect([...nginx.roles]).toEqual(["nginx"]);
    expect(nginx.nginx?.entryFiles).toEqual(["nginx/nginx.conf"]);
    const dev = serviceNamed(stackNamed(result, "docker-compose.yml"), "web");
    expect(dev.appServer?.kind).toBe("runserver");
    expect(dev.django?.settings?.values.get("DEBUG")?.value).toEqual({ kind: "int", value: 1 });
  });

  it("cookiecutter: production.yml is production, /entrypoint + /start run gunicorn on :5000, settings module from .envs/.production/.django", () => {
    const { result } = lint("shape-cookiecutter");
    expect(stackPurposes(result)).toEqual([
      ["docker-compose.local.yml", "development"],
      ["docker-compose.production.yml", "production"],
    ]);
    const prod = stackNamed(result, "docker-compose.production.yml");
    const django = serviceNamed(prod, "django");
    expect(django.command.map((w) => w.value)).toEqual(["/entrypoint", "/start"]);
    expect(django.appServer?.kind).toBe("gunicorn");
    expect(django.appServer?.range.file).toBe("compose/production/django/start");
    expect(django.appServer?.application?.value).toBe("config.wsgi");
    expect(listeners(django)).toEqual([["0.0.0.0:5000", "http", "compose/production/django/start:10"]]);
    expect(django.django?.settingsModule).toMatchObject({ module: "config.settings.production", source: "compose", range: { file: ".envs/.production/.django", line: 3 } });
    expect(settingText(django, "STATIC_ROOT")).toBe("/app/staticfiles");
    expect(settingText(django, "MEDIA_ROOT")).toBe("/app/lending_library/media");
    // env.db("DATABASE_URL") and env("REDIS_URL") from the production env files.
    const databases = django.django?.settings?.values.get("DATABASES")?.value;
    expect(databases).toMatchObject({ kind: "dict" });
    const db = databases?.kind === "dict" ? databases.entries.find((e) => e.key.kind === "str" && e.key.value === "default")?.value : undefined;
    const dbEntry = (key: string) => (db?.kind === "dict" ? db.entries.find((e) => e.key.kind === "str" && e.key.value === key)?.value : undefined);
    expect(dbEntry("HOST")).toEqual({ kind: "str", value: "postgres" });
    expect(dbEntry("NAME")).toEqual({ kind: "str", value: "lending_library" });
    expect(django.django?.settings?.values.get("DEBUG")?.value).toEqual({ kind: "bool", value: false });
    const nginx = serviceNamed(prod, "nginx");
    expect(nginx.nginx?.entryFiles).toEqual(["compose/production/nginx/default.conf"]);
    expect([...(nginx.nginx?.upstreams.keys() ?? [])]).toEqual(["django"]);
    const local = serviceNamed(stackNamed(result, "docker-compose.local.yml"), "django");
    expect(local.appServer?.kind).toBe("runserver");
    expect(local.django?.settingsModule).toMatchObject({ module: "config.settings.local", source: "manage.py" });
  });

  it("override: the base file and its override are one production stack; the override's port and bind mount are in it", () => {
    const { result } = lint("shape-override");
    expect(stackPurposes(result)).toEqual([["docker-compose.yml + docker-compose.override.yml", "production"]]);
    const [stack] = result.model.stacks;
    expect(stack?.compose.files).toEqual(["docker-compose.yml", "docker-compose.override.yml"]);
    const web = serviceNamed(stack as Stack, "web");
    expect(web.appServer?.kind).toBe("uwsgi");
    expect(web.appServer?.workingDir).toBe("/srv/catalog");
    expect(listeners(web)).toEqual([["*:8000", "uwsgi", "deploy/uwsgi.ini:7"]]);
    expect(web.compose.ports.map((p) => [p.hostIp, p.published, p.target, p.range.file])).toEqual([["127.0.0.1", "9191", "9191", "docker-compose.override.yml"]]);
    expect(web.filesystem.resolve("/srv/catalog/catalog/settings.py").storage).toMatchObject({ kind: "bind", hostPath: "catalog/settings.py" });
    expect(web.environment.values.get("UWSGI_PY_AUTORELOAD")?.range.file).toBe("docker-compose.override.yml");
    expect(web.django?.settingsModule).toMatchObject({ module: "catalog.settings", source: "compose" });
    expect(settingText(web, "STATIC_ROOT")).toBe("/srv/catalog/static");
    expect(web.django?.settings?.values.get("DEBUG")?.value).toEqual({ kind: "bool", value: false });
    expect(serviceNamed(stack as Stack, "nginx").nginx?.entryFiles).toEqual(["deploy/nginx.conf"]);
  });

  it("decouple: uWSGI on the shared unix socket; settings read the git-ignored .env through .env.example, secrets unknown", () => {
    const { result } = lint("shape-decouple");
    expect(stackPurposes(result)).toEqual([["docker-compose.yml", "production"]]);
    const [stack] = result.model.stacks;
    const web = serviceNamed(stack as Stack, "web");
    expect(web.appServer?.kind).toBe("uwsgi");
    expect(listeners(web)).toEqual([["unix:/run/uwsgi/readinglist.sock", "uwsgi", "deploy/uwsgi.ini:6"]]);
    expect(web.django?.settingsModule).toMatchObject({ module: "readinglist.settings", source: "wsgi.py" });
    expect(settingText(web, "STATIC_ROOT")).toBe("/code/static");
    expect(settingText(web, "MEDIA_ROOT")).toBe("/code/media");
    // .env is absent: decouple's search skips readinglist/ and reads the root .env through its template.
    const value = (name: string) => web.django?.settings?.values.get(name)?.value;
    expect(value("SECRET_KEY")?.kind).toBe("unknown");
    expect(value("DEBUG")).toEqual({ kind: "bool", value: false });
    expect(value("ALLOWED_HOSTS")).toEqual({ kind: "list", items: [{ kind: "str", value: "reading.example.org" }, { kind: "str", value: "www.reading.example.org" }] });
    expect(value("SECURE_SSL_REDIRECT")).toEqual({ kind: "bool", value: true });
    expect(web.django?.settings?.values.get("SECURE_HSTS_PRELOAD")?.value).toEqual({ kind: "bool", value: true });
    const nginx = serviceNamed(stack as Stack, "nginx");
    expect(nginx.nginx?.entryFiles).toEqual(["deploy/nginx/readinglist.conf"]);
    expect(nginx.nginx?.upstreams.get("readinglist")?.servers.map((s) => describeEndpoint(s.endpoint))).toEqual(["unix:/run/uwsgi/readinglist.sock"]);
  });
});

describe("the broken twins' messages", () => {
  it("tutorial DEBUG=1: names the template line and the env_file it stands in for", () => {
    const finding = findingOf("shape-tutorial-broken-debug", "django/debug-enabled");
    expect(finding.message).toContain("DEBUG=1 in .env.prod-sample (line 2), the committed template of .env.prod, which the repository does not hold");
    expect(relatedRows(finding)).toEqual([
      [".env.prod-sample", 2, 1],
      ["docker-compose.prod.yml", 15, 9],
    ]);
  });

  it("cookiecutter POSTGRES_DB drift: both names, both env files, no password", () => {
    const finding = findingOf("shape-cookiecutter-broken-db-name-drift", "deploy/db-credentials-drift");
    expect(finding.message).toContain("'lending_library' vs 'lending'");
    expect(relatedRows(finding)).toContainEqual([".envs/.production/.postgres", 5, 1]);
  });

  it("cookiecutter media mount: MEDIA_ROOT stays in the image, nginx serves the volume", () => {
    const finding = findingOf("shape-cookiecutter-broken-media-mount", "deploy/media-alias");
    expect(finding.message).toContain("MEDIA_ROOT is /app/lending_library/media in service 'django'");
    expect(finding.message).toContain("named volume 'production_django_media'");
    expect(relatedRows(finding)).toEqual([
      ["config/settings/base.py", 92, 1],
      ["docker-compose.production.yml", 42, 9],
    ]);
  });

  it("cookiecutter: no message of any twin prints a production secret", () => {
    const secrets = ["jDebfdupFYjFWrwq7kRNs1J7Yqp830QJ6iKbgSY9AKUceLfeJELTsbxN2IJXrn2r", "0L4S6PcF3gmFFai8uBJwVmxk"];
    const twins = SHAPES.find((s) => s.fixture === "shape-cookiecutter")?.twins ?? [];
    const texts = twins.flatMap((t) => lint(t.fixture).result.findings.flatMap((f) => [f.message, ...f.related.map((r) => r.message)]));
    expect(texts.length).toBeGreaterThan(3);
    for (const secret of secrets) expect(texts.filter((t) => t.includes(secret))).toEqual([]);
  });

  it("override: the published port is reported in the override file that adds it", () => {
    const finding = findingOf("shape-override-broken-published-postgres", "compose/exposed-backing-port");
    expect(finding.message).toContain("PostgreSQL service 'db' publishes container port 5432 on host port 5432");
    expect(finding.stacks).toEqual(["docker-compose.yml + docker-compose.override.yml"]);
  });

  it("decouple socket moved to /tmp: nginx's upstream and uWSGI's socket option in related", () => {
    const finding = findingOf("shape-decouple-broken-socket-not-shared", "deploy/socket-drift");
    expect(finding.message).toContain("unix:/tmp/readinglist.sock");
    expect(finding.message).toContain("the containers do not share it");
    expect(relatedRows(finding)).toEqual([
      ["deploy/nginx/readinglist.conf", 28, 20],
      ["deploy/uwsgi.ini", 6, 10],
    ]);
  });
});
