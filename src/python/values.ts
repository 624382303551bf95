/**
 * The values the settings evaluator computes: a small model of the Python objects a
 * settings module builds (str, numbers, paths, lists, tuples, dicts), plus `unknown`
 * for anything we do not evaluate, carrying a human-readable reason.
 */
export type PyValue =
  | { kind: "str"; value: string }
  | { kind: "int"; value: number }
  | { kind: "float"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "path"; value: string } // pathlib.Path / PurePosixPath, POSIX semantics
  | { kind: "list"; items: PyValue[] }
  | { kind: "tuple"; items: PyValue[] }
  | { kind: "dict"; entries: { key: PyValue; value: PyValue }[] }
  | { kind: "unknown"; reason: string };

export type PyDict = Extract<PyValue, { kind: "dict" }>;
export type PyList = Extract<PyValue, { kind: "list" }>;
export type PyUnknown = Extract<PyValue, { kind: "unknown" }>;

export const NONE: PyValue = { kind: "none" };

export function str(value: string): PyValue {
  return { kind: "str", value };
}
export function int(value: number): PyValue {
  return { kind: "int", value };
}
export function float(value: number): PyValue {
  return { kind: "float", value };
}
export function bool(value: boolean): PyValue {
  return { kind: "bool", value };
}
export function path(value: string): PyValue {
  return { kind: "path", value };
}
export function unknown(reason: string): PyUnknown {
  return { kind: "unknown", reason };
}

/** False if v or anything inside it is unknown. */
export function isKnown(v: PyValue): boolean {
  // Iterative so that a huge or deeply nested literal cannot overflow the JS stack.
  const stack: PyValue[] = [v];
  while (stack.length > 0) {
    const cur = stack.pop() as PyValue;
    switch (cur.kind) {
      case "unknown":
        return false;
      case "list":
      case "tuple":
        stack.push(...cur.items);
        break;
      case "dict":
        for (const e of cur.entries) stack.push(e.key, e.value);
        break;
      default:
        break;
    }
  }
  return true;
}

/** The first unknown found inside v (v itself included), for propagating its reason. */
export function firstUnknown(v: PyValue): PyUnknown | undefined {
  const stack: PyValue[] = [v];
  // Each container once: a list that holds itself (`L.append(L)`) or shared halves (`[L, L]`).
  const seen = new Set<PyValue>();
  while (stack.length > 0) {
    const cur = stack.pop() as PyValue;
    if (cur.kind === "unknown") return cur;
    if (cur.kind === "list" || cur.kind === "tuple" || cur.kind === "dict") {
      if (seen.has(cur)) continue;
      seen.add(cur);
    }
    if (cur.kind === "list" || cur.kind === "tuple") for (let i = cur.items.length - 1; i >= 0; i--) stack.push(cur.items[i] as PyValue);
    else if (cur.kind === "dict") for (let i = cur.entries.length - 1; i >= 0; i--) stack.push(cur.entries[i]!.value, cur.entries[i]!.key);
  }
  return undefined;
}

/** Python truthiness; undefined when the value (or what decides it) is unknown. */
export function pyTruthy(v: PyValue): boolean | undefined {
  switch (v.kind) {
    case "str":
      return v.value.length > 0;
    case "int":
    case "float":
      return v.value !== 0;
    case "bool":
      return v.value;
    case "none":
      return false;
    case "path":
      return true; // a Path object is always truthy (even Path(""), which is ".")
    case "list":
    case "tuple":
      return v.items.length > 0; // the length is known even when items are not
    case "dict":
      return v.entries.length > 0;
    case "unknown":
      return undefined;
  }
}

/** Python `==` on known values; undefined when either side is (or contains) unknown. */
export function pyEquals(a: PyValue, b: PyValue): boolean | undefined {
  if (a.kind === "unknown" || b.kind === "unknown") return undefined;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (na !== undefined || nb !== undefined) return false;
  switch (a.kind) {
    case "str":
      return b.kind === "str" && a.value === b.value;
    case "none":
      return b.kind === "none";
    case "path":
      return b.kind === "path" && a.value === b.value;
    case "list":
    case "tuple": {
      if (b.kind !== a.kind || b.items.length !== a.items.length) return false;
      let all: boolean | undefined = true;
      for (let i = 0; i < a.items.length; i++) {
        const eq = pyEquals(a.items[i] as PyValue, b.items[i] as PyValue);
        if (eq === false) return false;
        if (eq === undefined) all = undefined;
      }
      return all;
    }
    case "dict": {
      if (b.kind !== "dict" || b.entries.length !== a.entries.length) return false;
      let all: boolean | undefined = true;
      for (const e of a.entries) {
        const other = dictGet(b, e.key);
        if (other === "unknown") return undefined;
        if (other === undefined) return false;
        const eq = pyEquals(e.value, other);
        if (eq === false) return false;
        if (eq === undefined) all = undefined;
      }
      return all;
    }
    default:
      return false;
  }
}

/** bool/int/float as a number (Python treats True == 1 == 1.0), else undefined. */
export function numeric(v: PyValue): number | undefined {
  if (v.kind === "int" || v.kind === "float") return v.value;
  if (v.kind === "bool") return v.value ? 1 : 0;
  return undefined;
}

/** Looks a key up in a known dict: the value, undefined when absent, "unknown" when a key cannot be compared. */
export function dictGet(d: PyDict, key: PyValue): PyValue | undefined | "unknown" {
  let uncertain = false;
  for (const e of d.entries) {
    const eq = pyEquals(e.key, key);
    if (eq === true) return e.value;
    if (eq === undefined) uncertain = true;
  }
  return uncertain ? "unknown" : undefined;
}

/** Sets a key in a dict in place (Python keeps the first key object and its position). */
export function dictSet(d: PyDict, key: PyValue, value: PyValue): void {
  for (const e of d.entries) {
    if (pyEquals(e.key, key) === true) {
      e.value = value;
      return;
    }
  }
  d.entries.push({ key, value });
}

/** Python-like repr, for messages ("'/code/static'", "True", "['a', 'b']"). */
export function pyRepr(v: PyValue): string {
  return reprOf(v, new Set());
}

/** `open` holds the containers being printed: one that holds itself prints as `[...]`, as in Python. */
function reprOf(v: PyValue, open: Set<PyValue>): string {
  switch (v.kind) {
    case "str":
      return reprString(v.value);
    case "int":
      return String(v.value);
    case "float":
      return reprFloat(v.value);
    case "bool":
      return v.value ? "True" : "False";
    case "none":
      return "None";
    case "path":
      return `PosixPath(${reprString(v.value)})`;
    case "unknown":
      return "<unknown>";
  }
  if (open.has(v)) return v.kind === "dict" ? "{...}" : v.kind === "list" ? "[...]" : "(...)";
  open.add(v);
  const r = (item: PyValue): string => reprOf(item, open);
  try {
    switch (v.kind) {
      case "list":
        return `[${v.items.map(r).join(", ")}]`;
      case "tuple":
        return v.items.length === 1 ? `(${r(v.items[0] as PyValue)},)` : `(${v.items.map(r).join(", ")})`;
      case "dict":
        return `{${v.entries.map((e) => `${r(e.key)}: ${r(e.value)}`).join(", ")}}`;
    }
  } finally {
    open.delete(v);
  }
}

/** Python `str(v)`: strings and paths as their text, everything else as its repr. */
export function pyStr(v: PyValue): string {
  if (v.kind === "str" || v.kind === "path") return v.value;
  return pyRepr(v);
}

/** repr() of a str: single quotes unless the text has a single quote and no double quote. */
export function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + quote;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + quote;
}

/** repr() of a float: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16. */
export function reprFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = x.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp >= -5 && exp < 16) {
    // Python's repr switches to exponent notation below 1e-4 (exp < -4); 1e-5 prints as 1e-05.
    if (exp < -4) return `${mantissa}e-${String(-exp).padStart(2, "0")}`;
    const fixed = x.toFixed(Math.max(0, digitsAfterPoint(mantissa) - exp));
    return fixed.includes(".") ? fixed : `${fixed}.0`;
  }
  const sign = exp < 0 ? "-" : "+";
  return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
}

function digitsAfterPoint(mantissa: string): number {
  const dot = mantissa.indexOf(".");
  return dot < 0 ? 0 : mantissa.length - dot - 1;
}
