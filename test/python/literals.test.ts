import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { isKnown, pyRepr, pyTruthy, type PyValue } from "../../src/python/values.js";
import { toolAvailable } from "../support/tools.js";
import { at, evalSource, valueOf } from "./helpers.js";

const s = (value: string): PyValue => ({ kind: "str", value });
const i = (value: number): PyValue => ({ kind: "int", value });
const f = (value: number): PyValue => ({ kind: "float", value });
const b = (value: boolean): PyValue => ({ kind: "bool", value });
const none: PyValue = { kind: "none" };
const list = (...items: PyValue[]): PyValue => ({ kind: "list", items });
const tuple = (...items: PyValue[]): PyValue => ({ kind: "tuple", items });
const u = (reason: string): PyValue => ({ kind: "unknown", reason });

/** `X = <expression>` evaluated after a small prelude; the value of X. */
function valueOfExpression(expression: string): PyValue | undefined {
  const prelude = "A = 'x'\nB = 'y'\nN = 7\n";
  const result = evalSource(`${prelude}X = ${expression}\n`);
  expect(result.problems).toEqual([]);
  return valueOf(result, "X");
}

describe("string literals", () => {
  it.each<[string, PyValue]>([
    [`'abc'`, s("abc")],
    [`"a\\nb"`, s("a\nb")],
    [`r"a\\nb"`, s("a\\nb")],
    [`R'\\d+'`, s("\\d+")],
    [`u'x'`, s("x")],
    [`'''line1\nline2'''`, s("line1\nline2")],
    [`"""q"uote"""`, s('q"uote')],
    [`"a" 'b' """c"""`, s("abc")],
    [`("multi"\n     "line")`, s("multiline")],
    [`"\\x41\\u00e9\\101\\t\\U0001F600"`, s("A\u00e9A\t\u{1F600}")],
    [`"\\d"`, s("\\d")],
    [`'it\\'s'`, s("it's")],
    [`"a\\\nb"`, s("ab")],
    [`"\\N{EM DASH}"`, u("\\N{...} escapes are not evaluated")],
    [`b"x"`, u("bytes literals are not modelled")],
    [`f"{A}-{B!r}"`, s("x-'y'")],
    [`f"{{literal}} {A}"`, s("{literal} x")],
    [`f"{N}" "!" f'{A + B}'`, s("7!xy")],
    [`rf"\\d{N}"`, s("\\d7")],
    [`f"{N:>5}"`, u("f-string format specifications are not evaluated")],
    [`f"{N=}"`, u("f-string format specifications are not evaluated")],
    [`f"{MISSING}"`, u("NameError: name 'MISSING' is not defined")],
  ])("X = %s", (source, expected) => {
    expect(valueOfExpression(source)).toEqual(expected);
  });
});

describe("numbers, constants and containers", () => {
  it.each<[string, PyValue]>([
    ["42", i(42)],
    ["0x1F", i(31)],
    ["0o17", i(15)],
    ["0b101", i(5)],
    ["1_000", i(1000)],
    ["-5", i(-5)],
    ["+N", i(7)],
    ["~N", i(-8)],
    ["1.5", f(1.5)],
    ["1e3", f(1000)],
    [".5", f(0.5)],
    ["2j", u("complex numbers are not modelled")],
    ["99999999999999999999", u("integer 99999999999999999999 is too large to model exactly")],
    ["True", b(true)],
    ["False", b(false)],
    ["None", none],
    ["[1, 'a', None]", list(i(1), s("a"), none)],
    ["(1,)", tuple(i(1))],
    ["()", tuple()],
    ["1, 2", tuple(i(1), i(2))],
    ["[*[1, 2], 3]", list(i(1), i(2), i(3))],
    ["{'a': 1, 'b': [2], 'a': 3}", { kind: "dict", entries: [{ key: s("a"), value: i(3) }, { key: s("b"), value: list(i(2)) }] }],
    ["{**{'a': 1}, 'b': 2}", { kind: "dict", entries: [{ key: s("a"), value: i(1) }, { key: s("b"), value: i(2) }] }],
    ["{1, 2}", u("set values are not modelled")],
    ["...", u("ellipsis is not evaluated")],
    ["lambda: 1", u("lambda is not evaluated")],
    ["[c for c in 'ab']", list(s("a"), s("b"))],
  ])("X = %s", (source, expected) => {
    expect(valueOfExpression(source)).toEqual(expected);
  });
});

describe("operators", () => {
  it.each<[string, PyValue]>([
    ["not ''", b(true)],
    ["not [1]", b(false)],
    ["not MISSING", u("NameError: name 'MISSING' is not defined")],
    ["'a' + 'b'", s("ab")],
    ["[1] + [2]", list(i(1), i(2))],
    ["(1,) + (2,)", tuple(i(1), i(2))],
    ["1 + 2.5", f(3.5)],
    ["True + 1", i(2)],
    ["'a' + 1", u("TypeError: unsupported operand type(s) for +: 'str' and 'int'")],
    ["2 * 3", i(6)],
    ["'ab' * 2", s("abab")],
    ["7 // 2", i(3)],
    ["-7 // 2", i(-4)],
    ["7 % 3", i(1)],
    ["-7 % 3", i(2)],
    ["7 / 2", f(3.5)],
    ["1 / 0", u("ZeroDivisionError: division by zero")],
    ["2 ** 10", i(1024)],
    ["'%s' % A", s("x")],
    ["{'a': 1} | {'b': 2}", { kind: "dict", entries: [{ key: s("a"), value: i(1) }, { key: s("b"), value: i(2) }] }],
    ["1 == 1.0", b(true)],
    ["'a' != 'b'", b(true)],
    ["'a' in 'abc'", b(true)],
    ["'x' in ['x']", b(true)],
    ["'k' in {'k': 1}", b(true)],
    ["3 not in [1]", b(true)],
    ["1 < 2 < 3", b(true)],
    ["3 > 2 > 2", b(false)],
    ["(1, 2) < (1, 3)", b(true)],
    ["None is None", b(true)],
    ["A is not None", b(true)],
    ["1 < 'a'", u("TypeError: '<' not supported between instances of 'int' and 'str'")],
    ["MISSING == 1", u("NameError: name 'MISSING' is not defined")],
    ["'' or 'default'", s("default")],
    ["'v' or 'default'", s("v")],
    ["0 and 1", i(0)],
    ["1 and 'x'", s("x")],
    ["None or []", list()],
    ["'v' or MISSING", s("v")],
    ["MISSING or 'v'", u("NameError: name 'MISSING' is not defined")],
    ["'a' if N > 5 else 'b'", s("a")],
    ["'a' if N > 50 else 'b'", s("b")],
    ["'a' if MISSING else 'b'", u("condition is unknown: NameError: name 'MISSING' is not defined")],
  ])("X = %s", (source, expected) => {
    expect(valueOfExpression(source)).toEqual(expected);
  });
});

describe("subscripts, methods and built-in calls", () => {
  it.each<[string, PyValue]>([
    ["[1, 2, 3][-1]", i(3)],
    ["'abc'[1:]", s("bc")],
    ["[1, 2, 3][::-1]", list(i(3), i(2), i(1))],
    ["[1, 2, 3, 4][1:3]", list(i(2), i(3))],
    ["{'a': 1}['a']", i(1)],
    ["{'a': 1}['b']", u("KeyError: 'b'")],
    ["(1, 2)[5]", u("IndexError: tuple index out of range")],
    ["{'a': {'b': 2}}['a']['b']", i(2)],
    ["int('42')", i(42)],
    ["int(' -7 ')", i(-7)],
    ["int('x')", u("ValueError: invalid literal for int() with base 10: 'x'")],
    ["int(3.9)", i(3)],
    ["float('1.5')", f(1.5)],
    ["bool('')", b(false)],
    ["bool('0')", b(true)],
    ["str(5)", s("5")],
    ["str(None)", s("None")],
    ["str([1, 'a'])", s("[1, 'a']")],
    ["list('ab')", list(s("a"), s("b"))],
    ["tuple([1])", tuple(i(1))],
    ["dict(a=1)", { kind: "dict", entries: [{ key: s("a"), value: i(1) }] }],
    ["len([1, 2])", i(2)],
    ["'A,B'.lower().split(',')", list(s("a"), s("b"))],
    ["' x \\n'.strip()", s("x")],
    ["'xxyxx'.strip('x')", s("y")],
    ["' a b  c '.split()", list(s("a"), s("b"), s("c"))],
    ["'a b  c'.split(None, 1)", list(s("a"), s("b  c"))],
    ["'a,b,c'.split(',', 1)", list(s("a"), s("b,c"))],
    ["'a,b,c'.rsplit(',', 1)", list(s("a,b"), s("c"))],
    ["''.split(',')", list(s(""))],
    ["','.join(['a', 'b'])", s("a,b")],
    ["'{}-{x}'.format(1, x=2)", s("1-2")],
    ["'{0}{1}{0}'.format('a', 'b')", s("aba")],
    ["'{}{0}'.format('a')", u("ValueError: cannot switch between automatic and manual field numbering")],
    ["'{{}}{}'.format(1)", s("{}1")],
    ["'{:>3}'.format(1)", u("str.format() with format specifications is not evaluated")],
    ["'xax'.replace('x', 'y')", s("yay")],
    ["'xax'.replace('x', 'y', 1)", s("yax")],
    ["'abc'.startswith(('z', 'a'))", b(true)],
    ["'abc'.endswith('bc')", b(true)],
    ["'a'.title()", u("str.title() is not evaluated")],
    ["'django.db.backends.mysql'.find('mysql') > -1", b(true)],
    ["'a.b.a'.rfind('a')", i(4)],
    ["'é😀x'.find('x')", i(2)],
    ["'a,b,c'.count(',')", i(2)],
    ["'5432'.isdigit()", b(true)],
    ["''.isdigit()", b(false)],
    ["{'a': 1}.get('a')", i(1)],
    ["{'a': 1}.get('b', 'd')", s("d")],
    ["{'a': 1}.get('b')", none],
    ["[1].nope", u("attribute nope of list is not evaluated")],
    ["len(MISSING)", u("NameError: name 'MISSING' is not defined")],
    ["sorted([2, 1])", u("call to sorted() is not evaluated")],
    ["UNDEFINED_FUNC(1)", u("NameError: name 'UNDEFINED_FUNC' is not defined")],
    ["'a'(1)", u("TypeError: 'str' object is not callable")],
  ])("X = %s", (source, expected) => {
    expect(valueOfExpression(source)).toEqual(expected);
  });
});

describe("module-level assignment", () => {
  const source = [
    "X = 1", // 1
    "A = B = [1]", // 2
    "C, (D, E) = 1, (2, 3)", // 3
    "F: Tuple[str, str] = ('a', 'b')", // 4
    "G: int", // 5
    "H, *I = [1, 2, 3]", // 6
    "B.append(2)", // 7
    "J = {'x': {'y': 1}}", // 8
    "J['x']['y'] = 2", // 9
    "K = 'a'", // 10
    "K += 'b'", // 11
    "L, M = 1, 2, 3", // 12
    "LIST = ['a']", // 13
    "LIST.extend(('b', 'c'))", // 14
    "LIST.insert(0, 'z')", // 15
    "LIST += ['d']", // 16
    "J['new'] = [N := 5]", // 17
  ].join("\n");
  const result = evalSource(source);
  const file = "settings.py";

  it.each<[string, PyValue, ReturnType<typeof at>, ReturnType<typeof at>]>([
    ["X", i(1), at(file, 1, 1, 2), at(file, 1, 1, 6)],
    ["A", list(i(1), i(2)), at(file, 2, 1, 2), at(file, 2, 1, 12)],
    ["B", list(i(1), i(2)), at(file, 7, 1, 2), at(file, 7, 1, 12)],
    ["C", i(1), at(file, 3, 1, 2), at(file, 3, 1, 22)],
    ["D", i(2), at(file, 3, 5, 6), at(file, 3, 1, 22)],
    ["E", i(3), at(file, 3, 8, 9), at(file, 3, 1, 22)],
    ["F", tuple(s("a"), s("b")), at(file, 4, 1, 2), at(file, 4, 1, 32)],
    ["H", i(1), at(file, 6, 1, 2), at(file, 6, 1, 18)],
    ["I", list(i(2), i(3)), at(file, 6, 5, 6), at(file, 6, 1, 18)],
    [
      "J",
      {
        kind: "dict",
        entries: [
          { key: s("x"), value: { kind: "dict", entries: [{ key: s("y"), value: i(2) }] } },
          { key: s("new"), value: list(i(5)) },
        ],
      },
      at(file, 17, 1, 9),
      at(file, 17, 1, 20),
    ],
    ["K", s("ab"), at(file, 11, 1, 2), at(file, 11, 1, 9)],
    ["L", u("ValueError: too many values to unpack (expected 2)"), at(file, 12, 1, 2), at(file, 12, 1, 15)],
    ["M", u("ValueError: too many values to unpack (expected 2)"), at(file, 12, 4, 5), at(file, 12, 1, 15)],
    ["LIST", list(s("z"), s("a"), s("b"), s("c"), s("d")), at(file, 16, 1, 5), at(file, 16, 1, 14)],
    ["N", i(5), at(file, 17, 13, 14), at(file, 17, 1, 20)],
  ])("%s", (name, value, range, statementRange) => {
    const setting = result.values.get(name);
    expect(setting?.value).toEqual(value);
    expect(setting?.range).toEqual(range);
    expect(setting?.statementRange).toEqual(statementRange);
  });

  it("a bare annotation binds nothing", () => {
    expect(result.values.has("G")).toBe(false);
    expect(result.problems).toEqual([]);
  });

  it("a subscript assignment moves the setting to the changed target", () => {
    const source2 = "CACHES = {'default': {'LOCATION': 'a'}}\nCACHES['default']['LOCATION'] = 'b'\n";
    const r = evalSource(source2);
    expect(r.values.get("CACHES")?.range).toEqual(at(file, 2, 1, 30));
    expect(valueOf(r, "CACHES")).toEqual({ kind: "dict", entries: [{ key: s("default"), value: { kind: "dict", entries: [{ key: s("LOCATION"), value: s("b") }] } }] });
  });
});

describe("in-place changes", () => {
  const source = [
    "L = [3, 1, 2]",
    "L.sort()",
    "P = L.pop()",
    "L.reverse()",
    "D = {'a': 1, 'b': 2}",
    "D.pop('a')",
    "E = D.pop('zz', 'dflt')",
    "D.update({'c': 3})",
    "D.setdefault('d', 4)",
    "del D['b']",
    "X = 1",
    "del X",
    "M = {'a': 1}",
    "M['a'] += 1",
    "U = {'k': 1}",
    "U.update(MISSING)",
    "LL = ['a']",
    "LL += MISSING",
    "K = {}",
    "K[MISSING] = 1",
    "R = ['x', 'y']",
    "R.remove('x')",
    "R.clear()",
  ].join("\n");
  const result = evalSource(source);
  const nameError = u("NameError: name 'MISSING' is not defined");

  it.each<[string, PyValue | undefined]>([
    ["L", list(i(2), i(1))],
    ["P", i(3)],
    ["D", { kind: "dict", entries: [{ key: s("c"), value: i(3) }, { key: s("d"), value: i(4) }] }],
    ["E", s("dflt")],
    ["X", undefined],
    ["M", { kind: "dict", entries: [{ key: s("a"), value: i(2) }] }],
    ["U", u("changed by update() in a way that is not evaluated: dict.update() with an unknown value: NameError: name 'MISSING' is not defined is not evaluated")],
    ["LL", list(s("a"), u("extended with an unknown value: NameError: name 'MISSING' is not defined"))],
    ["K", { kind: "dict", entries: [{ key: nameError, value: i(1) }] }],
    ["R", list()],
  ])("%s", (name, value) => {
    expect(valueOf(result, name)).toEqual(value);
  });

  it("each change moves the setting to the statement that made it", () => {
    expect(result.values.get("L")?.range).toEqual(at("settings.py", 4, 1, 2));
    expect(result.values.get("D")?.range).toEqual(at("settings.py", 10, 5, 11));
    expect(result.values.get("M")?.range).toEqual(at("settings.py", 14, 1, 7));
    expect(result.problems).toEqual([]);
  });
});

describe("values.ts helpers", () => {
  it.each<[PyValue, string]>([
    [s("/code/static"), "'/code/static'"],
    [s("it's"), `"it's"`],
    [s(`it's "q"`), `'it\\'s "q"'`],
    [s("a\nb\\"), "'a\\nb\\\\'"],
    [s("\x01"), "'\\x01'"],
    [i(-3), "-3"],
    [f(1), "1.0"],
    [f(0.1), "0.1"],
    [f(1e16), "1e+16"],
    [f(1e15), "1000000000000000.0"],
    [f(1e-5), "1e-05"],
    [f(0.0001), "0.0001"],
    [f(-2.5e-7), "-2.5e-07"],
    [b(true), "True"],
    [none, "None"],
    [{ kind: "path", value: "/app" }, "PosixPath('/app')"],
    [list(s("a"), s("b")), "['a', 'b']"],
    [tuple(i(1)), "(1,)"],
    [tuple(i(1), i(2)), "(1, 2)"],
    [{ kind: "dict", entries: [{ key: s("k"), value: list() }] }, "{'k': []}"],
    [u("why"), "<unknown>"],
  ])("pyRepr(%j) = %s", (value, repr) => {
    expect(pyRepr(value)).toBe(repr);
  });

  it.each<[PyValue, boolean | undefined]>([
    [s(""), false],
    [s("0"), true],
    [i(0), false],
    [f(0.5), true],
    [none, false],
    [{ kind: "path", value: "." }, true],
    [list(), false],
    [list(u("x")), true],
    [{ kind: "dict", entries: [] }, false],
    [u("x"), undefined],
  ])("pyTruthy(%j) = %s", (value, truth) => {
    expect(pyTruthy(value)).toBe(truth);
  });

  it.each<[PyValue, boolean]>([
    [s("a"), true],
    [list(i(1), tuple(s("x"))), true],
    [list(i(1), tuple(u("deep"))), false],
    [{ kind: "dict", entries: [{ key: s("k"), value: u("v") }] }, false],
    [u("x"), false],
  ])("isKnown(%j) = %s", (value, known) => {
    expect(isKnown(value)).toBe(known);
  });
});

/** Real Python decides what a literal means: compare our value's repr with CPython's. */
describe("literals against CPython", () => {
  const available = toolAvailable("python3", ["python3", "--version"]);
  const sources = [
    `'plain'`,
    `"it's"`,
    `'say "hi"'`,
    `"tab\\there"`,
    `r"raw\\nkeep"`,
    `"\\x41\\101\\u00e9"`,
    `"unknown \\q escape"`,
    `'''multi\nline'''`,
    `"implicit" ' concat'`,
    `"a\\\\b"`,
    `[1, 2.5, 'x', None, True]`,
    `(1,)`,
    `{'k': (1, 2), 'j': []}`,
    `1e16`,
    `1e-5`,
    `123456.789`,
    `0.1 + 0.2`,
    `10 / 4`,
    `2 ** 0.5`,
    `-7 // 2`,
    `'%' + 'x' * 3`,
    `' a b  c '.split()`,
    `'a,,b'.split(',')`,
    `'  x y  '.split(None, 1)`,
    `'  x y  '.rsplit(None, 1)`,
    `'a.b.c'.rsplit('.', 1)`,
    `'xxyxx'.lstrip('x')`,
    `'{}-{x}'.format(1, x=2)`,
    `'{0}{1}{0}'.format('a', 'b')`,
    `'{{}}{}'.format(1)`,
    `'a:b:c'.split(':', 1)`,
    `'xax'.replace('x', 'y', 1)`,
    `str(1.0) + str(True) + str(None)`,
    `int(' -7 ') + int('1_0')`,
    `float(' 1e3 ')`,
    `'a.b.a'.rfind('a')`,
    `'abc'.find('z')`,
    `'aaa'.count('a') + 'abc'.count('')`,
  ];
  it.skipIf(!available)("our repr matches repr(eval(source))", () => {
    const script = "import json,sys\nprint(json.dumps([repr(eval(s)) for s in json.load(sys.stdin)]))";
    const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(sources), encoding: "utf8" });
    expect(run.status).toBe(0);
    const expected = JSON.parse(run.stdout) as string[];
    const ours = sources.map((src) => pyRepr(valueOfExpression(src) as PyValue));
    expect(ours).toEqual(expected);
  });
});
