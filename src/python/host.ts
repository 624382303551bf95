import { statSync } from "node:fs";
import { join } from "node:path";
import type { SourceText } from "../core/source-file.js";
import type { PythonSourceHost } from "./evaluate.js";
import { parsePython, type ParsedPython } from "./parse.js";

/**
 * A PythonSourceHost over files on disk. `searchRoots` are the repo-relative directories
 * on the app's sys.path (e.g. "" for the repo root, "app" when the Dockerfile runs in app/);
 * modules are looked up in them in order, like Python's path finder. Each file is read and
 * parsed once.
 */
export function createFileSystemHost(
  rootAbs: string,
  searchRoots: string[],
  runtimePath: (file: string) => string,
  readText: (file: string) => SourceText,
): PythonSourceHost {
  const parsed = new Map<string, ParsedPython>();
  const resolved = new Map<string, string | undefined>();

  const isFile = (rel: string): boolean => {
    try {
      return statSync(join(rootAbs, rel)).isFile();
    } catch {
      return false;
    }
  };

  return {
    resolveModule(dotted: string): string | undefined {
      if (resolved.has(dotted)) return resolved.get(dotted);
      let found: string | undefined;
      if (/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(dotted)) {
        const rel = dotted.split(".").join("/");
        for (const root of searchRoots) {
          const base = root === "" || root === "." ? rel : `${root.replace(/\/+$/, "")}/${rel}`;
          // A regular package wins over a module of the same name, as in Python's FileFinder.
          if (isFile(`${base}/__init__.py`)) found = `${base}/__init__.py`;
          else if (isFile(`${base}.py`)) found = `${base}.py`;
          if (found !== undefined) break;
        }
      }
      resolved.set(dotted, found);
      return found;
    },
    load(file: string): ParsedPython {
      let p = parsed.get(file);
      if (p === undefined) {
        const source = readText(file);
        p = parsePython(source.text ?? "", file);
        p.problems = [...source.problems, ...p.problems];
        parsed.set(file, p);
      }
      return p;
    },
    runtimePath,
  };
}

