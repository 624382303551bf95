import { describe, expect, it } from "vitest";
import type { BuildOptions } from "../../src/model/build-model.js";
import { model, r, service } from "./helpers.js";

interface Layers {
  compose?: boolean;
  composeEnvFile?: boolean;
  uwsgi?: boolean;
  docker?: boolean;
  wsgi?: boolean;
  manage?: boolean;
}

const SETTINGS = ["cli", "compose", "envfile", "uwsgi", "docker", "wsgi", "manage"];

/**
 * One project in which every layer of the chain may name its own settings module
 * (proj.settings.<layer>), each module setting LAYER to its name.
 */
function chain(layers: Layers, options: BuildOptions = {}) {
  const files: Record<string, string> = {
    Dockerfile: `FROM python:3.12\n${layers.docker ? "ENV DJANGO_SETTINGS_MODULE=proj.settings.docker\n" : ""}WORKDIR /code\nCMD ["uwsgi", "--ini", "/code/uwsgi.ini"]\n`,
    "uwsgi.ini": `[uwsgi]\nsocket = :3031\nmodule = proj.wsgi:application\n${layers.uwsgi ? "env = DJANGO_SETTINGS_MODULE=proj.settings.uwsgi\n" : ""}`,
    "manage.py": `import os\nimport sys\n\nif __name__ == "__main__":\n    ${layers.manage ? `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.manage")` : "pass"}\n`,
    "proj/__init__.py": "",
    "proj/wsgi.py": `import os\n${layers.wsgi ? "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.wsgi')" : "pass"}\n`,
    "proj/settings/__init__.py": "",
    ".env.web": layers.composeEnvFile ? "DJANGO_SETTINGS_MODULE=proj.settings.envfile\n" : "OTHER=1\n",
    "docker-compose.yml":
      "services:\n  web:\n    build: .\n    volumes:\n      - .:/code\n    env_file: .env.web\n" +
      (layers.compose ? "    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings.compose\n" : ""),
  };
  for (const name of SETTINGS) files[`proj/settings/${name}.py`] = `LAYER = "${name}"\n`;
  const web = service(model(files, options), "web");
  const layer = web.django?.settings?.values.get("LAYER")?.value;
  return { choice: web.django?.settingsModule, layer: layer?.kind === "str" ? layer.value : undefined };
}

const ALL: Layers = { compose: true, uwsgi: true, docker: true, wsgi: true, manage: true };

describe("settings module: CLI > compose > uWSGI env > Dockerfile ENV > wsgi.py > manage.py", () => {
  it("--settings wins over everything, with no range", () => {
    expect(chain(ALL, { settingsModule: "proj.settings.cli" })).toEqual({ choice: { module: "proj.settings.cli", source: "cli", range: undefined }, layer: "cli" });
  });

  it("compose environment", () => {
    expect(chain(ALL)).toEqual({
      choice: { module: "proj.settings.compose", source: "compose", range: r("docker-compose.yml", 8, 7, 8, 52) },
      layer: "compose",
    });
  });

  it("compose env_file (reported as compose)", () => {
    expect(chain({ ...ALL, compose: false, composeEnvFile: true })).toEqual({
      choice: { module: "proj.settings.envfile", source: "compose", range: r(".env.web", 1, 1, 1, 45) },
      layer: "envfile",
    });
  });

  it("uWSGI env =", () => {
    expect(chain({ ...ALL, compose: false })).toEqual({
      choice: { module: "proj.settings.uwsgi", source: "uwsgi-env", range: r("uwsgi.ini", 4, 7, 4, 49) },
      layer: "uwsgi",
    });
  });

  it("Dockerfile ENV", () => {
    expect(chain({ ...ALL, compose: false, uwsgi: false })).toEqual({
      choice: { module: "proj.settings.docker", source: "dockerfile", range: r("Dockerfile", 2, 5, 2, 48) },
      layer: "docker",
    });
  });

  it("wsgi.py's setdefault (the module the app server loads); the range covers the quoted string", () => {
    expect(chain({ wsgi: true, manage: true })).toEqual({
      choice: { module: "proj.settings.wsgi", source: "wsgi.py", range: r("proj/wsgi.py", 2, 49, 2, 69) },
      layer: "wsgi",
    });
  });

  it("manage.py's setdefault", () => {
    expect(chain({ manage: true })).toEqual({
      choice: { module: "proj.settings.manage", source: "manage.py", range: r("manage.py", 5, 53, 5, 75) },
      layer: "manage",
    });
  });

  it("nothing names one: no settings module, no settings", () => {
    expect(chain({})).toEqual({ choice: undefined, layer: undefined });
  });

  it("DJANGO_SETTINGS_MODULE passed through from the shell (value unknown): unknown, not wsgi.py's default", () => {
    const files: Record<string, string> = {
      Dockerfile: 'FROM python:3.12\nWORKDIR /code\nCMD ["gunicorn", "proj.wsgi", "-b", ":8000"]\n',
      "proj/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
      "proj/settings.py": "DEBUG = False\n",
      "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/code\n    environment:\n      - DJANGO_SETTINGS_MODULE\n",
    };
    const web = service(model(files), "web");
    expect(web.django).toMatchObject({ settingsModule: undefined, settings: undefined });
  });

  it("a module the repository does not have: the choice is kept, the settings are unknown", () => {
    const files: Record<string, string> = {
      Dockerfile: 'FROM python:3.12\nWORKDIR /code\nENV DJANGO_SETTINGS_MODULE=config.prod\nCMD ["gunicorn", "proj.wsgi", "-b", ":8000"]\n',
      "proj/settings.py": "DEBUG = False\n",
      "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/code\n",
    };
    const web = service(model(files), "web");
    expect(web.django?.settingsModule).toEqual({ module: "config.prod", source: "dockerfile", range: r("Dockerfile", 3, 5, 3, 39) });
    expect(web.django?.settings).toBeUndefined();
  });
});

describe("where settings modules are found", () => {
  function found(files: Record<string, string>) {
    const web = service(model(files), "web");
    return web.django?.settings?.modules.map((m) => m.file);
  }

  it("from uWSGI's chdir", () => {
    expect(
      found({
        Dockerfile: 'FROM python:3.12\nWORKDIR /code\nENV DJANGO_SETTINGS_MODULE=proj.settings\nCMD ["uwsgi", "--ini", "/code/uwsgi.ini"]\n',
        "uwsgi.ini": "[uwsgi]\nchdir = /code/src\nsocket = :3031\n",
        "src/proj/settings.py": "DEBUG = False\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/code\n",
      }),
    ).toEqual(["src/proj/settings.py"]);
  });

  it("from the image's WORKDIR, through the mount there", () => {
    expect(
      found({
        Dockerfile: 'FROM python:3.12\nWORKDIR /app\nENV DJANGO_SETTINGS_MODULE=proj.settings\nCMD ["gunicorn", "proj.wsgi", "-b", ":8000"]\n',
        "backend/proj/settings.py": "DEBUG = False\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - ./backend:/app\n",
      }),
    ).toEqual(["backend/proj/settings.py"]);
  });

  it("from the image's WORKDIR, through COPY", () => {
    expect(
      found({
        Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY backend/ /app/\nENV DJANGO_SETTINGS_MODULE=proj.settings\nCMD ["gunicorn", "proj.wsgi", "-b", ":8000"]\n',
        "backend/proj/settings.py": "DEBUG = False\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n",
      }),
    ).toEqual(["backend/proj/settings.py"]);
  });

  it("from the directory of a manage.py the container has", () => {
    expect(
      found({
        Dockerfile: 'FROM python:3.12\nWORKDIR /code\nENV DJANGO_SETTINGS_MODULE=proj.settings\nCMD ["gunicorn", "proj.wsgi", "-b", ":8000"]\n',
        "backend/manage.py": "",
        "backend/proj/settings.py": "DEBUG = False\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/code\n",
      }),
    ).toEqual(["backend/proj/settings.py"]);
  });

  it("a settings package (settings/__init__.py) is preferred over settings.py, as Python does", () => {
    const web = service(
      model({
        Dockerfile: 'FROM python:3.12\nWORKDIR /code\nENV DJANGO_SETTINGS_MODULE=proj.settings\nCMD ["gunicorn", "proj.wsgi", "-b", ":8000"]\n',
        "proj/settings.py": "WHICH = 'module'\n",
        "proj/settings/__init__.py": "WHICH = 'package'\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/code\n",
      }),
      "web",
    );
    expect(web.django?.settings?.file).toBe("proj/settings/__init__.py");
    expect(web.django?.settings?.values.get("WHICH")?.value).toEqual({ kind: "str", value: "package" });
  });

  it("evaluates the settings with the service's environment", () => {
    const web = service(
      model({
        Dockerfile: 'FROM python:3.12\nWORKDIR /code\nENV DJANGO_SETTINGS_MODULE=proj.settings\nCMD ["gunicorn", "proj.wsgi", "-b", ":8000"]\n',
        "proj/settings.py": "import os\nDEBUG = os.environ.get('DEBUG', '0') == '1'\nHOSTS = os.environ['HOSTS'].split(',')\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/code\n    environment:\n      DEBUG: '1'\n      HOSTS: a.example.com,b.example.com\n",
      }),
      "web",
    );
    expect(web.django?.settings?.values.get("DEBUG")?.value).toEqual({ kind: "bool", value: true });
    expect(web.django?.settings?.values.get("HOSTS")?.value).toEqual({
      kind: "list",
      items: [
        { kind: "str", value: "a.example.com" },
        { kind: "str", value: "b.example.com" },
      ],
    });
  });
});

describe("settings module named by wsgi.py", () => {
  it("ignores a commented-out setdefault", () => {
    const web = service(
      model({
        Dockerfile: 'FROM python:3.12\nWORKDIR /code\nCMD ["uwsgi", "--socket", ":3031", "--module", "proj.wsgi:application"]\n',
        "proj/__init__.py": "",
        "proj/wsgi.py": "import os\n# os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.dev')\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.prod')\n",
        "proj/settings/__init__.py": "",
        "proj/settings/dev.py": "DEBUG = True\n",
        "proj/settings/prod.py": "DEBUG = False\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - .:/code\n",
      }),
      "web",
    );
    expect(web.django?.settingsModule).toEqual({ module: "proj.settings.prod", source: "wsgi.py", range: r("proj/wsgi.py", 3, 49, 3, 69) });
  });
});
