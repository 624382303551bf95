import type { SourceRange } from "../core/location.js";
import type { EnvRead } from "./env-readers.js";
import { unknown, type PyValue } from "./values.js";

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
  | { kind: "class"; name: string; builtin: boolean };

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
  }
}

/** Turns evaluator-only objects into `unknown`, so containers and results hold only PyValues. */
export function toPyValue(v: Value): PyValue {
  if (v.kind === "external") return unknown(`${v.qualname} comes from an import that is not evaluated`);
  if (isPyObject(v)) return unknown(`${describeObject(v)} is not a plain value`);
  return v;
}
