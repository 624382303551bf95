import { describe, expect, it } from "vitest";
import { evaluateModule, type EnvRead, type LibraryOptions } from "../../src/python/evaluate.js";
import type { PyValue } from "../../src/python/values.js";
import { at, envOf, memoryHost, valueOf } from "./helpers.js";

const s = (value: string): PyValue => ({ kind: "str", value });
const i = (value: number): PyValue => ({ kind: "int", value });
const f = (value: number): PyValue => ({ kind: "float", value });
const b = (value: boolean): PyValue => ({ kind: "bool", value });
const none: PyValue = { kind: "none" };
const u = (reason: string): PyValue => ({ kind: "unknown", reason });
const list = (...items: PyValue[]): PyValue => ({ kind: "list", items });
const tuple = (...items: PyValue[]): PyValue => ({ kind: "tuple", items });
const dict = (...pairs: [string, PyValue][]): PyValue => ({ kind: "dict", entries: pairs.map(([k, v]) => ({ key: s(k), value: v })) });

const S = "proj/settings.py";
const OLD: LibraryOptions = { versions: { "django-environ": "0.4.4", "python-decouple": "3.6", "python-dotenv": "0.21.0" }, django: { major: 3, minor: 2 } };
const NEW: LibraryOptions = { versions: { "django-environ": "0.12.0", "python-decouple": "3.8", "python-dotenv": "1.2.2" }, django: { major: 5, minor: 2 }, installed: new Set(["django-redis"]) };

/** Evaluates proj/settings.py (the container root is /app); `lines` are its lines after the prelude. */
function settings(prelude: string[], lines: string[], files: Record<string, string>, vars: Record<string, string> = {}, libraries: LibraryOptions = NEW, unknownVars: Record<string, string> = {}) {
  const all = { "proj/__init__.py": "", ...files, [S]: [...prelude, ...lines, ""].join("\n") };
  return evaluateModule("proj.settings", memoryHost(all, "/app"), envOf(vars, unknownVars), { libraries });
}

describe("django-environ", () => {
  const prelude = ["import environ", "env = environ.Env(DEBUG=(bool, False), HOSTS=(list, []), PORT=int)", "environ.Env.read_env('/app/.env')"];
  const dotenv = ["DEBUG=on", "HOSTS=a.example,b.example", "PORT=5432", "ZERO=0", "SPACED=  yes ", "PROXIED=$PORT", "DUP=1", "DUP=2", 'ESC="a\\nb\\"c"', "COMMENTED=x # y", ""].join("\n");

  // [expression, value with 0.12 / Django 5.2, value with 0.4.4 / Django 3.2]
  it.each<[string, PyValue, PyValue]>([
    ["env('DEBUG')", b(true), b(true)],
    ["env.bool('ZERO')", b(false), b(false)],
    ["env.bool('SPACED')", b(true), b(false)], // 0.11 strips before comparing
    ["env.bool('MISSING', default=True)", b(true), b(true)],
    ["env('HOSTS')", list(s("a.example"), s("b.example")), list(s("a.example"), s("b.example"))],
    ["env('PORT')", i(5432), i(5432)],
    ["env('PORT', default=1)", i(5432), i(5432)],
    ["env('ZERO', default=False)", b(false), s("0")], // smart_cast since 0.5
    ["env.int('PROXIED')", i(5432), i(5432)],
    ["env('DUP')", s("2"), s("1")], // 0.4.4: each line is setdefault, the first wins
    ["env('ESC')", s('a\\nb"c'), s('anb"c')], // 0.8 keeps \n escaped
    ["env('COMMENTED')", s("x # y"), s("x # y")],
    ["env.list('HOSTS', cast=str.upper)", list(s("A.EXAMPLE"), s("B.EXAMPLE")), list(s("A.EXAMPLE"), s("B.EXAMPLE"))],
    ["env.list('HOSTS', cast=len)", list(i(9), i(9)), list(i(9), i(9))],
    ["env.list('HOSTS', cast=sorted)", list(u("cast with sorted() is not evaluated"), u("cast with sorted() is not evaluated")), list(u("cast with sorted() is not evaluated"), u("cast with sorted() is not evaluated"))],
    ["env.str('MISSING', default='')", s(""), s("")],
    ["env('MISSING', default=None)", none, none],
    ["env.json('MISSING', default='{\"a\": [1, 2.0, null]}')", s('{"a": [1, 2.0, null]}'), s('{"a": [1, 2.0, null]}')],
    ["env.float('MISSING', default=1.5)", f(1.5), f(1.5)],
    ["env('MISSING')", u("ImproperlyConfigured: Set the MISSING environment variable"), u("ImproperlyConfigured: Set the MISSING environment variable")],
  ])("%s", (expression, newest, oldest) => {
    const files = { ".env": dotenv };
    expect(valueOf(settings(prelude, [`X = ${expression}`], files, {}, NEW), "X")).toEqual(newest);
    expect(valueOf(settings(prelude, [`X = ${expression}`], files, {}, OLD), "X")).toEqual(oldest);
  });

  it.each<[string, LibraryOptions, PyValue]>([
    ["postgres://u:p%40ss+w@db:5432/app?conn_max_age=60&sslmode=require", NEW, dict(["NAME", s("app")], ["USER", s("u")], ["PASSWORD", s("p@ss+w")], ["HOST", s("db")], ["PORT", i(5432)], ["CONN_MAX_AGE", i(60)], ["OPTIONS", dict(["sslmode", s("require")])], ["ENGINE", s("django.db.backends.postgresql")])],
    ["postgres://u:p%40ss+w@db:5432/app?conn_max_age=60&sslmode=require", OLD, dict(["NAME", s("app")], ["USER", s("u")], ["PASSWORD", s("p@ss w")], ["HOST", s("db")], ["PORT", i(5432)], ["CONN_MAX_AGE", i(60)], ["OPTIONS", dict(["sslmode", s("require")])], ["ENGINE", s("django.db.backends.postgresql_psycopg2")])],
    ["mysql://root@DB.Example/shop", NEW, dict(["NAME", s("shop")], ["USER", s("root")], ["PASSWORD", s("")], ["HOST", s("db.example")], ["PORT", s("")], ["ENGINE", s("django.db.backends.mysql")])],
    ["sqlite:////data/db.sqlite3", NEW, dict(["NAME", s("/data/db.sqlite3")], ["USER", s("")], ["PASSWORD", s("")], ["HOST", s("")], ["PORT", s("")], ["ENGINE", s("django.db.backends.sqlite3")])],
    ["sqlite://:memory:", NEW, dict(["ENGINE", s("django.db.backends.sqlite3")], ["NAME", s(":memory:")])],
    ["postgres://u@h1,h2:5433/app", NEW, dict(["NAME", s("app")], ["USER", s("u")], ["PASSWORD", s("")], ["HOST", s("h1,h2")], ["PORT", i(5433)], ["ENGINE", s("django.db.backends.postgresql")])],
    ["postgres://u@h1:5432,h2:5433/app", NEW, dict(["NAME", s("app")], ["USER", s("u")], ["PASSWORD", s("")], ["HOST", s("h1,h2")], ["PORT", s("5432,5433")], ["ENGINE", s("django.db.backends.postgresql")])],
    ["postgres://%2Fvar%2Frun%2Fpostgresql/app", NEW, dict(["NAME", s("app")], ["USER", s("")], ["PASSWORD", s("")], ["HOST", s("%2Fvar%2Frun%2Fpostgresql")], ["PORT", s("")], ["ENGINE", s("django.db.backends.postgresql")])],
    ["custom://h/x", NEW, dict(["NAME", s("x")], ["USER", s("")], ["PASSWORD", s("")], ["HOST", s("h")], ["PORT", s("")], ["ENGINE", s("custom")])],
    ["custom://h/x", OLD, dict()],
    ["postgres://h:notaport/x", NEW, u("ValueError: Port could not be cast to integer value as 'notaport'")],
  ])("env.db() of %s (%#)", (url, libraries, expected) => {
    const result = settings(["import environ", "env = environ.Env()"], ["DATABASES = {'default': env.db()}"], {}, { DATABASE_URL: url }, libraries);
    expect(valueOf(result, "DATABASES")).toEqual(dict(["default", expected]));
  });

  it.each<[string, LibraryOptions, PyValue]>([
    ["redis://cache:6379/1", NEW, dict(["BACKEND", s("django_redis.cache.RedisCache")], ["LOCATION", s("redis://cache:6379/1")])],
    ["redis://cache:6379/1", { ...NEW, installed: new Set() }, dict(["BACKEND", s("django.core.cache.backends.redis.RedisCache")], ["LOCATION", s("redis://cache:6379/1")])],
    ["redis://cache:6379/1", { versions: NEW.versions }, dict(["BACKEND", u("the redis cache backend django-environ picks depends on which packages are installed (django-redis, django-redis-cache)")], ["LOCATION", s("redis://cache:6379/1")])],
    ["rediscache://a:1,b:2/0?timeout=30&key_prefix=x", NEW, dict(["BACKEND", s("django_redis.cache.RedisCache")], ["LOCATION", list(s("redis://a:1/0"), s("redis://b:2/0"))], ["TIMEOUT", i(30)], ["KEY_PREFIX", s("x")], ["OPTIONS", dict()])],
    ["memcache://m1:11211,m2:11211", NEW, dict(["BACKEND", s("django.core.cache.backends.memcached.MemcachedCache")], ["LOCATION", list(s("m1:11211"), s("m2:11211"))])],
    ["memcache:///tmp/mc.sock", NEW, dict(["BACKEND", s("django.core.cache.backends.memcached.MemcachedCache")], ["LOCATION", s("unix:/tmp/mc.sock")])],
    ["filecache:///var/tmp/django_cache", NEW, dict(["BACKEND", s("django.core.cache.backends.filebased.FileBasedCache")], ["LOCATION", s("/var/tmp/django_cache")])],
    ["locmemcache://", OLD, dict(["BACKEND", s("django.core.cache.backends.locmem.LocMemCache")], ["LOCATION", s("")])],
    ["nope://x", NEW, u("ImproperlyConfigured: Invalid cache schema nope")],
    ["nope://x", OLD, u("KeyError: 'nope'")],
  ])("env.cache() of %s (%#)", (url, libraries, expected) => {
    const result = settings(["import environ", "env = environ.Env()"], ["C = env.cache()"], {}, { CACHE_URL: url }, libraries);
    expect(valueOf(result, "C")).toEqual(expected);
  });

  it("each read records the variable, the call, and the .env line its value came from", () => {
    const result = settings(prelude, ["DEBUG = env('DEBUG')", "PORT = env.int('PORT', default=80)"], { ".env": dotenv });
    const debugRead: EnvRead = { name: "DEBUG", via: "environ.Env", hasDefault: true, defaultValue: b(false), provided: true, source: { file: ".env", range: at(".env", 1, 1, 9) }, range: at(S, 4, 9, 21) };
    const portRead: EnvRead = { name: "PORT", via: "environ.Env.int", hasDefault: true, defaultValue: i(80), provided: true, source: { file: ".env", range: at(".env", 3, 1, 10) }, range: at(S, 5, 8, 35) };
    expect(result.values.get("DEBUG")?.envReads).toEqual([debugRead]);
    expect(result.values.get("PORT")?.envReads).toEqual([portRead]);
    expect(result.envReads).toEqual([debugRead, portRead]);
  });

  it("the process environment wins over read_env, unless overwrite=True", () => {
    const files = { ".env": "DEBUG=off\n" };
    const kept = settings(["import environ", "env = environ.Env()", "environ.Env.read_env('/app/.env')"], ["DEBUG = env.bool('DEBUG')"], files, { DEBUG: "on" });
    expect(valueOf(kept, "DEBUG")).toEqual(b(true));
    expect(kept.envReads[0]?.source).toBeUndefined();
    const replaced = settings(["import environ", "env = environ.Env()", "environ.Env.read_env('/app/.env', overwrite=True)"], ["DEBUG = env.bool('DEBUG')"], files, { DEBUG: "on" });
    expect(valueOf(replaced, "DEBUG")).toEqual(b(false));
  });

  it.each<[string, Record<string, string>, PyValue]>([
    ["env.read_env() reads .env next to the calling module", { "proj/.env": "X=next-to-settings\n", ".env": "X=root\n" }, s("next-to-settings")],
    ["a missing file sets nothing", {}, s("default")],
  ])("%s", (_label, files, expected) => {
    const result = settings(["import environ", "env = environ.Env()", "env.read_env()"], ["X = env('X', default='default')"], files);
    expect(valueOf(result, "X")).toEqual(expected);
  });

  it("0.11 cuts inline comments, 0.12 keeps them unless parse_comments=True", () => {
    const files = { ".env": "A=x # c\nB='q # r' # s\n" };
    const run = (version: string, args = "") => settings(["import environ", "env = environ.Env()", `environ.Env.read_env('/app/.env'${args})`], ["A = env('A')", "B = env('B')"], files, {}, { versions: { "django-environ": version } });
    expect([valueOf(run("0.11.2"), "A"), valueOf(run("0.11.2"), "B")]).toEqual([s("x "), s("q # r")]);
    expect([valueOf(run("0.12.0"), "A"), valueOf(run("0.12.0"), "B")]).toEqual([s("x # c"), s("'q # r' # s")]);
    expect([valueOf(run("0.12.0", ", parse_comments=True"), "A")]).toEqual([s("x ")]);
  });

  it("read_env of a pathlib.Path raises AttributeError before 0.6", () => {
    const lines = ["from pathlib import Path", "import environ", "environ.Env.read_env(Path('/app/.env'))"];
    const result = settings(lines, ["X = 1"], { ".env": "A=1\n" }, {}, { versions: { "django-environ": "0.5.0" } });
    expect(valueOf(result, "X")).toEqual(i(1));
    const caught = settings(["from pathlib import Path", "import environ", "try:", "    environ.Env.read_env(Path('/app/.env'))", "    X = 'read'", "except AttributeError:", "    X = 'raised'"], [], { ".env": "A=1\n" }, {}, { versions: { "django-environ": "0.5.0" } });
    expect(valueOf(caught, "X")).toEqual(s("raised"));
  });

  it.each<[string, PyValue]>([
    ["environ.Path(__file__) - 2", { kind: "path", value: "/app" }],
    ["str(environ.Path('/srv/app/conf') - 1)", s("/srv/app")],
    ["environ.Path('/srv')('static', 'css')", s("/srv/static/css")],
    ["environ.Path('/srv').path('media').root", s("/srv/media")],
    ["str(environ.Path('/srv') + 'x')", s("/srv/x")],
    ["str(~environ.Path('/srv/app'))", s("/srv")],
    ["environ.Path('/srv/app.py', is_file=True).root", s("/srv")],
    ["environ.Path('relative').root", u("environ.Path('relative') is made absolute against the working directory, which is unknown")],
  ])("%s", (expression, expected) => {
    expect(valueOf(settings(["import environ"], [`X = ${expression}`], {}), "X")).toEqual(expected);
  });

  it("env.smart_cast = False turns the default's type off", () => {
    const result = settings(["import environ", "env = environ.Env()", "env.smart_cast = False"], ["X = env('Z', default=False)"], {}, { Z: "0" });
    expect(valueOf(result, "X")).toEqual(s("0"));
  });

  it.each<[string, string[]]>([
    ["import environ as e", ["import environ as e", "X = e.Env().bool('D', default=True)"]],
    ["from environ import Env", ["from environ import Env", "X = Env(D=(bool, True))('D')"]],
  ])("%s", (_label, lines) => {
    expect(valueOf(settings([], lines, {}), "X")).toEqual(b(true));
  });

  it("ImproperlyConfigured is caught like Django's", () => {
    const result = settings(["import environ", "from django.core.exceptions import ImproperlyConfigured", "env = environ.Env()"], ["try:", "    SECRET_KEY = env('SECRET_KEY')", "except ImproperlyConfigured:", "    SECRET_KEY = 'dev'"], {});
    expect(valueOf(result, "SECRET_KEY")).toEqual(s("dev"));
  });
});

describe("python-decouple", () => {
  const prelude = ["from decouple import config, Csv, Choices"];

  it.each<[string, Record<string, string>, PyValue]>([
    ["config('DEBUG', cast=bool)", { ".env": "DEBUG=True\n" }, b(true)],
    ["config('DEBUG', cast=bool)", { ".env": "DEBUG=\n" }, b(false)],
    ["config('DEBUG', cast=bool)", { ".env": "DEBUG=maybe\n" }, u("ValueError: Invalid truth value: maybe")],
    ["config('DEBUG', default=False, cast=bool)", {}, b(false)],
    ["config('DEBUG', default='1', cast=bool)", {}, b(true)],
    ["config('PORT', cast=int)", { ".env": "PORT = 5432\n" }, i(5432)],
    ["config('HOSTS', cast=Csv())", { ".env": "HOSTS=a, b ,'c,d'\n" }, list(s("a"), s("b"), s("c,d"))],
    ["config('HOSTS', cast=Csv(post_process=tuple))", { ".env": "HOSTS=a,b\n" }, tuple(s("a"), s("b"))],
    ["config('HOSTS', default='', cast=Csv())", {}, list()],
    ["config('HOSTS', default=None, cast=Csv())", {}, list()],
    ["config('MODE', cast=Choices(['dev', 'prod']))", { ".env": "MODE=prod\n" }, s("prod")],
    ["config('KEY')", { ".env": "KEY='quoted'  \n" }, s("quoted")],
    ["config('KEY')", { ".env": "KEY=a # b\n" }, s("a # b")],
    ["config('KEY')", { "settings.ini": "[settings]\nkey = from ini\n", ".env": "KEY=from env\n" }, s("from ini")],
    ["config('KEY')", { "settings.ini": "key = 1\n" }, u("MissingSectionHeaderError: File contains no section headers (line 1) in settings.ini")],
    ["config('KEY')", {}, u("UndefinedValueError: KEY not found. Declare it as envvar or define a default value.")],
  ])("%s with %j", (expression, files, expected) => {
    expect(valueOf(settings(prelude, [`X = ${expression}`], files), "X")).toEqual(expected);
  });

  it("Csv of None reads standard input before 3.7: unknown", () => {
    const result = settings(prelude, ["X = config('H', default=None, cast=Csv())"], {}, {}, { versions: { "python-decouple": "3.6" } });
    expect(valueOf(result, "X")).toEqual(u("Csv() of None reads standard input before python-decouple 3.7"));
  });

  it("the read names the file line the value came from", () => {
    const result = settings(prelude, ["DEBUG = config('DEBUG', default=False, cast=bool)"], { ".env": "# comment\n  DEBUG=1  \n" });
    expect(result.values.get("DEBUG")?.envReads).toEqual([
      { name: "DEBUG", via: "decouple.config", hasDefault: true, defaultValue: b(false), provided: true, source: { file: ".env", range: at(".env", 2, 3, 10) }, range: at(S, 2, 9, 50) },
    ]);
  });

  it("the environment wins over the file; the file's values never enter os.environ", () => {
    const result = settings(["import os", ...prelude], ["A = config('A')", "B = config('B')", "C = os.environ.get('B')"], { ".env": "A=file\nB=file\n" }, { A: "env" });
    expect([valueOf(result, "A"), valueOf(result, "B"), valueOf(result, "C")]).toEqual([s("env"), s("file"), none]);
  });

  it("the file is found from the module that makes the first call", () => {
    const files = {
      "proj/base.py": "from decouple import config\nFIRST = config('WHERE', default='none')\n",
      "proj/sub/__init__.py": "",
      "proj/sub/.env": "WHERE=sub\n",
      ".env": "WHERE=root\n",
    };
    const result = settings(["from .base import *", "from decouple import config"], ["SECOND = config('WHERE', default='none')"], files);
    expect([valueOf(result, "FIRST"), valueOf(result, "SECOND")]).toEqual([s("root"), s("root")]);
  });

  it("Config(RepositoryEnv(path)) reads that file; a missing one raises", () => {
    const ok = settings(["from decouple import Config, RepositoryEnv"], ["config = Config(RepositoryEnv('/app/conf/prod.env'))", "X = config('X')"], { "conf/prod.env": "X=prod\n" });
    expect(valueOf(ok, "X")).toEqual(s("prod"));
    const missing = settings(["from decouple import Config, RepositoryEnv"], ["try:", "    config = Config(RepositoryEnv('/app/nope.env'))", "except FileNotFoundError:", "    X = 'missing'"], {});
    expect(valueOf(missing, "X")).toEqual(s("missing"));
  });
});

describe("python-dotenv", () => {
  it.each<[string, string[], Record<string, string>, Record<string, string>, PyValue]>([
    ["load_dotenv() finds .env upwards", ["load_dotenv()"], { ".env": "X=found\n" }, {}, s("found")],
    ["the environment wins", ["load_dotenv()"], { ".env": "X=file\n" }, { X: "env" }, s("env")],
    ["override=True replaces", ["load_dotenv(override=True)"], { ".env": "X=file\n" }, { X: "env" }, s("file")],
    ["a path", ["load_dotenv('/app/conf/x.env')"], { "conf/x.env": "X=conf\n" }, {}, s("conf")],
    ["BASE_DIR / '.env'", ["from pathlib import Path", "load_dotenv(Path(__file__).resolve().parent.parent / '.env')"], { ".env": "X=base\n" }, {}, s("base")],
    ["${VAR} expansion", ["load_dotenv()"], { ".env": "A=1\nX=${A}-${B:-b}-${HOME}\n" }, { HOME: "/root" }, s("1-b-/root")],
    ["interpolate=False", ["load_dotenv(interpolate=False)"], { ".env": "X=${A}\n" }, {}, s("${A}")],
    ["a missing file", ["load_dotenv('/app/nope.env')"], {}, {}, s("<absent>")],
    ["PYTHON_DOTENV_DISABLED (1.2+)", ["load_dotenv()"], { ".env": "X=file\n" }, { PYTHON_DOTENV_DISABLED: "1" }, s("<absent>")],
  ])("%s", (_label, calls, files, vars, expected) => {
    const result = settings(["import os", "from dotenv import load_dotenv"], [...calls, "X = os.environ.get('X', '<absent>')"], files, vars);
    expect(valueOf(result, "X")).toEqual(expected);
  });

  it("the read of a loaded variable names the .env line", () => {
    const result = settings(["import os", "from dotenv import load_dotenv", "load_dotenv()"], ["DEBUG = os.environ.get('DJANGO_DEBUG') == '1'"], { ".env": "# settings\nexport DJANGO_DEBUG=1 # on\n" });
    expect(valueOf(result, "DEBUG")).toEqual(b(true));
    expect(result.values.get("DEBUG")?.envReads).toEqual([
      { name: "DJANGO_DEBUG", via: "os.environ.get", hasDefault: false, provided: true, source: { file: ".env", range: at(".env", 2, 1, 22) }, range: at(S, 4, 9, 39) },
    ]);
  });

  it("when __main__ has no __file__ (uWSGI), find_dotenv starts from the working directory", () => {
    const files = { "proj/__init__.py": "", [S]: "import os\nfrom dotenv import load_dotenv\nload_dotenv()\nX = os.environ.get('X')\n", "run/.env": "X=cwd\n", "proj/.env": "X=module\n" };
    const host = memoryHost(files, "/app", { cwd: "/app/run" });
    expect(valueOf(evaluateModule("proj.settings", host, envOf(), { libraries: { ...NEW, mainWithoutFile: true } }), "X")).toEqual(s("cwd"));
    expect(valueOf(evaluateModule("proj.settings", host, envOf(), { libraries: NEW }), "X")).toEqual(s("module"));
  });

  it("import dotenv; dotenv.load_dotenv()", () => {
    const result = settings(["import os, dotenv"], ["dotenv.load_dotenv()", "X = os.environ['X']"], { ".env": "X=1\n" });
    expect(valueOf(result, "X")).toEqual(s("1"));
  });

  it("distutils' strtobool gives 1 and 0", () => {
    const result = settings(["import os", "from distutils.util import strtobool"], ["A = strtobool(os.environ.get('A', 'yes'))", "B = strtobool('off')", "C = strtobool('maybe')"], {});
    expect([valueOf(result, "A"), valueOf(result, "B"), valueOf(result, "C")]).toEqual([i(1), i(0), u("ValueError: invalid truth value 'maybe'")]);
  });

  it("dotenv_values and find_dotenv", () => {
    const result = settings(["from dotenv import dotenv_values, find_dotenv"], ["V = dotenv_values('/app/x.env')", "F = find_dotenv()", "G = find_dotenv('nope')"], { "x.env": "A=1\nB\n", ".env": "" });
    expect(valueOf(result, "V")).toEqual(dict(["A", s("1")], ["B", none]));
    expect(valueOf(result, "F")).toEqual(s("/app/.env"));
    expect(valueOf(result, "G")).toEqual(s(""));
  });
});

describe("values that are not in the repository", () => {
  const reason = "DEBUG is passed through from the shell (compose `- DEBUG`)";

  it.each<[string, string[], PyValue]>([
    ["os.environ.get with a default", ["import os", "X = os.environ.get('DEBUG', 'False')"], u(reason)],
    ["os.getenv", ["import os", "X = os.getenv('DEBUG')"], u(reason)],
    ["os.environ[]", ["import os", "X = os.environ['DEBUG']"], u(reason)],
    ["'in' os.environ", ["import os", "X = 'DEBUG' in os.environ"], u(reason)],
    ["os.environ.setdefault", ["import os", "X = os.environ.setdefault('DEBUG', '0')"], u(reason)],
    ["django-environ with a default", ["import environ", "X = environ.Env().bool('DEBUG', default=False)"], u(reason)],
    ["decouple with a default", ["from decouple import config", "X = config('DEBUG', default=False, cast=bool)"], u(reason)],
    ["a known variable is still known", ["import os", "X = os.environ.get('OTHER', 'd')"], s("d")],
  ])("%s", (_label, lines, expected) => {
    const result = settings([], lines, {}, {}, NEW, { DEBUG: reason });
    expect(valueOf(result, "X")).toEqual(expected);
  });

  it("the read says why", () => {
    const result = settings(["import os"], ["X = os.environ.get('DEBUG', 'False')"], {}, {}, NEW, { DEBUG: reason });
    expect(result.envReads).toEqual([{ name: "DEBUG", via: "os.environ.get", hasDefault: true, defaultValue: s("False"), provided: false, unknown: reason, range: at(S, 2, 5, 37) }]);
  });

  it("the settings setting a variable themselves make it known again", () => {
    const result = settings(["import os"], ["os.environ['DEBUG'] = '1'", "X = os.environ.get('DEBUG')"], {}, {}, NEW, { DEBUG: reason });
    expect(valueOf(result, "X")).toEqual(s("1"));
  });

  it("a .env whose content is not in the repository makes unset variables unknown, not the defaults", () => {
    const host = memoryHost({ "proj/__init__.py": "", [S]: "import os\nfrom dotenv import load_dotenv\nload_dotenv('/app/.env')\nA = os.environ.get('A', 'default')\nB = os.environ.get('B', 'default')\n" }, "/app", { unknownFiles: { "/app/.env": ".env is bind-mounted from the host and is not in the repository" } });
    const result = evaluateModule("proj.settings", host, envOf({ B: "set" }), { libraries: NEW });
    expect(valueOf(result, "A")).toEqual(u(".env is bind-mounted from the host and is not in the repository"));
    expect(valueOf(result, "B")).toEqual(s("set")); // load_dotenv does not override by default
  });

  it("without readRuntimeFile every file is unknown", () => {
    const host = memoryHost({ "proj/__init__.py": "", [S]: "import os\nfrom dotenv import load_dotenv\nload_dotenv()\nA = os.environ.get('A', 'default')\n" });
    delete (host as { readRuntimeFile?: unknown }).readRuntimeFile;
    const result = evaluateModule("proj.settings", host, envOf(), { libraries: NEW });
    expect(valueOf(result, "A")).toEqual(u("the container's files are not known here (/app/proj/.env)"));
  });
});

describe("star-imports of modelled modules", () => {
  it.each<[string, PyValue]>([
    ["from decouple import *\nX = config('A', default='d')", s("from-file")],
    ["from os import *\nX = environ.get('A', getenv('B', 'b'))", s("b")],
    ["from dotenv import *\nload_dotenv()\nimport os\nX = os.environ.get('A')", s("from-file")],
    ["from os import *\nX = makedirs", u("name makedirs is not defined here; it may come from `from os import *`, which is not evaluated")],
  ])("%s", (code, expected) => {
    expect(valueOf(settings([], [code], { ".env": "A=from-file\n" }), "X")).toEqual(expected);
  });
});

describe("the environment after the settings", () => {
  it("holds what the settings loaded and set, with sources, over the deployment's variables", () => {
    const result = settings(["import os", "import environ"], ["environ.Env.read_env('/app/.env')", "os.environ['SET'] = 'x'", "del os.environ['GONE']"], { ".env": "DJANGO_ALLOW_ASYNC_UNSAFE=1\nKEPT=file\n" }, { KEPT: "env", GONE: "1", OTHER: "o" }, NEW, { PASSED: "passed through" });
    const env = result.environment;
    expect(env?.lookup("DJANGO_ALLOW_ASYNC_UNSAFE")).toEqual({ kind: "set", value: "1", source: { file: ".env", range: at(".env", 1, 1, 28) } });
    expect(env?.lookup("KEPT")).toEqual({ kind: "set", value: "env" });
    expect(env?.lookup("SET")).toEqual({ kind: "set", value: "x" });
    expect(env?.lookup("GONE")).toEqual({ kind: "absent" });
    expect(env?.lookup("OTHER")).toEqual({ kind: "set", value: "o" });
    expect(env?.lookup("PASSED")).toEqual({ kind: "unknown", reason: "passed through" });
    expect(env?.changed).toEqual(["DJANGO_ALLOW_ASYNC_UNSAFE", "SET", "GONE"]);
  });
});
