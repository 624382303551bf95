import { describe, expect, it } from "vitest";
import { aliasTraversals } from "../../src/model/alias-traversal.js";
import { model } from "./helpers.js";

const COMPOSE = `services:
  web:
    build: .
    env_file: .env
    volumes:
      - .:/code
  nginx:
    image: nginx:1.27
    volumes:
      - ./site.conf:/etc/nginx/conf.d/default.conf:ro
      - .:/code:ro
`;

function traversals(conf: string, files: Record<string, string> = {}) {
  const m = model({
    "docker-compose.yml": COMPOSE,
    Dockerfile: 'FROM python:3.12\nWORKDIR /code\nCMD ["gunicorn", "proj.wsgi"]\n',
    "site.conf": conf,
    "manage.py": "",
    "proj/settings/base.py": "",
    "proj/settings/prod.py": "",
    "proj/wsgi.py": "",
    "static/css/site.css": "",
    "deploy/tls.key": "",
    "db.sqlite3": "",
    ...files,
  });
  const stack = m.stacks[0];
  const deployFiles = m.envFiles.filter((e) => !e.exists && !e.isTemplate).map((e) => e.file);
  return stack ? aliasTraversals(stack, deployFiles) : [];
}

const server = (locations: string) => `server {\n    listen 80;\n${locations}}\n`;

describe("aliasTraversals", () => {
  it("a project mount: the sibling files, env files, settings, keys and databases first; the alias directory itself left out", () => {
    const [t, ...rest] = traversals(server("    location /static {\n        alias /code/static/;\n    }\n"));
    expect(rest).toEqual([]);
    expect(t?.reachable).toBe("/code");
    expect(t?.storage).toBe("the repository root (bind mount)");
    // .env is git-ignored and absent from the checkout, but compose hands it over: it is there at deploy time.
    expect(t?.files.slice(0, 6)).toEqual([".env", "proj/settings/base.py", "proj/settings/prod.py", "deploy/tls.key", "db.sqlite3", "docker-compose.yml"]);
    expect(t?.files).not.toContain("static/css/site.css");
    expect(t?.sensitive).toBe(6);
  });

  it("only prefix locations (none or ^~) whose URI lacks the slash the alias has", () => {
    const conf = server(
      [
        "    location /a/ { alias /code/a/; }",
        "    location /b { alias /code/b; }",
        "    location ~ ^/c/(.*)$ { alias /code/c/$1; }",
        "    location = /d { alias /code/d/; }",
        "    location ^~ /e { alias /code/e/; }",
        "    location /f { root /code; }",
        "    location /g { alias $document_root/g/; }",
        "    location /h { alias /; }",
        "    location / {",
        "        location /i { alias /code/i/; }",
        "    }",
        "",
      ].join("\n"),
    );
    expect(traversals(conf).map((t) => [t.location.modifier, t.prefix, t.alias])).toEqual([
      ["^~", "/e", "/code/e/"],
      ["", "/i", "/code/i/"],
    ]);
  });
});
