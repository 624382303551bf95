import { pyRepr, pyStr, unknown, type PyValue } from "./values.js";

/**
 * printf-style `str % args`, as CPython's PyUnicode_Format does it for the conversions
 * settings use: `%s %r %a %d %i %u %x %X %o %c %%`, with `(key)` mappings, flags, width
 * and precision. Float conversions (`%f %e %g`) are left unknown: their rounding of ties
 * differs from JavaScript's.
 */

export type FormatResult = PyValue | { error: string; message: string };

const CONVERSION = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)?/y;

export function percentFormat(template: string, args: PyValue): FormatResult {
  if (args.kind === "unknown") return args;
  const isTuple = args.kind === "tuple";
  const items = isTuple ? args.items : [args];
  // CPython treats any non-tuple, non-str object with __getitem__ as a mapping (dicts, lists…).
  const mapping = !isTuple && (args.kind === "dict" || args.kind === "list") ? args : undefined;
  let next = 0;
  let out = "";
  const take = (): PyValue | undefined => items[next++];
  const typeError = (message: string) => ({ error: "TypeError", message: `TypeError: ${message}` });
  let i = 0;
  while (i < template.length) {
    const pct = template.indexOf("%", i);
    if (pct < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, pct);
    CONVERSION.lastIndex = pct;
    const m = CONVERSION.exec(template) as RegExpExecArray;
    i = pct + m[0].length;
    const [, key, flags = "", widthText, precisionText, conv] = m;
    if (conv === undefined) return { error: "ValueError", message: "ValueError: incomplete format" };
    if (conv === "%" && key === undefined && flags === "" && widthText === undefined && precisionText === undefined) {
      out += "%";
      continue;
    }
    let value: PyValue | undefined;
    let width = widthText === undefined ? 0 : widthText === "*" ? undefined : Number(widthText);
    let precision = precisionText === undefined ? undefined : precisionText === "*" ? -1 : Number(precisionText);
    if (width === undefined) {
      const w = take();
      if (w === undefined) return typeError("not enough arguments for format string");
      if (w.kind === "unknown") return w;
      if (w.kind !== "int") return typeError("* wants int");
      width = w.value;
    }
    if (precision === -1) {
      const p = take();
      if (p === undefined) return typeError("not enough arguments for format string");
      if (p.kind === "unknown") return p;
      if (p.kind !== "int") return typeError("* wants int");
      precision = p.value;
    }
    if (key !== undefined) {
      if (mapping === undefined || mapping.kind !== "dict") return typeError("format requires a mapping");
      let found: PyValue | undefined;
      for (const e of mapping.entries) {
        if (e.key.kind === "unknown") return e.key;
        if (e.key.kind === "str" && e.key.value === key) found = e.value;
      }
      if (found === undefined) return { error: "KeyError", message: `KeyError: '${key}'` };
      value = found;
    } else if (conv !== "%") {
      value = take();
      if (value === undefined) return typeError("not enough arguments for format string");
    }
    if (value?.kind === "unknown") return value;
    let text: string;
    const left = flags.includes("-");
    let zero = flags.includes("0") && !left;
    switch (conv) {
      case "%":
        text = "%";
        zero = false;
        break;
      case "s":
      case "r":
      case "a": {
        const v = value as PyValue;
        text = conv === "s" ? pyStr(v) : pyRepr(v);
        if (conv === "a" && /[^\x00-\x7f]/.test(text)) return unknown("%a of non-ASCII text is not evaluated");
        if (precision !== undefined) text = Array.from(text).slice(0, precision).join("");
        zero = false;
        break;
      }
      case "d":
      case "i":
      case "u":
      case "x":
      case "X":
      case "o": {
        const v = value as PyValue;
        let n: bigint;
        if (v.kind === "int") n = BigInt(v.value);
        else if (v.kind === "bool") n = v.value ? 1n : 0n;
        else if (v.kind === "float" && "diu".includes(conv)) {
          if (!Number.isFinite(v.value)) return { error: "OverflowError", message: "OverflowError: cannot convert float infinity to integer" };
          n = BigInt(Math.trunc(v.value));
        } else {
          const what = "diu".includes(conv) ? "a real number is required" : "an integer is required";
          return typeError(`%${conv} format: ${what}, not ${typeName(v)}`);
        }
        const negative = n < 0n;
        const abs = negative ? -n : n;
        let digits = conv === "x" ? abs.toString(16) : conv === "X" ? abs.toString(16).toUpperCase() : conv === "o" ? abs.toString(8) : abs.toString();
        if (precision !== undefined && digits.length < precision) digits = digits.padStart(precision, "0");
        const prefix = flags.includes("#") && "xXo".includes(conv) ? `0${conv}` : "";
        const sign = negative ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
        if (zero && width > sign.length + prefix.length + digits.length) digits = digits.padStart(width - sign.length - prefix.length, "0");
        text = sign + prefix + digits;
        zero = false;
        break;
      }
      case "c": {
        const v = value as PyValue;
        if (v.kind === "str" && Array.from(v.value).length === 1) text = v.value;
        else if (v.kind === "int" && v.value >= 0 && v.value <= 0x10ffff) text = String.fromCodePoint(v.value);
        else return typeError("%c requires int or char");
        zero = false;
        break;
      }
      case "f":
      case "F":
      case "e":
      case "E":
      case "g":
      case "G":
        return unknown(`%${conv} formatting of numbers is not evaluated`);
      default:
        return { error: "ValueError", message: `ValueError: unsupported format character '${conv}' (0x${conv.codePointAt(0)?.toString(16)}) at index ${pct + m[0].length - 1}` };
    }
    const len = Array.from(text).length;
    if (len < width) text = left ? text + " ".repeat(width - len) : " ".repeat(width - len) + text;
    out += text;
  }
  if (next < items.length && mapping === undefined) return typeError("not all arguments converted during string formatting");
  return { kind: "str", value: out };
}

function typeName(v: PyValue): string {
  return v.kind === "none" ? "NoneType" : v.kind === "path" ? "PosixPath" : v.kind;
}
