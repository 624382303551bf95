import { describe, expect, it } from "vitest";
import type { LibraryOptions } from "../../src/python/evaluate.js";
import { toolAvailable } from "../support/tools.js";
import { LIBRARIES_PROBE, installedLibraries, runOracle, settingsSource } from "./oracle.js";

/**
 * The three env libraries as Debian installs them (django-environ 0.4.4, python-decouple
 * 3.6, python-dotenv 0.21) run on the same files and environment as our evaluator: every
 * value must have the same repr() on both sides. Our evaluation is told the installed
 * versions, so these tests pin the Debian releases' semantics; newer releases are covered
 * by table tests written from their source (env-libraries.test.ts).
 */

const available = toolAvailable("python3-django-environ", LIBRARIES_PROBE);
const debian: LibraryOptions = available ? installedLibraries() : {};

/**
 * Optional: DPL_NEWEST_LIBS names a directory holding source checkouts of the newest
 * releases (`environ/`, `decouple.py`, `dotenv/`); the same cases then run against them
 * with the newest semantics (DPL_ENVIRON_VERSION overrides the django-environ version the
 * checkout is, e.g. 0.11.2). Not set in CI (no network); run by hand when a release changes.
 */
const newestPath = process.env.DPL_NEWEST_LIBS;
const newest: LibraryOptions = { ...debian, versions: { "django-environ": process.env.DPL_ENVIRON_VERSION ?? "0.12.0", "python-decouple": "3.8", "python-dotenv": "1.2.2" } };

interface Case {
  label: string;
  files: Record<string, string>;
  env: Record<string, string>;
  prelude: string;
  exprs: string[];
  cwd?: string;
}

function checkWith(c: Case, libraries: LibraryOptions, libraryPath: string | undefined): void {
  const files = { "proj/__init__.py": "", ...c.files, "proj/settings.py": settingsSource(c.prelude, c.exprs) };
  const names = c.exprs.map((_, i) => `V${i}`);
  const run = runOracle(files, "proj.settings", names, c.env, libraries, { ...(c.cwd !== undefined ? { cwd: c.cwd } : {}), ...(libraryPath !== undefined ? { libraryPath } : {}) });
  const table = names.map((n, i) => `${c.exprs[i]}  →  python ${run.python[n]} | ours ${run.ours[n]}`);
  expect(run.python.__import__, "the settings import in Python").toBeUndefined();
  expect(names.map((n) => run.ours[n]), table.join("\n")).toEqual(names.map((n) => run.python[n]));
}

const ENVIRON_DOTENV = [
  "DEBUG=on",
  "INT=42",
  "NEG=-7",
  "FLOAT=1,234.5",
  "LIST=a,b,,c",
  "TUPLE=(a,b)",
  "DICT=a=1,b=2",
  "QUOTED='single q'",
  'DQUOTED="a\\"b\\nc"',
  "COMMENT=value # not a comment in 0.4.4",
  "export EXPORTED=1",
  "SPACED = x",
  "PROXY=$INT",
  "EMPTY=",
  "DATABASE_URL=postgres://user:p%40ss+word@db.example:5432/app?conn_max_age=600&sslmode=require",
  "MYSQL_URL=mysql://root:secret@MySQL:3306/shop",
  "SQLITE_URL=sqlite:////data/db.sqlite3",
  "MEMORY_URL=sqlite://:memory:",
  "REDIS_URL=redis://cache:6379/1",
  "MEMCACHE_URL=memcache://m1:11211,m2:11211",
  "FILECACHE_URL=filecache:///var/tmp/cache",
  "DUP=first",
  "DUP=second",
  "TRUEISH=yes",
  "FALSEISH=off",
  "ZERO=0",
  "BOOLSPACE= true",
  "",
].join("\n");

const ENVIRON_PRELUDE = [
  "import os",
  "import environ",
  "env = environ.Env(SCHEMED=(bool, True), SCHEME_INT=(int, 5), SCHEME_LIST=(list, ['x']), CAST_ONLY=int)",
  "environ.Env.read_env(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), '.env'))",
  "root = environ.Path(__file__) - 2",
].join("\n");

const ENVIRON_EXPRS = [
  "env('DEBUG')",
  "env.bool('DEBUG')",
  "env.bool('TRUEISH')",
  "env.bool('FALSEISH')",
  "env.bool('ZERO')",
  "env.bool('BOOLSPACE')",
  "env.bool('MISSING', default=False)",
  "env.bool('MISSING', default='False')",
  "env('MISSING', default=False)",
  "env('INT', default=0)",
  "env.int('INT')",
  "env.int('NEG')",
  "env.int('DEBUG')",
  "env.float('FLOAT')",
  "env.str('INT')",
  "env.list('LIST')",
  "env.list('LIST', cast=str)",
  "env.tuple('TUPLE')",
  "env.dict('DICT')",
  "env('QUOTED')",
  "env('DQUOTED')",
  "env('COMMENT')",
  "env('EXPORTED', default='<absent>')",
  "env('SPACED', default='<absent>')",
  "env('PROXY')",
  "env.int('PROXY')",
  "env('EMPTY')",
  "env('EMPTY', default=None)",
  "env('DUP')",
  "env('SCHEMED')",
  "env('SCHEME_INT')",
  "env('SCHEME_LIST')",
  "env('CAST_ONLY', default='3')",
  "env('MISSING')",
  "env.str('MISSING')",
  "env.db()",
  "env.db('MYSQL_URL')",
  "env.db('SQLITE_URL')",
  "env.db('MEMORY_URL')",
  "env.db_url('MISSING_DB', default='postgres://localhost/x')",
  "env.cache('REDIS_URL')",
  "env.cache('MEMCACHE_URL')",
  "env.cache('FILECACHE_URL')",
  "env.cache('MISSING', default='locmemcache://')",
  "env.json('MISSING', default='{}')",
  "root('static')",
  "str(root.path('media'))",
  "os.environ.get('DEBUG')",
  "'INT' in os.environ",
];

const DECOUPLE_PRELUDE = ["from decouple import config, Csv, Choices", "from decouple import AutoConfig"].join("\n");

const DECOUPLE_EXPRS = [
  "config('SECRET_KEY')",
  "config('DEBUG', cast=bool)",
  "config('DEBUG_WORD', cast=bool)",
  "config('EMPTY', cast=bool)",
  "config('MAYBE', cast=bool)",
  "config('MISSING', default=False, cast=bool)",
  "config('MISSING', default='no', cast=bool)",
  "config('MISSING', default=None)",
  "config('MISSING')",
  "config('PORT', cast=int)",
  "config('PORT', default=1, cast=int)",
  "config('HOSTS', cast=Csv())",
  "config('HOSTS_QUOTED', cast=Csv())",
  "config('HOSTS', cast=Csv(post_process=tuple))",
  "config('NUMBERS', cast=Csv(int))",
  "config('SPACED_LIST', cast=Csv(delimiter=' '))",
  "config('COMMENT_LIST', cast=Csv())",
  "config('MISSING', default='a, b', cast=Csv())",
  "config('MISSING', default='', cast=Csv())",
  "config('MODE', cast=Choices(['dev', 'prod']))",
  "config('MODE', cast=Choices(['dev']))",
  "config('QUOTED')",
  "config('INLINE')",
  "config('SPACES')",
  "config('EXPORTED', default='<absent>')",
  "config('FROM_ENV')",
];

const DECOUPLE_DOTENV = [
  "# decouple's own reader",
  "SECRET_KEY = s3cr3t=with=equals ",
  "DEBUG=True",
  "DEBUG_WORD=on",
  "EMPTY=",
  "MAYBE=maybe",
  "PORT=5432",
  "HOSTS=a.example, b.example,,c.example",
  "HOSTS_QUOTED='one,two', three",
  "NUMBERS=1,2,3",
  "SPACED_LIST=a b  c",
  "COMMENT_LIST=a,b # c,d",
  "MODE=prod",
  "QUOTED=\"quoted value\"",
  "INLINE=value # kept",
  "SPACES =   padded   ",
  "export EXPORTED=1",
  "FROM_ENV=file",
  "",
].join("\n");

const DOTENV_PRELUDE = ["import os", "from dotenv import load_dotenv, dotenv_values, find_dotenv", "LOADED = load_dotenv()"].join("\n");

const DOTENV_FILE = [
  "# python-dotenv",
  "PLAIN=value",
  "export EXPORTED=yes",
  "SPACED = padded value   # comment",
  "HASH=ab#cd",
  "SINGLE='it\\'s \\n raw'",
  'DOUBLE="line1\\nline2 \\"q\\""',
  'MULTI="first',
  'second"',
  "REF=${PLAIN}-${MISSING:-fallback}-${FROM_ENV}",
  "NOVALUE",
  "EMPTY=",
  "BROKEN=\"unterminated' x",
  "FROM_ENV=file",
  "AFTER=ok",
  "'QUOTED_KEY'=qk",
  "",
].join("\n");

const DOTENV_EXPRS = [
  "LOADED",
  "os.environ.get('PLAIN')",
  "os.environ.get('EXPORTED')",
  "os.environ.get('SPACED')",
  "os.environ.get('HASH')",
  "os.environ.get('SINGLE')",
  "os.environ.get('DOUBLE')",
  "os.environ.get('MULTI')",
  "os.environ.get('REF')",
  "os.environ.get('NOVALUE', '<absent>')",
  "os.environ.get('EMPTY')",
  "os.environ.get('BROKEN', '<absent>')",
  "os.environ.get('FROM_ENV')",
  "os.environ.get('AFTER')",
  "os.environ.get('QUOTED_KEY')",
  "dict(dotenv_values(os.path.join(os.path.dirname(__file__), 'other.env')))",
  "find_dotenv()",
  "find_dotenv('other.env')",
];

const RUNS: [string, boolean, LibraryOptions, string | undefined][] = [
  ["Debian's releases", available, debian, undefined],
  ["the newest releases (DPL_NEWEST_LIBS)", available && newestPath !== undefined, newest, newestPath],
];

describe.each(RUNS)("real django-environ, python-decouple and python-dotenv agree with the evaluator: %s", (_label, enabled, options, path) => {
  if (!enabled) {
    it.skip("library checkout not available", () => {});
    return;
  }
  const check = (c: Case) => checkWith(c, options, path);

  it("django-environ: Env readers, read_env, db/cache URLs, Path", () => {
    check({ label: "environ", files: { ".env": ENVIRON_DOTENV }, env: { INT: "7", DEBUG_FROM_ENV: "1" }, prelude: ENVIRON_PRELUDE, exprs: ENVIRON_EXPRS });
  });

  it("django-environ: the process environment wins over read_env", () => {
    check({ label: "environ-env-wins", files: { ".env": "DEBUG=off\nPORT=1\n" }, env: { DEBUG: "yes" }, prelude: ENVIRON_PRELUDE, exprs: ["env.bool('DEBUG')", "env.int('PORT')"] });
  });

  it("django-environ: read_env() without a path reads .env next to the calling module", () => {
    check({
      label: "environ-default",
      files: { "proj/.env": "NEXT_TO_SETTINGS=1\n", ".env": "AT_ROOT=1\n" },
      env: {},
      prelude: "import environ\nenv = environ.Env()\nenviron.Env.read_env()",
      exprs: ["env('NEXT_TO_SETTINGS', default='<absent>')", "env('AT_ROOT', default='<absent>')"],
    });
  });

  it("python-decouple: config from .env found upwards from the calling module", () => {
    check({ label: "decouple-env", files: { ".env": DECOUPLE_DOTENV }, env: { FROM_ENV: "environment" }, prelude: DECOUPLE_PRELUDE, exprs: DECOUPLE_EXPRS });
  });

  it("python-decouple: settings.ini wins over .env in the same directory", () => {
    const ini = ["[settings]", "SECRET_KEY = from-ini", "DEBUG: off", "PERCENT = 100%%", "REF = %(secret_key)s!", "MULTI = a", "  b", "", "; comment", "EMPTY =", "[other]", "X = 1", ""].join("\n");
    check({
      label: "decouple-ini",
      files: { "settings.ini": ini, ".env": "SECRET_KEY=from-env\n" },
      env: {},
      prelude: DECOUPLE_PRELUDE,
      exprs: ["config('SECRET_KEY')", "config('secret_key')", "config('DEBUG', cast=bool)", "config('PERCENT')", "config('REF')", "config('MULTI')", "config('EMPTY', cast=bool)", "config('X', default='<absent>')"],
    });
  });

  it("python-decouple: the nearest file wins, and the root directory's are not read", () => {
    check({
      label: "decouple-nearest",
      files: { "proj/.env": "WHERE=proj\n", ".env": "WHERE=app\nONLY_APP=1\n" },
      env: {},
      prelude: DECOUPLE_PRELUDE,
      exprs: ["config('WHERE')", "config('ONLY_APP', default='<absent>')"],
    });
  });

  it("python-dotenv: load_dotenv() finds .env, parses and expands it; the environment wins", () => {
    check({ label: "dotenv", files: { ".env": DOTENV_FILE, "proj/other.env": "A=1\nB=${A}2\nC\n" }, env: { FROM_ENV: "env" }, prelude: DOTENV_PRELUDE, exprs: DOTENV_EXPRS });
  });

  it("python-dotenv: override=True replaces, interpolate=False keeps ${}", () => {
    check({
      label: "dotenv-override",
      files: { "conf/prod.env": "X=file\nY=${X}\n" },
      env: { X: "env" },
      prelude: "import os\nfrom pathlib import Path\nfrom dotenv import load_dotenv\nBASE = Path(__file__).resolve().parent.parent\nload_dotenv(BASE / 'conf' / 'prod.env', override=True, interpolate=False)",
      exprs: ["os.environ['X']", "os.environ['Y']"],
    });
  });

  it("python-dotenv: a relative path is read from the working directory", () => {
    check({
      label: "dotenv-relative",
      files: { "conf/prod.env": "X=relative\n" },
      env: {},
      cwd: "conf",
      prelude: "import os\nfrom dotenv import load_dotenv\nload_dotenv('prod.env')",
      exprs: ["os.environ.get('X')"],
    });
  });

  it("cookiecutter-django-style split settings: base reads .env when told to, production builds on it", () => {
    const base = [
      "from pathlib import Path",
      "import environ",
      "ROOT_DIR = Path(__file__).resolve(strict=True).parent.parent",
      "env = environ.Env()",
      "READ_DOT_ENV_FILE = env.bool('DJANGO_READ_DOT_ENV_FILE', default=False)",
      "if READ_DOT_ENV_FILE:",
      "    env.read_env(str(ROOT_DIR / '.env'))",
      "DEBUG = env.bool('DJANGO_DEBUG', False)",
      "DATABASES = {'default': env.db('DATABASE_URL', default='postgres:///app')}",
      "DATABASES['default']['ATOMIC_REQUESTS'] = True",
      "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware', 'django.middleware.common.CommonMiddleware']",
      "",
    ].join("\n");
    check({
      label: "cookiecutter",
      files: { "proj/base.py": base, ".env": "DJANGO_DEBUG=off\nDATABASE_URL=postgres://u:pw@postgres:5432/app\nDJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS=no\n" },
      env: { DJANGO_READ_DOT_ENV_FILE: "True" },
      prelude: [
        "from .base import *  # noqa",
        "from .base import env",
        "DATABASES['default']['CONN_MAX_AGE'] = env.int('CONN_MAX_AGE', default=60)",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool('DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS', default=True)",
        "MIDDLEWARE.insert(1, 'whitenoise.middleware.WhiteNoiseMiddleware')",
        "INSTALLED_APPS = [app for app in ['django.contrib.admin', 'debug_toolbar'] if DEBUG or app != 'debug_toolbar']",
      ].join("\n"),
      exprs: ["DEBUG", "DATABASES", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "MIDDLEWARE", "INSTALLED_APPS", "'%s:%s' % (DATABASES['default']['HOST'], DATABASES['default']['PORT'])"],
    });
  });

  it("the libraries together: dotenv first, then environ and decouple read the same environment", () => {
    check({
      label: "together",
      files: { ".env": "DEBUG=0\nALLOWED_HOSTS=a.example,b.example\nSECRET_KEY=k\n" },
      env: {},
      prelude: "import environ\nfrom dotenv import load_dotenv\nfrom decouple import config, Csv\nload_dotenv()\nenv = environ.Env()",
      exprs: ["env.bool('DEBUG')", "config('DEBUG', cast=bool)", "env.list('ALLOWED_HOSTS')", "config('ALLOWED_HOSTS', cast=Csv())", "env('DEBUG', default=False)"],
    });
  });
});
