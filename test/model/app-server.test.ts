import { describe, expect, it } from "vitest";
import { analyzeProcess, isLoopbackHost, parseBind } from "../../src/model/app-server.js";
import type { ComposeMount } from "../../src/model/compose-stack.js";
import { ContainerFilesystem, type ImageContent } from "../../src/model/container-filesystem.js";
import type { Endpoint } from "../../src/model/deployment-model.js";
import { SourceCache } from "../../src/model/source-cache.js";
import { bind, copy, project, r, repoOf, words } from "./helpers.js";

describe("parseBind", () => {
  it.each<[string, string, Endpoint | undefined]>([
    ["unix:/run/app.sock", "/code", { kind: "unix", path: "/run/app.sock" }],
    ["unix:///run/app.sock", "/code", { kind: "unix", path: "/run/app.sock" }],
    ["unix:app.sock", "/code", { kind: "unix", path: "/code/app.sock" }],
    ["/run/app.sock", "/code", { kind: "unix", path: "/run/app.sock" }],
    ["app.sock", "/code/src", { kind: "unix", path: "/code/src/app.sock" }],
    ["./run/app.sock", "/code", { kind: "unix", path: "/code/run/app.sock" }],
    ["../app.sock", "/code/src", { kind: "unix", path: "/code/app.sock" }],
    [":8000", "/code", { kind: "tcp", host: "", port: "8000" }],
    ["0.0.0.0:8000", "/code", { kind: "tcp", host: "0.0.0.0", port: "8000" }],
    ["127.0.0.1:3031", "/code", { kind: "tcp", host: "127.0.0.1", port: "3031" }],
    ["web:8000", "/code", { kind: "tcp", host: "web", port: "8000" }],
    ["[::]:8000", "/code", { kind: "tcp", host: "::", port: "8000" }],
    ["[::1]:8000", "/code", { kind: "tcp", host: "::1", port: "8000" }],
    ["8000", "/code", { kind: "tcp", host: "", port: "8000" }],
    ["localhost", "/code", { kind: "tcp", host: "localhost", port: "8000" }],
    ["  0.0.0.0:80  ", "/code", { kind: "tcp", host: "0.0.0.0", port: "80" }],
    ["$PORT", "/code", undefined],
    ["0.0.0.0:${PORT}", "/code", undefined],
    ["tcp://0.0.0.0:8000", "/code", { kind: "tcp", host: "0.0.0.0", port: "8000" }],
    ["fd://3", "/code", undefined],
    ["@abstract", "/code", undefined],
    ["=0", "/code", undefined],
    ["", "/code", undefined],
  ])("%j (workdir %s)", (value, workdir, expected) => {
    expect(parseBind(value, workdir)).toEqual(expected);
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.0.1.1", true],
    ["localhost", true],
    ["::1", true],
    ["0.0.0.0", false],
    ["", false],
    ["::", false],
    ["web", false],
  ])("%j → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

interface Setup {
  workdir?: string;
  mounts?: ComposeMount[];
  env?: Record<string, string>;
  image?: ImageContent;
}

/** analyzeProcess for a command line (as written on line 1 of docker-compose.yml) over a small repository. */
function analyze(files: Record<string, string>, command: string, setup: Setup = {}) {
  const root = project(files);
  const repo = repoOf(files);
  const fs = new ContainerFilesystem("web", setup.mounts ?? [bind(".", "/code")], setup.image, repo);
  const env = setup.env ?? {};
  return analyzeProcess({
    service: "web",
    command: words(command),
    workdir: setup.workdir ?? "/code",
    fs,
    env: (name) => env[name],
    cache: new SourceCache(root),
    repo,
  });
}

const UWSGI_INI = `[uwsgi]
chdir = /code/app
module = proj.wsgi:application
socket = /run/uwsgi/app.sock
http-socket = :8000
env = DJANGO_SETTINGS_MODULE=proj.settings.prod
env = LANG=C.UTF-8
`;

describe("analyzeProcess: uWSGI", () => {
  it("reads the --ini file: sockets, module, chdir, env", () => {
    const { appServer, problems } = analyze({ "uwsgi.ini": UWSGI_INI }, "uwsgi --ini /code/uwsgi.ini");
    expect(problems).toEqual([]);
    expect(appServer).toEqual({
      kind: "uwsgi",
      range: r("docker-compose.yml", 1, 1, 1, 6),
      listeners: [
        { endpoint: { kind: "unix", path: "/run/uwsgi/app.sock" }, protocol: "uwsgi", option: "socket", range: r("uwsgi.ini", 4, 10, 4, 29) },
        { endpoint: { kind: "tcp", host: "", port: "8000" }, protocol: "http", option: "http-socket", range: r("uwsgi.ini", 5, 15, 5, 20) },
      ],
      application: { value: "proj.wsgi:application", range: r("uwsgi.ini", 3, 10, 3, 31) },
      workingDir: "/code/app",
      chdir: { value: "/code/app", range: r("uwsgi.ini", 2, 9, 2, 18) },
      env: new Map([
        ["DJANGO_SETTINGS_MODULE", { name: "DJANGO_SETTINGS_MODULE", value: "proj.settings.prod", source: "uwsgi-env", range: r("uwsgi.ini", 6, 7, 6, 48) }],
        ["LANG", { name: "LANG", value: "C.UTF-8", source: "uwsgi-env", range: r("uwsgi.ini", 7, 7, 7, 19) }],
      ]),
      configFiles: ["uwsgi.ini"],
    });
  });

  it("finds a relative --ini from the working directory, and resolves a relative socket against chdir", () => {
    const { appServer } = analyze({ "config/uwsgi.ini": "[uwsgi]\nchdir = /code/src\nsocket = app.sock\n" }, "uwsgi --ini config/uwsgi.ini");
    expect(appServer?.configFiles).toEqual(["config/uwsgi.ini"]);
    expect(appServer?.listeners.map((l) => l.endpoint)).toEqual([{ kind: "unix", path: "/code/src/app.sock" }]);
    expect(appServer?.workingDir).toBe("/code/src");
  });

  it("applies command-line options after the ini's: more listeners, the last module wins", () => {
    const { appServer } = analyze({ "uwsgi.ini": UWSGI_INI }, "uwsgi --ini /code/uwsgi.ini --socket 0.0.0.0:3031 --module other.wsgi");
    expect(appServer?.listeners.map((l) => [l.endpoint, l.protocol, l.option, l.range])).toEqual([
      [{ kind: "unix", path: "/run/uwsgi/app.sock" }, "uwsgi", "socket", r("uwsgi.ini", 4, 10, 4, 29)],
      [{ kind: "tcp", host: "", port: "8000" }, "http", "http-socket", r("uwsgi.ini", 5, 15, 5, 20)],
      [{ kind: "tcp", host: "0.0.0.0", port: "3031" }, "uwsgi", "socket", r("docker-compose.yml", 1, 38, 1, 50)],
    ]);
    expect(appServer?.application).toEqual({ value: "other.wsgi", range: r("docker-compose.yml", 1, 60, 1, 70) });
  });

  it("without an ini: command-line options only; a missing ini is skipped", () => {
    const { appServer } = analyze({}, "uwsgi --ini /code/missing.ini --http :8080 --wsgi-file app.py");
    expect(appServer?.configFiles).toEqual([]);
    expect(appServer?.listeners.map((l) => [l.endpoint, l.protocol, l.option])).toEqual([[{ kind: "tcp", host: "", port: "8080" }, "http", "http"]]);
    expect(appServer?.application?.value).toBe("app.py");
    expect(appServer?.workingDir).toBe("/code");
  });

  it("reads the ini through the image when no mount provides it", () => {
    const files = { "deploy/uwsgi.ini": "[uwsgi]\nsocket = :3031\n" };
    const image: ImageContent = { context: ".", copies: [copy(["deploy/uwsgi.ini"], "/etc/uwsgi/")], dockerignore: undefined };
    const { appServer } = analyze(files, "uwsgi --ini /etc/uwsgi/uwsgi.ini", { mounts: [], image });
    expect(appServer?.configFiles).toEqual(["deploy/uwsgi.ini"]);
    expect(appServer?.listeners.map((l) => l.endpoint)).toEqual([{ kind: "tcp", host: "", port: "3031" }]);
  });
});

describe("analyzeProcess: gunicorn", () => {
  it("takes every --bind, the app, --chdir and --env", () => {
    const { appServer } = analyze({}, "gunicorn proj.wsgi:application --bind 0.0.0.0:8000 -b unix:/run/g.sock --chdir /code/src -e A=1");
    expect(appServer).toEqual({
      kind: "gunicorn",
      range: r("docker-compose.yml", 1, 1, 1, 9),
      listeners: [
        { endpoint: { kind: "tcp", host: "0.0.0.0", port: "8000" }, protocol: "http", option: "--bind", range: r("docker-compose.yml", 1, 39, 1, 51) },
        { endpoint: { kind: "unix", path: "/run/g.sock" }, protocol: "http", option: "--bind", range: r("docker-compose.yml", 1, 55, 1, 71) },
      ],
      application: { value: "proj.wsgi:application", range: r("docker-compose.yml", 1, 10, 1, 31) },
      workingDir: "/code/src",
      chdir: { value: "/code/src", range: r("docker-compose.yml", 1, 80, 1, 89) },
      env: new Map([["A", { name: "A", value: "1", source: "uwsgi-env", range: r("docker-compose.yml", 1, 93, 1, 96) }]]),
      configFiles: [],
    });
  });

  it("without --bind and without a config file: gunicorn's default 127.0.0.1:8000, at the command word", () => {
    const { appServer } = analyze({}, "gunicorn proj.wsgi");
    expect(appServer?.listeners).toEqual([
      { endpoint: { kind: "tcp", host: "127.0.0.1", port: "8000" }, protocol: "http", option: "gunicorn's default bind", range: r("docker-compose.yml", 1, 1, 1, 9) },
    ]);
  });

  it("without --bind: the bind a config file sets (-c, or gunicorn.conf.py in the working dir), evaluated", () => {
    const viaC = analyze({ "config/gunicorn.py": "bind = ':9000'\n" }, "gunicorn -c config/gunicorn.py proj.wsgi").appServer;
    expect(viaC?.listeners).toEqual([
      { endpoint: { kind: "tcp", host: "", port: "9000" }, protocol: "http", option: "bind (gunicorn.py)", range: r("config/gunicorn.py", 1, 1, 1, 5) },
    ]);
    expect(viaC?.configFiles).toEqual(["config/gunicorn.py"]);
    const implicit = analyze({ "gunicorn.conf.py": "import os\nbind = ['unix:/run/g.sock', '0.0.0.0:' + os.environ.get('PORT', '8000')]\n" }, "gunicorn proj.wsgi").appServer;
    expect(implicit?.listeners.map((l) => [l.endpoint, l.option, l.range])).toEqual([
      [{ kind: "unix", path: "/run/g.sock" }, "bind (gunicorn.conf.py)", r("gunicorn.conf.py", 2, 1, 2, 5)],
      [{ kind: "tcp", host: "0.0.0.0", port: "8000" }, "bind (gunicorn.conf.py)", r("gunicorn.conf.py", 2, 1, 2, 5)],
    ]);
  });

  it("a config file without bind leaves gunicorn's default; one whose bind is unknown, or a -c file the repository lacks, leaves it unknown", () => {
    expect(analyze({ "gunicorn.conf.py": "workers = 3\n" }, "gunicorn proj.wsgi").appServer?.listeners.map((l) => [l.endpoint, l.option])).toEqual([
      [{ kind: "tcp", host: "127.0.0.1", port: "8000" }, "gunicorn's default bind"],
    ]);
    const unknown = analyze({ "gunicorn.conf.py": "import os\nbind = os.environ['BIND']\n" }, "gunicorn proj.wsgi").appServer;
    expect(unknown?.listeners).toEqual([]);
    expect(unknown?.configFiles).toEqual(["gunicorn.conf.py"]);
    expect(analyze({}, "gunicorn -c /etc/gunicorn.py proj.wsgi").appServer?.listeners).toEqual([]);
  });

  it("PORT in the environment moves the default bind to 0.0.0.0:$PORT", () => {
    expect(analyze({}, "gunicorn proj.wsgi", { env: { PORT: "5000" } }).appServer?.listeners.map((l) => l.endpoint)).toEqual([{ kind: "tcp", host: "0.0.0.0", port: "5000" }]);
  });

  it("--bind in GUNICORN_CMD_ARGS counts, pointed at the gunicorn word; the command line wins over it", () => {
    expect(analyze({}, "gunicorn proj.wsgi", { env: { GUNICORN_CMD_ARGS: "--workers 3 --bind=0.0.0.0:80" } }).appServer?.listeners).toEqual([
      { endpoint: { kind: "tcp", host: "0.0.0.0", port: "80" }, protocol: "http", option: "GUNICORN_CMD_ARGS --bind", range: r("docker-compose.yml", 1, 1, 1, 9) },
    ]);
    expect(analyze({}, "gunicorn proj.wsgi -b :81", { env: { GUNICORN_CMD_ARGS: "--bind=0.0.0.0:80" } }).appServer?.listeners.map((l) => l.endpoint)).toEqual([
      { kind: "tcp", host: "", port: "81" },
    ]);
  });

  it("finds gunicorn behind wrappers (python -m, exec, env)", () => {
    const { appServer } = analyze({}, "env A=1 exec python -m gunicorn proj.wsgi -b :80");
    expect(appServer?.kind).toBe("gunicorn");
    expect(appServer?.range).toEqual(r("docker-compose.yml", 1, 24, 1, 32));
    expect(appServer?.listeners.map((l) => l.endpoint)).toEqual([{ kind: "tcp", host: "", port: "80" }]);
  });
});

describe("analyzeProcess: runserver", () => {
  it.each<[string, Endpoint, [number, number]]>([
    ["python manage.py runserver", { kind: "tcp", host: "127.0.0.1", port: "8000" }, [8, 17]],
    ["python manage.py runserver 0.0.0.0:8000", { kind: "tcp", host: "0.0.0.0", port: "8000" }, [28, 40]],
    ["python manage.py runserver 0:8000", { kind: "tcp", host: "0.0.0.0", port: "8000" }, [28, 34]],
    ["python manage.py runserver 8080", { kind: "tcp", host: "127.0.0.1", port: "8080" }, [28, 32]],
    ["python manage.py runserver --noreload [::]:8000", { kind: "tcp", host: "::", port: "8000" }, [39, 48]],
  ])("%s", (command, endpoint, [column, endColumn]) => {
    const { appServer } = analyze({}, command);
    expect(appServer?.kind).toBe("runserver");
    expect(appServer?.listeners).toEqual([{ endpoint, protocol: "http", option: "runserver", range: r("docker-compose.yml", 1, column, 1, endColumn) }]);
  });
});

describe("analyzeProcess: entrypoint scripts", () => {
  const START = "#!/bin/sh\nset -e\npython manage.py migrate\nexec gunicorn proj.wsgi -b 0.0.0.0:8000\n";

  it.each([
    ["./start.sh", "relative path"],
    ["/code/start.sh", "absolute path"],
    ["bash -e /code/start.sh", "interpreter with an option"],
  ])("follows %s (%s) and points at the script's line", (command) => {
    const { appServer, invocations } = analyze({ "start.sh": START }, command);
    expect(appServer?.kind).toBe("gunicorn");
    expect(appServer?.range).toEqual(r("start.sh", 4, 6, 4, 14));
    expect(appServer?.listeners.map((l) => [l.endpoint, l.range])).toEqual([[{ kind: "tcp", host: "0.0.0.0", port: "8000" }, r("start.sh", 4, 28, 4, 40)]]);
    expect(invocations.map((i) => [i.kind, i.argv[0]?.value])).toEqual([
      ["script", command.split(" ").pop()],
      ["other", "set"],
      ["migrate", "manage.py"],
      ["gunicorn", "gunicorn"],
    ]);
  });

  it("finds a bare script name on PATH (ENV PATH=/scripts:$PATH + CMD [\"run.sh\"])", () => {
    const files = { "docker/run.sh": "#!/bin/sh\nuwsgi --socket :3031\n" };
    const setup = { mounts: [bind("./docker", "/scripts")], env: { PATH: "/scripts:$PATH" } };
    const { appServer } = analyze(files, "run.sh", setup);
    expect(appServer?.kind).toBe("uwsgi");
    expect(appServer?.range).toEqual(r("docker/run.sh", 2, 1, 2, 6));
    // Not on PATH: nothing found.
    expect(analyze(files, "run.sh", { mounts: setup.mounts }).appServer).toBeUndefined();
    // The default PATH has /usr/local/bin.
    expect(analyze(files, "run.sh", { mounts: [bind("./docker", "/usr/local/bin")] }).appServer?.kind).toBe("uwsgi");
  });

  it('ENTRYPOINT ["/entrypoint.sh"] + CMD: the CMD words are the app server (exec "$@")', () => {
    const files = { "entrypoint.sh": '#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec "$@"\n' };
    const { appServer, invocations } = analyze(files, "/entrypoint.sh gunicorn proj.wsgi --bind 0.0.0.0:8000", { mounts: [bind("./entrypoint.sh", "/entrypoint.sh")] });
    expect(appServer?.kind).toBe("gunicorn");
    expect(appServer?.range).toEqual(r("docker-compose.yml", 1, 16, 1, 24));
    expect(appServer?.listeners.map((l) => l.endpoint)).toEqual([{ kind: "tcp", host: "0.0.0.0", port: "8000" }]);
    expect(invocations.map((i) => [i.kind, i.argv.map((w) => w.value).join(" ")])).toEqual([
      ["script", "/entrypoint.sh gunicorn proj.wsgi --bind 0.0.0.0:8000"],
      ["gunicorn", "gunicorn proj.wsgi --bind 0.0.0.0:8000"],
      ["other", "set -e"],
      ["migrate", "manage.py migrate --noinput"],
      ["other", "$@"],
    ]);
  });

  it("prefers the app server started unconditionally over runserver in an if branch (sh -c)", () => {
    const { appServer, invocations } = analyze({}, `sh -c 'if [ "$DEBUG" = 1 ]; then python manage.py runserver 0.0.0.0:8000; fi; gunicorn proj.wsgi -b :8000'`);
    expect(appServer?.kind).toBe("gunicorn");
    expect(appServer?.range).toEqual(r("docker-compose.yml", 1, 79, 1, 87));
    // The if header itself always runs.
    expect(invocations.map((i) => [i.kind, i.conditional ?? false])).toEqual([
      ["other", false],
      ["runserver", true],
      ["gunicorn", false],
    ]);
  });

  it("prefers the unconditional server in a script too: runserver under if, gunicorn after fi", () => {
    const script = '#!/bin/sh\nif [ "$DEBUG" = "1" ]; then\n    python manage.py runserver 0.0.0.0:8000\nfi\ngunicorn proj.wsgi --bind 0.0.0.0:8000\n';
    expect(analyze({ "start.sh": script }, "./start.sh").appServer?.kind).toBe("gunicorn");
  });

  it("follows `sh start.sh` to the script in the working directory", () => {
    const { appServer } = analyze({ "start.sh": "exec gunicorn proj.wsgi -b :8000\n" }, "sh start.sh");
    expect(appServer?.kind).toBe("gunicorn");
    expect(appServer?.listeners.map((l) => l.endpoint)).toEqual([{ kind: "tcp", host: "", port: "8000" }]);
  });

  it("reads runserver's address after its options (--settings takes a value)", () => {
    const { appServer } = analyze({}, "python manage.py runserver --settings proj.settings.dev --noreload 0:8000");
    expect(appServer?.listeners.map((l) => l.endpoint)).toEqual([{ kind: "tcp", host: "0.0.0.0", port: "8000" }]);
    expect(analyze({}, "python manage.py runserver").appServer?.listeners.map((l) => l.endpoint)).toEqual([
      { kind: "tcp", host: "127.0.0.1", port: "8000" },
    ]);
  });

  it("takes a conditional app server when it is the only one", () => {
    const script = '#!/bin/sh\nif [ "$DEBUG" = "1" ]; then\n    python manage.py runserver 0.0.0.0:8000\nfi\n';
    expect(analyze({ "start.sh": script }, "./start.sh").appServer?.kind).toBe("runserver");
  });

  it("follows scripts that call scripts, up to four levels", () => {
    const chain = (last: string) => ({
      "a.sh": "./b.sh\n",
      "b.sh": "./c.sh\n",
      "c.sh": "./d.sh\n",
      "d.sh": `${last}\n`,
      "e.sh": "gunicorn proj.wsgi -b :8000\n",
    });
    expect(analyze(chain("gunicorn proj.wsgi -b :8000"), "./a.sh").appServer?.range).toEqual(r("d.sh", 1, 1, 1, 9));
    const tooDeep = analyze(chain("./e.sh"), "./a.sh");
    expect(tooDeep.appServer).toBeUndefined();
    expect(tooDeep.invocations.map((i) => [i.kind, i.argv[0]?.range.file])).toEqual([
      ["script", "docker-compose.yml"],
      ["script", "a.sh"],
      ["script", "b.sh"],
      ["script", "c.sh"],
      ["script", "d.sh"],
    ]);
  });

  it("reads a script that calls itself (or its caller) once, without hanging", () => {
    const self = analyze({ "loop.sh": "./loop.sh\ngunicorn proj.wsgi -b :8000\n" }, "./loop.sh");
    expect(self.appServer?.range).toEqual(r("loop.sh", 2, 1, 2, 9));
    expect(self.invocations.map((i) => i.kind)).toEqual(["script", "script", "gunicorn"]);
    const mutual = analyze({ "a.sh": "./b.sh\n", "b.sh": "./a.sh\nuwsgi --http :80\n" }, "./a.sh");
    expect(mutual.appServer?.range).toEqual(r("b.sh", 2, 1, 2, 6));
  });

  it("a script the container does not have is not followed", () => {
    const { appServer, invocations } = analyze({ "start.sh": START }, "./start.sh", { mounts: [] });
    expect(appServer).toBeUndefined();
    expect(invocations.map((i) => i.kind)).toEqual(["script"]);
  });

  it("returns no app server for a command that starts none", () => {
    const { appServer, invocations } = analyze({}, "celery -A proj worker");
    expect(appServer).toBeUndefined();
    expect(invocations.map((i) => i.kind)).toEqual(["other"]);
  });
});

describe("analyzeProcess: what the server's options say about sys.path and sockets, and what we cannot see", () => {
  it("uWSGI: pythonpath (relative to chdir), callable, wsgi-file, stats as another socket", () => {
    const ini = "[uwsgi]\nchdir = /code/src\npythonpath = lib\nwsgi-file = app.wsgi\ncallable = app\nsocket = :3031\nstats = 127.0.0.1:9191\n";
    const { appServer } = analyze({ "uwsgi.ini": ini }, "uwsgi --ini /code/uwsgi.ini");
    expect(appServer?.pythonPath).toEqual([{ value: "/code/src/lib", range: r("uwsgi.ini", 3, 14, 3, 17) }]);
    expect(appServer?.callable).toEqual({ value: "app", range: r("uwsgi.ini", 5, 12, 5, 15) });
    expect(appServer?.applicationFile).toBe(true);
    expect(appServer?.otherListeners?.map((l) => [l.endpoint, l.option])).toEqual([[{ kind: "tcp", host: "127.0.0.1", port: "9191" }, "stats"]]);
    expect(appServer?.unknown).toBeUndefined();
  });

  it("uWSGI: an ini outside the repository, or one that loads another config, leaves sockets and sys.path unknown", () => {
    const missing = analyze({}, "uwsgi --ini /etc/uwsgi/site.ini --socket :3031").appServer;
    expect(missing?.unknown).toEqual({
      listeners: "uWSGI reads /etc/uwsgi/site.ini (docker-compose.yml:1), which is not in the repository",
      searchPath: "uWSGI reads /etc/uwsgi/site.ini (docker-compose.yml:1), which is not in the repository",
    });
    const nested = analyze({ "uwsgi.ini": "[uwsgi]\nini = /etc/uwsgi/base.ini\nsocket = :3031\n" }, "uwsgi --ini /code/uwsgi.ini").appServer;
    expect(nested?.unknown?.listeners).toBe("uWSGI also loads /etc/uwsgi/base.ini (uwsgi.ini:2)");
  });

  it("gunicorn: --pythonpath (comma list, relative to --chdir); chdir and pythonpath from gunicorn.conf.py", () => {
    const cli = analyze({}, "gunicorn --chdir /code/src --pythonpath lib,/opt/x proj.wsgi").appServer;
    expect(cli?.pythonPath?.map((p) => p.value)).toEqual(["/code/src/lib", "/opt/x"]);
    const conf = analyze({ "gunicorn.conf.py": "chdir = '/code/src'\npythonpath = 'vendor'\nbind = ':8000'\n" }, "gunicorn proj.wsgi").appServer;
    expect(conf?.workingDir).toBe("/code/src");
    expect(conf?.chdir).toEqual({ value: "/code/src", range: r("gunicorn.conf.py", 1, 1, 1, 6) });
    expect(conf?.pythonPath?.map((p) => p.value)).toEqual(["/code/src/vendor"]);
    const opaque = analyze({ "gunicorn.conf.py": "import os\nchdir = os.environ['APP_DIR']\n" }, "gunicorn proj.wsgi -b :8000").appServer;
    expect(opaque?.unknown?.searchPath).toBe("chdir in gunicorn.conf.py has a value we cannot evaluate");
  });

  it("start scripts: assignments, `cd`, other programs and unreadable scripts are recorded", () => {
    const script = "#!/bin/sh\nset -e\nexport PYTHONPATH=/code/lib\ncd /code/src\ncelery -A proj worker &\nexec gunicorn proj.wsgi -b :8000\n";
    const { appServer } = analyze({ "start.sh": script }, "/code/start.sh");
    expect(appServer?.startEnv?.map((v) => [v.value, v.range.line])).toEqual([["PYTHONPATH", 3]]);
    expect(appServer?.unknown).toEqual({
      searchPath: "the start command changes directory (cd /code/src, start.sh:4)",
      processes: "the container also runs celery (start.sh:5)",
    });
    const external = analyze({}, "/usr/local/bin/entrypoint.sh gunicorn proj.wsgi -b :8000").appServer;
    expect(external?.unknown?.processes).toBe("the container runs /usr/local/bin/entrypoint.sh (docker-compose.yml:1), which is not in the repository");
    // gunicorn's own -e is not a shell assignment; activating a virtualenv is harmless.
    const clean = analyze({ "venv/bin/activate": "" }, 'sh -c ". /opt/venv/bin/activate && exec gunicorn proj.wsgi -e DJANGO_SETTINGS_MODULE=proj.settings -b :8000"').appServer;
    expect(clean?.startEnv).toBeUndefined();
    expect(clean?.unknown).toBeUndefined();
  });
});
