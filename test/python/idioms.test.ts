import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { pyRepr, type PyValue } from "../../src/python/values.js";
import { toolAvailable } from "../support/tools.js";
import { at, evalSource, valueOf } from "./helpers.js";

/** The settings idioms of issue 3 beyond literals: comprehensions, formatting, built-ins, membership, slicing. */

const s = (value: string): PyValue => ({ kind: "str", value });
const i = (value: number): PyValue => ({ kind: "int", value });
const b = (value: boolean): PyValue => ({ kind: "bool", value });
const list = (...items: PyValue[]): PyValue => ({ kind: "list", items });
const u = (reason: string): PyValue => ({ kind: "unknown", reason });
const dict = (...pairs: [PyValue, PyValue][]): PyValue => ({ kind: "dict", entries: pairs.map(([key, value]) => ({ key, value })) });

const PRELUDE = ["import ast, json", "HOSTS = ['a.example', 'b.example']", "APPS = ('x', 'y', 'z')", "N = 7", "NAME = 'db'", "EMPTY = []", ""].join("\n");

function valueOfExpression(expression: string): PyValue | undefined {
  const result = evalSource(`${PRELUDE}X = ${expression}\n`);
  return valueOf(result, "X");
}

describe("comprehensions", () => {
  it.each<[string, PyValue]>([
    ["[h.upper() for h in HOSTS]", list(s("A.EXAMPLE"), s("B.EXAMPLE"))],
    ["[h for h in HOSTS if h.startswith('b')]", list(s("b.example"))],
    ["[f'{a}{n}' for a in APPS for n in range(2)]", u("comprehension over an unknown value: call to range() is not evaluated")],
    ["[a + b for a in 'ab' for b in 'xy']", list(s("ax"), s("ay"), s("bx"), s("by"))],
    ["[(k, v) for k, v in {'a': 1}.items()]", list({ kind: "tuple", items: [s("a"), i(1)] })],
    ["{h: len(h) for h in HOSTS}", dict([s("a.example"), i(9)], [s("b.example"), i(9)])],
    ["[x for x in UNDEFINED]", u("comprehension over an unknown value: NameError: name 'UNDEFINED' is not defined")],
    ["[x for x in HOSTS if UNDEFINED]", u("comprehension condition is unknown: NameError: name 'UNDEFINED' is not defined")],
    ["[x for x in EMPTY if UNDEFINED]", list()],
    ["[[y for y in x] for x in ['ab']]", list(list(s("a"), s("b")))],
    ["{x for x in HOSTS}", u("set values are not modelled")],
    ["(x for x in HOSTS)", u("generator objects are not modelled")],
    ["[x for x in 5]", u("TypeError: 'int' object is not iterable")],
    ["[a for a, b in ['xy', 'z']]", u("ValueError: not enough values to unpack (expected 2, got 1)")],
  ])("X = %s", (expression, expected) => {
    expect(valueOfExpression(expression)).toEqual(expected);
  });

  it("loop names do not leak, and the setting keeps the comprehension's env reads", () => {
    const result = evalSource("import os\nX = [h.strip() for h in os.environ.get('HOSTS', 'a, b').split(',')]\n");
    expect(valueOf(result, "X")).toEqual(list(s("a"), s("b")));
    expect(result.values.has("h")).toBe(false);
    expect(result.values.get("X")?.envReads.map((r) => r.name)).toEqual(["HOSTS"]);
  });
});

describe("formatting, built-ins and membership", () => {
  it.each<[string, PyValue]>([
    ["'%s:%d' % (NAME, N)", s("db:7")],
    ["'%(name)s-%(n)03d' % {'name': NAME, 'n': N}", s("db-007")],
    ["'%-4s|%4s|%x|%#o|%c' % ('a', 'b', 255, 8, 65)", s("a   |   b|ff|0o10|A")],
    ["'100%%' % ()", s("100%")],
    ["'%s' % [1, 2]", s("[1, 2]")],
    ["'%s %s' % ('a',)", u("TypeError: not enough arguments for format string")],
    ["'%s' % ('a', 'b')", u("TypeError: not all arguments converted during string formatting")],
    ["'%d' % 'x'", u("TypeError: %d format: a real number is required, not str")],
    ["'%.2f' % 1.5", u("%f formatting of numbers is not evaluated")],
    ["'postgres://{user}@{host}:{}'.format(5432, user='u', host=NAME)", s("postgres://u@db:5432")],
    ["' a '.strip() + ' b'.lstrip().upper()", s("aB")],
    ["NAME.replace('d', 'D').endswith('b')", b(true)],
    ["','.join(h.split('.')[0] for h in HOSTS)", s("a,b")],
    ["len(HOSTS) + len('abc') + len({'k': 1})", i(6)],
    ["list(APPS)[1:]", list(s("y"), s("z"))],
    ["tuple(HOSTS)[-1]", s("b.example")],
    ["dict([('a', 1)], b=2)", dict([s("a"), i(1)], [s("b"), i(2)])],
    ["any(h.endswith('.example') for h in HOSTS)", b(true)],
    ["all([h.startswith('a') for h in HOSTS])", b(false)],
    ["any([])", b(false)],
    ["all([])", b(true)],
    ["any([UNDEFINED, True])", b(true)],
    ["any([UNDEFINED, False])", u("NameError: name 'UNDEFINED' is not defined")],
    ["'x' in {'x', 'y'}", b(true)],
    ["'q' not in {'x', 'y'}", b(true)],
    ["NAME not in HOSTS", b(true)],
    ["N is not None and EMPTY is not None", b(true)],
    ["(N > 5) is True", b(true)],
    ["'yes' if N > 5 else 'no'", s("yes")],
    ["HOSTS[::-1][0][:1]", s("b")],
    ["APPS[1:10]", { kind: "tuple", items: [s("y"), s("z")] }],
    ["bool(EMPTY) or int('0x', 16) if False else int('12')", i(12)],
    ["json.loads('{\"debug\": true, \"hosts\": [\"a\"], \"n\": 1.0}')", dict([s("debug"), b(true)], [s("hosts"), list(s("a"))], [s("n"), { kind: "float", value: 1 }])],
    ["json.loads('{bad')", u("JSONDecodeError: Expecting property name enclosed in double quotes at char 1")],
    ["ast.literal_eval('[\"a\", (1, -2.5), {\"k\": None}]')", list(s("a"), { kind: "tuple", items: [i(1), { kind: "float", value: -2.5 }] }, dict([s("k"), { kind: "none" }]))],
    ["ast.literal_eval('False')", b(false)],
    ["ast.literal_eval('os.environ')", u("ValueError: malformed node or string")],
    ["ast.literal_eval('1 +')", u("SyntaxError: invalid syntax (in ast.literal_eval)")],
  ])("X = %s", (expression, expected) => {
    expect(valueOfExpression(expression)).toEqual(expected);
  });
});

describe("statements the issue lists", () => {
  it("MIDDLEWARE edits keep the place of the last edit", () => {
    const source = [
      "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware', 'django.middleware.common.CommonMiddleware']", // 1
      "MIDDLEWARE += ['django.middleware.csrf.CsrfViewMiddleware']", // 2
      "MIDDLEWARE.insert(1, 'whitenoise.middleware.WhiteNoiseMiddleware')", // 3
      "MIDDLEWARE.remove('django.middleware.common.CommonMiddleware')", // 4
      "MIDDLEWARE.extend(m for m in ['x.A', 'x.B'] if m.endswith('A'))", // 5
      "",
    ].join("\n");
    const result = evalSource(source);
    expect(valueOf(result, "MIDDLEWARE")).toEqual(list(s("django.middleware.security.SecurityMiddleware"), s("whitenoise.middleware.WhiteNoiseMiddleware"), s("django.middleware.csrf.CsrfViewMiddleware"), s("x.A")));
    expect(result.values.get("MIDDLEWARE")?.range).toEqual(at("settings.py", 5, 1, 11));
  });

  it("if not DEBUG: blocks run on a known DEBUG and stay unknown on an unknown one", () => {
    const code = (debug: string) => `import os\nDEBUG = ${debug}\nSECURE_SSL_REDIRECT = False\nif not DEBUG:\n    SECURE_SSL_REDIRECT = True\n`;
    expect(valueOf(evalSource(code("False")), "SECURE_SSL_REDIRECT")).toEqual(b(true));
    expect(valueOf(evalSource(code("True")), "SECURE_SSL_REDIRECT")).toEqual(b(false));
    expect(valueOf(evalSource(code("os.environ['DEBUG'] == '1'")), "SECURE_SSL_REDIRECT")).toEqual(u("assigned under an unknown condition at settings.py:4"));
  });

  it.each<[string, Record<string, string>, PyValue]>([
    ["if UNDEFINED:\n    load_dotenv()", {}, u("an env file may be loaded (assigned under an unknown condition at settings.py:3)")],
    ["if UNDEFINED:\n    os.environ['A'] = '1'", {}, u("may be changed (assigned under an unknown condition at settings.py:3)")],
    ["if UNDEFINED:\n    os.environ.setdefault('A', '1')", { A: "set" }, s("set")],
    ["if UNDEFINED:\n    Y = os.environ['A']", { A: "set" }, s("set")],
    ["if UNDEFINED:\n    del os.environ['A']", { A: "set" }, u("may be changed (assigned under an unknown condition at settings.py:3)")],
    ["if UNDEFINED:\n    os.environ.setdefault('B', '1')", {}, s("default")],
    ["for f in UNDEFINED:\n    load_dotenv(f, override=True)", { A: "set" }, u("an env file may be loaded (assigned in a for loop at settings.py:3)")],
  ])("environment changes in code that may not run: %s", (code, vars, expected) => {
    const result = evalSource(`import os\nfrom dotenv import load_dotenv\n${code}\nX = os.environ.get('A', 'default')\n`, vars);
    expect(valueOf(result, "X")).toEqual(expected);
  });
});

/** CPython decides: our repr of each value equals repr(eval(source)) in a namespace with the same prelude. */
describe("idioms against CPython", () => {
  const available = toolAvailable("python3", ["python3", "--version"]);
  const sources = [
    "[h.upper() for h in HOSTS if not h.startswith('a')]",
    "[a + b for a in 'ab' for b in 'xy' if a != 'b' or b != 'y']",
    "{h: len(h) for h in HOSTS}",
    "[(k, v) for k, v in {'a': 1, 'b': [2]}.items()]",
    "[[y * 2 for y in x] for x in [[1, 2], [3]]]",
    "'%s:%d' % (NAME, N)",
    "'%(name)s-%(n)03d' % {'name': NAME, 'n': N}",
    "'%-6s|%6s|%x|%X|%#x|%#o|%c|%c' % ('a', 'b', 255, 255, 255, 8, 65, 'z')",
    "'%+d % d %05d %.3d %-5d|' % (5, 5, -42, 7, 3)",
    "'%r %a %s' % ('q', 'q', None)",
    "'%i%%' % 50.9",
    "'%s' % [1, 2]",
    "'%s' % ({'a': 1},)",
    "'no args' % {}",
    "'%*d|%-*s|' % (5, 42, 3, 'x')",
    "'%.2s' % 'abcdef'",
    "'{0}-{1}-{0}'.format('a', 'b')",
    "' x '.strip() + '|' + 'xxaxx'.strip('x') + '|' + 'Ab'.upper() + 'Ab'.lower()",
    "'a.b.c'.replace('.', '/', 1).endswith('c') and 'abc'.startswith(('x', 'a'))",
    "','.join(h.split('.')[0] for h in HOSTS)",
    "len(HOSTS) + len('abc') + len({'k': 1})",
    "list(APPS)[1:] + list('ab')",
    "tuple(HOSTS)[-1]",
    "dict([('a', 1)], b=2)",
    "[any(h.endswith('.example') for h in HOSTS), all([h.startswith('a') for h in HOSTS]), any([]), all([])]",
    "['x' in {'x', 'y'}, 'q' not in {'x', 'y'}, NAME not in HOSTS, N is not None, (N > 5) is True, None is not False]",
    "['yes' if N > 5 else 'no', HOSTS[::-1][0][:1], APPS[1:10], APPS[-2:], 'abcdef'[1:5:2], 'abc'[::-1]]",
    "[str.upper('a'), bool('0'), bool(''), int(' 12 '), str(1.5)]",
    "json.loads('{\"a\": [1, 2.0, null, true, \"x\\\\u00e9\"], \"b\": {}}')",
    "[ast.literal_eval(' [1, -2, 3.5]'), ast.literal_eval('(\"a\" \"b\",)'), ast.literal_eval('{\"k\": (None, True)}')]",
  ];
  it.skipIf(!available)("our repr matches repr(eval(source))", () => {
    const script = [
      "import json, sys",
      "ns = {}",
      `exec(${JSON.stringify(PRELUDE)}, ns)`,
      "print(json.dumps([repr(eval(s, ns)) for s in json.load(sys.stdin)]))",
    ].join("\n");
    const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(sources), encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const expected = JSON.parse(run.stdout) as string[];
    const ours = sources.map((src) => {
      const v = valueOfExpression(src) as PyValue;
      return v.kind === "unknown" ? `<unknown: ${v.reason}>` : pyRepr(v);
    });
    expect(ours).toEqual(expected);
  });
});
