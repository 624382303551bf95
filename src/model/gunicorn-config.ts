import { posix } from "node:path";
import type { LocatedString } from "../core/location.js";
import { evaluateModule, type PythonSourceHost } from "../python/evaluate.js";
import type { ContainerFilesystem } from "./container-filesystem.js";
import { loadPython } from "./python-sources.js";
import { joinRepoPath, type RepoTree } from "./repo-tree.js";
import type { SourceCache } from "./source-cache.js";

const CONFIG_MODULE = "__gunicorn_config__";

/** What a gunicorn.conf.py sets that the model uses; `"unknown"` when the file sets it to a value we cannot evaluate. */
export interface GunicornConfigSettings {
  /** [] when the file does not set bind. */
  binds: LocatedString[] | "unknown";
  chdir: LocatedString | "unknown" | undefined;
  /** The comma-separated `pythonpath` setting. */
  pythonpath: LocatedString | "unknown" | undefined;
}

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
  const binds = gunicornConfigSettings(repoFile, fs, env, cache, repo).binds;
  return binds === "unknown" ? undefined : binds;
}

/** `bind`, `chdir` and `pythonpath` of a gunicorn.conf.py, evaluated (never executed) like a settings module. */
export function gunicornConfigSettings(
  repoFile: string,
  fs: ContainerFilesystem,
  env: (name: string) => string | undefined,
  cache: SourceCache,
  repo: RepoTree,
): GunicornConfigSettings {
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
  // Names the file may set where we cannot see (a star-import, exec): unknown rather than unset.
  const open = evaluation.openNamespace !== undefined || evaluation.problems.length > 0;
  const text = (name: string): LocatedString | "unknown" | undefined => {
    const setting = evaluation.values.get(name);
    if (!setting) return open ? "unknown" : undefined;
    return setting.value.kind === "str" ? { value: setting.value.value, range: setting.range } : "unknown";
  };
  const bind = evaluation.values.get("bind");
  let binds: GunicornConfigSettings["binds"];
  if (!bind) binds = [];
  else if (bind.value.kind === "str") binds = [{ value: bind.value.value, range: bind.range }];
  else if ((bind.value.kind === "list" || bind.value.kind === "tuple") && bind.value.items.every((i) => i.kind === "str")) {
    binds = bind.value.items.map((i) => ({ value: (i as { value: string }).value, range: bind.range }));
  } else binds = "unknown";
  return { binds, chdir: text("chdir"), pythonpath: text("pythonpath") };
}
