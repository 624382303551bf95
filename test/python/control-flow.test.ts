import { describe, expect, it } from "vitest";
import { evaluateModule } from "../../src/python/evaluate.js";
import type { PyValue } from "../../src/python/values.js";
import { at, envOf, evalSource, memoryHost, valueOf } from "./helpers.js";

const s = (value: string): PyValue => ({ kind: "str", value });
const i = (value: number): PyValue => ({ kind: "int", value });
const b = (value: boolean): PyValue => ({ kind: "bool", value });
const u = (reason: string): PyValue => ({ kind: "unknown", reason });
const F = "settings.py";

describe("if / elif / else on known conditions", () => {
  const source = [
    "import os", // 1
    'STAGE = os.environ.get("STAGE")', // 2
    'if STAGE == "prod":', // 3
    '    MODE = "p"', // 4
    'elif STAGE == "staging":', // 5
    '    MODE = "s"', // 6
    "else:", // 7
    '    MODE = "d"', // 8
    '    if STAGE is None:', // 9
    '        NESTED = "none"', // 10
    "",
  ].join("\n");
  it.each<[Record<string, string>, PyValue, number, boolean]>([
    [{ STAGE: "prod" }, s("p"), 4, false],
    [{ STAGE: "staging" }, s("s"), 6, false],
    [{}, s("d"), 8, true],
    [{ STAGE: "other" }, s("d"), 8, false],
  ])("env %j", (vars, mode, line, nested) => {
    const result = evalSource(source, vars);
    expect(valueOf(result, "MODE")).toEqual(mode);
    expect(result.values.get("MODE")?.range).toEqual(at(F, line, 5, 9));
    expect(result.values.has("NESTED")).toBe(nested);
  });
});

describe("if on an unknown condition", () => {
  it("makes every name any remaining branch assigns unknown, at its last assignment", () => {
    const source = [
      "from os import path", // 1
      "A = 1", // 2
      "L = [1]", // 3
      "if SOMETHING_UNDEFINED:", // 4
      "    A = 2", // 5
      "    B = 3", // 6
      "elif False:", // 7
      "    C = 4", // 8
      "else:", // 9
      "    D = [1]", // 10
      "    D.append(2)", // 11
      "    L.append(3)", // 12
      "    from os import sep as P", // 13
      "    def helper(): pass", // 14
      "E = A", // 15
      "",
    ].join("\n");
    const result = evalSource(source);
    const reason = u(`assigned under an unknown condition at ${F}:4`);
    const expected: [string, ReturnType<typeof at>, ReturnType<typeof at>][] = [
      ["A", at(F, 5, 5, 6), at(F, 5, 5, 10)],
      ["B", at(F, 6, 5, 6), at(F, 6, 5, 10)],
      ["C", at(F, 8, 5, 6), at(F, 8, 5, 10)],
      ["D", at(F, 11, 5, 6), at(F, 11, 5, 16)],
      ["L", at(F, 12, 5, 6), at(F, 12, 5, 16)],
      ["P", at(F, 13, 27, 28), at(F, 13, 5, 28)],
      ["helper", at(F, 14, 9, 15), at(F, 14, 5, 23)],
    ];
    for (const [name, range, statementRange] of expected) {
      expect(result.values.get(name), name).toEqual({ name, value: reason, range, statementRange, envReads: [] });
    }
    expect(valueOf(result, "E")).toEqual(reason);
    expect(valueOf(result, "path")).toEqual(u("module os.path is not a plain value"));
    expect(result.problems).toEqual([]);
  });

  it("branches before the unknown condition that are known false are not touched", () => {
    const result = evalSource("if False:\n    A = 1\nelif UNDEFINED:\n    B = 2\nelse:\n    C = 3\n");
    expect(result.values.has("A")).toBe(false);
    expect(valueOf(result, "B")).toEqual(u(`assigned under an unknown condition at ${F}:3`));
    expect(valueOf(result, "C")).toEqual(u(`assigned under an unknown condition at ${F}:3`));
  });

  it("mutating os.environ under an unknown condition leaves `os` alone", () => {
    const result = evalSource("import os\nif UNDEFINED:\n    os.environ['X'] = '1'\n    os.environ.setdefault('Y', '2')\n");
    expect(valueOf(result, "os")).toEqual(u("module os is not a plain value"));
  });

  it("a star-import under an unknown condition makes the names of that module unknown", () => {
    const files = {
      "p/__init__.py": "",
      "p/local.py": "X = 1\nfrom .more import *\n_HIDDEN = 2\n",
      "p/more.py": "Y = 2\n",
      "p/prod.py": "X = 0\nY = 0\nZ = 0\nif UNDEFINED:\n    from .local import *\n",
    };
    const result = evaluateModule("p.prod", memoryHost(files), envOf());
    const reason = u("assigned under an unknown condition at p/prod.py:4");
    expect(valueOf(result, "X")).toEqual(reason);
    expect(valueOf(result, "Y")).toEqual(reason);
    expect(valueOf(result, "Z")).toEqual(i(0));
    expect(result.values.has("_HIDDEN")).toBe(false);
    expect(result.values.get("X")?.range).toEqual(at("p/prod.py", 5, 24, 25));
    expect(result.modules.map((m) => m.module)).toEqual(["p.prod", "p"]);
  });
});

describe("try / except", () => {
  const files = (handler: string, withLocal: boolean): Record<string, string> => ({
    "p/__init__.py": "",
    ...(withLocal ? { "p/local.py": "LOCAL_ONLY = 'yes'\n" } : {}),
    "p/prod.py": [
      "BEFORE = 1", // 1
      "try:", // 2
      "    STARTED = True", // 3
      "    from .local import *", // 4
      "    AFTER_IMPORT = True", // 5
      handler, // 6
      "    LOCAL = False", // 7
      "else:", // 8
      "    LOCAL = True", // 9
      "finally:", // 10
      "    FINALLY = True", // 11
      "",
    ].join("\n"),
  });

  it.each([
    "except ImportError:",
    "except ModuleNotFoundError:",
    "except (KeyError, ImportError):",
    "except Exception as error:",
    "except BaseException:",
    "except:",
  ])("%s catches an unresolvable import", (handler) => {
    const result = evaluateModule("p.prod", memoryHost(files(handler, false)), envOf());
    expect(valueOf(result, "LOCAL")).toEqual(b(false));
    expect(result.values.get("LOCAL")?.range).toEqual(at("p/prod.py", 7, 5, 10));
    expect(valueOf(result, "STARTED")).toEqual(b(true));
    expect(result.values.has("AFTER_IMPORT")).toBe(false);
    expect(valueOf(result, "FINALLY")).toEqual(b(true));
    expect(result.values.has("error")).toBe(false); // Python unbinds the `as` name after the handler
    expect(result.problems).toEqual([]);
  });

  it("a handler that does not match leaves the import failure reported", () => {
    const result = evaluateModule("p.prod", memoryHost(files("except KeyError:", false)), envOf());
    expect(result.problems).toEqual([{ range: at("p/prod.py", 4, 10, 16), message: "cannot resolve import .local: No module named 'p.local'" }]);
    expect(result.values.has("LOCAL")).toBe(true); // the else clause ran: no exception reached this try
    expect(valueOf(result, "AFTER_IMPORT")).toEqual(b(true));
    expect(valueOf(result, "FINALLY")).toEqual(b(true));
  });

  it("when the module exists, the try body and the else clause run", () => {
    const result = evaluateModule("p.prod", memoryHost(files("except ImportError:", true)), envOf());
    expect(valueOf(result, "LOCAL_ONLY")).toEqual(s("yes"));
    expect(valueOf(result, "LOCAL")).toEqual(b(true));
    expect(result.values.get("LOCAL")?.range).toEqual(at("p/prod.py", 9, 5, 10));
    expect(valueOf(result, "AFTER_IMPORT")).toEqual(b(true));
  });

  it.each<[Record<string, string>, PyValue]>([
    [{}, s("insecure")],
    [{ SECRET_KEY: "s3cret" }, s("s3cret")],
  ])("KeyError from os.environ[] is caught (env %j)", (vars, expected) => {
    const result = evalSource("import os\ntry:\n    SECRET_KEY = os.environ['SECRET_KEY']\nexcept KeyError:\n    SECRET_KEY = 'insecure'\n", vars);
    expect(valueOf(result, "SECRET_KEY")).toEqual(expected);
    expect(result.envReads.map((r) => [r.name, r.provided])).toEqual([["SECRET_KEY", "SECRET_KEY" in vars]]);
  });

  it.each<[string, PyValue | undefined]>([
    ["try:\n    raise ImproperlyConfigured('x')\nexcept Exception:\n    X = 1\n", i(1)],
    ["try:\n    raise ValueError\nexcept ValueError:\n    X = 1\n", i(1)],
    ["try:\n    raise ValueError()\nexcept KeyError:\n    X = 1\nY = 2\n", undefined],
    ["try:\n    try:\n        raise KeyError('k')\n    except KeyError:\n        raise\nexcept LookupError:\n    X = 'outer'\n", s("outer")],
    ["try:\n    X = {}['missing']\nexcept KeyError:\n    X = 'default'\n", s("default")],
    ["try:\n    X = int('nope')\nexcept ValueError:\n    X = 0\n", i(0)],
    ["try:\n    X = UNDEFINED_NAME\nexcept NameError:\n    X = 'n'\n", s("n")],
  ])("%s", (code, expected) => {
    const result = evalSource(code);
    expect(valueOf(result, "X")).toEqual(expected);
    expect(result.problems).toEqual([]);
  });

  it("an exception raised while importing a module reaches the importer's handler", () => {
    const local = "import os\nY = 1\nZ = os.environ['NEEDED']\n";
    const caught = evaluateModule(
      "p.prod",
      memoryHost({ "p/__init__.py": "", "p/local.py": local, "p/prod.py": "try:\n    from .local import *\nexcept Exception:\n    FALLBACK = True\n" }),
      envOf(),
    );
    expect(valueOf(caught, "FALLBACK")).toEqual(b(true));
    expect(caught.values.has("Y")).toBe(false); // the import failed: nothing was copied

    const uncaught = evaluateModule(
      "p.prod",
      memoryHost({ "p/__init__.py": "", "p/local.py": local, "p/prod.py": "try:\n    from .local import *\nexcept ImportError:\n    FALLBACK = True\n" }),
      envOf(),
    );
    expect(uncaught.values.has("FALLBACK")).toBe(false);
    expect(valueOf(uncaught, "Y")).toEqual(i(1));
    expect(valueOf(uncaught, "Z")).toEqual(u("KeyError: NEEDED is not set"));
  });
});

describe("loops, with, match and definitions", () => {
  it.each<[string, string, string]>([
    ["for", "for i in range(3):\n    X = i\n", `assigned in a for loop at ${F}:1`],
    ["for over an unknown iterable", "for X in UNDEFINED:\n    pass\n", `assigned in a for loop at ${F}:1`],
    ["break under an unknown condition", "L = []\nfor i in [1, 2]:\n    if UNDEFINED:\n        break\n    X = i\n", `assigned under an unknown condition at ${F}:3`],
    ["while", "while UNDEFINED:\n    X = 1\n", `assigned in a while loop at ${F}:1`],
    ["with", "with open('/run/secrets/key') as fh:\n    X = fh.read().strip()\n", `assigned in a with block at ${F}:1`],
    ["with target", "with open('f') as X:\n    pass\n", `assigned in a with block at ${F}:1`],
    ["match", "match 1:\n    case 1:\n        X = 1\n", `assigned in a match statement at ${F}:1`],
  ])("%s", (_label, code, reason) => {
    const result = evalSource(code);
    expect(valueOf(result, "X")).toEqual(u(reason));
  });

  it.each<[string, string, Record<string, PyValue | undefined>]>([
    ["the target keeps the last item", "for X in [1, 2]:\n    pass\n", { X: i(2) }],
    ["else runs without a break", "for i in []:\n    pass\nelse:\n    X = 1\n", { X: i(1), i: undefined }],
    ["break skips else", "for i in [1, 2, 3]:\n    if i == 2:\n        break\nelse:\n    X = 1\n", { i: i(2), X: undefined }],
    ["continue", "L = []\nfor i in [1, 2, 3]:\n    if i == 2:\n        continue\n    L.append(i)\n", { L: { kind: "list", items: [i(1), i(3)] } }],
    ["nested if in a loop", "for i in [1]:\n    if i:\n        X = 1\n", { X: i(1) }],
    ["an exception handler that does not run binds nothing", "for i in [1]:\n    try:\n        pass\n    except Exception as X:\n        pass\n", { X: undefined }],
    ["tuple targets", "D = {}\nfor k, v in [('a', 1), ('b', 2)]:\n    D[k] = v\n", { D: { kind: "dict", entries: [{ key: s("a"), value: i(1) }, { key: s("b"), value: i(2) }] } }],
    ["middleware edits in a loop", "MIDDLEWARE = ['a']\nfor m in ('b', 'c'):\n    if m not in MIDDLEWARE:\n        MIDDLEWARE.insert(0, m)\n", { MIDDLEWARE: { kind: "list", items: [s("c"), s("b"), s("a")] } }],
    ["finally runs on break", "for i in [1]:\n    try:\n        break\n    finally:\n        X = 'f'\n", { X: s("f") }],
  ])("for: %s", (_label, code, expected) => {
    const result = evalSource(code);
    for (const [name, value] of Object.entries(expected)) expect(valueOf(result, name), name).toEqual(value);
    expect(result.problems).toEqual([]);
  });

  it("a loop body's statement is where the value was set", () => {
    const result = evalSource("APPS = []\nfor a in ['x', 'y']:\n    APPS.append(a)\n");
    expect(result.values.get("APPS")?.range).toEqual(at(F, 3, 5, 9));
    expect(result.values.get("a")?.range).toEqual(at(F, 2, 5, 6));
  });

  it("while False never runs its body", () => {
    const result = evalSource("while False:\n    X = 1\nelse:\n    Y = 2\n");
    expect(result.values.has("X")).toBe(false);
    expect(valueOf(result, "Y")).toEqual(i(2));
  });

  it("functions and classes are bound, not run", () => {
    const result = evalSource("def get_secret(name):\n    return open(name).read()\n\n@dataclass\nclass Config:\n    x = 1\n\nSECRET_KEY = get_secret('k')\nC = Config()\n");
    expect(result.values.get("get_secret")).toEqual({
      name: "get_secret",
      value: u("function get_secret is not a plain value"),
      range: at(F, 1, 5, 15),
      statementRange: { file: F, line: 1, column: 1, endLine: 2, endColumn: 29 },
      envReads: [],
    });
    expect(valueOf(result, "Config")).toEqual(u("class Config is not a plain value"));
    expect(result.values.get("Config")?.range).toEqual(at(F, 5, 7, 13));
    expect(valueOf(result, "SECRET_KEY")).toEqual(u("call to get_secret() is not evaluated"));
    expect(valueOf(result, "C")).toEqual(u("call to Config() is not evaluated"));
    expect(result.values.has("x")).toBe(false);
  });
});
