import { posix } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { LineIndex } from "../core/line-index.js";
import { fileStart, type SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";
import { jsonErrorReason } from "../core/json-error.js";

/**
 * Python dependency declarations, located: requirements*.txt (with `-r` / `-c` includes),
 * pyproject.toml (PEP 621 `[project]` and `[tool.poetry]`), Pipfile, Pipfile.lock,
 * poetry.lock and uv.lock. Each returns the pins it declares with the place they were read.
 *
 * TOML and JSON are parsed by smol-toml / JSON.parse for the values; neither keeps
 * positions, so the ranges come from a small line scanner over the same text (table
 * headers, `key = value` lines, string literals) — see `TomlLocator`.
 */

export type RequirementsFileKind = "requirements" | "pyproject" | "pipfile" | "pipfile-lock" | "poetry-lock" | "uv-lock";

/** How a pin's constraint is written: PEP 440 specifiers, poetry's (`^4.2`, `~4.2`, `4.2.1`), or a locked version. */
export type ConstraintSyntax = "pep440" | "poetry" | "locked";

export interface RequirementPin {
  /** The project name, normalised as PEP 503 does (`Django` → `django`). */
  name: string;
  /** The requirement for messages, as written: `Django>=4.2,<5`, `django = "^4.2"`, `django==4.2.11` (locks). */
  spec: string;
  /** The version constraint alone: `>=4.2,<5`, `^4.2`, `4.2.11`; "" when any version goes. */
  constraint: string;
  syntax: ConstraintSyntax;
  range: SourceRange;
}

/** `-r other.txt` / `-c constraints.txt` in a requirements file, resolved against the file's folder. */
export interface RequirementInclude {
  /** Root-relative path (may leave the root: `../x.txt`). */
  path: string;
  kind: "requirements" | "constraints";
  range: SourceRange;
}

export interface RequirementsDocument {
  file: string;
  kind: RequirementsFileKind;
  pins: RequirementPin[];
  includes: RequirementInclude[];
  problems: ParseProblem[];
}

/** Which kind of dependency file a root-relative path is, by name; undefined for other files. */
export function requirementsFileKind(path: string): RequirementsFileKind | undefined {
  const base = posix.basename(path);
  if (base === "pyproject.toml") return "pyproject";
  if (base === "Pipfile") return "pipfile";
  if (base === "Pipfile.lock") return "pipfile-lock";
  if (base === "poetry.lock") return "poetry-lock";
  if (base === "uv.lock") return "uv-lock";
  // requirements.txt, requirements-prod.txt, requirements/base.txt, reqs in a requirements/ folder.
  if (/^requirements[^/]*\.(txt|in)$/i.test(base)) return "requirements";
  if (/(^|\/)requirements\/[^/]+\.(txt|in)$/i.test(path)) return "requirements";
  return undefined;
}

/** PEP 503 name normalisation: case-insensitive, runs of `-`, `_`, `.` are one `-`. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

export function parseRequirementsDocument(kind: RequirementsFileKind, text: string, file: string): RequirementsDocument {
  switch (kind) {
    case "requirements":
      return parseRequirementsTxt(text, file);
    case "pyproject":
      return parsePyproject(text, file);
    case "pipfile":
      return parsePipfile(text, file);
    case "pipfile-lock":
      return parsePipfileLock(text, file);
    case "poetry-lock":
    case "uv-lock":
      return parsePackageLock(kind, text, file);
  }
}

// ---------------------------------------------------------------------------------------
// PEP 508 requirement strings

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*/;
const SPEC_CLAUSE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([0-9A-Za-z.*+!_-]+)\s*$/;

type RequirementSyntax =
  | { kind: "pin"; name: string; constraint: string; end: number }
  | { kind: "direct"; name: string }
  | { kind: "invalid"; name: string; message: string }
  | { kind: "not-a-name" };

/** Offsets are into `text`; markers (`; python_version…`) end the requirement. */
function parseRequirementString(text: string): RequirementSyntax {
  const semicolon = text.indexOf(";");
  const body = semicolon >= 0 ? text.slice(0, semicolon) : text;
  const name = NAME.exec(body);
  if (!name) return { kind: "not-a-name" };
  const projectName = normalizeProjectName(name[1] as string);
  let rest = body.slice(name[0].length).trimEnd();
  if (rest.startsWith("@")) return { kind: "direct", name: projectName };
  // `Django (>=4.2)`: the old parenthesised form.
  if (rest.startsWith("(") && rest.endsWith(")")) rest = rest.slice(1, -1);
  if (rest.includes("${")) return { kind: "direct", name: projectName }; // pip expands ${VAR}: the version is not in the file
  if (rest.trim() !== "" && !rest.split(",").every((clause) => SPEC_CLAUSE.test(clause))) {
    return { kind: "invalid", name: projectName, message: `cannot read the version specifier '${rest.trim()}' of ${name[1]}` };
  }
  return { kind: "pin", name: projectName, constraint: rest.trim().replace(/\s+/g, ""), end: body.trimEnd().length };
}

// ---------------------------------------------------------------------------------------
// requirements.txt

/** One logical line (backslash continuations joined) with the file offset of every character. */
interface LogicalLine {
  text: string;
  offsets: number[];
}

function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let current: LogicalLine = { text: "", offsets: [] };
  let i = 0;
  while (i <= text.length) {
    const nl = text.indexOf("\n", i);
    const end = nl < 0 ? text.length : nl;
    let line = text.slice(i, end);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    // pip joins a line ending in a backslash with the next one, dropping both.
    const continued = line.endsWith("\\");
    const kept = continued ? line.slice(0, -1) : line;
    for (let k = 0; k < kept.length; k++) current.offsets.push(i + k);
    current.text += kept;
    if (!continued || nl < 0) {
      out.push(current);
      current = { text: "", offsets: [] };
    }
    if (nl < 0) break;
    i = nl + 1;
  }
  return out;
}

const INCLUDE_OPTION = /^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=^-[rc]))(\S+)/;

export function parseRequirementsTxt(text: string, file: string): RequirementsDocument {
  const index = new LineIndex(text);
  const doc: RequirementsDocument = { file, kind: "requirements", pins: [], includes: [], problems: [] };
  const span = (line: LogicalLine, start: number, end: number): SourceRange =>
    index.range(file, line.offsets[start] ?? 0, (line.offsets[end - 1] ?? 0) + 1);
  for (const line of logicalLines(text)) {
    // pip: `#` starts a comment at the start of a line or after whitespace.
    const comment = /(^|\s)#/.exec(line.text);
    const content = comment ? line.text.slice(0, comment.index) : line.text;
    const start = content.length - content.trimStart().length;
    const body = content.trim();
    if (body === "") continue;
    if (body.startsWith("-")) {
      const include = INCLUDE_OPTION.exec(body);
      if (include && !/^[a-z][a-z0-9+.-]*:\/\//i.test(include[2] as string)) {
        const target = include[2] as string;
        const targetStart = start + (include[0].length - target.length);
        doc.includes.push({
          path: posix.normalize(posix.join(posix.dirname(file), target)),
          kind: include[1] === "-c" || include[1] === "--constraint" ? "constraints" : "requirements",
          range: span(line, targetStart, targetStart + target.length),
        });
      }
      continue; // -e, -i, --hash…: nothing to pin
    }
    // Per-requirement options (`--hash=…`) follow the requirement after whitespace.
    const option = /\s-{1,2}[A-Za-z]/.exec(body);
    const requirement = option ? body.slice(0, option.index) : body;
    // URLs, VCS links, paths and archives install whatever they point at: no version to read.
    if (/:\/\/|^[a-z][a-z0-9+.-]*:|[\\/]|\.(whl|zip|tar\.gz|tgz|tar\.bz2)$/i.test(requirement.split(";")[0]?.trim() ?? "")) continue;
    const parsed = parseRequirementString(requirement);
    if (parsed.kind === "pin") {
      doc.pins.push({
        name: parsed.name,
        spec: requirement.slice(0, parsed.end),
        constraint: parsed.constraint,
        syntax: "pep440",
        range: span(line, start, start + parsed.end),
      });
    } else if (parsed.kind === "invalid") {
      doc.problems.push({ range: span(line, start, start + requirement.trimEnd().length), message: parsed.message });
    }
  }
  return doc;
}

// ---------------------------------------------------------------------------------------
// TOML files

interface TomlTableSpan {
  /** Dotted header name with quotes removed: `tool.poetry.dependencies`. */
  name: string;
  array: boolean;
  /** Offset of the first character after the header line (0 for the root table). */
  start: number;
  /** Offset of the next header (or the end of the text). */
  end: number;
}

/**
 * Finds where TOML keys and strings are, line by line: enough for the dependency files,
 * which keep one key per line. smol-toml keeps no positions.
 */
class TomlLocator {
  readonly tables: TomlTableSpan[] = [];

  constructor(
    readonly text: string,
    readonly index: LineIndex,
    readonly file: string,
  ) {
    let current: TomlTableSpan = { name: "", array: false, start: 0, end: text.length };
    this.tables.push(current);
    const header = /^[ \t]*(\[\[?)[ \t]*([^\]\n]+?)[ \t]*\]\]?[ \t]*(#.*)?$/gm;
    for (let m = header.exec(text); m; m = header.exec(text)) {
      current.end = m.index;
      const lineEnd = text.indexOf("\n", m.index);
      current = {
        name: (m[2] as string).split(".").map((part) => part.trim().replace(/^["']|["']$/g, "")).join("."),
        array: m[1] === "[[",
        start: lineEnd < 0 ? text.length : lineEnd + 1,
        end: text.length,
      };
      this.tables.push(current);
    }
  }

  /** The table with this header; for arrays of tables, the `nth` one. */
  table(name: string, nth = 0): TomlTableSpan | undefined {
    return this.tables.filter((t) => t.name === name)[nth];
  }

  /** `key = …` inside a table (key compared after `normalize`): offsets of the key and of the line's end. */
  keyLine(table: TomlTableSpan, key: string, normalize: (k: string) => string = (k) => k): { keyStart: number; lineEnd: number } | undefined {
    const body = this.text.slice(table.start, table.end);
    const line = /^[ \t]*(["']?)([A-Za-z0-9_.-]+)\1[ \t]*=/gm;
    for (let m = line.exec(body); m; m = line.exec(body)) {
      if (normalize(m[2] as string) !== normalize(key)) continue;
      const keyStart = table.start + m.index + (m[0].length - m[0].trimStart().length);
      const nl = this.text.indexOf("\n", keyStart);
      return { keyStart, lineEnd: nl < 0 ? this.text.length : nl };
    }
    return undefined;
  }

  /** The first string literal equal to `value` between two offsets: the range of its content. */
  stringLiteral(value: string, from: number, to: number): { start: number; end: number } | undefined {
    for (const quote of ['"', "'"]) {
      const at = this.text.slice(from, to).indexOf(`${quote}${value}${quote}`);
      if (at >= 0) return { start: from + at + 1, end: from + at + 1 + value.length };
    }
    return undefined;
  }

  range(start: number, end: number): SourceRange {
    return this.index.range(this.file, start, end);
  }
}

type TomlRecord = Record<string, unknown>;

function readToml(text: string, file: string, doc: RequirementsDocument): TomlRecord | undefined {
  try {
    return parseToml(text) as TomlRecord;
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split("\n")[0] ?? "invalid TOML";
      doc.problems.push({ range: { file, line: error.line, column: error.column, endLine: error.line, endColumn: error.column + 1 }, message: `invalid TOML: ${message}` });
    } else {
      doc.problems.push({ range: fileStart(file), message: `invalid TOML: ${(error as Error).message}` });
    }
    return undefined;
  }
}

function record(value: unknown): TomlRecord | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as TomlRecord) : undefined;
}

function path(root: TomlRecord | undefined, ...keys: string[]): unknown {
  let value: unknown = root;
  for (const key of keys) value = record(value)?.[key];
  return value;
}

export function parsePyproject(text: string, file: string): RequirementsDocument {
  const doc: RequirementsDocument = { file, kind: "pyproject", pins: [], includes: [], problems: [] };
  const toml = readToml(text, file, doc);
  if (!toml) return doc;
  const locator = new TomlLocator(text, new LineIndex(text), file);

  // PEP 621: [project] dependencies = ["Django>=4.2,<5", …]
  const dependencies = path(toml, "project", "dependencies");
  const projectTable = locator.table("project");
  if (Array.isArray(dependencies) && projectTable) {
    const key = locator.keyLine(projectTable, "dependencies");
    let searchFrom = key?.keyStart ?? projectTable.start;
    for (const item of dependencies) {
      if (typeof item !== "string") continue;
      const parsed = parseRequirementString(item);
      const literal = locator.stringLiteral(item, searchFrom, projectTable.end);
      if (literal) searchFrom = literal.end;
      const where = literal ?? (key ? { start: key.keyStart, end: key.lineEnd } : undefined);
      const range = where ? locator.range(where.start, where.end) : fileStart(file);
      if (parsed.kind === "pin") {
        const pinRange = literal ? locator.range(literal.start, literal.start + parsed.end) : range;
        doc.pins.push({ name: parsed.name, spec: item.slice(0, parsed.end), constraint: parsed.constraint, syntax: "pep440", range: pinRange });
      } else if (parsed.kind === "invalid") {
        doc.problems.push({ range, message: parsed.message });
      }
    }
  }

  // Poetry: [tool.poetry.dependencies] django = "^4.2" | { version = "^4.2", extras = [...] }
  pushPoetryStyle(doc, locator, record(path(toml, "tool", "poetry", "dependencies")), "tool.poetry.dependencies", "poetry");
  return doc;
}

export function parsePipfile(text: string, file: string): RequirementsDocument {
  const doc: RequirementsDocument = { file, kind: "pipfile", pins: [], includes: [], problems: [] };
  const toml = readToml(text, file, doc);
  if (!toml) return doc;
  const locator = new TomlLocator(text, new LineIndex(text), file);
  // Pipfile versions are PEP 440 specifiers, "*" for any.
  pushPoetryStyle(doc, locator, record(toml.packages), "packages", "pep440");
  return doc;
}

/** `name = "constraint"` or `name = { version = "constraint", … }` tables (poetry, Pipfile). */
function pushPoetryStyle(doc: RequirementsDocument, locator: TomlLocator, table: TomlRecord | undefined, tableName: string, syntax: ConstraintSyntax): void {
  const span = locator.table(tableName);
  if (!table || !span) return;
  for (const [key, value] of Object.entries(table)) {
    const name = normalizeProjectName(key);
    const entry = Array.isArray(value) ? value[0] : value; // poetry's multiple-constraint form: the first one
    const constraint = typeof entry === "string" ? entry : record(entry)?.version;
    if (typeof constraint !== "string") continue; // git / path / url dependencies: no version to read
    // The whole `key = value` line is the pin: `Django = { version = "^4.2", extras = [...] }`.
    const line = locator.keyLine(span, key, normalizeProjectName);
    const lineText = line ? locator.text.slice(line.keyStart, line.lineEnd).trimEnd() : undefined;
    const range = line && lineText ? locator.range(line.keyStart, line.keyStart + lineText.length) : fileStart(doc.file);
    const trimmed = constraint.trim();
    const normalized = trimmed === "*" ? "" : syntax === "pep440" ? trimmed.replace(/\s+/g, "") : trimmed;
    if (syntax === "pep440" && normalized !== "" && !normalized.split(",").every((c) => SPEC_CLAUSE.test(c))) {
      doc.problems.push({ range, message: `cannot read the version specifier '${trimmed}' of ${key}` });
      continue;
    }
    doc.pins.push({ name, spec: lineText ?? `${key} = "${constraint}"`, constraint: normalized, syntax, range });
  }
}

/** poetry.lock and uv.lock: `[[package]]` tables with `name` and the locked `version`. */
export function parsePackageLock(kind: "poetry-lock" | "uv-lock", text: string, file: string): RequirementsDocument {
  const doc: RequirementsDocument = { file, kind, pins: [], includes: [], problems: [] };
  const toml = readToml(text, file, doc);
  if (!toml) return doc;
  const locator = new TomlLocator(text, new LineIndex(text), file);
  const packages = Array.isArray(toml.package) ? toml.package : [];
  packages.forEach((entry, nth) => {
    const pkg = record(entry);
    if (typeof pkg?.name !== "string" || typeof pkg.version !== "string") return;
    const span = locator.table("package", nth);
    const line = span ? locator.keyLine(span, "version") : undefined;
    const literal = line ? locator.stringLiteral(pkg.version, line.keyStart, line.lineEnd) : undefined;
    const range = line ? locator.range(line.keyStart, literal ? literal.end + 1 : line.lineEnd) : fileStart(file);
    const name = normalizeProjectName(pkg.name);
    doc.pins.push({ name, spec: `${name}==${pkg.version}`, constraint: pkg.version, syntax: "locked", range });
  });
  return doc;
}

/** Pipfile.lock (JSON): `default.<name>.version` is `==X.Y.Z`. */
export function parsePipfileLock(text: string, file: string): RequirementsDocument {
  const doc: RequirementsDocument = { file, kind: "pipfile-lock", pins: [], includes: [], problems: [] };
  const index = new LineIndex(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const range = at ? index.range(file, Number(at[1]), Number(at[1]) + 1) : fileStart(file);
    doc.problems.push({ range, message: `invalid JSON: ${jsonErrorReason(message)}` });
    return doc;
  }
  const defaults = record(record(json)?.default);
  if (!defaults) return doc;
  const section = /"default"\s*:\s*\{/.exec(text);
  for (const [key, value] of Object.entries(defaults)) {
    const version = record(value)?.version;
    if (typeof version !== "string") continue;
    const exact = version.replace(/^={2,3}/, "");
    const name = normalizeProjectName(key);
    let range = fileStart(file);
    if (section) {
      // The entry's key, then the first "version" after it.
      const escapedKey = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const keyAt = new RegExp(`"${escapedKey}"\\s*:\\s*\\{`, "g");
      keyAt.lastIndex = section.index;
      const k = keyAt.exec(text);
      if (k) {
        const versionAt = /"version"\s*:\s*"([^"]*)"/g;
        versionAt.lastIndex = k.index;
        const v = versionAt.exec(text);
        if (v) range = index.range(file, v.index, v.index + v[0].length);
      }
    }
    doc.pins.push({ name, spec: `${name}==${exact}`, constraint: exact, syntax: "locked", range });
  }
  return doc;
}
