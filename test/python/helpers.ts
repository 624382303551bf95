import type { SourceRange } from "../../src/core/location.js";
import { evaluateModule, type EvaluationOptions, type ModuleEvaluation, type PythonSourceHost, type SettingsEnvironment } from "../../src/python/evaluate.js";
import { parsePython, type ParsedPython } from "../../src/python/parse.js";
import type { PyValue } from "../../src/python/values.js";

/** An in-memory PythonSourceHost: a map of repo-relative file → text; runtime paths live under /app. */
export interface MemoryHost extends PythonSourceHost {
  loads: Map<string, number>;
}

export interface MemoryHostOptions {
  /** Container paths that may hold a file whose content is not in the repository, with the reason. */
  unknownFiles?: Record<string, string>;
  /** The process's working directory. */
  cwd?: string;
}

export function memoryHost(files: Record<string, string>, runtimeRoot = "/app", options: MemoryHostOptions = {}): MemoryHost {
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
    // Every repository file is in the container under runtimeRoot.
    readRuntimeFile(absolutePath) {
      const reason = options.unknownFiles?.[absolutePath];
      if (reason !== undefined) return { unknown: reason };
      if (!absolutePath.startsWith(`${runtimeRoot}/`)) return undefined;
      const file = absolutePath.slice(runtimeRoot.length + 1);
      return Object.prototype.hasOwnProperty.call(files, file) ? { file, text: files[file] as string } : undefined;
    },
    ...(options.cwd !== undefined ? { workingDirectory: () => options.cwd } : {}),
  };
}

export function envOf(vars: Record<string, string> = {}, unknownVars: Record<string, string> = {}): SettingsEnvironment {
  const own = (o: Record<string, string>, name: string) => (Object.prototype.hasOwnProperty.call(o, name) ? o[name] : undefined);
  return { lookup: (name: string) => own(vars, name), isUnknown: (name: string) => own(unknownVars, name) };
}

/** Evaluates one module `settings` (file settings.py) holding `text`. */
export function evalSource(text: string, vars: Record<string, string> = {}, limits?: EvaluationOptions): ModuleEvaluation {
  return evaluateModule("settings", memoryHost({ "settings.py": text }), envOf(vars), limits);
}

export function valueOf(result: ModuleEvaluation, name: string): PyValue | undefined {
  return result.values.get(name)?.value;
}

/** A range on one line of a file: [line, column, endColumn]. */
export function at(file: string, line: number, column: number, endColumn: number, endLine = line): SourceRange {
  return { file, line, column, endLine, endColumn };
}
