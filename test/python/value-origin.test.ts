import { describe, expect, it } from "vitest";
import { valueOrigin } from "../../src/python/evaluate.js";
import type { PyValue } from "../../src/python/values.js";
import { evalSource, valueOf } from "./helpers.js";

/** [line, column] where the evaluator saw a value being made. */
function origin(v: PyValue | undefined): [number, number] | undefined {
  const r = v === undefined ? undefined : valueOrigin(v);
  return r === undefined ? undefined : [r.line, r.column];
}

function item(v: PyValue | undefined, ...keys: string[]): PyValue | undefined {
  let cur = v;
  for (const k of keys) cur = cur?.kind === "dict" ? cur.entries.find((e) => e.key.kind === "str" && e.key.value === k)?.value : undefined;
  return cur;
}

describe("valueOrigin: the expression that made a value", () => {
  it("follows values through names, dicts and in-place changes to the literal or call that made them", () => {
    const result = evalSource(
      [
        "import os",
        'HOST = "db"',
        'DATABASES = {"default": {"HOST": HOST, "PORT": 5432, "NAME": os.environ.get("DB_NAME", "shop")}}',
        'DATABASES["default"]["USER"] = os.environ["DB_USER"]',
        "",
      ].join("\n"),
      { DB_USER: "shop" },
    );
    const databases = valueOf(result, "DATABASES");
    expect(origin(item(databases, "default", "HOST"))).toEqual([2, 8]);
    expect(origin(item(databases, "default", "PORT"))).toEqual([3, 48]);
    // os.environ.get returns its default object: the default literal made it.
    expect(origin(item(databases, "default", "NAME"))).toEqual([3, 88]);
    expect(origin(item(databases, "default", "USER"))).toEqual([4, 32]);
    expect(origin(item(databases, "default"))).toEqual([3, 25]);
  });

  it("None and unknown values have no origin (they are shared)", () => {
    const result = evalSource("A = None\nB = undefined_name\n");
    expect(origin(valueOf(result, "A"))).toBeUndefined();
    expect(origin(valueOf(result, "B"))).toBeUndefined();
  });
});
