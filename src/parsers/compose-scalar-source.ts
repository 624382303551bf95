/**
 * Scalar source maps: where each character of a YAML string scalar's value sits in the
 * file, so the words of a command or the parts of `src:dst` keep exact ranges.
 */
import { Scalar } from "yaml";
import { mappedUniform, mappedVerbatim, type MappedText } from "./compose-interpolation.js";

const SIMPLE_ESCAPES: Record<string, string> = {
  "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b",
  " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\u0085", _: "\u00a0", L: "\u2028", P: "\u2029",
};

/**
 * Maps every character of a string scalar's value to its place in the file, so the
 * words of a command or the parts of `src:dst` can be located. Falls back to the whole
 * scalar's range for each character when the mapping cannot be rebuilt exactly.
 */
export function scalarSource(node: Scalar, text: string): MappedText {
  const value = String(node.value);
  const [start, end] = node.range ?? [0, 0];
  const raw = text.slice(start, end);
  const uniform = (): MappedText => mappedUniform(value, start, end);
  switch (node.type) {
    case Scalar.PLAIN:
      return raw === value ? mappedVerbatim(value, start) : align(value, text, start, end) ?? uniform();
    case Scalar.QUOTE_SINGLE:
      return align(value, text, start + 1, end - 1, true) ?? uniform();
    case Scalar.QUOTE_DOUBLE:
      if (!raw.includes("\\")) return align(value, text, start + 1, end - 1) ?? uniform();
      if (raw.includes("\n")) return uniform();
      return decodeDoubleQuoted(value, text, start + 1, end - 1) ?? uniform();
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED: {
      const header = text.indexOf("\n", start);
      return header < 0 || header >= end ? uniform() : align(value, text, header + 1, end) ?? uniform();
    }
    default:
      return uniform();
  }
}

/**
 * Walks value and source together, skipping source characters that the YAML scalar
 * syntax removed (indentation, folded line breaks, doubled quotes). Each value character
 * matches an equal source character, or a space matches a folded line break.
 */
function align(value: string, text: string, from: number, to: number, singleQuoted = false): MappedText | undefined {
  const starts: number[] = [];
  const ends: number[] = [];
  let p = from;
  for (let k = 0; k < value.length; k++) {
    const c = value[k];
    while (p < to && text[p] !== c && !(c === " " && text[p] === "\n")) p++;
    if (p >= to) {
      // Chomping may add a final line break that the source does not have.
      if (k === value.length - 1 && c === "\n") {
        starts.push(to);
        ends.push(to);
        break;
      }
      return undefined;
    }
    // In a single-quoted scalar `''` stands for one quote: map it to both characters.
    const width = singleQuoted && c === "'" && text[p + 1] === "'" ? 2 : 1;
    starts.push(p);
    ends.push(p + width);
    p += width;
  }
  return { text: value, starts, ends, start: from, end: to };
}

function decodeDoubleQuoted(value: string, text: string, from: number, to: number): MappedText | undefined {
  let out = "";
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (s: string, a: number, b: number): void => {
    out += s;
    for (let i = 0; i < s.length; i++) {
      starts.push(a);
      ends.push(b);
    }
  };
  for (let p = from; p < to; ) {
    const c = text[p] ?? "";
    if (c !== "\\") {
      emit(c, p, p + 1);
      p++;
      continue;
    }
    const e = text[p + 1] ?? "";
    const hex = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hex > 0) {
      const code = Number.parseInt(text.slice(p + 2, p + 2 + hex), 16);
      if (Number.isNaN(code)) return undefined;
      emit(String.fromCodePoint(code), p, p + 2 + hex);
      p += 2 + hex;
    } else if (e in SIMPLE_ESCAPES) {
      emit(SIMPLE_ESCAPES[e] ?? "", p, p + 2);
      p += 2;
    } else {
      return undefined;
    }
  }
  return out === value ? { text: value, starts, ends, start: from - 1, end: to + 1 } : undefined;
}
