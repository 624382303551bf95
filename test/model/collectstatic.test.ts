import { describe, expect, it } from "vitest";
import { findCollectstaticMentions } from "../../src/model/collectstatic.js";
import { model, project, service } from "./helpers.js";

const SETTINGS = 'STATIC_URL = "/static/"\nSTATIC_ROOT = "/app/static"\n';

/** A one-service project: `web` built from `dockerfile`, with extra compose lines and files. */
function web(dockerfile: string, composeExtra = "", files: Record<string, string> = {}) {
  const m = model({
    "docker-compose.yml": `services:\n  web:\n    build: .\n${composeExtra}`,
    Dockerfile: dockerfile,
    "app/manage.py": "",
    "app/proj/settings.py": SETTINGS,
    ...files,
  });
  const s = service(m, "web");
  return { runs: s.collectstatic.runs.map((r) => [r.when, r.range.file, r.range.line, r.range.column]), unknown: s.collectstatic.unknown };
}

describe("findCollectstatic: image builds", () => {
  it("a RUN of the final stage, shell form with assignments and options", () => {
    const dockerfile = "FROM python:3.12\nWORKDIR /app\nCOPY app/ /app/\nRUN pip install -r req.txt\nRUN SECRET_KEY=x python manage.py collectstatic --noinput --clear\nCMD [\"gunicorn\", \"proj.wsgi\"]\n";
    expect(web(dockerfile)).toEqual({ runs: [["build", "Dockerfile", 5, 1]], unknown: undefined });
  });

  it("exec form, django-admin, options before the subcommand, && chains, line continuations", () => {
    const dockerfile = [
      "FROM python:3.12",
      'RUN ["python", "manage.py", "collectstatic", "--noinput"]',
      "RUN django-admin collectstatic --noinput",
      "RUN python manage.py --settings=proj.settings.build collectstatic",
      "RUN cd /app && \\",
      "    python -m django collectstatic --noinput",
      'CMD ["gunicorn", "proj.wsgi"]',
      "",
    ].join("\n");
    expect(web(dockerfile).runs).toEqual([
      ["build", "Dockerfile", 2, 1],
      ["build", "Dockerfile", 3, 1],
      ["build", "Dockerfile", 4, 1],
      ["build", "Dockerfile", 5, 1],
    ]);
  });

  it("a stage the image is built FROM or COPYs from counts; an unrelated stage does not", () => {
    const dockerfile = [
      "FROM python:3.12 AS base",
      "RUN python manage.py collectstatic --noinput",
      "FROM python:3.12 AS assets",
      "RUN python manage.py collectstatic --noinput",
      "FROM python:3.12 AS docs",
      "RUN python manage.py collectstatic --noinput",
      "FROM base",
      "COPY --from=assets /app/static /app/static",
      'CMD ["gunicorn", "proj.wsgi"]',
      "",
    ].join("\n");
    expect(web(dockerfile).runs).toEqual([
      ["build", "Dockerfile", 2, 1],
      ["build", "Dockerfile", 4, 1],
    ]);
  });

  it("mentions of the word elsewhere in a RUN are not runs", () => {
    const dockerfile = 'FROM python:3.12\nRUN echo "run collectstatic later"\nCMD ["gunicorn", "proj.wsgi"]\n';
    expect(web(dockerfile).runs).toEqual([]);
  });
});

describe("findCollectstatic: container start", () => {
  it("the compose command, through sh -c, at the collectstatic word", () => {
    const command = `    command: sh -c "python manage.py collectstatic --noinput && exec gunicorn proj.wsgi"\n`;
    expect(web('FROM python:3.12\nCMD ["gunicorn", "proj.wsgi"]\n', command)).toEqual({ runs: [["start", "docker-compose.yml", 4, 38]], unknown: undefined });
  });

  it("an entrypoint script the image runs, also in an if branch", () => {
    const dockerfile = 'FROM python:3.12\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["gunicorn", "proj.wsgi"]\n';
    const script = '#!/bin/sh\nif [ "$COLLECT" = 1 ]; then\n  python manage.py collectstatic --noinput\nfi\nexec "$@"\n';
    expect(web(dockerfile, "", { "entrypoint.sh": script })).toEqual({ runs: [["start", "entrypoint.sh", 3, 20]], unknown: undefined });
  });
});

describe("findCollectstatic: what we cannot see", () => {
  it("a pulled image", () => {
    const m = model({ "docker-compose.yml": "services:\n  web:\n    image: registry.example.org/shop:1.2\n" });
    expect(service(m, "web").collectstatic).toEqual({ runs: [], unknown: "it runs image 'registry.example.org/shop:1.2', built outside the repository" });
  });

  it("a non-stock base image without an ENTRYPOINT of our own (it may bring one)", () => {
    expect(web('FROM tiangolo/uwsgi-nginx:python3.11\nCMD ["uwsgi", "--ini", "/app/uwsgi.ini"]\n').unknown).toBe(
      "its base image 'tiangolo/uwsgi-nginx:python3.11' may have an ENTRYPOINT of its own",
    );
    // Our own ENTRYPOINT replaces the base image's.
    expect(web('FROM tiangolo/uwsgi-nginx:python3.11\nENTRYPOINT ["uwsgi"]\nCMD ["--ini", "/app/uwsgi.ini"]\n').unknown).toBeUndefined();
    // Official images start no Django command; stages built FROM them neither.
    expect(web('FROM python:3.12-slim AS base\nFROM base\nCMD ["gunicorn", "proj.wsgi"]\n').unknown).toBeUndefined();
  });

  it("a command that comes from the base image", () => {
    expect(web("FROM python:3.12\nRUN pip install gunicorn\n").unknown).toBe("its command comes from the base image");
  });

  it("a script that is not in the repository; a virtualenv's activate script is harmless", () => {
    expect(web('FROM python:3.12\nCMD ["/opt/start.sh"]\n').unknown).toBe("it runs /opt/start.sh (Dockerfile:2), which is not in the repository");
    expect(web('FROM python:3.12\nCMD ["sh", "-c", ". /venv/bin/activate && exec gunicorn proj.wsgi"]\n').unknown).toBeUndefined();
  });
});

describe("findCollectstaticMentions", () => {
  it("finds the first mention per candidate file, skips translations and binaries quietly", () => {
    const files = {
      "README.md": "# Shop\n\nDeploy:\n    docker compose exec web ./manage.py collectstatic\n",
      "Makefile": "static:\n\tpython manage.py collectstatic --noinput\n\techo collectstatic\n",
      "locale/de/LC_MESSAGES/django.po": 'msgid "collectstatic"\n',
      "docs/notes.txt": "nothing here\n",
      "deploy/run.sh": "binary\u0000collectstatic",
      "shop/management/commands/deploy.py": 'call_command("collectstatic", interactive=False)\n',
      "notcollectstatic.md": "collectstaticx\n",
    };
    const root = project(files);
    expect(findCollectstaticMentions(root, Object.keys(files).sort()).map((m) => [m.file, m.line, m.column, m.endColumn])).toEqual([
      ["Makefile", 2, 19, 32],
      ["README.md", 4, 41, 54],
      ["shop/management/commands/deploy.py", 1, 15, 28],
    ]);
  });
});
