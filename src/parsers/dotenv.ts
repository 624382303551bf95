import { LineIndex } from "../core/line-index.js";
import type { SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";

/**
 * .env loader that keeps the line and column of every name and value. `dotenv.parse`
 * keeps no positions, so this runs the very same LINE regular expression (with the `d`
 * flag for match indices) over the same normalised text and maps the offsets back.
 *
 * Two flavours: "compose" (the default) reads env files the way docker compose and
 * python-dotenv do — in an unquoted value `#` starts a comment only after whitespace, so
 * `SECRET_KEY=ab#cd` is `ab#cd`; "node" is the npm `dotenv` package to the letter (any `#`
 * ends an unquoted value), kept so tests can compare against it as an oracle.
 */

export interface DotenvEntry {
  name: string;
  value: string;
  /** The whole assignment, from `export`/the name to the end of the value (all lines of a multi-line value). */
  range: SourceRange;
  nameRange: SourceRange;
  /** The value as written, quotes included; an empty range right after `=` / `:` when the value is empty. */
  valueRange: SourceRange;
}

export interface DotenvFile {
  file: string;
  entries: DotenvEntry[];
  problems: ParseProblem[];
}

// Copied from dotenv/lib/main.js (v17.4): the single source of dotenv's syntax. Group 1 is
// the name, group 2 the raw value. Note the quirks it brings and we keep on purpose:
// `\s` crosses line breaks, so `A=` followed by a quoted value on the next line takes it,
// and `KEY: VALUE` (colon plus whitespace) is an assignment too.
const DOTENV_LINE_SOURCE =
  "(?:^|^)\\s*(?:export\\s+)?([\\w.-]+)(?:\\s*=\\s*?|:\\s+?)(\\s*'(?:\\\\'|[^'])*'|\\s*\"(?:\\\\\"|[^\"])*\"|\\s*`(?:\\\\`|[^`])*`|[^#\\r\\n]+)?\\s*(?:#.*)?(?:$|$)";

// The same expression with one change for compose / python-dotenv (checked against
// docker-compose 1.29): an unquoted value may contain `#` unless whitespace comes right
// before it, and may start with `#` (`A=#x` and `A= #x` are both `#x`).
const COMPOSE_LINE_SOURCE = DOTENV_LINE_SOURCE.replace("|[^#\\r\\n]+)?", "|[^\\S\\r\\n]*#(?:[^#\\r\\n]|(?<=\\S)#)*|(?:[^#\\r\\n]|(?<=\\S)#)+)?");

export type DotenvFlavor = "compose" | "node";

/** dotenv's value post-processing, step for step (trim, unquote, expand \n and \r in double quotes). */
function dotenvValue(raw: string, flavor: DotenvFlavor): string {
  let value = raw.trim();
  const maybeQuote = value[0];
  value = value.replace(/^(['"`])([\s\S]*)\1$/gm, "$2");
  if (maybeQuote === '"') {
    if (flavor === "compose") {
      // python-dotenv and compose decode the usual backslash escapes in double quotes.
      value = value.replace(/\\([nrt"\\])/g, (_m, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c);
    } else {
      value = value.replace(/\\n/g, "\n");
      value = value.replace(/\\r/g, "\r");
    }
  }
  return value;
}

/**
 * dotenv turns CRLF and lone CR into LF before matching; this does the same and keeps,
 * for every index of the normalised text, the offset it came from in the original.
 */
function normaliseLineBreaks(text: string): { text: string; origin: number[] } {
  let out = "";
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\r") {
      origin.push(i);
      out += "\n";
      if (text[i + 1] === "\n") i++;
    } else {
      origin.push(i);
      out += ch;
    }
  }
  origin.push(text.length);
  return { text: out, origin };
}

export function parseDotenv(text: string, file: string, flavor: DotenvFlavor = "compose"): DotenvFile {
  const index = new LineIndex(text);
  const { text: normalised, origin } = normaliseLineBreaks(text);
  const at = (normalisedOffset: number): number => origin[normalisedOffset] ?? text.length;
  const range = (start: number, end: number): SourceRange => index.range(file, at(start), at(end));

  const entries: DotenvEntry[] = [];
  const problems: ParseProblem[] = [];
  const covered = new Set<number>(); // 1-based lines that belong to an assignment

  const lineRe = new RegExp(flavor === "compose" ? COMPOSE_LINE_SOURCE : DOTENV_LINE_SOURCE, "dgm");
  let match: RegExpExecArray | null;
  while ((match = lineRe.exec(normalised)) !== null) {
    const nameSpan = match.indices?.[1];
    if (match[1] === undefined || nameSpan === undefined) break;
    if (match[0].length === 0) lineRe.lastIndex++; // never reached with this pattern; guards an endless loop

    const [nameStart, nameEnd] = nameSpan;
    const prefix = normalised.slice(match.index, nameStart);
    const exportAt = prefix.search(/\S/);
    const entryStart = exportAt >= 0 ? match.index + exportAt : nameStart;

    const rawValue = match[2] ?? "";
    const valueSpan = match.indices?.[2];
    let valueStart: number;
    let valueEnd: number;
    const separatorAt = nameEnd + normalised.slice(nameEnd).search(/[=:]/);
    if (valueSpan !== undefined && rawValue.trim() !== "") {
      const lead = rawValue.length - rawValue.trimStart().length;
      valueStart = valueSpan[0] + lead;
      valueEnd = valueStart + rawValue.trim().length;
    } else {
      valueStart = separatorAt + 1;
      valueEnd = valueStart;
    }

    const entry: DotenvEntry = {
      name: match[1],
      value: dotenvValue(rawValue, flavor),
      range: range(entryStart, valueEnd),
      nameRange: range(nameStart, nameEnd),
      valueRange: range(valueStart, valueEnd),
    };
    entries.push(entry);

    const written = rawValue.trim();
    const quote = written[0];
    if ((quote === '"' || quote === "'" || quote === "`") && (written.length < 2 || !written.endsWith(quote))) {
      problems.push({
        range: entry.valueRange,
        message: `value of ${entry.name} opens a ${quote} quote that does not close at its end; dotenv keeps it as written, quote included`,
      });
    }

    const first = index.position(at(match.index)).line;
    const last = index.position(at(match.index + match[0].length)).line;
    for (let line = first; line <= last; line++) covered.add(line);
  }

  // dotenv silently skips what its regex does not match; we report it, because a
  // variable someone meant to set is missing from the environment.
  for (let line = 1; line <= index.lineCount; line++) {
    if (covered.has(line)) continue;
    const content = index.lineText(line);
    const trimmed = content.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const startCol = content.length - content.trimStart().length;
    const start = index.lineStart(line) + startCol;
    problems.push({
      range: index.range(file, start, start + content.trim().length),
      message: "not a KEY=VALUE line; dotenv ignores it",
    });
  }
  problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);

  return { file, entries, problems };
}

/** The variables the file defines, as dotenv would load them: the last assignment of a name wins. */
export function dotenvValues(f: DotenvFile): Map<string, DotenvEntry> {
  const values = new Map<string, DotenvEntry>();
  for (const entry of f.entries) values.set(entry.name, entry);
  return values;
}
