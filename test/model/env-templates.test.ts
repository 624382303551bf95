import { describe, expect, it } from "vitest";
import { lintProject } from "../../src/lint.js";
import { envFileTemplate } from "../../src/model/service-environment.js";
import { model, project, repoOf, service } from "./helpers.js";

const COMPOSE = "services:\n  web:\n    image: python:3.12\n    working_dir: /code\n    volumes:\n      - .:/code\n    command: gunicorn proj.wsgi --bind 0.0.0.0:8000\n    env_file: .env.prod\n";

describe("env templates stand in for env files the checkout lacks", () => {
  it("finds the template beside the missing file, in the usual spellings", () => {
    expect(envFileTemplate(".env.prod", repoOf({ ".env.prod-sample": "" }))).toBe(".env.prod-sample");
    expect(envFileTemplate("deploy/.env", repoOf({ "deploy/.env.example": "" }))).toBe("deploy/.env.example");
    expect(envFileTemplate(".env", repoOf({ "env.example": "" }))).toBe("env.example");
    expect(envFileTemplate("web.env", repoOf({ "web.env.dist": "" }))).toBe("web.env.dist");
    expect(envFileTemplate("web.env", repoOf({ "web.env_template": "" }))).toBe("web.env_template");
    expect(envFileTemplate(".env.prod", repoOf({ ".env.example": "", "other/.env.prod.example": "" }))).toBeUndefined();
  });

  it("takes non-secret values from the template; secrets and blanks stay unknown; the environment stays incomplete", () => {
    const web = service(
      model({
        "docker-compose.yml": COMPOSE,
        ".env.prod-sample": "DEBUG=0\nALLOWED_HOSTS=\nSECRET_KEY=change-me\nDATABASE_URL=postgres://app:pw@db/app\nPOSTGRES_DB=app\n",
      }),
      "web",
    );
    const values = [...web.environment.values.values()].map((v) => [v.name, v.value, v.range.file, v.range.line, v.templateFor]);
    expect(values).toEqual([
      ["DEBUG", "0", ".env.prod-sample", 1, ".env.prod"],
      ["ALLOWED_HOSTS", undefined, ".env.prod-sample", 2, ".env.prod"],
      ["SECRET_KEY", undefined, ".env.prod-sample", 3, ".env.prod"],
      ["DATABASE_URL", undefined, ".env.prod-sample", 4, ".env.prod"],
      ["POSTGRES_DB", "app", ".env.prod-sample", 5, ".env.prod"],
    ]);
    expect(web.environment.complete).toBe(false);
    expect(web.environment.missingEnvFiles.map((m) => m.path)).toEqual([".env.prod"]);
  });

  it("a finding whose value came from a template says so", () => {
    const root = project({
      "docker-compose.yml": COMPOSE,
      ".env.prod-sample": "DEBUG=1\n",
      "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      "proj/__init__.py": "",
      "proj/wsgi.py": "",
      "proj/settings.py": 'import os\nDEBUG = os.environ.get("DEBUG") == "1"\n',
    });
    const [finding] = lintProject(root, { selection: { select: ["django/debug-enabled"], ignore: [] } }).findings;
    expect(finding?.message).toContain("DEBUG=1 in .env.prod-sample (line 1), the committed template of .env.prod, which the repository does not hold");
    expect(finding?.related.map((r) => [r.range.file, r.range.line, r.message])).toEqual([
      [".env.prod-sample", 1, "DEBUG is set here (env file of service 'web')"],
      ["docker-compose.yml", 8, "env_file gives .env.prod to service 'web'"],
    ]);
  });

  it("a git-ignored env file the settings load themselves is read through its template too, secrets unknown", () => {
    const web = service(
      model({
        "docker-compose.yml": "services:\n  web:\n    image: python:3.12\n    working_dir: /code\n    volumes:\n      - .:/code\n    command: gunicorn proj.wsgi --bind 0.0.0.0:8000\n",
        ".gitignore": ".env\n",
        ".env.example": "DEBUG=1\nSECRET_KEY=change-me\n",
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
        "proj/__init__.py": "",
        "proj/wsgi.py": "",
        "proj/settings.py":
          'import os\nfrom pathlib import Path\nfrom dotenv import load_dotenv\nBASE_DIR = Path(__file__).resolve().parent.parent\nload_dotenv(BASE_DIR / ".env")\nDEBUG = os.environ.get("DEBUG") == "1"\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
      }),
      "web",
    );
    const values = web.django?.settings?.values;
    expect(values?.get("DEBUG")?.value).toEqual({ kind: "bool", value: true });
    expect(values?.get("SECRET_KEY")?.value).toEqual({
      kind: "unknown",
      reason: expect.stringContaining("SECRET_KEY is in ./.env.example, the template of the git-ignored ./.env, without its real value"),
    });
  });
});
