import { describe, expect, it } from "vitest";
import { isEnvFileName, isEnvTemplateName, usedOnlyInDevelopment } from "../../src/model/env-files.js";
import { model, r } from "./helpers.js";

describe("isEnvFileName / isEnvTemplateName", () => {
  // [path, an env file by its name, a template (committed on purpose, no real secrets)]
  it.each<[string, boolean, boolean]>([
    [".env", true, false],
    [".env.prod", true, false],
    [".env.production.local", true, false],
    ["config/.env.production", true, false],
    ["prod.env", true, false],
    ["deploy/web.env", true, false],
    [".envs/.production/.django", true, false],
    [".envs/.local/.postgres", true, false],
    [".env.example", true, true],
    [".env.sample", true, true],
    [".env.dist", true, true],
    [".env.tpl", true, true],
    [".env.defaults", true, true],
    [".env.template", true, true],
    ["example.env", true, true],
    ["TEMPLATE.env", true, true],
    ["env.template", true, true],
    ["prod.env.example", true, true],
    [".env_prod", true, false],
    [".env-example", true, true],
    ["env_file_app", true, false],
    ["env_file_app_template", true, true],
    ["env.py", false, false],
    ["env.d.ts", false, false],
    ["env.yml", false, false],
    [".envrc", false, false],
    ["settings.py", false, false],
    ["environment.yml", false, false],
    ["envs/.prod", false, false],
    [".environment", false, false],
  ])("%s → env file %s, template %s", (path, envFile, template) => {
    expect(isEnvFileName(path)).toBe(envFile);
    expect(isEnvTemplateName(path)).toBe(template);
  });
});

describe("collectEnvFiles (through the model builder)", () => {
  it("lists every env file of the repository and every one compose names, with its users, sorted", () => {
    const m = model({
      ".env": "POSTGRES_PASSWORD=x\nDEBUG=0\n",
      ".env.example": "POSTGRES_PASSWORD=\n",
      "docs/env.template": "A=1\n",
      "settings.py": "",
      "docker-compose.yml": "services:\n  web:\n    image: app\n    env_file:\n      - .env.prod\n      - ../outside.env\n  db:\n    image: postgres:16\n    env_file: .env\n",
    });
    expect(m.envFiles).toEqual([
      {
        file: ".env",
        isTemplate: false,
        exists: true,
        entries: [expect.objectContaining({ name: "POSTGRES_PASSWORD", value: "x" }), expect.objectContaining({ name: "DEBUG", value: "0" })],
        usedBy: [
          // The compose project's .env is read for interpolation.
          { stack: "docker-compose.yml", range: r("docker-compose.yml", 1, 1, 1, 1) },
          { stack: "docker-compose.yml", service: "db", range: r("docker-compose.yml", 9, 15, 9, 19) },
        ],
      },
      { file: ".env.example", isTemplate: true, exists: true, entries: [expect.objectContaining({ name: "POSTGRES_PASSWORD", value: "" })], usedBy: [] },
      { file: ".env.prod", isTemplate: false, exists: false, entries: [], usedBy: [{ stack: "docker-compose.yml", service: "web", range: r("docker-compose.yml", 5, 9, 5, 18) }] },
      { file: "docs/env.template", isTemplate: true, exists: true, entries: [expect.objectContaining({ name: "A", value: "1" })], usedBy: [] },
    ]);
  });
});

describe("usedOnlyInDevelopment", () => {
  const stack = (command: string, envFile: string) =>
    `services:\n  web:\n    image: python:3.12\n    command: ${command}\n    env_file: ${envFile}\n`;
  const m = model({
    "docker-compose.yml": stack("python manage.py runserver 0.0.0.0:8000", ".env.dev"),
    "docker-compose.prod.yml": stack("gunicorn app.wsgi --bind 0.0.0.0:8000", ".env.prod"),
    ".env.dev": "SECRET_KEY=dev\n",
    ".env.prod": "SECRET_KEY=prod\n",
    "docker/env_file_app_ci": "DB_PASSWORD=ci\n",
    "config/app.env": "DB_PASSWORD=x\n",
  });
  const verdict = (file: string) => {
    const envFile = m.envFiles.find((e) => e.file === file);
    if (!envFile) throw new Error(`no env file ${file}`);
    return usedOnlyInDevelopment(m, envFile);
  };

  it("a file only development stacks read is development; one a production stack reads is not", () => {
    expect(verdict(".env.dev")).toBe(true);
    expect(verdict(".env.prod")).toBe(false);
  });

  it("a file no stack reads is development only when its name says so", () => {
    expect(verdict("docker/env_file_app_ci")).toBe(true);
    expect(verdict("config/app.env")).toBe(false);
  });
});

describe("env files the settings load themselves", () => {
  it("are env files of the service whatever their names, used 'via settings' at the read", () => {
    const m = model({
      "docker-compose.yml": "services:\n  web:\n    image: python:3.12\n    working_dir: /code\n    volumes:\n      - .:/code\n    command: gunicorn proj.wsgi --bind 0.0.0.0:8000\n",
      "config/app.secrets": "DB_PASSWORD=hunter22hunter22\n",
      "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      "proj/__init__.py": "",
      "proj/wsgi.py": "",
      "proj/settings.py": 'import os\nfrom dotenv import load_dotenv\nload_dotenv("/code/config/app.secrets")\nPASSWORD = os.environ.get("DB_PASSWORD")\n',
    });
    const envFile = m.envFiles.find((e) => e.file === "config/app.secrets");
    expect(envFile?.usedBy.map((u) => [u.service, u.via, u.range.file, u.range.line])).toEqual([["web", "settings", "proj/settings.py", 4]]);
  });
});
