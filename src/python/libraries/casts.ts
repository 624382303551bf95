import { callBuiltin, type CallContext } from "../builtins.js";
import { describeObject, isPyObject, type Value } from "../runtime.js";
import { NONE, bool, dictSet, float, int, str, unknown, type PyDict, type PyValue } from "../values.js";
import { decoupleCastObject } from "./decouple.js";

/**
 * A `cast=` argument applied to a value, as the libraries call it: `cast(value)`. Built-in
 * types and pathlib go through the modelled built-ins, `json.loads` through `jsonLoads`,
 * python-decouple's Csv / Choices through their own code; anything else is a function we
 * do not run.
 */
export function applyCast(cast: Value, value: PyValue, ctx: CallContext): Value {
  if (value.kind === "unknown") return value;
  switch (cast.kind) {
    case "builtin":
      return callBuiltin(cast, { positional: [value], keywords: new Map() }, ctx);
    case "external":
      if (cast.qualname === "json.loads") {
        if (value.kind !== "str") return ctx.raise("TypeError", `TypeError: the JSON object must be str, not ${value.kind}`);
        const parsed = jsonLoads(value.value);
        return "error" in parsed ? ctx.raise("JSONDecodeError", `JSONDecodeError: ${parsed.error}`) : parsed.value;
      }
      return unknown(`cast with ${cast.qualname}() is not evaluated`);
    case "library":
      return decoupleCastObject(cast, value, ctx) ?? unknown(`cast with a ${cast.object.type} object is not evaluated`);
    case "unknown":
      return unknown(`the cast is unknown: ${cast.reason}`);
    default:
      return unknown(`cast with ${isPyObject(cast) ? describeObject(cast) : cast.kind} is not evaluated`);
  }
}

/** The built-in type of a value, as `type(default)` for django-environ's smart cast. */
export function typeOfValue(v: Value): Value {
  switch (v.kind) {
    case "str":
    case "int":
    case "float":
    case "bool":
    case "list":
    case "tuple":
    case "dict":
      return { kind: "builtin", qualname: v.kind };
    case "path":
      return { kind: "builtin", qualname: "pathlib.PosixPath" };
    case "unknown":
      return v;
    default:
      return unknown(`type(${isPyObject(v) ? describeObject(v) : v.kind}) as a cast is not evaluated`);
  }
}

/**
 * json.loads → a PyValue. JSON.parse cannot tell `1` from `1.0` (Python gives int and float),
 * so this is a small recursive-descent reader; like Python it accepts NaN and ±Infinity.
 */
export function jsonLoads(text: string): { value: PyValue } | { error: string } {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at char ${i}`);
  };
  const parseValue = (depth: number): PyValue => {
    if (depth > 200) fail("nested too deeply");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const d: PyDict = { kind: "dict", entries: [] };
      ws();
      if (text[i] === "}") {
        i++;
        return d;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("Expecting property name enclosed in double quotes");
        const key = parseString();
        ws();
        if (text[i] !== ":") fail("Expecting ':' delimiter");
        i++;
        dictSet(d, str(key), parseValue(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return d;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === "[") {
      i++;
      const items: PyValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { kind: "list", items };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return { kind: "list", items };
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === '"') return str(parseString());
    for (const [word, value] of [
      ["true", bool(true)],
      ["false", bool(false)],
      ["null", NONE],
      ["NaN", float(NaN)],
      ["Infinity", float(Infinity)],
      ["-Infinity", float(-Infinity)],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) return fail("Expecting value");
    i += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? int(n) : unknown("integer is too large to model exactly");
    }
    return float(Number(m[0]));
  };
  const parseString = (): string => {
    i++; // opening quote
    let out = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) fail("Unterminated string starting");
      if (c === '"') {
        i++;
        return out;
      }
      if (c === "\\") {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
          continue;
        }
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        fail("Invalid \\escape");
      }
      if ((c as string) < " ") fail("Invalid control character");
      out += c;
      i++;
    }
  };
  try {
    const value = parseValue(0);
    ws();
    if (i < text.length) fail("Extra data");
    return { value };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
