import { describe, expect, it } from "vitest";
import type { DeploymentModel } from "../../src/model/deployment-model.js";
import { appServerSysPath, findModule, type ModuleLookup } from "../../src/model/python-path.js";
import { resolveWsgiEntrypoint } from "../../src/model/wsgi-resolution.js";
import { model, service } from "./helpers.js";

const PROJECT = {
  "app/proj/__init__.py": "",
  "app/proj/wsgi.py": "application = None\n",
  "app/proj/settings.py": 'WSGI_APPLICATION = "proj.wsgi.application"\n',
  "app/manage.py": "",
};

function compose(web: string): string {
  return `services:\n  web:\n${web}`;
}

function lookup(m: DeploymentModel, dotted: string, name = "web"): ModuleLookup | undefined {
  const web = service(m, name);
  const sysPath = appServerSysPath(web);
  return sysPath ? findModule(m, web, sysPath, dotted) : undefined;
}

function kindOf(l: ModuleLookup | undefined): string | undefined {
  if (!l) return undefined;
  return l.kind === "unknown" ? `unknown: ${l.reason}` : l.kind;
}

const DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY app/ /app/\n";

describe("the app server's sys.path", () => {
  it("gunicorn: --pythonpath entries first, then --chdir; each with the line that set it", () => {
    const m = model({ ...PROJECT, Dockerfile: DOCKERFILE, "docker-compose.yml": compose("    build: .\n    command: gunicorn --chdir /app --pythonpath /app/lib,vendor proj.wsgi\n") });
    const sysPath = appServerSysPath(service(m, "web"));
    expect(sysPath?.roots.map((r) => [r.dir, r.reason, r.range?.line])).toEqual([
      ["/app/lib", "gunicorn --pythonpath", 4],
      ["/app/vendor", "gunicorn --pythonpath", 4],
      ["/app", "gunicorn --chdir", 4],
    ]);
    expect(sysPath?.unknown).toBeUndefined();
  });

  it("the image's WORKDIR, compose working_dir over it, and PYTHONPATH entries", () => {
    const m = model({
      ...PROJECT,
      Dockerfile: "FROM python:3.12-slim\nWORKDIR /srv\nENV PYTHONPATH=/app:/opt/lib\nCOPY app/ /app/\n",
      "docker-compose.yml": compose("    build: .\n    working_dir: /app\n    command: gunicorn proj.wsgi\n"),
    });
    expect(appServerSysPath(service(m, "web"))?.roots.map((r) => [r.dir, r.reason])).toEqual([
      ["/app", "compose working_dir"],
      ["/opt/lib", "PYTHONPATH"],
    ]);
    expect(kindOf(lookup(m, "proj.wsgi"))).toBe("found");
  });

  it("uWSGI: chdir and pythonpath options (relative to chdir)", () => {
    const m = model({
      ...PROJECT,
      "uwsgi.ini": "[uwsgi]\nchdir = /app\npythonpath = lib\nmodule = proj.wsgi\nsocket = :3031\n",
      Dockerfile: `${DOCKERFILE}COPY uwsgi.ini /etc/uwsgi.ini\nCMD ["uwsgi", "--ini", "/etc/uwsgi.ini"]\n`,
      "docker-compose.yml": compose("    build: .\n"),
    });
    expect(appServerSysPath(service(m, "web"))?.roots.map((r) => [r.dir, r.reason, r.range?.file])).toEqual([
      ["/app/lib", "uWSGI pythonpath", "uwsgi.ini"],
      ["/app", "uWSGI chdir", "uwsgi.ini"],
    ]);
  });

  it("runserver has none (manage.py puts its own folder first)", () => {
    const m = model({ ...PROJECT, Dockerfile: DOCKERFILE, "docker-compose.yml": compose("    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n") });
    expect(appServerSysPath(service(m, "web"))).toBeUndefined();
  });
});

describe("findModule: found, missing, or unknown", () => {
  const gunicorn = (command: string, extra: Record<string, string> = {}, web = "    build: .\n") =>
    model({ ...PROJECT, Dockerfile: DOCKERFILE, ...extra, "docker-compose.yml": compose(`${web}    command: ${command}\n`) });

  it("found through the image's COPY", () => {
    expect(lookup(gunicorn("gunicorn proj.wsgi"), "proj.wsgi")).toMatchObject({ kind: "found", containerPath: "/app/proj/wsgi.py", repoFile: "app/proj/wsgi.py" });
  });

  it("a submodule the package does not have is missing", () => {
    expect(lookup(gunicorn("gunicorn proj.wsgi"), "proj.wgsi")).toMatchObject({ kind: "missing-in-package", packageDir: "/app/proj" });
  });

  it("a package that is in the repository but not on sys.path is not-on-path, with its container path", () => {
    const l = lookup(gunicorn("gunicorn --chdir /app/proj proj.wsgi"), "proj.wsgi");
    expect(l).toEqual({ kind: "not-on-path", elsewhere: [{ repoFile: "app/proj/wsgi.py", containerPath: "/app/proj/wsgi.py" }] });
  });

  it("a package the repository does not have at all may be installed: unknown", () => {
    expect(kindOf(lookup(gunicorn("gunicorn proj.wsgi"), "otherproj.wsgi"))).toMatch(/^unknown: no 'otherproj' package in the repository/);
  });

  it("a start command that changes directory makes it unknown", () => {
    expect(kindOf(lookup(gunicorn('sh -c "cd /srv && gunicorn proj.wsgi"'), "proj.wgsi"))).toMatch(/^unknown: the start command changes directory \(cd \/srv/);
  });

  it("a script that exports PYTHONPATH makes it unknown", () => {
    const m = gunicorn("/app/start.sh", { "app/start.sh": "#!/bin/sh\nexport PYTHONPATH=/opt/code\nexec gunicorn proj.wsgi\n" });
    expect(kindOf(lookup(m, "proj.wgsi"))).toMatch(/^unknown: the start command sets PYTHONPATH \(app\/start.sh:2\)/);
  });

  it("PYTHONPATH set at deploy time, or possibly in an env file the checkout lacks, makes it unknown", () => {
    expect(kindOf(lookup(gunicorn("gunicorn proj.wsgi", {}, "    build: .\n    environment:\n      - PYTHONPATH\n"), "proj.wgsi"))).toMatch(/^unknown: PYTHONPATH is set at deploy time/);
    expect(kindOf(lookup(gunicorn("gunicorn proj.wsgi", {}, "    build: .\n    env_file: .env.prod\n"), "proj.wgsi"))).toMatch(/^unknown: PYTHONPATH may come from \.env\.prod/);
  });

  it("UWSGI_* variables are uWSGI options: unknown", () => {
    const m = model({
      ...PROJECT,
      "uwsgi.ini": "[uwsgi]\nchdir = /app\nmodule = proj.wsgi\nsocket = :3031\n",
      Dockerfile: `${DOCKERFILE}ENV UWSGI_CHDIR=/srv\nCMD ["uwsgi", "--ini", "/app/uwsgi.ini"]\n`,
      "docker-compose.yml": compose("    build: .\n    volumes:\n      - ./uwsgi.ini:/app/uwsgi.ini\n"),
    });
    expect(kindOf(lookup(m, "proj.wgsi"))).toBe("unknown: uWSGI reads UWSGI_CHDIR from the environment as an option");
  });

  it("pip install . may put the project into site-packages: a package not on sys.path is unknown, a missing submodule still missing", () => {
    const m = model({
      ...PROJECT,
      Dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY app/ /app/\nRUN pip install --no-cache-dir .\n",
      "docker-compose.yml": compose("    build: .\n    command: gunicorn --chdir /srv proj.wsgi\n"),
    });
    expect(kindOf(lookup(m, "proj.wsgi"))).toMatch(/^unknown: the image installs \. with pip/);
    const m2 = model({
      ...PROJECT,
      Dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY app/ /app/\nRUN pip install --no-cache-dir -e .\n",
      "docker-compose.yml": compose("    build: .\n    command: gunicorn proj.wsgi\n"),
    });
    expect(kindOf(lookup(m2, "proj.wgsi"))).toBe("missing-in-package");
  });

  it("a sys.path directory on a named volume, or only in the base image, is unknown", () => {
    expect(kindOf(lookup(gunicorn("gunicorn --chdir /app/proj proj.wsgi", {}, "    build: .\n    volumes:\n      - code:/app/proj\n"), "proj.wsgi"))).toMatch(/^unknown: \/app\/proj is on named volume 'code'/);
    const m = model({ ...PROJECT, Dockerfile: "FROM python:3.12-slim\nWORKDIR /code\nCOPY app/ /app/\n", "docker-compose.yml": compose("    build: .\n    command: gunicorn proj.wsgi\n") });
    expect(kindOf(lookup(m, "proj.wsgi"))).toMatch(/^unknown: \/code holds what the base image or a RUN puts there/);
  });

  it("a COPY with a glob or URL source may put the module there: unknown", () => {
    const m = model({
      ...PROJECT,
      "extra/wsgi_prod.py": "",
      Dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY app/ /app/\nCOPY extra/*.py /app/proj/\n",
      "docker-compose.yml": compose("    build: .\n    command: gunicorn proj.wsgi_prod\n"),
    });
    expect(kindOf(lookup(m, "proj.wsgi_prod"))).toMatch(/^unknown: COPY extra\/\*\.py \(Dockerfile:4\) may put it at \/app\/proj\/wsgi_prod.py/);
  });

  it("a git-ignored module exists where the service is deployed: unknown", () => {
    const m = gunicorn("gunicorn proj.wsgi", { ".gitignore": "app/proj/local_settings.py\n" }, "    build: .\n    volumes:\n      - ./app:/app\n");
    expect(kindOf(lookup(m, "proj.local_settings"))).toMatch(/^unknown: app\/proj\/local_settings.py is git-ignored/);
  });

  it("a bind mount of the code: found through it", () => {
    const m = model({ ...PROJECT, "docker-compose.yml": compose("    image: python:3.12\n    working_dir: /code\n    volumes:\n      - ./app:/code\n    command: gunicorn proj.wsgi\n") });
    expect(lookup(m, "proj.wsgi")).toMatchObject({ kind: "found", repoFile: "app/proj/wsgi.py", containerPath: "/code/proj/wsgi.py" });
  });
});

describe("resolveWsgiEntrypoint", () => {
  const project = (command: string, settings = PROJECT["app/proj/settings.py"], extra: Record<string, string> = {}) =>
    model({
      ...PROJECT,
      ...extra,
      "app/proj/settings.py": settings,
      Dockerfile: DOCKERFILE,
      "docker-compose.yml": compose(`    build: .\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n    command: ${command}\n`),
    });
  const resolve = (m: DeploymentModel) => resolveWsgiEntrypoint(m, service(m, "web"));

  it("gunicorn's module without a callable loads `application`: agrees with WSGI_APPLICATION", () => {
    const r = resolve(project("gunicorn proj.wsgi --bind 0.0.0.0:8000"));
    expect(r?.target).toEqual({ module: "proj.wsgi", file: undefined, attribute: "application" });
    expect(r?.setting).toMatchObject({ name: "WSGI_APPLICATION", value: "proj.wsgi.application", agrees: true });
  });

  it("another callable in the same module disagrees", () => {
    expect(resolve(project("gunicorn proj.wsgi:app"))?.setting?.agrees).toBe(false);
  });

  it("a factory call is not compared (WSGI_APPLICATION cannot name a call)", () => {
    const r = resolve(project("gunicorn 'proj.wsgi:create_app()'"));
    expect(r?.lookup.kind).toBe("found");
    expect(r?.target.attribute).toBeUndefined();
    expect(r?.setting).toBeUndefined();
  });

  it("ASGI servers compare with ASGI_APPLICATION, and say nothing without it", () => {
    const asgi = { "app/proj/asgi.py": "application = None\n" };
    const withSetting = project("uvicorn proj.asgi:application --host 0.0.0.0", 'WSGI_APPLICATION = "proj.wsgi.application"\nASGI_APPLICATION = "proj.asgi.application"\n', asgi);
    expect(resolve(withSetting)?.setting).toMatchObject({ name: "ASGI_APPLICATION", agrees: true });
    expect(resolve(project("daphne proj.asgi:application -b 0.0.0.0", undefined, asgi))?.setting).toBeUndefined();
  });

  it("WSGI_APPLICATION naming a module that is not there disagrees", () => {
    const r = resolve(project("gunicorn proj.wsgi", 'WSGI_APPLICATION = "proj.wsgi_old.application"\n'));
    expect(r?.setting).toMatchObject({ agrees: false, lookup: { kind: "missing-in-package" } });
  });

  it("an application from a shell variable is not resolved; compose's default value is", () => {
    expect(resolve(project('sh -c "gunicorn $APP_MODULE"'))).toBeUndefined();
    expect(resolve(project("gunicorn ${APP_MODULE:-proj.wsgi}"))?.lookup).toMatchObject({ kind: "found", repoFile: "app/proj/wsgi.py" });
  });
});
