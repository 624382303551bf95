/**
 * Text-level work on compose scalar values, with every character tracing back to the
 * source offsets it came from: `${VAR}` interpolation (compose spec), shell-word
 * splitting of string commands (Python shlex, POSIX mode), and the project's `.env`.
 *
 * Written by hand because no package keeps source positions through substitution and
 * splitting, and the lint must point at the exact word of a `command:`.
 */
import { LineIndex } from "../core/line-index.js";
import { parseDotenv } from "./dotenv.js";

/** Text whose characters remember the half-open source span that produced each of them. */
export interface MappedText {
  text: string;
  starts: number[];
  ends: number[];
  /** Span of the whole source value; empty text points at `start`. */
  start: number;
  end: number;
}

/** Text copied verbatim from the source at `offset`. */
export function mappedVerbatim(text: string, offset: number): MappedText {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    starts.push(offset + i);
    ends.push(offset + i + 1);
  }
  return { text, starts, ends, start: offset, end: offset + text.length };
}

/** Text whose characters all map to the span [start, end): used when positions are unknowable. */
export function mappedUniform(text: string, start: number, end: number): MappedText {
  return { text, starts: Array<number>(text.length).fill(start), ends: Array<number>(text.length).fill(end), start, end };
}

export function mappedSlice(m: MappedText, from: number, to: number = m.text.length): MappedText {
  const [start, end] = mappedSpan(m, from, to);
  return { text: m.text.slice(from, to), starts: m.starts.slice(from, to), ends: m.ends.slice(from, to), start, end };
}

/** Source span [start, end) of the characters [from, to) of `m`; empty ranges are zero-width. */
export function mappedSpan(m: MappedText, from: number, to: number): [number, number] {
  if (to > from) {
    let start = Infinity;
    let end = -Infinity;
    for (let i = from; i < to; i++) {
      start = Math.min(start, m.starts[i] ?? m.start);
      end = Math.max(end, m.ends[i] ?? m.end);
    }
    return [start, end];
  }
  const at = from < m.text.length ? (m.starts[from] ?? m.start) : from > 0 ? (m.ends[from - 1] ?? m.end) : m.start;
  return [at, at];
}

/** Accumulates mapped characters. */
class MappedBuilder {
  text = "";
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  push(text: string, start: number, end: number): void {
    this.text += text;
    for (let i = 0; i < text.length; i++) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  append(m: MappedText, from = 0, to = m.text.length): void {
    this.text += m.text.slice(from, to);
    for (let i = from; i < to; i++) {
      this.starts.push(m.starts[i] ?? m.start);
      this.ends.push(m.ends[i] ?? m.end);
    }
  }

  build(start: number, end: number): MappedText {
    return { text: this.text, starts: this.starts, ends: this.ends, start, end };
  }
}

// ---------------------------------------------------------------------------------------
// Interpolation

/** Variables visible to interpolation: the project's `.env` only (never process.env). */
export type InterpolationEnv = ReadonlyMap<string, string>;

export interface InterpolationError {
  message: string;
  /** Set for `${VAR:?…}` / `${VAR?…}` with no value: the variable compose requires. */
  requiredVariable?: string;
  /** Source offsets of the offending `${…}` expression. */
  start: number;
  end: number;
}

export interface UnresolvedMarker {
  name: string;
  index: number;
  start: number;
  end: number;
}

export interface Interpolated {
  text: MappedText;
  /** Variables with no value and no default (compose substitutes ""); each once, in order. */
  unresolved: string[];
  /** Where in the output text each unresolved variable left its empty string, and its `${…}` source span. */
  markers: UnresolvedMarker[];
  errors: InterpolationError[];
}

const NAME_START = /[_A-Za-z]/;
const NAME_REST = /[_A-Za-z0-9]/;
const OPERATORS = [":-", ":?", ":+", "-", "?", "+"] as const;

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`, `${VAR?e}`,
 * `${VAR:+a}`, `${VAR+a}` and `$$` the way compose does (defaults may nest).
 * `where` names the option for messages, e.g. `services.web.image`.
 * Substituted values map to the whole `${…}` expression; defaults keep their own positions
 * (stretched at both ends over the expression's delimiters).
 */
export function interpolate(input: MappedText, env: InterpolationEnv, where: string): Interpolated {
  const unresolved: string[] = [];
  const errors: InterpolationError[] = [];
  const { text, markers } = substitute(input, env, where, input.text, unresolved, errors);
  return { text, unresolved, markers, errors };
}

function substitute(
  input: MappedText,
  env: InterpolationEnv,
  where: string,
  whole: string,
  unresolved: string[],
  errors: InterpolationError[],
): { text: MappedText; markers: Interpolated["markers"] } {
  const s = input.text;
  const out = new MappedBuilder();
  const markers: Interpolated["markers"] = [];
  const invalid = (from: number, to: number): void => {
    const [start, end] = mappedSpan(input, from, to);
    errors.push({
      message: `invalid interpolation format for ${where}: ${JSON.stringify(whole)}; you may need to escape any $ with another $`,
      start,
      end,
    });
  };
  const missing = (name: string, start: number, end: number): void => {
    if (!unresolved.includes(name)) unresolved.push(name);
    markers.push({ name, index: out.text.length, start, end });
  };
  // The operand is itself a template: `${A:-${B}}` and `${A:?need ${B}}` nest. Its text keeps
  // its own positions, stretched at both ends over `${A:-` and `}` so that a word made of
  // the whole substitution covers the whole expression.
  const appendOperand = (from: number, to: number, exprStart: number, exprEnd: number): void => {
    const nested = substitute(mappedSlice(input, from, to), env, where, whole, unresolved, errors);
    for (const m of nested.markers) markers.push({ ...m, index: out.text.length + m.index });
    const first = out.text.length;
    out.append(nested.text);
    const last = out.text.length - 1;
    if (last >= first) {
      out.starts[first] = Math.min(out.starts[first] ?? exprStart, exprStart);
      out.ends[last] = Math.max(out.ends[last] ?? exprEnd, exprEnd);
    }
  };
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch !== "$") {
      out.append(input, i, i + 1);
      i++;
      continue;
    }
    const next = s[i + 1];
    if (next === "$") {
      const [start, end] = mappedSpan(input, i, i + 2);
      out.push("$", start, end);
      i += 2;
      continue;
    }
    if (next !== undefined && NAME_START.test(next)) {
      let j = i + 2;
      while (j < s.length && NAME_REST.test(s[j] ?? "")) j++;
      const name = s.slice(i + 1, j);
      const [start, end] = mappedSpan(input, i, j);
      const value = env.get(name);
      if (value === undefined) missing(name, start, end);
      else out.push(value, start, end);
      i = j;
      continue;
    }
    if (next === "{") {
      const close = closingBrace(s, i);
      if (close < 0) {
        invalid(i, s.length);
        out.append(input, i);
        break;
      }
      const [start, end] = mappedSpan(input, i, close + 1);
      const body = i + 2; // first character after "${"
      let j = body;
      if (j < close && NAME_START.test(s[j] ?? "")) {
        j++;
        while (j < close && NAME_REST.test(s[j] ?? "")) j++;
      }
      const name = s.slice(body, j);
      const op = OPERATORS.find((o) => s.startsWith(o, j));
      if (name === "" || (j < close && op === undefined)) {
        invalid(i, close + 1);
        out.append(input, i, close + 1);
        i = close + 1;
        continue;
      }
      const value = env.get(name);
      if (op === undefined) {
        if (value === undefined) missing(name, start, end);
        else out.push(value, start, end);
        i = close + 1;
        continue;
      }
      const operandFrom = j + op.length;
      const set = value !== undefined;
      const nonEmpty = set && value !== "";
      switch (op) {
        case ":-":
          if (nonEmpty) out.push(value!, start, end);
          else appendOperand(operandFrom, close, start, end);
          break;
        case "-":
          if (set) out.push(value!, start, end);
          else appendOperand(operandFrom, close, start, end);
          break;
        case ":+":
          if (nonEmpty) appendOperand(operandFrom, close, start, end);
          break;
        case "+":
          if (set) appendOperand(operandFrom, close, start, end);
          break;
        case ":?":
        case "?": {
          if (op === ":?" ? nonEmpty : set) {
            out.push(value!, start, end);
            break;
          }
          const reason = substitute(mappedSlice(input, operandFrom, close), env, where, whole, unresolved, errors).text.text;
          missing(name, start, end);
          errors.push({
            message: `required variable ${name} is missing a value` + (reason === "" ? "" : `: ${reason}`),
            requiredVariable: name,
            start,
            end,
          });
          break;
        }
      }
      i = close + 1;
      continue;
    }
    // `$` followed by neither a name, `{` nor `$`: compose rejects the whole value.
    invalid(i, Math.min(i + 2, s.length));
    out.append(input, i, i + 1);
    i++;
  }
  return { text: out.build(input.start, input.end), markers };
}

/** Index of the `}` closing the `${` at `open`, counting nested `${`; -1 if none. */
function closingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === "$" && s[i + 1] === "{") {
      depth++;
      i++;
    } else if (s[i] === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

// ---------------------------------------------------------------------------------------
// Shell words

export interface ShellWords {
  /** Each word: its text, the input indices [from, to) it was read from, and their source span (quotes included). */
  words: { text: string; from: number; to: number; start: number; end: number }[];
  /** Python shlex's message when the text is not a complete shell word list. */
  error?: string;
}

const SHELL_SPACE = new Set([" ", "\t", "\r", "\n"]);

/**
 * Splits a command string the way `shlex.split(s)` does (POSIX mode, no comments), which
 * is how compose turns `command: gunicorn -b "0.0.0.0:8000" app.wsgi` into argv.
 */
export function splitShellWords(input: MappedText): ShellWords {
  const s = input.text;
  const words: ShellWords["words"] = [];
  let word: string | undefined;
  let first = 0;
  let last = 0;
  let quote: "'" | '"' | undefined;
  const finish = (): void => {
    if (word === undefined) return;
    const [start, end] = mappedSpan(input, first, last);
    words.push({ text: word, from: first, to: last, start, end });
    word = undefined;
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] ?? "";
    if (quote === undefined && SHELL_SPACE.has(ch)) {
      finish();
      continue;
    }
    if (word === undefined) {
      word = "";
      first = i;
    }
    last = i + 1;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (ch === "\\") {
      const next = s[i + 1];
      if (next === undefined) {
        finish();
        return { words, error: "No escaped character" };
      }
      // Inside double quotes a backslash only escapes `"` and `\`; elsewhere it escapes anything.
      if (quote === '"' && next !== '"' && next !== "\\") word += ch + next;
      else word += next;
      i++;
      last = i + 1;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else {
      word += ch;
    }
  }
  finish();
  return quote === undefined ? { words } : { words, error: "No closing quotation" };
}

// ---------------------------------------------------------------------------------------
// The project's .env

/**
 * The variables of the compose project's `.env`, for interpolation. The file is read by
 * the shared dotenv loader; on top of it, compose (python-dotenv in 1.29, compose-go in
 * v2) expands `${VAR}` from earlier lines in values that are not single-quoted. The
 * loader's own problems are not repeated here: the env-file loader reports them.
 */
export function projectEnvironment(text: string, file: string): Map<string, string> {
  const env = new Map<string, string>();
  const lines = new LineIndex(text);
  for (const entry of parseDotenv(text, file).entries) {
    const { line, column } = entry.valueRange;
    const quote = text[lines.lineStart(line) + column - 1];
    env.set(entry.name, quote === "'" ? entry.value : expand(entry.value, env));
  }
  return env;
}

function expand(value: string, env: InterpolationEnv): string {
  if (!value.includes("$")) return value;
  // An odd `$` in .env stays as written; the value is not ours to report on.
  const result = interpolate(mappedVerbatim(value, 0), env, ".env");
  return result.errors.length > 0 ? value : result.text.text;
}
