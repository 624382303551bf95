import { describe, expect, it } from "vitest";
import { containerListeners, nginxListen } from "../../src/model/container-listeners.js";
import { describeEndpoint } from "../../src/model/queries.js";
import { model, service } from "./helpers.js";

const PROJECT = { "app/proj/__init__.py": "", "app/proj/wsgi.py": "" };

function sockets(files: Record<string, string>): { listeners: string[]; unknown: string | undefined } | undefined {
  const c = containerListeners(service(model({ ...PROJECT, ...files }), "web"));
  return c && { listeners: c.listeners.map((l) => `${l.what} ${describeEndpoint(l.endpoint)}`), unknown: c.unknown };
}

const compose = (web: string) => `services:\n  web:\n    image: python:3.12\n    working_dir: /app\n    volumes:\n      - ./app:/app\n${web}`;

describe("containerListeners", () => {
  it("gunicorn's binds; no app server, no answer", () => {
    expect(sockets({ "docker-compose.yml": compose("    command: gunicorn proj.wsgi -b 0.0.0.0:8000 -b unix:/run/g.sock\n") })).toEqual({
      listeners: ["gunicorn --bind 0.0.0.0:8000", "gunicorn --bind unix:/run/g.sock"],
      unknown: undefined,
    });
    expect(sockets({ "docker-compose.yml": compose("    command: sleep infinity\n") })).toBeUndefined();
  });

  it("uWSGI's stats server counts; a socket from an unset variable makes the list unknown", () => {
    const ini = (body: string) => ({ "app/uwsgi.ini": `[uwsgi]\nmodule = proj.wsgi\n${body}`, "docker-compose.yml": compose("    command: uwsgi --ini /app/uwsgi.ini\n") });
    expect(sockets(ini("socket = /run/app.sock\nstats = 127.0.0.1:9191\n"))).toEqual({ listeners: ["uWSGI socket unix:/run/app.sock", "uWSGI stats 127.0.0.1:9191"], unknown: undefined });
    expect(sockets(ini("socket = /run/app.sock\nhttp-socket = :$(PORT)\n"))?.unknown).toMatch(/^http-socket = :\$\(PORT\) \(app\/uwsgi.ini:4\) is not a fixed address/);
  });

  it("other long-running programs make the processes unknown; one-shot commands do not", () => {
    expect(sockets({ "docker-compose.yml": compose('    command: sh -c "celery -A proj worker & gunicorn proj.wsgi -b :8000"\n') })?.unknown).toMatch(/^the container also runs celery/);
    expect(sockets({ "docker-compose.yml": compose('    command: sh -c "python manage.py migrate && python manage.py collectstatic --noinput && exec gunicorn proj.wsgi -b :8000"\n') })?.unknown).toBeUndefined();
  });

  it("an entrypoint script outside the repository makes everything unknown", () => {
    expect(sockets({ "docker-compose.yml": compose("    entrypoint: /docker-entrypoint.sh\n    command: gunicorn proj.wsgi -b :8000\n") })?.unknown).toMatch(/^the container runs \/docker-entrypoint.sh .* which is not in the repository/);
  });

  it("gunicorn's default bind follows PORT: unknown when PORT's value is not in the repository", () => {
    expect(sockets({ "docker-compose.yml": compose("    command: gunicorn proj.wsgi\n    environment:\n      - PORT\n") })?.unknown).toMatch(/PORT/);
    expect(sockets({ "docker-compose.yml": compose("    command: gunicorn proj.wsgi\n    environment:\n      PORT: 5000\n") })).toEqual({ listeners: ["gunicorn gunicorn's default bind 0.0.0.0:5000"], unknown: undefined });
  });

  it("nginx in the same container: its listens count, the default when a server has none", () => {
    const files = {
      "app/nginx.conf": "server {\n    listen 8080;\n    location / { proxy_pass http://127.0.0.1:8000; }\n}\nserver {\n    server_name other;\n}\n",
      "docker-compose.yml": compose("    command: gunicorn proj.wsgi -b 127.0.0.1:8000\n    volumes:\n      - ./app/nginx.conf:/etc/nginx/conf.d/default.conf\n"),
    };
    expect(sockets(files)).toEqual({
      listeners: ["gunicorn --bind 127.0.0.1:8000", "nginx listen *:8080", "nginx (no listen: the default) *:80", "nginx (no listen: the default) *:8000"],
      unknown: undefined,
    });
  });

  it.each([
    ["80", "*:80"],
    ["*:80", "*:80"],
    ["0.0.0.0:8080", "0.0.0.0:8080"],
    ["[::]:443", "[::]:443"],
    ["127.0.0.1", "127.0.0.1:80"],
    ["*", "*:80"],
    ["unix:/run/nginx.sock", "unix:/run/nginx.sock"],
  ])("nginxListen(%j) = %s", (value, expected) => {
    const endpoint = nginxListen(value);
    expect(endpoint && describeEndpoint(endpoint)).toBe(expected);
  });

  it("nginxListen of a template variable is unknown", () => {
    expect(nginxListen("${NGINX_PORT}")).toBeUndefined();
  });
});
