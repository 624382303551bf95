import type { SourceRange } from "../../core/location.js";
import type { ParseProblem } from "../../core/problems.js";
import { PY_SPACE, universalNewlines } from "./text.js";

/**
 * A .env file as python-dotenv (0.10 – 1.2) reads it: its `parser.py`, regex for regex,
 * keeping offsets. The compose-flavour reader in src/parsers/dotenv.ts does not match it:
 * python-dotenv drops a whole line it cannot parse (`A="x" y`), decodes `\'` and `\\` in
 * single quotes, lets a double-quoted value span lines, takes `A` alone as a key without a
 * value (None), and expands `${VAR}` / `${VAR:-default}` (see `expandPosixVariables`).
 */

export interface PythonDotenvEntry {
  name: string;
  /** null for a key without `=` (python-dotenv's None: load_dotenv skips it). */
  value: string | null;
  /** From the key (or `export`) to the end of the value. */
  range: SourceRange;
}

export interface PythonDotenvFile {
  entries: PythonDotenvEntry[];
  /** Statements python-dotenv could not parse (it logs a warning and skips them). */
  problems: ParseProblem[];
}

// Python's `[^\S\r\n]`: whitespace other than CR and LF.
const SPACE_NOT_NEWLINE = `[${PY_SPACE.replace("\\n", "").replace("\\r", "")}]`;

const sticky = (source: string) => new RegExp(source, "y");
const MULTILINE_WHITESPACE = sticky(`[${PY_SPACE}]*`);
const WHITESPACE = sticky(`${SPACE_NOT_NEWLINE}*`);
const EXPORT = sticky(`(?:export${SPACE_NOT_NEWLINE}+)?`);
const SINGLE_QUOTED_KEY = sticky(`'([^']+)'`);
const UNQUOTED_KEY = sticky(`([^=#${PY_SPACE}]+)`);
const EQUAL_SIGN = sticky(`(=${SPACE_NOT_NEWLINE}*)`);
const SINGLE_QUOTED_VALUE = sticky(`'((?:\\\\'|[^'])*)'`);
const DOUBLE_QUOTED_VALUE = sticky(`"((?:\\\\"|[^"])*)"`);
const UNQUOTED_VALUE = sticky(`([^\\r\\n]*)`);
const COMMENT = sticky(`(?:${SPACE_NOT_NEWLINE}*#[^\\r\\n]*)?`);
const END_OF_LINE = sticky(`${SPACE_NOT_NEWLINE}*(?:\\r\\n|\\n|\\r|$)`);
const REST_OF_LINE = sticky(`[^\\r\\n]*(?:\\r|\\n|\\r\\n)?`);
const INLINE_COMMENT = new RegExp(`[${PY_SPACE}]+#.*`);
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`);

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

class ParseFailed extends Error {}

export function parsePythonDotenv(original: string, file: string): PythonDotenvFile {
  const { text, range } = universalNewlines(original, file);
  let pos = 0;
  const readRegex = (re: RegExp): string[] => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) throw new ParseFailed();
    pos += m[0].length;
    return m.slice(1) as string[];
  };
  const peek = () => text.slice(pos, pos + 1);

  const entries: PythonDotenvEntry[] = [];
  const problems: ParseProblem[] = [];
  while (pos < text.length) {
    const mark = pos;
    try {
      readRegex(MULTILINE_WHITESPACE);
      if (pos >= text.length) break;
      const start = pos;
      readRegex(EXPORT);
      let key: string | null;
      if (peek() === "#") key = null;
      else if (peek() === "'") [key] = readRegex(SINGLE_QUOTED_KEY) as [string];
      else [key] = readRegex(UNQUOTED_KEY) as [string];
      let end = pos;
      readRegex(WHITESPACE);
      let value: string | null = null;
      if (peek() === "=") {
        readRegex(EQUAL_SIGN);
        const valueStart = pos;
        const quoted = peek() === "'" || peek() === '"';
        value = parseValue();
        // An unquoted value is what is left of the line's start: it ends before an inline comment and blanks.
        end = quoted ? pos : valueStart + value.length;
      }
      readRegex(COMMENT);
      readRegex(END_OF_LINE);
      if (key !== null) entries.push({ name: key, value, range: range(start, end) });
    } catch (error) {
      if (!(error instanceof ParseFailed)) throw error;
      pos = mark;
      readRegex(MULTILINE_WHITESPACE);
      const from = pos;
      readRegex(REST_OF_LINE);
      const line = text.slice(from, pos).replace(/[\r\n]+$/, "");
      problems.push({ range: range(from, from + line.length), message: "python-dotenv could not parse this statement and skips it" });
    }
  }
  return { entries, problems };

  function parseValue(): string {
    const c = peek();
    if (c === "'") {
      const [v] = readRegex(SINGLE_QUOTED_VALUE) as [string];
      return v.replace(/\\[\\']/g, (e) => e[1] as string);
    }
    if (c === '"') {
      const [v] = readRegex(DOUBLE_QUOTED_VALUE) as [string];
      return v.replace(/\\[\\'"abfnrtv]/g, (e) => DOUBLE_QUOTE_ESCAPES[e[1] as string] as string);
    }
    if (c === "" || c === "\n" || c === "\r") return "";
    const [part] = readRegex(UNQUOTED_VALUE) as [string];
    return part.replace(INLINE_COMMENT, "").replace(TRAILING_SPACE, "");
  }
}

/** One `${NAME}` / `${NAME:-default}` of a value, or literal text. */
export type VariableAtom = { kind: "literal"; text: string } | { kind: "variable"; name: string; default: string | null };

const POSIX_VARIABLE = /\$\{([^}:]*)(?::-([^}]*))?\}/g;

/** python-dotenv's variables.parse_variables: only the braced forms are variables, `$NAME` is literal. */
export function parseVariables(value: string): VariableAtom[] {
  const atoms: VariableAtom[] = [];
  let cursor = 0;
  for (const m of value.matchAll(POSIX_VARIABLE)) {
    const start = m.index as number;
    if (start > cursor) atoms.push({ kind: "literal", text: value.slice(cursor, start) });
    atoms.push({ kind: "variable", name: m[1] as string, default: m[2] ?? null });
    cursor = start + m[0].length;
  }
  if (cursor < value.length) atoms.push({ kind: "literal", text: value.slice(cursor) });
  return atoms;
}
