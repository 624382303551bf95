import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { LocatedString } from "../../src/core/location.js";
import { readSourceText } from "../../src/core/source-file.js";
import { gunicornFromArgv } from "../../src/parsers/gunicorn.js";
import { findInvocations, type ProcessInvocation } from "../../src/parsers/process-command.js";
import { parseShellScript, splitShellScript, splitShellWords } from "../../src/parsers/shell-words.js";
import { lastOption, parseUwsgiIni, uwsgiOptionsFromArgv } from "../../src/parsers/uwsgi.js";

const fixture = (rel: string): string => fileURLToPath(new URL(`../../fixtures/loaders/appserver/${rel}`, import.meta.url));
const words = (text: string): LocatedString[] => splitShellWords(text, "cmd");
/** kind, programIndex and argv values: the shape of each invocation. */
const shape = (list: ProcessInvocation[]): [string, number, string[]][] => list.map((i) => [i.kind, i.programIndex, i.argv.map((w) => w.value)]);
const find = (text: string): [string, number, string[]][] => shape(findInvocations(words(text)));

/** Words the way the compose loader gives a flow sequence: each range covers the quoted item. */
function composeList(line: string, lineNo: number): LocatedString[] {
  const out: LocatedString[] = [];
  const re = /"([^"]*)"/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    out.push({ value: m[1] ?? "", range: { file: "docker-compose.yml", line: lineNo, column: m.index + 1, endLine: lineNo, endColumn: m.index + 1 + m[0].length } });
  }
  return out;
}

describe("findInvocations: the seed's shape", () => {
  it("sees uwsgi behind wait-for-it in a compose list, and reaches the ini's socket", () => {
    const line = '    command: ["./wait-for-it.sh", "db:5432", "--", "uwsgi", "--ini", "/code/config/uwsgi/uwsgi.ini"]';
    const list = composeList(line, 12);
    const [uwsgi, ...rest] = findInvocations(list);
    expect(rest).toEqual([]);
    expect(uwsgi?.kind).toBe("uwsgi");
    expect(uwsgi?.programIndex).toBe(3);
    expect(uwsgi?.argv[0]?.range).toEqual({ file: "docker-compose.yml", line: 12, column: 52, endLine: 12, endColumn: 59 });
    const { iniFiles, options, problems } = uwsgiOptionsFromArgv(uwsgi?.argv.slice(1) ?? []);
    expect([options, problems]).toEqual([[], []]);
    expect(iniFiles.map((w) => [w.value, w.range.column, w.range.endColumn])).toEqual([["/code/config/uwsgi/uwsgi.ini", 70, 100]]);

    const source = readSourceText(fixture("seed/uwsgi.ini"), "config/uwsgi/uwsgi.ini");
    const cfg = parseUwsgiIni(source.text ?? "", source.file, { runtimePath: iniFiles[0]?.value ?? "", env: () => undefined });
    expect([lastOption(cfg, "socket")?.value, lastOption(cfg, "chdir")?.value, lastOption(cfg, "module")?.value, lastOption(cfg, "chmod-socket")?.value]).toEqual([
      "/code/app/uwsgi_app.sock",
      "/code/app/",
      "app.wsgi:application",
      "666",
    ]);
  });

  it("sees uwsgi behind wait-for-it inside sh -c, with ranges inside the quotes", () => {
    const [uwsgi, ...rest] = findInvocations(words('sh -c "./wait-for-it.sh db:5432 -- uwsgi --ini /code/config/uwsgi/uwsgi.ini"'));
    expect(rest).toEqual([]);
    expect(uwsgi?.kind).toBe("uwsgi");
    expect(uwsgi?.programIndex).toBe(2);
    expect(uwsgi?.argv.map((w) => [w.value, w.range.column, w.range.endColumn])).toEqual([
      ["uwsgi", 36, 41],
      ["--ini", 42, 47],
      ["/code/config/uwsgi/uwsgi.ini", 48, 76],
    ]);
  });
});

describe("findInvocations: shells and wrappers", () => {
  it("splits sh -c strings into their commands", () => {
    const list = findInvocations(words('sh -c "python manage.py migrate && uwsgi --ini uwsgi.ini"'));
    expect(shape(list)).toEqual([
      ["migrate", 2, ["manage.py", "migrate"]],
      ["uwsgi", 2, ["uwsgi", "--ini", "uwsgi.ini"]],
    ]);
    expect(list.map((i) => i.argv.map((w) => [w.range.column, w.range.endColumn]))).toEqual([
      [
        [15, 24],
        [25, 32],
      ],
      [
        [36, 41],
        [42, 47],
        [48, 57],
      ],
    ]);
  });

  it("reads shell options before -c and nested shells", () => {
    expect(find("/bin/sh -ec 'exec gunicorn app.wsgi'")).toEqual([["gunicorn", 2, ["gunicorn", "app.wsgi"]]]);
    expect(find("bash -o pipefail -c 'exec uwsgi --ini a.ini'")).toEqual([["uwsgi", 4, ["uwsgi", "--ini", "a.ini"]]]);
    const nested = findInvocations(words(`sh -c "bash -c 'exec uwsgi --ini a.ini'"`));
    expect(nested.map((i) => [i.kind, i.programIndex, i.argv.map((w) => [w.value, w.range.column, w.range.endColumn])])).toEqual([
      ["uwsgi", 2, [["uwsgi", 22, 27], ["--ini", 28, 33], ["a.ini", 34, 39]]],
    ]);
  });

  it("sees through exec, env, assignments, gosu, tini, nohup and friends", () => {
    expect(find("exec gunicorn app.wsgi")).toEqual([["gunicorn", 1, ["gunicorn", "app.wsgi"]]]);
    expect(find("exec -a web uwsgi --ini a.ini")).toEqual([["uwsgi", 3, ["uwsgi", "--ini", "a.ini"]]]);
    expect(find("env -u DEBUG DJANGO_SETTINGS_MODULE=proj.settings.prod gunicorn app")).toEqual([["gunicorn", 4, ["gunicorn", "app"]]]);
    expect(find("PYTHONUNBUFFERED=1 PORT=8000 gunicorn app")).toEqual([["gunicorn", 2, ["gunicorn", "app"]]]);
    expect(find("gosu app uwsgi --ini a.ini")).toEqual([["uwsgi", 2, ["uwsgi", "--ini", "a.ini"]]]);
    expect(find("su-exec app:app gunicorn app")).toEqual([["gunicorn", 2, ["gunicorn", "app"]]]);
    expect(find("tini -- uwsgi --ini a.ini")).toEqual([["uwsgi", 2, ["uwsgi", "--ini", "a.ini"]]]);
    expect(find("/usr/bin/dumb-init -- daphne -b 0.0.0.0 app.asgi:application")).toEqual([["daphne", 2, ["daphne", "-b", "0.0.0.0", "app.asgi:application"]]]);
    expect(find("nohup uvicorn app.asgi:application &")).toEqual([["uvicorn", 1, ["uvicorn", "app.asgi:application"]]]);
    expect(find("newrelic-admin run-program gunicorn app")).toEqual([["gunicorn", 2, ["gunicorn", "app"]]]);
  });

  it("sees through wait-for-it variants and dockerize", () => {
    expect(find("./wait-for-it.sh db:5432 -t 60 -- uwsgi --ini a.ini")).toEqual([["uwsgi", 5, ["uwsgi", "--ini", "a.ini"]]]);
    expect(find("/wait-for db:5432 -- gunicorn app")).toEqual([["gunicorn", 3, ["gunicorn", "app"]]]);
    expect(find("dockerize -wait tcp://db:5432 -timeout 20s uwsgi --ini a.ini")).toEqual([["uwsgi", 5, ["uwsgi", "--ini", "a.ini"]]]);
    expect(find("dockerize -wait=tcp://db:5432 -poll -- gunicorn app")).toEqual([["gunicorn", 4, ["gunicorn", "app"]]]);
    // Without `--` wait-for-it only waits.
    expect(find("./wait-for-it.sh db:5432")).toEqual([]);
  });

  it("finds python -m servers, manage.py and django-admin commands", () => {
    expect(find("python -m gunicorn -b :8000 app.wsgi")).toEqual([["gunicorn", 2, ["gunicorn", "-b", ":8000", "app.wsgi"]]]);
    expect(find("python3 -u -m uvicorn app.asgi:application")).toEqual([["uvicorn", 3, ["uvicorn", "app.asgi:application"]]]);
    expect(find("python manage.py runserver 0.0.0.0:8000")).toEqual([["runserver", 1, ["manage.py", "runserver", "0.0.0.0:8000"]]]);
    expect(find("python /code/app/manage.py collectstatic --noinput")).toEqual([["collectstatic", 1, ["/code/app/manage.py", "collectstatic", "--noinput"]]]);
    expect(find("python -W ignore manage.py migrate")).toEqual([["migrate", 3, ["manage.py", "migrate"]]]);
    expect(find("./manage.py runserver_plus")).toEqual([["runserver", 0, ["./manage.py", "runserver_plus"]]]);
    expect(find("django-admin migrate --settings=proj.settings")).toEqual([["migrate", 0, ["django-admin", "migrate", "--settings=proj.settings"]]]);
    expect(find("python -m django runserver")).toEqual([["runserver", 2, ["django", "runserver"]]]);
    expect(find("python manage.py shell")).toEqual([["other", 1, ["manage.py", "shell"]]]);
    expect(find("python worker.py")).toEqual([["other", 0, ["python", "worker.py"]]]);
    expect(find("python -c 'import app'")).toEqual([["other", 0, ["python", "-c", "import app"]]]);
    expect(find("newrelic-admin run-python manage.py migrate")).toEqual([["migrate", 2, ["manage.py", "migrate"]]]);
  });

  it("finds servers by path and behind pipenv / poetry / uv", () => {
    expect(find("/usr/local/bin/uwsgi --ini a.ini")).toEqual([["uwsgi", 0, ["/usr/local/bin/uwsgi", "--ini", "a.ini"]]]);
    expect(find("/venv/bin/gunicorn app")).toEqual([["gunicorn", 0, ["/venv/bin/gunicorn", "app"]]]);
    expect(find("pipenv run gunicorn app")).toEqual([["gunicorn", 2, ["gunicorn", "app"]]]);
    expect(find("poetry run python manage.py migrate")).toEqual([["migrate", 3, ["manage.py", "migrate"]]]);
    expect(find("uv run --no-sync --with psycopg gunicorn app")).toEqual([["gunicorn", 5, ["gunicorn", "app"]]]);
  });

  it("names scripts for the caller to open", () => {
    expect(find("./entrypoint.sh")).toEqual([["script", 0, ["./entrypoint.sh"]]]);
    expect(find("/start.sh web")).toEqual([["script", 0, ["/start.sh", "web"]]]);
    expect(find("/start")).toEqual([["script", 0, ["/start"]]]);
    expect(find("bash run.sh")).toEqual([["script", 1, ["run.sh"]]]);
    expect(find("sh -e scripts/run.sh --prod")).toEqual([["script", 2, ["scripts/run.sh", "--prod"]]]);
    expect(find("/usr/local/bin/docker-entrypoint.sh uwsgi --ini a.ini")).toEqual([["script", 0, ["/usr/local/bin/docker-entrypoint.sh", "uwsgi", "--ini", "a.ini"]]]);
    expect(find(". /venv/bin/activate")).toEqual([["script", 1, ["/venv/bin/activate"]]]);
    expect(find("entrypoint.sh")).toEqual([["script", 0, ["entrypoint.sh"]]]);
  });

  it("reports other programs as other, and pipes as separate commands", () => {
    expect(find("nginx -g 'daemon off;'")).toEqual([["other", 0, ["nginx", "-g", "daemon off;"]]]);
    expect(find("/usr/bin/supervisord -c /etc/supervisor.conf")).toEqual([["other", 0, ["/usr/bin/supervisord", "-c", "/etc/supervisor.conf"]]]);
    expect(find("uwsgi --ini a.ini 2>&1 | tee /var/log/uwsgi.log")).toEqual([
      ["uwsgi", 0, ["uwsgi", "--ini", "a.ini"]],
      ["other", 6, ["tee", "/var/log/uwsgi.log"]],
    ]);
    expect(find('exec "$@"')).toEqual([["other", 1, ["$@"]]]);
    expect(find("$SERVER --bind :80")).toEqual([["other", 0, ["$SERVER", "--bind", ":80"]]]);
  });

  it("returns nothing for empty or program-less input", () => {
    expect(findInvocations([])).toEqual([]);
    expect(find("FOO=1 BAR=2")).toEqual([]);
    expect(find("exec")).toEqual([]);
    expect(find("sh -c")).toEqual([]);
    expect(find("&& ;")).toEqual([]);
  });

  it("marks invocations in conditional parts of an sh -c string", () => {
    const list = findInvocations(words(`sh -c 'python manage.py migrate && if [ "$DEBUG" ]; then python manage.py runserver; else exec uwsgi --ini a.ini; fi'`));
    expect(list.map((i) => [i.kind, i.conditional ?? false])).toEqual([
      ["migrate", false],
      ["other", false],
      ["runserver", true],
      ["uwsgi", true],
    ]);
  });

  it("still finds the command in an sh -c string with an unterminated quote", () => {
    expect(find(`sh -c "uwsgi --ini 'a.ini"`)).toEqual([["uwsgi", 2, ["uwsgi", "--ini", "a.ini"]]]);
  });
});

describe("findInvocations over entrypoint scripts", () => {
  it("finds migrate, collectstatic and exec gunicorn, with gunicorn's bind range", () => {
    const source = readSourceText(fixture("gunicorn/entrypoint.sh"), "docker/entrypoint.sh");
    const { commands, problems } = parseShellScript(source.text ?? "", source.file);
    expect(problems).toEqual([]);
    const found = commands.flatMap((c) => findInvocations(c.words).map((i) => [c.line, i] as const));
    expect(found.map(([line, i]) => [line, i.kind, i.argv[0]?.value])).toEqual([
      [2, "other", "set"],
      [4, "other", "pg_isready"],
      [5, "other", "echo"],
      [6, "other", "sleep"],
      [9, "migrate", "manage.py"],
      [10, "collectstatic", "manage.py"],
      [10, "gunicorn", "gunicorn"],
    ]);
    const gunicorn = found[6]?.[1];
    expect(gunicorn?.argv[0]?.range).toEqual({ file: "docker/entrypoint.sh", line: 10, column: 50, endLine: 10, endColumn: 58 });
    const g = gunicornFromArgv(gunicorn?.argv.slice(1) ?? []);
    expect(g.binds).toEqual([{ value: "0.0.0.0:${PORT:-8000}", range: { file: "docker/entrypoint.sh", line: 11, column: 12, endLine: 11, endColumn: 35 }, unresolved: ["PORT"] }]);
    expect(g.app).toEqual({ value: "proj.wsgi:application", range: { file: "docker/entrypoint.sh", line: 10, column: 59, endLine: 10, endColumn: 80 } });
    expect(g.problems).toEqual([]);
  });

  it("finds gunicorn on a unix socket inside case, not inside a here-document", () => {
    const source = readSourceText(fixture("gunicorn/start-unix.sh"), "start.sh");
    const found = splitShellScript(source.text ?? "", source.file).flatMap((c) => findInvocations(c.words));
    expect(found.map((i) => [i.kind, i.argv[0]?.value, i.argv[0]?.range.line])).toEqual([
      ["other", "cat", 2],
      ["gunicorn", "gunicorn", 7],
      ["other", "celery", 9],
    ]);
    const g = gunicornFromArgv(found[1]?.argv.slice(1) ?? []);
    expect(g.binds.map((b) => [b.value, b.range.line, b.range.column, b.range.endColumn])).toEqual([["unix:/run/gunicorn/app.sock", 7, 26, 53]]);
    expect([g.workerClass?.value, g.app?.value]).toEqual(["uvicorn.workers.UvicornWorker", "proj.asgi:application"]);
  });
});
