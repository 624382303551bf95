import type { PyNode } from "./parse.js";

/**
 * Decoding of Python string literals from tree-sitter `string` nodes. tree-sitter only
 * splits a literal into its prefix/quote, content and interpolations; the escapes,
 * prefixes and `{{`/`}}` of f-strings are Python's rules, applied here.
 */

export type StringPart =
  | { kind: "text"; value: string }
  | { kind: "interpolation"; node: PyNode; expression: PyNode | null; conversion: string | undefined; hasFormatSpec: boolean; debug: boolean };

export type DecodedString =
  | { ok: true; bytes: boolean; parts: StringPart[] }
  | { ok: false; reason: string };

/** Splits one `string` node into literal text and f-string interpolations. */
export function decodeStringNode(node: PyNode, source: string): DecodedString {
  const start = node.children[0];
  if (start === undefined || start.type !== "string_start") return { ok: false, reason: "malformed string literal" };
  const startText = source.slice(start.startIndex, start.endIndex);
  const prefix = startText.replace(/['"]+$/, "").toLowerCase();
  if (/[^rbuf]/.test(prefix)) return { ok: false, reason: `string prefix ${prefix} is not evaluated` };
  const raw = prefix.includes("r");
  const bytes = prefix.includes("b");
  const fstring = prefix.includes("f");
  const parts: StringPart[] = [];
  for (const child of node.children) {
    if (child.type === "string_content") {
      const text = source.slice(child.startIndex, child.endIndex);
      const decoded = decodeContent(text, raw, fstring, bytes);
      if (typeof decoded !== "string") return { ok: false, reason: decoded.reason };
      parts.push({ kind: "text", value: decoded });
    } else if (child.type === "interpolation") {
      const spec = child.childForFieldName("format_specifier");
      const conversion = child.childForFieldName("type_conversion");
      parts.push({
        kind: "interpolation",
        node: child,
        expression: child.childForFieldName("expression"),
        conversion: conversion === null ? undefined : source.slice(conversion.startIndex + 1, conversion.endIndex),
        hasFormatSpec: spec !== null && spec.endIndex - spec.startIndex > 1,
        debug: child.children.some((c) => c.type === "="),
      });
    }
  }
  return { ok: true, bytes, parts };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function decodeContent(text: string, raw: boolean, fstring: boolean, bytes: boolean): string | { reason: string } {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (fstring && (ch === "{" || ch === "}") && text[i + 1] === ch) {
      out += ch;
      i += 2;
      continue;
    }
    if (ch !== "\\" || raw) {
      // A raw literal keeps backslashes; `\'` in it still does not end the string, which tree-sitter handled.
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) {
      out += ch;
      i++;
    } else if (next === "\n") {
      i += 2; // backslash-newline continues the literal on the next line
    } else if (next === "\r") {
      i += text[i + 2] === "\n" ? 3 : 2;
    } else if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i += 2;
    } else if (/[0-7]/.test(next)) {
      const m = /^[0-7]{1,3}/.exec(text.slice(i + 1)) as RegExpExecArray;
      out += String.fromCodePoint(parseInt(m[0], 8));
      i += 1 + m[0].length;
    } else if (next === "x" || (!bytes && (next === "u" || next === "U"))) {
      const len = next === "x" ? 2 : next === "u" ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return { reason: `invalid \\${next} escape in string literal` };
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return { reason: `invalid \\${next} escape in string literal` };
      out += String.fromCodePoint(code);
      i += 2 + len;
    } else if (next === "N" && !bytes) {
      return { reason: "\\N{...} escapes are not evaluated" };
    } else {
      out += ch + next; // unknown escapes keep their backslash, as in Python
      i += 2;
    }
  }
  return out;
}
