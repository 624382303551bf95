import { posix } from "node:path";
import type { LocatedString } from "../core/location.js";
import { evaluateModule, type PythonSourceHost } from "../python/evaluate.js";
import type { ContainerFilesystem } from "./container-filesystem.js";
import { loadPython } from "./python-sources.js";
import { joinRepoPath, type RepoTree } from "./repo-tree.js";
import type { SourceCache } from "./source-cache.js";

const CONFIG_MODULE = "__gunicorn_config__";

/**
 * `bind` from a gunicorn.conf.py, evaluated (never executed) like a settings module.
 * Returns [] when the file does not set bind, undefined when its value is unknown.
 */
export function gunicornConfigBinds(
  repoFile: string,
  fs: ContainerFilesystem,
  env: (name: string) => string | undefined,
  cache: SourceCache,
  repo: RepoTree,
): LocatedString[] | undefined {
  const dir = posix.dirname(repoFile);
  const host: PythonSourceHost = {
    resolveModule(dotted) {
      if (dotted === CONFIG_MODULE) return repoFile;
      const candidate = joinRepoPath(dir, `${dotted.replace(/\./g, "/")}.py`);
      // Only files the repository has: `import multiprocessing` must not read (and report) a missing file.
      return repo.isFile(candidate) ? candidate : undefined;
    },
    load: (file) => loadPython(cache, file),
    runtimePath: (file) => fs.runtimePath(file),
  };
  const evaluation = evaluateModule(CONFIG_MODULE, host, { lookup: env });
  cache.record(`gunicorn-config:${repoFile}`, evaluation.problems);
  const bind = evaluation.values.get("bind");
  if (!bind) return [];
  const value = bind.value;
  if (value.kind === "str") return [{ value: value.value, range: bind.range }];
  if ((value.kind === "list" || value.kind === "tuple") && value.items.every((i) => i.kind === "str")) {
    return value.items.map((i) => ({ value: (i as { value: string }).value, range: bind.range }));
  }
  return undefined;
}
