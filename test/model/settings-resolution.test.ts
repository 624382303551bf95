import { describe, expect, it } from "vitest";
import { settingsModuleFacts } from "../../src/model/settings-resolution.js";
import { model, service } from "./helpers.js";

const SETTINGS = {
  "app/proj/__init__.py": "",
  "app/proj/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.prod")\n',
  "app/proj/settings/__init__.py": "",
  "app/proj/settings/base.py": 'SECRET_KEY = "x"\n',
  "app/proj/settings/prod.py": "from .base import *\nDEBUG = False\n",
  "app/proj/settings/dev.py": "from .base import *\nDEBUG = True\n",
};

function facts(files: Record<string, string>) {
  const m = model({ ...SETTINGS, ...files });
  return settingsModuleFacts(m, service(m, "web"));
}

const compose = (web: string) => `services:\n  web:\n    image: python:3.12\n    working_dir: /app\n    volumes:\n      - ./app:/app\n${web}`;

describe("settings module candidates and facts", () => {
  it("env_file candidates come after the compose environment, the last env file first", () => {
    const f = facts({
      ".env.a": "DJANGO_SETTINGS_MODULE=proj.settings.dev\n",
      ".env.b": "DJANGO_SETTINGS_MODULE=proj.settings.prod\n",
      "docker-compose.yml": compose("    env_file: [.env.a, .env.b]\n    command: gunicorn proj.wsgi\n"),
    });
    expect(f?.chosen).toMatchObject({ module: "proj.settings.prod", source: "compose", range: { file: ".env.b" } });
    expect(f?.app.settingsCandidates.map((c) => [c.source, c.module, c.range?.file])).toEqual([
      ["compose", "proj.settings.prod", ".env.b"],
      ["compose", "proj.settings.dev", ".env.a"],
      ["wsgi.py", "proj.settings.prod", "app/proj/wsgi.py"],
    ]);
    expect(f?.overridden.map((c) => c.range?.file)).toEqual([".env.a", "app/proj/wsgi.py"]);
  });

  it("a start script that exports DJANGO_SETTINGS_MODULE hides the real choice", () => {
    const f = facts({
      "app/start.sh": "#!/bin/sh\nexport DJANGO_SETTINGS_MODULE=proj.settings.prod\nexec gunicorn proj.wsgi\n",
      "docker-compose.yml": compose("    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings.dev\n    command: /app/start.sh\n"),
    });
    expect(f?.hiddenChoice).toBe("the start command sets DJANGO_SETTINGS_MODULE (app/start.sh:2)");
  });

  it("a compose value written with ${…}: hidden when the project's .env is not in the checkout, the default otherwise", () => {
    const web = "    environment:\n      DJANGO_SETTINGS_MODULE: ${DJANGO_SETTINGS_MODULE:-proj.settings.dev}\n    command: gunicorn proj.wsgi\n";
    const withoutEnv = facts({ "docker-compose.yml": compose(web) });
    expect(withoutEnv?.chosen.module).toBe("proj.settings.dev");
    expect(withoutEnv?.app.settingsCandidates[0]?.interpolated).toBe(true);
    expect(withoutEnv?.hiddenChoice).toMatch(/written with \$\{…\} in docker-compose.yml and the project's .env is not in the checkout/);
    const withEnv = facts({ ".env": "OTHER=1\n", "docker-compose.yml": compose(web) });
    expect(withEnv?.chosen.module).toBe("proj.settings.dev");
    expect(withEnv?.hiddenChoice).toBeUndefined();
  });

  it("an env file the checkout lacks may set it over wsgi.py's default", () => {
    const f = facts({ "docker-compose.yml": compose("    env_file: .env.prod\n    command: gunicorn proj.wsgi\n") });
    expect(f?.chosen.source).toBe("wsgi.py");
    expect(f?.hiddenChoice).toMatch(/^DJANGO_SETTINGS_MODULE may come from \.env\.prod/);
  });

  it("wsgi.py changing sys.path makes a missing module unknown", () => {
    const base = { "docker-compose.yml": compose("    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings.production\n    command: gunicorn proj.wsgi\n") };
    expect(facts(base)?.lookup?.kind).toBe("missing-in-package");
    const f = facts({ ...base, "app/proj/wsgi.py": 'import os, sys\nsys.path.append("/srv/extra")\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.prod")\n' });
    expect(f?.app.wsgiSysPathChange).toMatchObject({ file: "app/proj/wsgi.py", line: 2 });
    expect(f?.lookup).toEqual({ kind: "unknown", reason: "wsgi.py changes sys.path (app/proj/wsgi.py:2)" });
  });

  it("an application that does not import hides the settings' own lookup (reported once, by deploy/wsgi-entrypoint)", () => {
    const f = facts({ "docker-compose.yml": compose("    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings.production\n    command: gunicorn proj.wgsi\n") });
    expect(f?.lookup).toEqual({ kind: "unknown", reason: "the app server cannot load its application" });
  });

  it("an empty settings package; one that star-imports a module is not empty", () => {
    const empty = facts({ "docker-compose.yml": compose("    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n    command: gunicorn proj.wsgi\n") });
    expect(empty?.emptyPackage).toEqual({ file: "app/proj/settings/__init__.py", siblings: ["base", "dev", "prod"] });
    const importing = facts({
      "app/proj/settings/__init__.py": "from .prod import *\n",
      "docker-compose.yml": compose("    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n    command: gunicorn proj.wsgi\n"),
    });
    expect(importing?.emptyPackage).toBeUndefined();
  });
});
