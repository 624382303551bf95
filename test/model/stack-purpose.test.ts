import { describe, expect, it } from "vitest";
import { lintProject } from "../../src/lint.js";
import { formatJson } from "../../src/report/json.js";
import { formatText } from "../../src/report/text.js";
import { model, project } from "./helpers.js";

const RUNSERVER = "    command: python manage.py runserver 0.0.0.0:8000\n";
const GUNICORN = "    command: gunicorn proj.wsgi:application --bind 0.0.0.0:8000\n";

function stackFile(command: string): string {
  return `services:\n  web:\n    image: python:3.12\n    working_dir: /code\n    volumes:\n      - .:/code\n${command}`;
}

/** [stack id, purpose, reason] for each stack of a project. */
function purposes(files: Record<string, string>, composeFiles?: string[]): [string, string, string][] {
  const m = model(files, composeFiles ? { composeFiles } : {});
  return m.stacks.map((s) => [s.id, s.purpose.kind, s.purpose.reason]);
}

describe("which stacks are production", () => {
  it("file names win: local.yml is development, production.yml production, whatever they run", () => {
    expect(purposes({ "local.yml": stackFile(GUNICORN), "production.yml": stackFile(RUNSERVER) })).toEqual([
      ["local.yml", "development", "its file names say 'local'"],
      ["production.yml", "production", "its file names say 'production'"],
    ]);
  });

  it("folder names count too, and a development word beats a production one", () => {
    expect(purposes({ "compose/dev/docker-compose.yml": stackFile(GUNICORN), "deploy/docker-compose.yml": stackFile(RUNSERVER) })).toEqual([
      ["compose/dev/docker-compose.yml", "development", "its file names say 'dev'"],
      ["deploy/docker-compose.yml", "production", "its file names say 'deploy'"],
    ]);
    expect(purposes({ "docker-compose.prod.test.yml": stackFile(GUNICORN) })).toEqual([["docker-compose.prod.test.yml", "development", "its file names say 'test'"]]);
  });

  it("runserver beside a production stack is development; the override's name does not make the base one development", () => {
    expect(
      purposes({
        "docker-compose.yml": stackFile(RUNSERVER),
        "docker-compose.override.yml": "services:\n  web:\n    environment:\n      DEBUG: '1'\n",
        "docker-compose.prod.yml": stackFile(GUNICORN),
      }),
    ).toEqual([
      ["docker-compose.prod.yml", "production", "its file names say 'prod'"],
      ["docker-compose.yml + docker-compose.override.yml", "development", "service 'web' runs manage.py runserver and another stack is production"],
    ]);
  });

  it("an override that turns the stack into runserver: production is the base file alone (docker compose -f docker-compose.yml)", () => {
    const override = "services:\n  web:\n    command: python manage.py runserver 0.0.0.0:8000\n";
    expect(purposes({ "docker-compose.yml": stackFile(GUNICORN), "docker-compose.override.yml": override })).toEqual([
      ["docker-compose.yml + docker-compose.override.yml", "development", "service 'web' runs manage.py runserver and another stack is production"],
      ["docker-compose.yml", "production", "service 'web' runs gunicorn"],
    ]);
    // A benign override keeps one stack: what `docker compose up` runs.
    const benign = "services:\n  web:\n    environment:\n      LOG_LEVEL: debug\n";
    expect(purposes({ "docker-compose.yml": stackFile(GUNICORN), "docker-compose.override.yml": benign })).toEqual([
      ["docker-compose.yml + docker-compose.override.yml", "production", "service 'web' runs gunicorn"],
    ]);
  });

  it("an app server that is not runserver makes an unnamed stack production", () => {
    expect(purposes({ "docker-compose.yml": stackFile(GUNICORN), "docker-compose.dev.yml": stackFile(RUNSERVER) })).toEqual([
      ["docker-compose.dev.yml", "development", "its file names say 'dev'"],
      ["docker-compose.yml", "production", "service 'web' runs gunicorn"],
    ]);
  });

  it("a repository's only stack is its deployment, even with runserver", () => {
    expect(purposes({ "docker-compose.yml": stackFile(RUNSERVER) })).toEqual([["docker-compose.yml", "production", "the repository's only stack"]]);
  });

  it("a stack chosen with --compose is production, whatever its name", () => {
    const root = project({ "local.yml": stackFile(RUNSERVER) });
    const m = lintProject(root, { composeFiles: ["local.yml"], cwd: root }).model;
    expect(m.stacks.map((s) => [s.id, s.purpose.kind, s.purpose.reason])).toEqual([["local.yml", "production", "chosen with --compose"]]);
  });
});

describe("findings of development stacks", () => {
  const SETTINGS = {
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    "proj/__init__.py": "",
    "proj/wsgi.py": "",
    "proj/settings.py": 'import os\nDEBUG = os.environ.get("DEBUG") == "1"\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
  };
  const dev = (debug: string) => `${stackFile(RUNSERVER)}    environment:\n      DEBUG: "${debug}"\n      SECRET_KEY: \${SECRET_KEY}\n`;
  const prod = (debug: string) => `${stackFile(GUNICORN)}    environment:\n      DEBUG: "${debug}"\n      SECRET_KEY: \${SECRET_KEY}\n`;
  const select = { selection: { select: ["django/debug-enabled"], ignore: [] } };

  it("are not reported: DEBUG=1 in docker-compose.dev.yml is the developer's business", () => {
    const root = project({ ...SETTINGS, "docker-compose.dev.yml": dev("1"), "docker-compose.prod.yml": prod("0") });
    expect(lintProject(root, select).findings).toEqual([]);
  });

  it("a production stack's finding names its stack; one settings file in two production stacks is reported once, naming both", () => {
    // Both stacks hand the same env file to the service: the same message from one settings line.
    const shared = `${stackFile(GUNICORN)}    env_file: web.env\n`;
    const root = project({ ...SETTINGS, "web.env": "DEBUG=1\nSECRET_KEY=x\n", "docker-compose.yml": shared, "docker-compose.prod.yml": shared });
    const result = lintProject(root, select);
    expect(result.findings.map((f) => [f.rule, f.range.file, f.range.line, f.stacks])).toEqual([
      ["django/debug-enabled", "proj/settings.py", 2, ["docker-compose.prod.yml", "docker-compose.yml"]],
    ]);
    const report = { root, findings: result.findings };
    expect(JSON.parse(formatJson(report)).findings[0].stacks).toEqual(["docker-compose.prod.yml", "docker-compose.yml"]);
    expect(formatText(report).split("\n")[0]).toMatch(/\(stack docker-compose\.prod\.yml, docker-compose\.yml\)$/);
  });

  it("the text report names stacks only when findings come from more than one", () => {
    const root = project({ ...SETTINGS, "docker-compose.yml": prod("1") });
    const result = lintProject(root, select);
    expect(result.findings.map((f) => f.stacks)).toEqual([["docker-compose.yml"]]);
    expect(formatText({ root, findings: result.findings })).not.toContain("(stack ");
  });
});
