import { describe, expect, it } from "vitest";
import type { LocatedString } from "../../src/core/location.js";
import {
  daphneFromArgv,
  GUNICORN_DEFAULT_BIND,
  gunicornDefaultBind,
  gunicornFromArgv,
  runserverFromArgv,
  uvicornFromArgv,
} from "../../src/parsers/gunicorn.js";
import { splitShellWords } from "../../src/parsers/shell-words.js";

const argv = (text: string): LocatedString[] => splitShellWords(text, "cmd");
/** [value, column, endColumn] on line 1. */
const at = (w: LocatedString | undefined): [string, number, number] | undefined => (w ? [w.value, w.range.column, w.range.endColumn] : undefined);

describe("gunicornFromArgv", () => {
  it("reads a TCP bind and the app", () => {
    const g = gunicornFromArgv(argv("proj.wsgi:application --bind 0.0.0.0:8000 --workers 3"));
    expect(g.binds.map(at)).toEqual([["0.0.0.0:8000", 30, 42]]);
    expect(at(g.app)).toEqual(["proj.wsgi:application", 1, 22]);
    expect(g.problems).toEqual([]);
  });

  it("reads every form of -b/--bind, unix sockets included", () => {
    const g = gunicornFromArgv(argv("-b unix:/run/a.sock -bunix:/run/b.sock -b=:8001 --bind=[::]:8002 --bi 127.0.0.1:8003 --bind fd://3 app.wsgi"));
    expect(g.binds.map(at)).toEqual([
      ["unix:/run/a.sock", 4, 20],
      ["unix:/run/b.sock", 23, 39],
      [":8001", 43, 48],
      ["[::]:8002", 56, 65],
      ["127.0.0.1:8003", 71, 85],
      ["fd://3", 93, 99],
    ]);
    expect(g.app?.value).toBe("app.wsgi");
    expect(g.problems).toEqual([]);
  });

  it("keeps ${PORT} verbatim with PORT unresolved", () => {
    const g = gunicornFromArgv(argv('--bind "0.0.0.0:${PORT:-8000}" shynet.wsgi:application'));
    expect(g.binds).toEqual([{ value: "0.0.0.0:${PORT:-8000}", range: { file: "cmd", line: 1, column: 8, endLine: 1, endColumn: 31 }, unresolved: ["PORT"] }]);
  });

  it("reads config, chdir, worker class, env and pythonpath", () => {
    const g = gunicornFromArgv(argv("-c python:proj.gunicorn_conf --chdir /code/app -k uvicorn.workers.UvicornWorker -e A=1 --env=B=2 --pythonpath /code proj.asgi:application"));
    expect(at(g.configFile)).toEqual(["python:proj.gunicorn_conf", 4, 29]);
    expect(at(g.chdir)).toEqual(["/code/app", 38, 47]);
    expect(at(g.workerClass)).toEqual(["uvicorn.workers.UvicornWorker", 51, 80]);
    expect(g.envs.map(at)).toEqual([
      ["A=1", 84, 87],
      ["B=2", 94, 97],
    ]);
    expect(at(g.pythonpath)).toEqual(["/code", 111, 116]);
    expect(g.binds).toEqual([]);
    expect(g.app?.value).toBe("proj.asgi:application");
  });

  it("reads grouped short flags and later -k/--worker-class wins", () => {
    const g = gunicornFromArgv(argv("-Db :9000 -k sync --worker-class=gevent app"));
    expect(g.binds.map((b) => b.value)).toEqual([":9000"]);
    expect(g.workerClass?.value).toBe("gevent");
  });

  it("reports argparse's errors: ambiguous prefix, missing value, value on a flag, unknown option", () => {
    const g = gunicornFromArgv(argv("--b x -b --workers 2 --reload=1 --nope app --bind"));
    expect(g.problems.map((p) => [p.message, p.range.column, p.range.endColumn])).toEqual([
      ["gunicorn: ambiguous option --b could match --bind, --backlog", 1, 4],
      ["gunicorn: -b expects a value", 7, 9],
      ["gunicorn's --reload takes no value", 22, 32],
      ["gunicorn has no option --nope", 33, 39],
      ["gunicorn: --bind expects a value", 44, 50],
    ]);
    // "x" after the ambiguous option is a positional, and so the app.
    expect(g.app?.value).toBe("x");
    expect(g.binds).toEqual([]);
  });

  it("does not take an unquoted $VARIABLE for the app: it may hold options", () => {
    const g = gunicornFromArgv(argv("$GUNICORN_ARGS $@"));
    expect([g.app, g.binds, g.problems]).toEqual([undefined, [], []]);
    expect(gunicornFromArgv(argv('"$APP_MODULE"')).app).toEqual({ value: "$APP_MODULE", range: { file: "cmd", line: 1, column: 1, endLine: 1, endColumn: 14 }, unresolved: ["APP_MODULE"] });
  });

  it("knows gunicorn's default bind", () => {
    expect(GUNICORN_DEFAULT_BIND).toBe("127.0.0.1:8000");
    expect(gunicornDefaultBind(() => undefined)).toBe("127.0.0.1:8000");
    expect(gunicornDefaultBind((n) => (n === "PORT" ? "5000" : undefined))).toBe("0.0.0.0:5000");
    expect(gunicornFromArgv([])).toEqual({ binds: [], envs: [], problems: [] });
  });
});

describe("daphneFromArgv", () => {
  it("synthesizes host:port with the port's range", () => {
    const d = daphneFromArgv(argv("-b 0.0.0.0 -p 8001 proj.asgi:application"));
    expect(d.binds).toEqual([{ value: "0.0.0.0:8001", range: { file: "cmd", line: 1, column: 15, endLine: 1, endColumn: 19 } }]);
    expect(at(d.app)).toEqual(["proj.asgi:application", 20, 41]);
  });

  it("defaults the missing half and brackets IPv6 hosts", () => {
    expect(daphneFromArgv(argv("-p 9000 app")).binds.map(at)).toEqual([["127.0.0.1:9000", 4, 8]]);
    expect(daphneFromArgv(argv("--bind 0.0.0.0 app")).binds.map(at)).toEqual([["0.0.0.0:8000", 8, 15]]);
    expect(daphneFromArgv(argv("-b :: --port=8000 app")).binds.map(at)).toEqual([["[::]:8000", 14, 18]]);
    expect(daphneFromArgv(argv("app")).binds).toEqual([]);
  });

  it("reads unix sockets, fds and simple endpoint strings", () => {
    const d = daphneFromArgv(argv("-u /run/daphne.sock --fd 3 -e tcp:8002:interface=0.0.0.0 -e unix:/tmp/d.sock -e ssl:443:privateKey=k.pem --proxy-headers app"));
    expect(d.binds.map(at)).toEqual([
      ["unix:/run/daphne.sock", 4, 20],
      ["fd://3", 26, 27],
      ["0.0.0.0:8002", 31, 57],
      ["unix:/tmp/d.sock", 61, 77],
      ["0.0.0.0:443", 81, 105],
    ]);
    expect(d.app?.value).toBe("app");
    expect(d.problems).toEqual([]);
  });

  it("keeps unresolved variables of both halves", () => {
    expect(daphneFromArgv(argv("-b $HOST -p ${PORT} app")).binds).toEqual([
      { value: "$HOST:${PORT}", range: { file: "cmd", line: 1, column: 13, endLine: 1, endColumn: 20 }, unresolved: ["HOST", "PORT"] },
    ]);
  });
});

describe("uvicornFromArgv", () => {
  it("reads --host/--port, --uds and --fd", () => {
    expect(uvicornFromArgv(argv("proj.asgi:application --host 0.0.0.0 --port 8000 --workers 4")).binds.map(at)).toEqual([["0.0.0.0:8000", 45, 49]]);
    expect(uvicornFromArgv(argv("--uds /tmp/uvicorn.sock app")).binds.map(at)).toEqual([["unix:/tmp/uvicorn.sock", 7, 24]]);
    expect(uvicornFromArgv(argv("--fd 0 app")).binds.map(at)).toEqual([["fd://0", 6, 7]]);
    expect(uvicornFromArgv(argv("--port=${PORT} app")).binds).toEqual([
      { value: "127.0.0.1:${PORT}", range: { file: "cmd", line: 1, column: 8, endLine: 1, endColumn: 15 }, unresolved: ["PORT"] },
    ]);
  });

  it("reads the app after flags and reports unknown options (click takes no prefixes)", () => {
    const u = uvicornFromArgv(argv("--reload --proxy-headers --ho 0.0.0.0 proj.asgi:app"));
    expect(u.problems.map((p) => p.message)).toEqual(["uvicorn has no option --ho"]);
    expect(u.app?.value).toBe("0.0.0.0");
    expect(u.binds).toEqual([]);
  });
});

describe("runserverFromArgv", () => {
  it("reads the address and port forms Django accepts", () => {
    const bind = (text: string): string[] => runserverFromArgv(argv(text)).binds.map((b) => b.value);
    expect(bind("0.0.0.0:8000")).toEqual(["0.0.0.0:8000"]);
    expect(bind("8000")).toEqual(["127.0.0.1:8000"]);
    expect(bind("0:8000")).toEqual(["0.0.0.0:8000"]);
    expect(bind("-6 8000")).toEqual(["[::1]:8000"]);
    expect(bind("[::]:8000")).toEqual(["[::]:8000"]);
    expect(bind("--noreload --settings proj.settings.dev 0.0.0.0:9000")).toEqual(["0.0.0.0:9000"]);
    expect(bind("--noreload")).toEqual([]);
  });

  it("gives the address word's range", () => {
    expect(runserverFromArgv(argv("--insecure 0:8000")).binds).toEqual([{ value: "0.0.0.0:8000", range: { file: "cmd", line: 1, column: 12, endLine: 1, endColumn: 18 } }]);
  });
});
