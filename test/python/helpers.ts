import type { SourceRange } from "../../src/core/location.js";
import { evaluateModule, type EvaluationLimits, type ModuleEvaluation, type PythonSourceHost } from "../../src/python/evaluate.js";
import { parsePython, type ParsedPython } from "../../src/python/parse.js";
import type { PyValue } from "../../src/python/values.js";

/** An in-memory PythonSourceHost: a map of repo-relative file → text; runtime paths live under /app. */
export interface MemoryHost extends PythonSourceHost {
  loads: Map<string, number>;
}

export function memoryHost(files: Record<string, string>, runtimeRoot = "/app"): MemoryHost {
  const cache = new Map<string, ParsedPython>();
  const loads = new Map<string, number>();
  return {
    loads,
    resolveModule(dotted) {
      const base = dotted.split(".").join("/");
      if (`${base}/__init__.py` in files) return `${base}/__init__.py`;
      if (`${base}.py` in files) return `${base}.py`;
      return undefined;
    },
    load(file) {
      loads.set(file, (loads.get(file) ?? 0) + 1);
      let p = cache.get(file);
      if (!p) {
        p = parsePython(files[file] ?? "", file);
        cache.set(file, p);
      }
      return p;
    },
    runtimePath: (file) => `${runtimeRoot}/${file}`,
  };
}

export function envOf(vars: Record<string, string> = {}) {
  return { lookup: (name: string) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined) };
}

/** Evaluates one module `settings` (file settings.py) holding `text`. */
export function evalSource(text: string, vars: Record<string, string> = {}, limits?: EvaluationLimits): ModuleEvaluation {
  return evaluateModule("settings", memoryHost({ "settings.py": text }), envOf(vars), limits);
}

export function valueOf(result: ModuleEvaluation, name: string): PyValue | undefined {
  return result.values.get(name)?.value;
}

/** A range on one line of a file: [line, column, endColumn]. */
export function at(file: string, line: number, column: number, endColumn: number, endLine = line): SourceRange {
  return { file, line, column, endLine, endColumn };
}
