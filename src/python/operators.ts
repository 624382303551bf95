import {
  bool,
  dictGet,
  firstUnknown,
  float,
  int,
  numeric,
  path,
  pyEquals,
  pyRepr,
  str,
  unknown,
  type PyValue,
} from "./values.js";
import { purePath } from "./paths.js";
import { MAX_VALUE_SIZE, valueTooLarge } from "./value-size.js";
import { percentFormat } from "./percent-format.js";

/**
 * Python operators on known values. Each returns `unknown` (with the operand's reason when
 * an operand is unknown) for what we do not model, and `{ error }` where Python would raise.
 */

export type OpResult = PyValue | { error: string; message: string };

export function isError(r: OpResult): r is { error: string; message: string } {
  return "error" in r;
}


function numberResult(a: PyValue, b: PyValue, n: number): PyValue {
  if (a.kind === "float" || b.kind === "float") return float(n);
  return Number.isSafeInteger(n) ? int(n) : unknown("integer result is too large to model exactly");
}

export function binaryOp(op: string, a: PyValue, b: PyValue): OpResult {
  if (a.kind === "unknown") return a;
  if (b.kind === "unknown") return b;
  const na = numeric(a);
  const nb = numeric(b);
  switch (op) {
    case "+":
      if (na !== undefined && nb !== undefined) return numberResult(a, b, na + nb);
      if (a.kind === "str" && b.kind === "str") return str(a.value + b.value);
      if (a.kind === "list" && b.kind === "list") return { kind: "list", items: [...a.items, ...b.items] };
      if (a.kind === "tuple" && b.kind === "tuple") return { kind: "tuple", items: [...a.items, ...b.items] };
      break;
    case "-":
      if (na !== undefined && nb !== undefined) return numberResult(a, b, na - nb);
      break;
    case "*":
      if (na !== undefined && nb !== undefined) return numberResult(a, b, na * nb);
      return repeat(a, b) ?? repeat(b, a) ?? typeError(op, a, b);
    case "/":
      if (a.kind === "path" && (b.kind === "str" || b.kind === "path")) return path(purePath(a.value, b.value));
      if (a.kind === "str" && b.kind === "path") return path(purePath(a.value, b.value));
      if (na !== undefined && nb !== undefined) {
        if (nb === 0) return { error: "ZeroDivisionError", message: "ZeroDivisionError: division by zero" };
        return float(na / nb);
      }
      break;
    case "//":
      if (na !== undefined && nb !== undefined) {
        if (nb === 0) return { error: "ZeroDivisionError", message: "ZeroDivisionError: integer division or modulo by zero" };
        return numberResult(a, b, Math.floor(na / nb));
      }
      break;
    case "%":
      if (a.kind === "str") return percentFormat(a.value, b);
      if (na !== undefined && nb !== undefined) {
        if (nb === 0) return { error: "ZeroDivisionError", message: "ZeroDivisionError: integer division or modulo by zero" };
        return numberResult(a, b, na - nb * Math.floor(na / nb)); // Python's modulo takes the divisor's sign
      }
      break;
    case "**":
      if (na !== undefined && nb !== undefined) {
        if (a.kind !== "float" && b.kind !== "float" && nb < 0) return float(na ** nb);
        return numberResult(a, b, na ** nb);
      }
      break;
    case "|":
      if (a.kind === "dict" && b.kind === "dict") {
        const merged: PyValue = { kind: "dict", entries: a.entries.map((e) => ({ ...e })) };
        for (const e of b.entries) setEntry(merged, e.key, e.value);
        return merged;
      }
      if (a.kind === "bool" && b.kind === "bool") return bool(a.value || b.value);
      if (isInt(a) && isInt(b)) return int(Number(BigInt(na as number) | BigInt(nb as number)));
      break;
    case "&":
      if (a.kind === "bool" && b.kind === "bool") return bool(a.value && b.value);
      if (isInt(a) && isInt(b)) return int(Number(BigInt(na as number) & BigInt(nb as number)));
      break;
    default:
      return unknown(`operator ${op} is not evaluated`);
  }
  return typeError(op, a, b);
}

function isInt(v: PyValue): boolean {
  return v.kind === "int" || v.kind === "bool";
}

function setEntry(d: Extract<PyValue, { kind: "dict" }>, key: PyValue, value: PyValue): void {
  const existing = d.entries.find((e) => pyEquals(e.key, key) === true);
  if (existing) existing.value = value;
  else d.entries.push({ key, value });
}

function repeat(seq: PyValue, times: PyValue): PyValue | undefined {
  if (times.kind !== "int" && times.kind !== "bool") return undefined;
  const n = Math.max(0, numeric(times) as number);
  if (seq.kind === "str") {
    if (seq.value.length * n > MAX_VALUE_SIZE) return valueTooLarge();
    return str(seq.value.repeat(n));
  }
  if (seq.kind === "list" || seq.kind === "tuple") {
    if (seq.items.length * n > MAX_VALUE_SIZE) return valueTooLarge();
    const items: PyValue[] = [];
    // Not push(...items): half a million arguments overflow the call stack.
    for (let i = 0; i < n; i++) for (const item of seq.items) items.push(item);
    return { kind: seq.kind, items };
  }
  return undefined;
}

function typeError(op: string, a: PyValue, b: PyValue): OpResult {
  return {
    error: "TypeError",
    message: `TypeError: unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`,
  };
}

export function typeName(v: PyValue): string {
  switch (v.kind) {
    case "none":
      return "NoneType";
    case "path":
      return "PosixPath";
    case "unknown":
      return "unknown";
    default:
      return v.kind;
  }
}

export function unaryOp(op: string, v: PyValue): OpResult {
  if (v.kind === "unknown") return v;
  const n = numeric(v);
  if (n === undefined) return { error: "TypeError", message: `TypeError: bad operand type for unary ${op}: '${typeName(v)}'` };
  switch (op) {
    case "-":
      return v.kind === "float" ? float(-n) : int(-n);
    case "+":
      return v.kind === "float" ? float(n) : int(n);
    case "~":
      return v.kind === "float" ? { error: "TypeError", message: "TypeError: bad operand type for unary ~: 'float'" } : int(-n - 1);
    default:
      return unknown(`operator ${op} is not evaluated`);
  }
}

/** One comparison `a op b`; undefined result means unknown. */
export function compare(op: string, a: PyValue, b: PyValue): boolean | undefined | { error: string; message: string } {
  switch (op) {
    case "==":
      return pyEquals(a, b);
    case "!=":
    case "<>": {
      const eq = pyEquals(a, b);
      return eq === undefined ? undefined : !eq;
    }
    case "is":
    case "is not": {
      const same = identity(a, b);
      if (same === undefined) return undefined;
      return op === "is" ? same : !same;
    }
    case "in":
    case "not in": {
      const found = contains(b, a);
      if (found === undefined || typeof found === "object") return found;
      return op === "in" ? found : !found;
    }
    case "<":
    case "<=":
    case ">":
    case ">=":
      return order(op, a, b);
    default:
      return undefined;
  }
}

/** `is` is only decidable for the singletons None, True and False. */
function identity(a: PyValue, b: PyValue): boolean | undefined {
  const singleton = (v: PyValue) => v.kind === "none" || v.kind === "bool";
  if (a.kind === "unknown" || b.kind === "unknown") return undefined;
  if (singleton(a) || singleton(b)) {
    if (a.kind === "none" || b.kind === "none") return a.kind === b.kind;
    if (a.kind === "bool" && b.kind === "bool") return a.value === b.value;
    return false;
  }
  return undefined;
}

function contains(container: PyValue, item: PyValue): boolean | undefined | { error: string; message: string } {
  switch (container.kind) {
    case "str":
      if (item.kind === "unknown") return undefined;
      if (item.kind !== "str") return { error: "TypeError", message: `TypeError: 'in <string>' requires string as left operand, not ${typeName(item)}` };
      return container.value.includes(item.value);
    case "list":
    case "tuple": {
      let uncertain = false;
      for (const x of container.items) {
        const eq = pyEquals(x, item);
        if (eq === true) return true;
        if (eq === undefined) uncertain = true;
      }
      return uncertain ? undefined : false;
    }
    case "dict": {
      const got = dictGet(container, item);
      return got === "unknown" ? undefined : got !== undefined;
    }
    case "unknown":
      return undefined;
    default:
      return { error: "TypeError", message: `TypeError: argument of type '${typeName(container)}' is not iterable` };
  }
}

function order(op: string, a: PyValue, b: PyValue): boolean | undefined | { error: string; message: string } {
  if (a.kind === "unknown" || b.kind === "unknown") return undefined;
  const na = numeric(a);
  const nb = numeric(b);
  let cmp: number;
  if (na !== undefined && nb !== undefined) cmp = na - nb;
  else if (a.kind === "str" && b.kind === "str") cmp = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  else if ((a.kind === "tuple" || a.kind === "list") && b.kind === a.kind) {
    const c = sequenceOrder(a.items, b.items);
    if (c === undefined || typeof c === "object") return c;
    cmp = c;
  } else {
    return { error: "TypeError", message: `TypeError: '${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'` };
  }
  switch (op) {
    case "<":
      return cmp < 0;
    case "<=":
      return cmp <= 0;
    case ">":
      return cmp > 0;
    default:
      return cmp >= 0;
  }
}

/** Lexicographic order of sequences (used for `sys.version_info >= (3, 8)`-style tuples). */
function sequenceOrder(a: PyValue[], b: PyValue[]): number | undefined | { error: string; message: string } {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as PyValue;
    const y = b[i] as PyValue;
    const eq = pyEquals(x, y);
    if (eq === undefined) return undefined;
    if (eq) continue;
    const lt = order("<", x, y);
    if (lt === undefined || typeof lt === "object") return lt;
    return lt ? -1 : 1;
  }
  return a.length - b.length;
}

/** The items of an iterable we can enumerate, or unknown. */
export function iterate(v: PyValue): PyValue[] | { error: string; message: string } | PyValue & { kind: "unknown" } {
  switch (v.kind) {
    case "list":
    case "tuple":
      return v.items;
    case "str":
      return Array.from(v.value, (ch) => str(ch));
    case "dict":
      return v.entries.map((e) => e.key);
    case "unknown":
      return v;
    default:
      return { error: "TypeError", message: `TypeError: '${typeName(v)}' object is not iterable` };
  }
}

/** `obj[key]` on known sequences and dicts (os.environ is handled by the evaluator). */
export function getItem(obj: PyValue, key: PyValue): OpResult {
  if (obj.kind === "unknown") return obj;
  if (obj.kind === "dict") {
    if (key.kind === "unknown") return key;
    const got = dictGet(obj, key);
    if (got === "unknown") return unknown(`cannot tell whether key ${pyRepr(key)} is in the dict`);
    if (got === undefined) return { error: "KeyError", message: `KeyError: ${pyRepr(key)}` };
    return got;
  }
  if (obj.kind === "list" || obj.kind === "tuple" || obj.kind === "str") {
    if (key.kind === "unknown") return key;
    if (key.kind !== "int" && key.kind !== "bool") {
      return { error: "TypeError", message: `TypeError: ${typeName(obj)} indices must be integers, not ${typeName(key)}` };
    }
    const seq = obj.kind === "str" ? Array.from(obj.value, (ch) => str(ch)) : obj.items;
    const n = numeric(key) as number;
    const i = n < 0 ? seq.length + n : n;
    const item = seq[i];
    if (item === undefined) return { error: "IndexError", message: `IndexError: ${typeName(obj)} index out of range` };
    return item;
  }
  return { error: "TypeError", message: `TypeError: '${typeName(obj)}' object is not subscriptable` };
}

/** `obj[start:stop:step]` on lists, tuples and strings, with Python's clamping rules. */
export function sliceOf(obj: PyValue, start: PyValue, stop: PyValue, step: PyValue): OpResult {
  for (const v of [obj, start, stop, step]) {
    const u = firstUnknown(v);
    if (u) return u;
  }
  if (obj.kind !== "list" && obj.kind !== "tuple" && obj.kind !== "str") {
    return { error: "TypeError", message: `TypeError: '${typeName(obj)}' object is not subscriptable` };
  }
  const asIndex = (v: PyValue): number | null | undefined => (v.kind === "none" ? null : numeric(v) !== undefined && v.kind !== "float" ? (numeric(v) as number) : undefined);
  const s = asIndex(start);
  const e = asIndex(stop);
  const st = asIndex(step);
  if (s === undefined || e === undefined || st === undefined) return { error: "TypeError", message: "TypeError: slice indices must be integers or None" };
  const stepN = st ?? 1;
  if (stepN === 0) return { error: "ValueError", message: "ValueError: slice step cannot be zero" };
  const seq: PyValue[] = obj.kind === "str" ? Array.from(obj.value, (ch) => str(ch)) : obj.items;
  const len = seq.length;
  const clamp = (v: number | null, dflt: number, lo: number, hi: number) => {
    if (v === null) return dflt;
    const x = v < 0 ? v + len : v;
    return Math.min(Math.max(x, lo), hi);
  };
  const out: PyValue[] = [];
  if (stepN > 0) {
    const from = clamp(s, 0, 0, len);
    const to = clamp(e, len, 0, len);
    for (let i = from; i < to; i += stepN) out.push(seq[i] as PyValue);
  } else {
    const from = clamp(s, len - 1, -1, len - 1);
    const to = clamp(e, -1, -1, len - 1);
    for (let i = from; i > to; i += stepN) out.push(seq[i] as PyValue);
  }
  if (obj.kind === "str") return str(out.map((c) => (c as { value: string }).value).join(""));
  return { kind: obj.kind, items: out };
}
