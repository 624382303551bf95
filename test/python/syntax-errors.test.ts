import { describe, expect, it } from "vitest";
import type { ParseProblem } from "../../src/core/problems.js";
import { evaluateModule } from "../../src/python/evaluate.js";
import { parsePython } from "../../src/python/parse.js";
import type { PyValue } from "../../src/python/values.js";
import { at, envOf, evalSource, memoryHost } from "./helpers.js";

const F = "settings.py";
const i = (value: number): PyValue => ({ kind: "int", value });
const u = (reason: string): PyValue => ({ kind: "unknown", reason });
const broken = (line: number): PyValue => u(`Python syntax error at ${F}:${line}`);

describe("syntax errors are problems at their place, and the rest is evaluated", () => {
  // [source, problems, expected values (absent names: undefined)]
  it.each<[string, string, ParseProblem[], Record<string, PyValue | undefined>]>([
    [
      "unclosed bracket swallowing the next line",
      "A = 1\nB = (2,\nC = 3\nD = 4\n",
      [{ range: at(F, 2, 5, 6), message: "Python syntax error: '(' was never closed" }],
      { A: i(1), B: broken(2), C: i(3), D: i(4) },
    ],
    [
      "unclosed dict",
      "X = {'a': 1\nY = 2\n",
      [{ range: at(F, 1, 5, 6), message: "Python syntax error: '{' was never closed" }],
      { X: broken(1), Y: i(2) },
    ],
    [
      "unterminated string",
      "A = 1\nE = 'x\nF = 5\n",
      [{ range: at(F, 2, 5, 6), message: "Python syntax error: unterminated string literal" }],
      { A: i(1), E: broken(2), F: i(5) },
    ],
    [
      "two expressions side by side",
      "X = 1\nY = 2 2\nZ = 3\n",
      [{ range: at(F, 2, 5, 6), message: 'Python syntax error: invalid syntax near "2"' }],
      { X: i(1), Y: broken(2), Z: i(3) },
    ],
    [
      "dangling operator at the end of the file",
      "A = 1\nX = 1 +\n",
      [{ range: at(F, 2, 1, 8), message: 'Python syntax error: invalid syntax near "X = 1 +"' }],
      { A: i(1), X: broken(2) },
    ],
    [
      "missing colon: the indented body is skipped, the next statement runs",
      "if True\n    X = 1\nY = 2\n",
      [{ range: { file: F, line: 1, column: 1, endLine: 3, endColumn: 6 }, message: 'Python syntax error: invalid syntax near "if True"' }],
      { X: undefined, Y: i(2) },
    ],
    [
      "missing token",
      "def f(:\n    pass\nY = 2\n",
      [{ range: at(F, 1, 7, 7), message: 'Python syntax error: missing ")"' }],
      { Y: i(2) },
    ],
    [
      "stray closing bracket",
      "X = 1\n)\nY = 2\n",
      [{ range: at(F, 2, 1, 2), message: 'Python syntax error: invalid syntax near ")"' }],
      { X: i(1), Y: i(2) },
    ],
    [
      "broken import",
      "import\nY = 2\n",
      [{ range: { file: F, line: 1, column: 1, endLine: 2, endColumn: 4 }, message: 'Python syntax error: invalid syntax near "import"' }],
      { Y: i(2) },
    ],
    [
      "broken condition",
      "if X ==:\n    Y = 2\nZ = 3\n",
      [{ range: at(F, 1, 6, 8), message: 'Python syntax error: invalid syntax near "=="' }],
      { Y: u(`assigned under an unknown condition at ${F}:1`), Z: i(3) },
    ],
    [
      "error inside a block",
      "if True:\n    A = (1,\n    B = 2\nC = 3\n",
      [{ range: at(F, 2, 9, 10), message: "Python syntax error: '(' was never closed" }],
      { A: broken(2), C: i(3) },
    ],
    [
      "several errors, each reported",
      "A = (\nB = 1\nC = 'x\nD = 2\n",
      [
        { range: at(F, 1, 5, 6), message: "Python syntax error: '(' was never closed" },
        { range: at(F, 3, 5, 6), message: "Python syntax error: unterminated string literal" },
      ],
      { A: broken(1), B: i(1), C: broken(3), D: i(2) },
    ],
  ])("%s", (_label, source, problems, values) => {
    const result = evalSource(source);
    expect(result.problems).toEqual(problems);
    for (const [name, value] of Object.entries(values)) {
      expect(result.values.get(name)?.value, name).toEqual(value);
    }
  });

  it("parsePython reports the same problems without evaluating", () => {
    const parsed = parsePython("A = 1\nB = (2,\n", "x/settings.py");
    expect(parsed.problems).toEqual([{ range: at("x/settings.py", 2, 5, 6), message: "Python syntax error: '(' was never closed" }]);
    expect(parsePython("A = 1\n", "ok.py").problems).toEqual([]);
  });

  it("columns count UTF-16 code units", () => {
    const result = evalSource("X = '😀é' + (\nY = 2\n");
    expect(result.problems).toEqual([{ range: at(F, 1, 13, 14), message: "Python syntax error: '(' was never closed" }]);
  });

  it("problems of an imported module are reported once, with its file", () => {
    const files = { "p/__init__.py": "", "p/base.py": "A = (\nB = 1\n", "p/prod.py": "from .base import *\nfrom .base import B\n" };
    const result = evaluateModule("p.prod", memoryHost(files), envOf());
    expect(result.problems).toEqual([{ range: at("p/base.py", 1, 5, 6), message: "Python syntax error: '(' was never closed" }]);
    expect(result.values.get("B")?.value).toEqual(i(1));
    expect(result.values.get("A")?.value).toEqual(u("Python syntax error at p/base.py:1"));
  });

  it("an empty or comment-only file evaluates to nothing", () => {
    expect(evalSource("").values.size).toBe(0);
    expect(evalSource("# just a comment\n\n").problems).toEqual([]);
  });
});
