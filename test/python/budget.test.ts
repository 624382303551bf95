import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_STEPS, MAX_EXPRESSION_DEPTH, evaluateModule } from "../../src/python/evaluate.js";
import type { PyValue } from "../../src/python/values.js";
import { at, envOf, evalSource, memoryHost } from "./helpers.js";

const F = "settings.py";
const i = (value: number): PyValue => ({ kind: "int", value });

describe("the step budget", () => {
  it("stops a huge file with a problem at the statement it reached, keeping the values so far", () => {
    const lines = Array.from({ length: 5000 }, (_, n) => `X${n} = ${n}`);
    // Each `Xn = n` costs two steps: the statement and its expression.
    const result = evalSource(lines.join("\n"), {}, { maxSteps: 100 });
    expect(result.problems).toEqual([{ range: at(F, 51, 1, 9), message: "evaluation step budget exceeded (100 steps); the rest was not evaluated" }]);
    expect(result.values.size).toBe(50);
    expect(result.values.get("X49")?.value).toEqual(i(49));
    expect(result.values.has("X50")).toBe(false);
  });

  it("the default budget is large enough for a big settings file and still stops a runaway one", () => {
    const big = Array.from({ length: 20_000 }, (_, n) => `X${n} = ${n}`).join("\n");
    expect(evalSource(big).problems).toEqual([]);
    // One statement whose list has more items than the budget has steps.
    const huge = `A = 1\nX = [${Array(DEFAULT_MAX_STEPS).fill("1").join(",")}]\nY = 2\n`;
    const result = evalSource(huge);
    expect(result.problems).toEqual([
      { range: at(F, 2, 1, 2 * DEFAULT_MAX_STEPS + 6), message: `evaluation step budget exceeded (${DEFAULT_MAX_STEPS} steps); the rest was not evaluated` },
    ]);
    expect([...result.values.keys()]).toEqual(["A"]);
  });

  it("counts the steps of imported modules too, and reports where it stopped", () => {
    const files = {
      "p/__init__.py": "",
      "p/base.py": Array.from({ length: 100 }, (_, n) => `B${n} = ${n}`).join("\n"),
      "p/prod.py": "A = 1\nfrom .base import *\nC = 2\n",
    };
    const result = evaluateModule("p.prod", memoryHost(files), envOf(), { maxSteps: 50 });
    // p/__init__.py (empty), A = 1 (2 steps), the import (1 step), then 23 statements of base.py.
    expect(result.problems).toEqual([{ range: at("p/base.py", 24, 1, 9), message: "evaluation step budget exceeded (50 steps); the rest was not evaluated" }]);
    expect([...result.values.keys()]).toEqual(["A"]);
  });
});

describe("deep expressions", () => {
  it("a very long left-nested sum is cut off with a problem, not a stack overflow", () => {
    const result = evalSource(`X = ${Array(5000).fill("1").join(" + ")}\nY = 2\n`);
    expect(result.values.get("X")?.value).toEqual({ kind: "unknown", reason: `expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep is not evaluated` });
    expect(result.values.get("Y")?.value).toEqual(i(2));
    expect(result.problems.map((p) => p.message)).toEqual([`expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep is not evaluated`]);
    // The problem points at the sub-expression where the limit was hit, on line 1.
    expect(result.problems[0]?.range.line).toBe(1);
  });

  it("deeply nested parentheses too", () => {
    const result = evalSource(`X = ${"(".repeat(2000)}1${")".repeat(2000)}\n`);
    expect(result.values.get("X")?.value.kind).toBe("unknown");
    expect(result.problems).toHaveLength(1);
  });

  it("a sum below the limit is evaluated", () => {
    const result = evalSource(`X = ${Array(200).fill("1").join(" + ")}\n`);
    expect(result.values.get("X")?.value).toEqual(i(200));
    expect(result.problems).toEqual([]);
  });

  it("a deep unknown condition body is walked without recursion", () => {
    let body = "X = 1";
    for (let n = 0; n < 90; n++) body = `if UNDEFINED:\n${body.replace(/^/gm, " ")}`;
    const result = evalSource(`${body}\n`);
    expect(result.values.get("X")?.value).toEqual({ kind: "unknown", reason: `assigned under an unknown condition at ${F}:1` });
  });
});
