import { describe, expect, it } from "vitest";
import { staticCollection } from "../../src/model/static-collection.js";
import { model } from "./helpers.js";

const SETTINGS = 'SECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.admin", "django.contrib.staticfiles"]\nSTATIC_URL = "/static/"\nSTATIC_ROOT = "/app/static"\n';
const CONF = "server {\n    listen 80;\n    location /static/ {\n        alias /app/static/;\n    }\n    location / {\n        proxy_pass http://web:8000;\n    }\n}\n";

/** web (the Dockerfile given) and nginx:1.27, both mounting `mount` at /app/static. */
function verdicts(dockerfile: string, mount: string, files: Record<string, string> = {}, webExtra = "") {
  const m = model({
    "docker-compose.yml": [
      "services:",
      "  web:",
      "    build: .",
      "    environment:",
      "      DJANGO_SETTINGS_MODULE: proj.settings",
      "    volumes:",
      `      - ${mount}:/app/static`,
      webExtra,
      "  nginx:",
      "    image: nginx:1.27",
      "    volumes:",
      "      - ./site.conf:/etc/nginx/conf.d/default.conf:ro",
      `      - ${mount}:/app/static:ro`,
      "volumes:",
      "  static:",
      "",
    ].join("\n"),
    Dockerfile: dockerfile,
    "app/manage.py": "",
    "app/proj/__init__.py": "",
    "app/proj/wsgi.py": "",
    "app/proj/settings.py": SETTINGS,
    "site.conf": CONF,
    ...files,
  });
  const stack = m.stacks[0];
  return stack ? staticCollection(stack, m.collectstaticMentions).map((c) => [c.nginx.name, c.app.name, c.directory, c.verdict.kind]) : [];
}

const PLAIN = 'FROM python:3.12\nWORKDIR /app\nCOPY app/ /app/\nCMD ["gunicorn", "proj.wsgi", "--bind", "0.0.0.0:8000"]\n';
const BUILD = 'FROM python:3.12\nWORKDIR /app\nCOPY app/ /app/\nRUN python manage.py collectstatic --noinput\nCMD ["gunicorn", "proj.wsgi", "--bind", "0.0.0.0:8000"]\n';

describe("staticCollection", () => {
  it("never: nothing runs or mentions collectstatic (named volume or host directory)", () => {
    expect(verdicts(PLAIN, "static")).toEqual([["nginx", "web", "/app/static", "never"]]);
    expect(verdicts(PLAIN, "./static")).toEqual([["nginx", "web", "/app/static", "never"]]);
  });

  it("build-only on a named volume; on a host directory the build's files never show, but a manual run may fill it", () => {
    expect(verdicts(BUILD, "static")).toEqual([["nginx", "web", "/app/static", "build-only-volume"]]);
    expect(verdicts(BUILD, "./static")).toEqual([["nginx", "web", "/app/static", "collected"]]);
  });

  it("a README that runs it by hand, or a worker of the same image with an unreadable script: unknown", () => {
    expect(verdicts(PLAIN, "static", { "README.md": "Then run `docker compose exec web python manage.py collectstatic`.\n" })).toEqual([
      ["nginx", "web", "/app/static", "unknown"],
    ]);
    const worker = "  worker:\n    build: .\n    command: /opt/run-worker.sh\n";
    expect(verdicts(PLAIN, "static", {}, worker)).toEqual([["nginx", "web", "/app/static", "unknown"]]);
  });

  it("files the repository puts in the served directory (collected and committed): not our question", () => {
    expect(verdicts(PLAIN, "./static", { "static/admin/css/base.css": "body {}\n" })).toEqual([["nginx", "web", "/app/static", "collected"]]);
  });

  it("nothing without django.contrib.staticfiles: no collectstatic, no static files", () => {
    const settings = 'SECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.contenttypes"]\nSTATIC_URL = "/static/"\nSTATIC_ROOT = "/app/static"\n';
    expect(verdicts(PLAIN, "static", { "app/proj/settings.py": settings })).toEqual([]);
    // An AppConfig path counts.
    const config = settings.replace("django.contrib.contenttypes", "django.contrib.staticfiles.apps.StaticFilesConfig");
    expect(verdicts(PLAIN, "static", { "app/proj/settings.py": config })).toEqual([["nginx", "web", "/app/static", "never"]]);
  });

  it("nothing when nginx does not serve STATIC_ROOT from the app's storage", () => {
    expect(verdicts(PLAIN, "static").length).toBe(1);
    const m = model({
      "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n  nginx:\n    image: nginx:1.27\n    volumes:\n      - ./site.conf:/etc/nginx/conf.d/default.conf:ro\n",
      Dockerfile: PLAIN,
      "app/manage.py": "",
      "app/proj/__init__.py": "",
      "app/proj/wsgi.py": "",
      "app/proj/settings.py": SETTINGS,
      "site.conf": CONF,
    });
    expect(m.stacks[0] ? staticCollection(m.stacks[0], m.collectstaticMentions) : "no stack").toEqual([]);
  });
});
