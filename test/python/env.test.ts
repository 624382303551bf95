import { describe, expect, it } from "vitest";
import type { EnvRead } from "../../src/python/evaluate.js";
import type { PyValue } from "../../src/python/values.js";
import { at, evalSource, valueOf } from "./helpers.js";

const s = (value: string): PyValue => ({ kind: "str", value });
const i = (value: number): PyValue => ({ kind: "int", value });
const b = (value: boolean): PyValue => ({ kind: "bool", value });
const none: PyValue = { kind: "none" };
const u = (reason: string): PyValue => ({ kind: "unknown", reason });

type ReadFields = Omit<EnvRead, "range">;

describe("env reads", () => {
  const prelude = "import os\nfrom os import environ, getenv\n";
  // [expression, the read's call/subscript text, environment, value, read]
  it.each<[string, string, Record<string, string>, PyValue, ReadFields]>([
    ["os.environ.get('A')", "os.environ.get('A')", { A: "1" }, s("1"), { name: "A", via: "os.environ.get", hasDefault: false, provided: true }],
    ["os.environ.get('A')", "os.environ.get('A')", {}, none, { name: "A", via: "os.environ.get", hasDefault: false, provided: false }],
    ["os.environ.get('A', 'd')", "os.environ.get('A', 'd')", {}, s("d"), { name: "A", via: "os.environ.get", hasDefault: true, defaultValue: s("d"), provided: false }],
    ["os.environ.get('A', 'd')", "os.environ.get('A', 'd')", { A: "v" }, s("v"), { name: "A", via: "os.environ.get", hasDefault: true, defaultValue: s("d"), provided: true }],
    ["os.environ.get('A', False)", "os.environ.get('A', False)", {}, b(false), { name: "A", via: "os.environ.get", hasDefault: true, defaultValue: b(false), provided: false }],
    ["os.environ.get('A', None)", "os.environ.get('A', None)", {}, none, { name: "A", via: "os.environ.get", hasDefault: true, defaultValue: none, provided: false }],
    ["os.getenv('A')", "os.getenv('A')", {}, none, { name: "A", via: "os.getenv", hasDefault: false, provided: false }],
    ["os.getenv('A', default='x')", "os.getenv('A', default='x')", {}, s("x"), { name: "A", via: "os.getenv", hasDefault: true, defaultValue: s("x"), provided: false }],
    ["os.environ['A']", "os.environ['A']", { A: "" }, s(""), { name: "A", via: "os.environ[]", hasDefault: false, provided: true }],
    ["os.environ['A']", "os.environ['A']", {}, u("KeyError: A is not set"), { name: "A", via: "os.environ[]", hasDefault: false, provided: false, fatal: "KeyError: A is not set" }],
    ["environ.get('A', 'd')", "environ.get('A', 'd')", {}, s("d"), { name: "A", via: "os.environ.get", hasDefault: true, defaultValue: s("d"), provided: false }],
    ["environ['A']", "environ['A']", { A: "x" }, s("x"), { name: "A", via: "os.environ[]", hasDefault: false, provided: true }],
    ["getenv('A')", "getenv('A')", { A: "g" }, s("g"), { name: "A", via: "os.getenv", hasDefault: false, provided: true }],
    ["os.environ.setdefault('A', 'x')", "os.environ.setdefault('A', 'x')", {}, s("x"), { name: "A", via: "os.environ.setdefault", hasDefault: true, defaultValue: s("x"), provided: false }],
    ["os.environ.setdefault('A', 'x')", "os.environ.setdefault('A', 'x')", { A: "set" }, s("set"), { name: "A", via: "os.environ.setdefault", hasDefault: true, defaultValue: s("x"), provided: true }],
    ["'A' in os.environ", "'A' in os.environ", { A: "1" }, b(true), { name: "A", via: "in os.environ", hasDefault: true, provided: true }],
    ["'A' not in os.environ", "'A' not in os.environ", {}, b(true), { name: "A", via: "in os.environ", hasDefault: true, provided: false }],
    ["int(os.environ.get('PORT', 5432))", "os.environ.get('PORT', 5432)", {}, i(5432), { name: "PORT", via: "os.environ.get", hasDefault: true, defaultValue: i(5432), provided: false }],
    ["int(os.environ.get('PORT', 5432))", "os.environ.get('PORT', 5432)", { PORT: "6543" }, i(6543), { name: "PORT", via: "os.environ.get", hasDefault: true, defaultValue: i(5432), provided: true }],
    ["int(os.environ.get('PORT', 'x'))", "os.environ.get('PORT', 'x')", {}, u("ValueError: invalid literal for int() with base 10: 'x'"), { name: "PORT", via: "os.environ.get", hasDefault: true, defaultValue: s("x"), provided: false }],
    ["os.environ.get('DEBUG', 'False').lower() in ('true', '1')", "os.environ.get('DEBUG', 'False')", { DEBUG: "True" }, b(true), { name: "DEBUG", via: "os.environ.get", hasDefault: true, defaultValue: s("False"), provided: true }],
    ["os.getenv('HOSTS', '').split(',')", "os.getenv('HOSTS', '')", { HOSTS: "a,b" }, { kind: "list", items: [s("a"), s("b")] }, { name: "HOSTS", via: "os.getenv", hasDefault: true, defaultValue: s(""), provided: true }],
  ])("X = %s  (call %s, env %j)", (expression, call, vars, value, read) => {
    const result = evalSource(`${prelude}X = ${expression}\n`, vars);
    const column = 5 + expression.indexOf(call);
    const expectedRead: EnvRead = { ...read, range: at("settings.py", 3, column, column + call.length) };
    expect(valueOf(result, "X")).toEqual(value);
    expect(result.envReads).toEqual([expectedRead]);
    expect(result.values.get("X")?.envReads).toEqual([expectedRead]);
    expect(result.problems).toEqual([]);
  });

  it("a name that is not a known string reads nothing", () => {
    const result = evalSource("import os\nX = os.environ.get(MISSING)\nY = os.environ.get(42)\n");
    expect(valueOf(result, "X")).toEqual(u("environment variable name is unknown: NameError: name 'MISSING' is not defined"));
    expect(valueOf(result, "Y")).toEqual(u("environment variable name is not a string"));
    expect(result.envReads).toEqual([]);
  });

  it("a computed name is read", () => {
    const result = evalSource("import os\nPREFIX = 'APP_'\nX = os.environ.get(PREFIX + 'KEY')\n", { APP_KEY: "k" });
    expect(valueOf(result, "X")).toEqual(s("k"));
    expect(result.envReads.map((r) => r.name)).toEqual(["APP_KEY"]);
  });
});

describe("the environment the settings change", () => {
  it.each<[string, Record<string, string>, PyValue, boolean[]]>([
    ["os.environ.setdefault('A', 'x')\nX = os.environ['A']", {}, s("x"), [false, true]],
    ["os.environ['A'] = 'v'\nX = os.environ.get('A')", {}, s("v"), [true]],
    ["del os.environ['A']\nX = os.environ.get('A')", { A: "1" }, none, [false]],
  ])("%s", (code, vars, value, provided) => {
    const result = evalSource(`import os\n${code}\n`, vars);
    expect(valueOf(result, "X")).toEqual(value);
    expect(result.envReads.map((r) => r.provided)).toEqual(provided);
  });

  it("os.environ.setdefault in a statement does not move `os`", () => {
    const result = evalSource("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x.settings')\n");
    expect(result.values.get("os")?.range).toEqual(at("settings.py", 1, 8, 10));
  });
});

describe("env reads feed the settings built from them", () => {
  it("through a name", () => {
    const result = evalSource("import os\nHOST = os.environ.get('DB_HOST', 'db')\nDATABASES = {'default': {'HOST': HOST}}\n", { DB_HOST: "pg" });
    const read = result.envReads[0];
    expect(result.values.get("DATABASES")?.envReads).toEqual([read]);
    expect(valueOf(result, "DATABASES")).toEqual({ kind: "dict", entries: [{ key: s("default"), value: { kind: "dict", entries: [{ key: s("HOST"), value: s("pg") }] } }] });
  });

  it("through the condition that chose the branch", () => {
    const result = evalSource("import os\nif os.environ.get('USE_S3'):\n    STORAGE = 's3'\nelse:\n    STORAGE = 'fs'\n");
    expect(valueOf(result, "STORAGE")).toEqual(s("fs"));
    expect(result.values.get("STORAGE")?.range).toEqual(at("settings.py", 5, 5, 12));
    expect(result.values.get("STORAGE")?.envReads).toEqual([
      { name: "USE_S3", via: "os.environ.get", hasDefault: false, provided: false, range: at("settings.py", 2, 4, 28) },
    ]);
  });

  it("through a later change of the value", () => {
    const result = evalSource("import os\nCACHES = {'default': {'LOCATION': 'x'}}\nCACHES['default']['LOCATION'] = os.environ['REDIS_URL']\n", { REDIS_URL: "redis://r:6379" });
    expect(result.values.get("CACHES")?.envReads.map((r) => r.name)).toEqual(["REDIS_URL"]);
    expect(result.values.get("CACHES")?.statementRange).toEqual(at("settings.py", 3, 1, 56));
  });

  it("a missing variable read with [] leaves the read recorded and the value unknown", () => {
    const result = evalSource("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nLEN = len(SECRET_KEY)\n");
    expect(valueOf(result, "SECRET_KEY")).toEqual(u("KeyError: SECRET_KEY is not set"));
    expect(valueOf(result, "LEN")).toEqual(u("KeyError: SECRET_KEY is not set"));
    expect(result.values.get("LEN")?.envReads).toEqual(result.envReads);
    expect(result.envReads).toEqual([{ name: "SECRET_KEY", via: "os.environ[]", hasDefault: false, provided: false, fatal: "KeyError: SECRET_KEY is not set", range: at("settings.py", 2, 14, 38) }]);
  });
});
