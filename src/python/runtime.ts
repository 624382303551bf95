import type { SourceRange } from "../core/location.js";
import type { EnvRead } from "./env-readers.js";
import type { LibraryObject } from "./libraries/objects.js";
import { lineIndexOf, type ParsedPython } from "./parse.js";
import { path, unknown, type PyValue } from "./values.js";

/**
 * Values that exist only while evaluating: modules, functions, classes and the built-ins
 * we model. They never leave the evaluator: `toPyValue` turns them into `unknown`.
 */
export type PyObject =
  /** A standard-library module whose members we model (os, os.path, pathlib, sys). */
  | { kind: "module"; name: string }
  /** A module of the repository, evaluated by us. */
  | { kind: "repo-module"; dotted: string; namespace: Namespace }
  /** Something imported from a module we do not evaluate (third-party or unmodelled stdlib). */
  | { kind: "external"; qualname: string }
  /** A built-in callable we model, optionally bound to its receiver (`'a,b'.split`). */
  | { kind: "builtin"; qualname: string; self?: Value }
  /** `os.environ`: reads through it are recorded as env reads. */
  | { kind: "environ" }
  /** A function or class defined in the settings (bodies are not evaluated), or a built-in class. */
  | { kind: "function"; name: string }
  | { kind: "class"; name: string; builtin: boolean }
  /** An object of an env library we model (django-environ's Env, python-decouple's Csv…). */
  | { kind: "library"; object: LibraryObject };

export type Value = PyValue | PyObject;

/** One module-level name: its value and where it was last assigned. */
export interface Binding {
  value: Value;
  range: SourceRange;
  statementRange: SourceRange;
  envReads: EnvRead[];
}

export type Namespace = Map<string, Binding>;

export function isPyObject(v: Value): v is PyObject {
  switch (v.kind) {
    case "module":
    case "repo-module":
    case "external":
    case "builtin":
    case "environ":
    case "function":
    case "class":
    case "library":
      return true;
    default:
      return false;
  }
}

/** What a value is, for the reason of an unknown ("module os", "function get_secret"). */
export function describeObject(v: PyObject): string {
  switch (v.kind) {
    case "module":
      return `module ${v.name}`;
    case "repo-module":
      return `module ${v.dotted}`;
    case "external":
      return `${v.qualname} (not evaluated)`;
    case "builtin":
      return `built-in ${v.qualname}`;
    case "environ":
      return "os.environ";
    case "function":
      return `function ${v.name}`;
    case "class":
      return `class ${v.name}`;
    case "library":
      return `${v.object.type} object`;
  }
}

/** Turns evaluator-only objects into `unknown`, so containers and results hold only PyValues. */
export function toPyValue(v: Value): PyValue {
  // environ.Path stands for a filesystem path (it is os.PathLike from django-environ 0.4.5 on).
  if (v.kind === "library" && v.object.type === "environ.Path") return path(v.object.root);
  if (v.kind === "external") return unknown(`${v.qualname} comes from an import that is not evaluated`);
  if (isPyObject(v)) return unknown(`${describeObject(v)} is not a plain value`);
  return v;
}

/**
 * Containers hold PyValues only, so `(bool, False)` keeps an unknown where `bool` was.
 * Env libraries need those objects back (`environ.Env(DEBUG=(bool, False))`): a tuple or
 * list display that held objects remembers them here, keyed by the value it produced.
 */
const RAW_ITEMS = new WeakMap<PyValue, Value[]>();

export function rememberRawItems(seq: PyValue, items: Value[]): void {
  if (items.some(isPyObject)) RAW_ITEMS.set(seq, items);
}

/** The items of a tuple / list as they were before conversion, objects included. */
export function rawItems(seq: PyValue): Value[] | undefined {
  if (seq.kind !== "tuple" && seq.kind !== "list") return undefined;
  const raw = RAW_ITEMS.get(seq);
  // A list changed in place since no longer matches what was remembered.
  return raw !== undefined && raw.length === seq.items.length ? raw : seq.items;
}

/**
 * Where a value was made: the expression that first produced this exact value object (a
 * string literal, an env read, a call). Values travel by reference through names, dicts and
 * star-imports, so `DATABASES["default"]["HOST"]` leads back to the literal or the
 * `env("DB_HOST")` call that made it. Kept beside the value, not in it, so PyValue stays plain.
 */
const ORIGINS = new WeakMap<object, { parsed: ParsedPython; start: number; end: number }>();

/** Records where `value` was made, unless it already has an origin (an operand passed through keeps its own). */
export function rememberOrigin(value: Value, parsed: ParsedPython, start: number, end: number): void {
  if (isPyObject(value) || value.kind === "none" || value.kind === "unknown" || ORIGINS.has(value)) return;
  ORIGINS.set(value, { parsed, start, end });
}

/** The expression that made this value, when the evaluator saw it being made. */
export function valueOrigin(value: PyValue): SourceRange | undefined {
  const o = ORIGINS.get(value);
  return o === undefined ? undefined : nodeRangeAt(o.parsed, o.start, o.end);
}

function nodeRangeAt(parsed: ParsedPython, start: number, end: number): SourceRange {
  return lineIndexOf(parsed).range(parsed.file, start, end);
}
