import { LineIndex } from "../../core/line-index.js";
import type { SourceRange } from "../../core/location.js";

/**
 * Python opens these files in text mode: CRLF and lone CR become LF before the library
 * sees a character. The parsers work on that text; `range` maps offsets in it back to
 * the file as written.
 */
export interface PythonText {
  text: string;
  range(start: number, end: number): SourceRange;
}

export function universalNewlines(original: string, file: string): PythonText {
  let text = "";
  const origin: number[] = [];
  for (let i = 0; i < original.length; i++) {
    const ch = original[i] as string;
    origin.push(i);
    if (ch === "\r") {
      text += "\n";
      if (original[i + 1] === "\n") i++;
    } else text += ch;
  }
  origin.push(original.length);
  const index = new LineIndex(original);
  const at = (offset: number): number => origin[offset] ?? original.length;
  // The end of a range is exclusive: map the last character, not the one after it (a CRLF would swallow the LF).
  const endAt = (end: number): number => (end > 0 ? at(end - 1) + 1 : at(0));
  return { text, range: (start, end) => index.range(file, at(start), end > start ? endAt(end) : at(start)) };
}

/** Characters for which Python's str.isspace() is true: `\s` in a Python `str` regex and str.strip(). */
export const PY_SPACE = "\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

const STRIP_LEFT = new RegExp(`^[${PY_SPACE}]+`);
const STRIP_RIGHT = new RegExp(`[${PY_SPACE}]+$`);

/** str.strip() with Python's whitespace; also the offsets of what is kept. */
export function pyStrip(s: string): { text: string; start: number; end: number } {
  const left = STRIP_LEFT.exec(s)?.[0].length ?? 0;
  const right = left === s.length ? 0 : (STRIP_RIGHT.exec(s)?.[0].length ?? 0);
  return { text: s.slice(left, s.length - right), start: left, end: s.length - right };
}

/** Line breaks of Python's str.splitlines() (after universal newlines only these remain besides LF). */
const SPLITLINES = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** str.splitlines(): each line with its start offset. */
export function splitLines(text: string): { line: string; start: number }[] {
  const out: { line: string; start: number }[] = [];
  let start = 0;
  for (const m of text.matchAll(SPLITLINES)) {
    out.push({ line: text.slice(start, m.index), start });
    start = (m.index as number) + m[0].length;
  }
  if (start < text.length) out.push({ line: text.slice(start), start });
  return out;
}
