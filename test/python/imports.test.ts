import { describe, expect, it } from "vitest";
import { evaluateModule } from "../../src/python/evaluate.js";
import type { PyValue } from "../../src/python/values.js";
import { at, envOf, memoryHost } from "./helpers.js";

const s = (value: string): PyValue => ({ kind: "str", value });
const i = (value: number): PyValue => ({ kind: "int", value });
const b = (value: boolean): PyValue => ({ kind: "bool", value });
const u = (reason: string): PyValue => ({ kind: "unknown", reason });
const list = (...items: PyValue[]): PyValue => ({ kind: "list", items });

const BASE = [
  "import os", // 1
  "from pathlib import Path", // 2
  "", // 3
  "BASE_DIR = Path(__file__).resolve().parent.parent.parent", // 4
  "DEBUG = True", // 5
  'SECRET_KEY = os.environ.get("SECRET_KEY")', // 6
  'STATIC_ROOT = BASE_DIR / "static"', // 7
  "_PRIVATE = 1", // 8
  'INSTALLED_APPS = ["django.contrib.admin"]', // 9
  "",
].join("\n");

const PROD = [
  "from .base import *", // 1
  "from .base import DEBUG as BASE_DEBUG", // 2
  "DEBUG = False", // 3
  'INSTALLED_APPS += ["storages"]', // 4
  'ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")', // 5
  "",
].join("\n");

const PROJECT = {
  "proj/__init__.py": "",
  "proj/settings/__init__.py": "",
  "proj/settings/base.py": BASE,
  "proj/settings/prod.py": PROD,
};

describe("star-import chain base → prod", () => {
  const host = memoryHost(PROJECT);
  const result = evaluateModule("proj.settings.prod", host, envOf({ ALLOWED_HOSTS: "a.example,b.example" }));
  const base = "proj/settings/base.py";
  const prod = "proj/settings/prod.py";

  it.each<[string, PyValue, ReturnType<typeof at>]>([
    ["DEBUG", b(false), at(prod, 3, 1, 6)],
    ["BASE_DEBUG", b(true), at(base, 5, 1, 6)],
    ["SECRET_KEY", { kind: "none" }, at(base, 6, 1, 11)],
    ["STATIC_ROOT", { kind: "path", value: "/app/static" }, at(base, 7, 1, 12)],
    ["BASE_DIR", { kind: "path", value: "/app" }, at(base, 4, 1, 9)],
    ["INSTALLED_APPS", list(s("django.contrib.admin"), s("storages")), at(prod, 4, 1, 15)],
    ["ALLOWED_HOSTS", list(s("a.example"), s("b.example")), at(prod, 5, 1, 14)],
    ["os", u("module os is not a plain value"), at(base, 1, 8, 10)],
  ])("%s", (name, value, range) => {
    expect(result.values.get(name)?.value).toEqual(value);
    expect(result.values.get(name)?.range).toEqual(range);
  });

  it("does not copy private names", () => {
    expect(result.values.has("_PRIVATE")).toBe(false);
  });

  it("reports the modules evaluated, the entry first, and each file is loaded once", () => {
    expect(result.module).toBe("proj.settings.prod");
    expect(result.file).toBe(prod);
    expect(result.modules).toEqual([
      { module: "proj.settings.prod", file: prod },
      { module: "proj", file: "proj/__init__.py" },
      { module: "proj.settings", file: "proj/settings/__init__.py" },
      { module: "proj.settings.base", file: base },
    ]);
    expect(host.loads.get(base)).toBe(1);
    expect(result.problems).toEqual([]);
  });

  it("records env reads of every module in evaluation order", () => {
    expect(result.envReads).toEqual([
      { name: "SECRET_KEY", via: "os.environ.get", hasDefault: false, provided: false, range: at(base, 6, 14, 42) },
      { name: "ALLOWED_HOSTS", via: "os.environ[]", hasDefault: false, provided: true, range: at(prod, 5, 17, 44) },
    ]);
    expect(result.values.get("SECRET_KEY")?.envReads).toEqual([result.envReads[0]]);
    expect(result.values.get("ALLOWED_HOSTS")?.envReads).toEqual([result.envReads[1]]);
  });
});

describe("package __init__.py star-importing topic modules", () => {
  const files = {
    "intel/__init__.py": "",
    "intel/settings/__init__.py": "from .commons import *\nfrom .db import *\nfrom .security import *\n",
    "intel/settings/commons.py": 'import os\nDEBUG = os.environ.get("DEBUG", "False") == "True"\n',
    "intel/settings/db.py": 'import os\nfrom .commons import DEBUG\nDATABASES = {"default": {"HOST": os.environ.get("DB_HOST", "postgres"), "DEBUG": DEBUG}}\n',
    "intel/settings/_helpers.py": "def secret(name):\n    return open(name).read()\n",
    "intel/settings/security.py": 'from ._helpers import secret\nSECRET_KEY = secret("/run/secrets/key")\n',
  };
  const result = evaluateModule("intel.settings", memoryHost(files), envOf({ DEBUG: "True" }));

  it.each<[string, PyValue, ReturnType<typeof at>]>([
    ["DEBUG", b(true), at("intel/settings/commons.py", 2, 1, 6)],
    [
      "DATABASES",
      { kind: "dict", entries: [{ key: s("default"), value: { kind: "dict", entries: [{ key: s("HOST"), value: s("postgres") }, { key: s("DEBUG"), value: b(true) }] } }] },
      at("intel/settings/db.py", 3, 1, 10),
    ],
    ["SECRET_KEY", u("call to secret() is not evaluated"), at("intel/settings/security.py", 2, 1, 11)],
    ["secret", u("function secret is not a plain value"), at("intel/settings/_helpers.py", 1, 5, 11)],
  ])("%s", (name, value, range) => {
    expect(result.values.get(name)?.value).toEqual(value);
    expect(result.values.get(name)?.range).toEqual(range);
  });

  it("a value built from another setting carries that setting's env reads", () => {
    // In evaluation order: the HOST value is read before the DEBUG name is looked up.
    expect(result.values.get("DATABASES")?.envReads.map((r) => r.name)).toEqual(["DB_HOST", "DEBUG"]);
  });

  it("evaluates the package first and each topic once", () => {
    expect(result.modules.map((m) => m.module)).toEqual(["intel.settings", "intel", "intel.settings.commons", "intel.settings.db", "intel.settings.security", "intel.settings._helpers"]);
    expect(result.envReads.map((r) => r.name)).toEqual(["DEBUG", "DB_HOST"]);
    expect(result.problems).toEqual([]);
  });
});

describe("import forms", () => {
  it.each<[string, Record<string, string>, string, PyValue]>([
    ["__all__ limits a star-import", { "m/__init__.py": "", "m/a.py": "__all__ = ['A']\nA = 1\nB = 2\n", "m/b.py": "from .a import *\nX = [A, 'B' in dir()]\n" }, "m.b", list(i(1), u("call to dir() is not evaluated"))],
    ["names outside __all__ stay undefined", { "m/__init__.py": "", "m/a.py": "__all__ = ('A',)\nA = 1\nB = 2\n", "m/b.py": "from .a import *\nX = B\n" }, "m.b", u("NameError: name 'B' is not defined")],
    ["from ..shared import *", { "p/__init__.py": "", "p/shared.py": "X = 'shared'\n", "p/settings/__init__.py": "", "p/settings/prod.py": "from ..shared import *\n" }, "p.settings.prod", s("shared")],
    ["absolute star-import", { "p/__init__.py": "", "p/settings/__init__.py": "", "p/settings/base.py": "X = 'base'\n", "p/settings/prod.py": "from p.settings.base import *\n" }, "p.settings.prod", s("base")],
    ["import a.b.c binds a", { "p/__init__.py": "", "p/settings/__init__.py": "", "p/settings/base.py": "Y = 'y'\n", "p/settings/prod.py": "import p.settings.base\nX = p.settings.base.Y\n" }, "p.settings.prod", s("y")],
    ["import a.b as c", { "p/__init__.py": "", "p/conf.py": "Y = 2\n", "main.py": "import p.conf as c\nX = c.Y\n" }, "main", i(2)],
    ["from . import sibling", { "p/__init__.py": "", "p/base.py": "Y = 3\n", "p/prod.py": "from . import base\nX = base.Y\n" }, "p.prod", i(3)],
    ["namespace package (no __init__.py)", { "ns/conf.py": "Y = 4\n", "main.py": "from ns.conf import Y as X\n" }, "main", i(4)],
    ["package __init__ reads its own submodule", { "p/__init__.py": "from . import sub\nX = sub.Y\n", "p/sub.py": "Y = 5\n" }, "p", i(5)],
    ["from os import path, environ, getenv", { "main.py": "from os import path, environ, getenv\nX = [path.join('/a', 'b'), environ.get('NOPE', 'd'), getenv('NOPE')]\n" }, "main", list(s("/a/b"), s("d"), { kind: "none" })],
    ["from os.path import join, dirname", { "main.py": "from os.path import join, dirname\nX = join(dirname('/a/b/c'), 'd')\n" }, "main", s("/a/b/d")],
    ["import posixpath", { "main.py": "import posixpath\nX = posixpath.join('/a', 'b')\n" }, "main", s("/a/b")],
    ["third-party module", { "main.py": "import configurations\nvalues = configurations.Values(DEBUG=(bool, False))\nX = values('DEBUG')\n" }, "main", u("call to values() is not evaluated")],
    ["third-party call", { "main.py": "import configurations\nX = configurations.Values(DEBUG=(bool, False))\n" }, "main", u("call to configurations.Values() is not evaluated")],
    ["a repository module shadows an env library", { "environ.py": "def Env(**kw):\n    pass\n", "main.py": "import environ\nX = environ.Env(DEBUG=(bool, False))\n" }, "main", u("call to Env() is not evaluated")],
    ["third-party name", { "main.py": "from django.core.exceptions import ImproperlyConfigured as X\n" }, "main", u("django.core.exceptions.ImproperlyConfigured comes from an import that is not evaluated")],
    ["third-party star-import", { "main.py": "from celery.schedules import *\nX = crontab(minute=0)\n" }, "main", u("name crontab is not defined here; it may come from `from celery.schedules import *`, which is not evaluated")],
  ])("%s", (_label, files, entry, expected) => {
    const result = evaluateModule(entry, memoryHost(files), envOf());
    expect(result.values.get("X")?.value).toEqual(expected);
    expect(result.problems).toEqual([]);
  });

  it("a call on a third-party module still records the env reads in its arguments", () => {
    // vendor_database is not a library we model (dj_database_url now is: see dj-database-url.test.ts).
    const text = 'import os\nimport vendor_database\nDATABASES = {"default": vendor_database.config(default=os.environ["DATABASE_URL"])}\n';
    const result = evaluateModule("main", memoryHost({ "main.py": text }), envOf({ DATABASE_URL: "postgres://db/app" }));
    expect(result.values.get("DATABASES")?.value).toEqual({
      kind: "dict",
      entries: [{ key: s("default"), value: u("call to vendor_database.config() is not evaluated") }],
    });
    expect(result.values.get("DATABASES")?.envReads).toEqual([
      { name: "DATABASE_URL", via: "os.environ[]", hasDefault: false, provided: true, range: at("main.py", 3, 56, 82) },
    ]);
  });
});

describe("imports that cannot be resolved", () => {
  const files = {
    "proj/__init__.py": "",
    "proj/settings/__init__.py": "",
    "proj/settings/base.py": "DEBUG = True\n",
    "proj/settings/prod.py": [
      "from .base import *", // 1
      "from .local import *", // 2
      "from .base import NOPE", // 3
      "import proj.settings.nothing", // 4
      "from . import missing_mod", // 5
      "AFTER = DEBUG", // 6
      "",
    ].join("\n"),
  };
  const result = evaluateModule("proj.settings.prod", memoryHost(files), envOf());
  const prod = "proj/settings/prod.py";

  it("reports each as a problem at the import, and evaluation goes on", () => {
    expect(result.problems).toEqual([
      { range: at(prod, 2, 6, 12), message: "cannot resolve import .local: No module named 'proj.settings.local'" },
      { range: at(prod, 3, 19, 23), message: "cannot resolve import .base: cannot import name 'NOPE' from 'proj.settings.base'" },
      { range: at(prod, 4, 8, 29), message: "cannot resolve import proj.settings.nothing: No module named 'proj.settings.nothing'" },
      { range: at(prod, 5, 15, 26), message: "cannot resolve import .: cannot import name 'missing_mod' from 'proj.settings'" },
    ]);
    expect(result.values.get("AFTER")?.value).toEqual(b(true));
  });

  it("binds the names such an import should have bound to unknown", () => {
    expect(result.values.get("NOPE")?.value).toEqual(u("import failed: cannot import name 'NOPE' from 'proj.settings.base'"));
    expect(result.values.get("NOPE")?.range).toEqual(at(prod, 3, 19, 23));
    expect(result.values.get("proj")?.value).toEqual(u("import failed: No module named 'proj.settings.nothing'"));
  });

  it("a missing entry module is a problem, not a crash", () => {
    const r = evaluateModule("nowhere.settings", memoryHost({}), envOf());
    expect(r.file).toBe("nowhere/settings.py");
    expect(r.values.size).toBe(0);
    expect(r.problems).toEqual([{ range: at("nowhere/settings.py", 1, 1, 1), message: "cannot resolve settings module nowhere.settings" }]);
  });
});

describe("cycles and depth", () => {
  it("an import cycle is a problem at the closing import, not a hang", () => {
    const files = { "p/__init__.py": "", "p/a.py": "from .b import *\nA = 1\n", "p/b.py": "from .a import *\nB = 2\n" };
    const result = evaluateModule("p.a", memoryHost(files), envOf());
    expect(result.problems).toEqual([{ range: at("p/b.py", 1, 6, 8), message: "import cycle: p.a → p.b → p.a; p.a is only partly evaluated at this point" }]);
    expect(result.values.get("A")?.value).toEqual(i(1));
    expect(result.values.get("B")?.value).toEqual(i(2));
  });

  it("a name not yet defined in a partly evaluated module is unknown", () => {
    const files = { "p/__init__.py": "", "p/a.py": "from .b import *\nA = 1\n", "p/b.py": "from .a import A\nB = A\n" };
    const result = evaluateModule("p.a", memoryHost(files), envOf());
    expect(result.values.get("B")?.value).toEqual(u("A is not yet defined in p.a (import cycle)"));
    expect(result.problems.map((p) => p.message)).toEqual(["import cycle: p.a → p.b → p.a; p.a is only partly evaluated at this point"]);
  });

  it("imports deeper than maxImportDepth stop with a problem", () => {
    const files: Record<string, string> = { "p/__init__.py": "" };
    for (let n = 0; n < 40; n++) files[`p/m${n}.py`] = `from .m${n + 1} import *\nV${n} = ${n}\n`;
    files["p/m40.py"] = "V40 = 40\n";
    const result = evaluateModule("p.m0", memoryHost(files), envOf());
    expect(result.problems).toEqual([{ range: at("p/m31.py", 1, 6, 10), message: "import depth limit of 32 modules exceeded importing p.m32" }]);
    expect(result.values.get("V31")?.value).toEqual(i(31));
    expect(result.values.has("V32")).toBe(false);

    const shallow = evaluateModule("p.m0", memoryHost(files), envOf(), { maxImportDepth: 3 });
    expect(shallow.problems).toEqual([{ range: at("p/m2.py", 1, 6, 9), message: "import depth limit of 3 modules exceeded importing p.m3" }]);
    expect([...shallow.values.keys()]).toEqual(["V2", "V1", "V0"]);
  });
});

describe("openNamespace: names the settings may define where we cannot see", () => {
  const open = (files: Record<string, string>) => evaluateModule("proj.settings", memoryHost({ "proj/__init__.py": "", ...files }), envOf()).openNamespace;
  it("is set by split_settings' include(), a star-import of code we do not evaluate, globals().update and exec", () => {
    expect(open({ "proj/settings.py": 'from split_settings.tools import include\ninclude("base.py")\n' })).toBe(
      "include(...) at proj/settings.py:2 may define settings that are not evaluated",
    );
    expect(open({ "proj/settings.py": "from vendor.settings import *\n" })).toBe("`from vendor.settings import *` at proj/settings.py:1 is not evaluated");
    expect(open({ "proj/settings.py": "globals().update({'DEBUG': True})\n" })).toBe("globals().update(...) at proj/settings.py:1 may define settings that are not evaluated");
    expect(open({ "proj/settings.py": "exec(open('x').read())\n" })).toBe("exec(...) at proj/settings.py:1 may define settings that are not evaluated");
  });

  it("is not set by ordinary module-level calls or star-imports of repository modules and os", () => {
    expect(open({ "proj/settings.py": "import sentry_sdk\nfrom os import *\nfrom .base import *\nsentry_sdk.init(dsn='x')\n", "proj/base.py": "DEBUG = False\n" })).toBeUndefined();
  });
});
