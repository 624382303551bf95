import type { SourceRange } from "../../core/location.js";
import { PY_SPACE, pyStrip, universalNewlines } from "./text.js";

/**
 * An .ini file as Python's `configparser.ConfigParser()` with its defaults reads it
 * (python-decouple's settings.ini): `#` / `;` full-line comments only, `=` or `:`
 * delimiters, option names lower-cased, indented continuation lines, blank lines kept
 * inside values, duplicates an error (strict), and `%(name)s` / `%%` interpolation when a
 * value is read. CPython's `RawConfigParser._read` and `BasicInterpolation`, step for step.
 */

export interface IniOption {
  name: string; // after optionxform (lower-case)
  value: string;
  /** From the option name to the end of its last line. */
  range: SourceRange;
}

export type IniFile =
  | { ok: true; sections: Map<string, Map<string, IniOption>>; defaults: Map<string, IniOption> }
  /** Reading raised (MissingSectionHeaderError, DuplicateOptionError, ParsingError…): the message. */
  | { ok: false; error: string; range: SourceRange };

const COMMENT_PREFIXES = ["#", ";"];
const SECTION = /^\[(.+)\]/;
const OPTION = new RegExp(`^(.*?)[${PY_SPACE}]*(=|:)[${PY_SPACE}]*(.*)$`);
const NON_SPACE = new RegExp(`[^${PY_SPACE}]`);
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`);

export function parseIni(original: string, file: string): IniFile {
  const { text, range } = universalNewlines(original, file);
  const sections = new Map<string, Map<string, IniOption>>();
  const defaults = new Map<string, IniOption>();
  const added = new Set<string>();
  // The value lines of each option, joined when the file is read.
  const pending = new Map<IniOption, string[]>();
  let current: Map<string, IniOption> | undefined;
  let sectionName: string | undefined;
  let option: IniOption | undefined;
  let indentLevel = 0;
  let parsingError: { message: string; range: SourceRange } | undefined;

  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    lineNo++;
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl + 1;
    const line = text.slice(start, end);
    const lineStart = start;
    start = end;
    const isComment = COMMENT_PREFIXES.some((p) => pyStrip(line).text.startsWith(p));
    const stripped = isComment ? { text: "", start: 0, end: 0 } : pyStrip(line);
    const value = stripped.text;
    if (!value) {
      // empty_lines_in_values: a blank line (not a comment) belongs to the value being read
      if (!isComment && current !== undefined && option !== undefined) pending.get(option)?.push("");
      continue;
    }
    const firstNonSpace = NON_SPACE.exec(line)?.index ?? 0;
    const valueRange = range(lineStart + stripped.start, lineStart + stripped.end);
    if (current !== undefined && option !== undefined && firstNonSpace > indentLevel) {
      pending.get(option)?.push(value);
      option.range = { ...option.range, endLine: valueRange.endLine, endColumn: valueRange.endColumn };
      continue;
    }
    indentLevel = firstNonSpace;
    const header = SECTION.exec(value);
    if (header) {
      const name = header[1] as string;
      if (sections.has(name)) {
        if (added.has(`[${name}]`)) return { ok: false, error: `DuplicateSectionError: section '${name}' already exists (line ${lineNo})`, range: valueRange };
        current = sections.get(name);
        added.add(`[${name}]`);
      } else if (name === "DEFAULT") {
        current = defaults;
      } else {
        current = new Map();
        sections.set(name, current);
        added.add(`[${name}]`);
      }
      sectionName = name;
      option = undefined;
      continue;
    }
    if (current === undefined) return { ok: false, error: `MissingSectionHeaderError: File contains no section headers (line ${lineNo})`, range: valueRange };
    const m = OPTION.exec(value);
    if (!m) {
      parsingError ??= { message: `ParsingError: Source contains parsing errors (line ${lineNo})`, range: valueRange };
      continue;
    }
    const name = (m[1] as string).replace(TRAILING_SPACE, "").toLowerCase();
    if (name === "") parsingError ??= { message: `ParsingError: Source contains parsing errors (line ${lineNo})`, range: valueRange };
    const key = `${sectionName}\u0000${name}`;
    if (added.has(key)) return { ok: false, error: `DuplicateOptionError: option '${name}' in section '${sectionName}' already exists (line ${lineNo})`, range: valueRange };
    added.add(key);
    option = { name, value: "", range: valueRange };
    pending.set(option, [pyStrip(m[3] as string).text]);
    current.set(name, option);
  }
  if (parsingError) return { ok: false, error: parsingError.message, range: parsingError.range };
  for (const [opt, lines] of pending) opt.value = lines.join("\n").replace(TRAILING_SPACE, "");
  return { ok: true, sections, defaults };
}

export type IniLookup = { kind: "found"; value: string; option: IniOption } | { kind: "missing" } | { kind: "error"; message: string };

/** `parser.has_option(section, key)` then `parser.get(section, key)` with BasicInterpolation. */
export function iniGet(ini: Extract<IniFile, { ok: true }>, section: string, key: string): IniLookup {
  const name = key.toLowerCase();
  const own = ini.sections.get(section);
  if (own === undefined) return { kind: "missing" };
  const option = own.get(name) ?? ini.defaults.get(name);
  if (option === undefined) return { kind: "missing" };
  const lookup = (n: string) => own.get(n)?.value ?? ini.defaults.get(n)?.value;
  const out: string[] = [];
  const error = interpolate(option.value, name, section, lookup, out, 1);
  return error === undefined ? { kind: "found", value: out.join(""), option } : { kind: "error", message: error };
}

const KEY = /^%\(([^)]+)\)s/;
const MAX_INTERPOLATION_DEPTH = 10;

function interpolate(rest: string, option: string, section: string, lookup: (name: string) => string | undefined, out: string[], depth: number): string | undefined {
  if (depth > MAX_INTERPOLATION_DEPTH) return `InterpolationDepthError: recursion limit exceeded in value substitution: option '${option}' in section '${section}'`;
  while (rest) {
    const p = rest.indexOf("%");
    if (p < 0) {
      out.push(rest);
      return undefined;
    }
    if (p > 0) {
      out.push(rest.slice(0, p));
      rest = rest.slice(p);
    }
    const c = rest.slice(1, 2);
    if (c === "%") {
      out.push("%");
      rest = rest.slice(2);
    } else if (c === "(") {
      const m = KEY.exec(rest);
      if (!m) return `InterpolationSyntaxError: bad interpolation variable reference in option '${option}'`;
      const name = (m[1] as string).toLowerCase();
      rest = rest.slice(m[0].length);
      const v = lookup(name);
      if (v === undefined) return `InterpolationMissingOptionError: option '${option}' in section '${section}' references '${name}', which is not set`;
      if (v.includes("%")) {
        const error = interpolate(v, option, section, lookup, out, depth + 1);
        if (error !== undefined) return error;
      } else out.push(v);
    } else {
      return `InterpolationSyntaxError: '%' must be followed by '%' or '(' in option '${option}'`;
    }
  }
  return undefined;
}
