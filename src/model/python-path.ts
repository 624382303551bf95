/**
 * sys.path of a service's app server process, as container directories, and where a dotted
 * module is on it: the question "does `bookshelf.wsgi` (or `bookshelf.settings.prod`) import
 * in this container?" that deploy/wsgi-entrypoint and deploy/settings-module ask.
 *
 * Python looks a module up in every sys.path entry in turn: the directories the server puts
 * first (gunicorn `--chdir` and `--pythonpath`, uWSGI `chdir` (as ".") and `pythonpath`,
 * uvicorn `--app-dir`, daphne's "."), then PYTHONPATH, then site-packages. The bytes under
 * each directory come from the container filesystem (bind mounts, volumes, COPY layers).
 * A module that is not found is *missing* only when that is certain: the directories hold
 * only repository content, nothing may have installed the project into site-packages, and
 * nothing we cannot read moves the working directory or sets PYTHONPATH. Otherwise unknown.
 */
import { posix } from "node:path";
import type { SourceRange } from "../core/location.js";
import { normalizeContainerPath, type Storage } from "./container-filesystem.js";
import type { DeploymentModel, Service } from "./deployment-model.js";
import { RepoTree } from "./repo-tree.js";

export interface SearchRoot {
  /** Absolute container directory. */
  dir: string;
  /** Why it is on sys.path, for messages: "uWSGI chdir", "the image's WORKDIR", "PYTHONPATH". */
  reason: string;
  /** The line that put it there (chdir option, WORKDIR, compose working_dir, PYTHONPATH value…), when one did. */
  range: SourceRange | undefined;
}

export interface SysPath {
  /** In Python's lookup order. */
  roots: SearchRoot[];
  /** Why other directories may be on sys.path, or the working directory differ (a `cd` in a script, an unknown PYTHONPATH…). */
  unknown: string | undefined;
  /** Why site-packages may hold the project itself (`pip install .`, a builder stage's packages, a pre-built image). */
  installed: string | undefined;
}

export type ModuleLookup =
  | { kind: "found"; root: SearchRoot; containerPath: string; repoFile: string }
  /** The top-level package is on sys.path (in `root`), the module below it is not. */
  | { kind: "missing-in-package"; root: SearchRoot; packageDir: string; expected: string[] }
  /** Nothing of the module is on sys.path; `elsewhere` lists where the repository has it (and the container path, if any). */
  | { kind: "not-on-path"; elsewhere: { repoFile: string; containerPath: string | undefined }[] }
  | { kind: "unknown"; reason: string };

const trees = new WeakMap<readonly string[], RepoTree>();

/** The repository's files as a tree (built once per model). */
export function repoTree(model: DeploymentModel): RepoTree {
  let tree = trees.get(model.files);
  if (!tree) {
    tree = new RepoTree(model.files);
    trees.set(model.files, tree);
  }
  return tree;
}

const SERVER_NAME = { uwsgi: "uWSGI", gunicorn: "gunicorn", daphne: "daphne", uvicorn: "uvicorn", runserver: "runserver" } as const;

/** The process's working directory and the line that decided it. */
export function workingDirectory(service: Service): SearchRoot | undefined {
  const server = service.appServer;
  if (!server?.workingDir) return undefined;
  const dir = server.workingDir;
  if (server.chdir) return { dir, reason: `${SERVER_NAME[server.kind]} ${server.kind === "uwsgi" ? "chdir" : "--chdir"}`, range: server.chdir.range };
  const composeDir = service.compose.workingDir;
  if (composeDir && !composeDir.unresolved?.length) return { dir, reason: "compose working_dir", range: composeDir.range };
  const workdirs = service.image?.stage.workdirs ?? [];
  const last = workdirs[workdirs.length - 1];
  if (last && normalizeContainerPath(last.path) === dir) return { dir, reason: "the image's WORKDIR", range: last.range };
  return { dir, reason: dir === "/" ? "the container's working directory (no WORKDIR)" : "the base image's WORKDIR", range: undefined };
}

/** sys.path of the service's app server (uWSGI, gunicorn, daphne, uvicorn); undefined without one. */
export function appServerSysPath(service: Service): SysPath | undefined {
  const server = service.appServer;
  if (!server || server.kind === "runserver") return undefined;
  const roots: SearchRoot[] = [];
  const add = (root: SearchRoot): void => {
    if (!roots.some((r) => r.dir === root.dir)) roots.push(root);
  };
  for (const entry of server.pythonPath ?? []) add({ dir: entry.value, reason: `${SERVER_NAME[server.kind]} ${server.kind === "uwsgi" ? "pythonpath" : "--pythonpath"}`, range: entry.range });
  const cwd = workingDirectory(service);
  if (cwd) add(cwd);
  let unknown = server.unknown?.searchPath;
  const env = service.environment;
  const pythonPath = env.values.get("PYTHONPATH");
  if (pythonPath?.value !== undefined) {
    for (const entry of pythonPath.value.split(":")) {
      if (entry === "") continue;
      if (entry.includes("$")) unknown ??= `PYTHONPATH=${pythonPath.value} (${at(pythonPath.range)}) refers to a variable`;
      else add({ dir: normalizeContainerPath(posix.resolve(cwd?.dir ?? "/", entry)), reason: "PYTHONPATH", range: pythonPath.range });
    }
  } else if (pythonPath) unknown ??= `PYTHONPATH is set at deploy time (${at(pythonPath.range)})`;
  else if (!env.complete) unknown ??= `PYTHONPATH may come from ${env.missingEnvFiles.map((f) => f.path).join(", ")}, which the checkout does not have`;
  const assigned = (server.startEnv ?? []).find((v) => v.value === "PYTHONPATH");
  if (assigned) unknown ??= `the start command sets PYTHONPATH (${at(assigned.range)})`;
  // uWSGI reads UWSGI_<OPTION> variables as options (UWSGI_CHDIR, UWSGI_PYTHONPATH…).
  const uwsgiOption = server.kind === "uwsgi" ? [...env.values.keys()].find((name) => name.startsWith("UWSGI_")) : undefined;
  if (uwsgiOption) unknown ??= `uWSGI reads ${uwsgiOption} from the environment as an option`;
  if (server.kind === "gunicorn") {
    const cmdArgs = env.values.get("GUNICORN_CMD_ARGS");
    if (cmdArgs && cmdArgs.value === undefined) unknown ??= `GUNICORN_CMD_ARGS is set at deploy time (${at(cmdArgs.range)})`;
  }
  if (server.kind === "uvicorn" && env.values.has("UVICORN_APP_DIR")) unknown ??= "uvicorn reads UVICORN_APP_DIR from the environment";
  const composeDir = service.compose.workingDir;
  if (composeDir?.unresolved?.length) unknown ??= `working_dir ${composeDir.value} refers to an unset variable`;
  if (cwd?.dir.includes("$")) unknown ??= `the working directory ${cwd.dir} refers to a variable`;
  return { roots, unknown, installed: installedProject(service) };
}

/** Why site-packages may contain the project's own packages. */
export function installedProject(service: Service): string | undefined {
  const image = service.image;
  if (!image) {
    const name = service.compose.image?.value ?? "";
    // A pre-built image may have the project installed; the official python images hold nothing of it.
    if (/^(docker\.io\/)?(library\/)?(python|pypy)(:|@|$)/.test(name)) return undefined;
    return `service '${service.name}' runs the pre-built image ${name || "(none)"}`;
  }
  for (const run of image.stage.runs) {
    const reason = installsProject(run.text);
    if (reason) return `${reason} (${at(run.range)})`;
  }
  const fromStage = image.stage.copies.find((c) => c.fromStage !== undefined);
  if (fromStage) return `the image copies files built in stage '${fromStage.fromStage}' (${at(fromStage.range)})`;
  if (image.stage.baseStage !== undefined) return `the image is built on an earlier stage of ${image.dockerfile}`;
  return undefined;
}

/** A RUN command that installs a local directory (the project) into site-packages. */
function installsProject(text: string): string | undefined {
  for (const command of text.split(/&&|\|\||;|\n/)) {
    const words = command.trim().split(/\s+/);
    const joined = words.join(" ");
    const pip = /(^|\s)(pip[0-9.]*|uv pip|python[0-9.]* -m pip)\s+install(\s|$)/.exec(joined);
    if (pip) {
      const args = joined.slice(pip.index + pip[0].length).split(/\s+/);
      for (let k = 0; k < args.length; k++) {
        const a = args[k] as string;
        if (a === "-r" || a === "--requirement" || a === "-c" || a === "--constraint" || a === "-i" || a === "--index-url" || a === "--extra-index-url" || a === "-f" || a === "--find-links" || a === "--target" || a === "-t" || a === "--prefix" || a === "--root") {
          k++;
          continue;
        }
        if (a === "-e" || a === "--editable" || a === "." || a.startsWith("./") || a.startsWith("../") || a.startsWith("/") || a.startsWith(".[") || a.startsWith("file:") || a.includes("$")) {
          return `the image installs ${a === "-e" || a === "--editable" ? `${a} ${args[k + 1] ?? ""}`.trim() : a} with pip`;
        }
      }
    }
    if (/(^|\s)poetry\s+install(\s|$)/.test(joined) && !joined.includes("--no-root")) return "the image runs poetry install (which installs the project)";
    if (/(^|\s)pdm\s+(install|sync)(\s|$)/.test(joined) && !joined.includes("--no-self")) return "the image runs pdm install (which installs the project)";
    if (/(^|\s)uv\s+sync(\s|$)/.test(joined) && !joined.includes("--no-install-project")) return "the image runs uv sync (which installs the project)";
    if (/(^|\s)(pipenv|hatch|flit)\s+install(\s|$)/.test(joined)) return "the image installs packages with a tool that may install the project";
    if (/setup\.py\s+(install|develop)/.test(joined)) return "the image runs setup.py install";
  }
  return undefined;
}

/** Where a dotted module is on the app server's sys.path in the service's container. */
export function findModule(model: DeploymentModel, service: Service, sysPath: SysPath, dotted: string): ModuleLookup {
  const repo = repoTree(model);
  const fs = service.filesystem;
  const parts = dotted.split(".");
  if (parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return { kind: "unknown", reason: `'${dotted}' is not a plain dotted module name` };
  const rel = parts.join("/");
  const candidates = (root: string): string[] => [posix.join(root, `${rel}.py`), posix.join(root, rel, "__init__.py")];
  for (const root of sysPath.roots) {
    for (const containerPath of candidates(root.dir)) {
      const repoFile = fs.repoPath(containerPath);
      if (repoFile !== undefined && repo.isFile(repoFile)) return { kind: "found", root, containerPath, repoFile };
    }
  }
  if (sysPath.unknown) return { kind: "unknown", reason: sysPath.unknown };
  const top = parts[0] as string;
  for (const root of sysPath.roots) {
    const packageDir = posix.join(root.dir, top);
    const asDir = fs.repoPath(packageDir);
    const asFile = fs.repoPath(`${packageDir}.py`);
    const isPackage = asDir !== undefined && repo.isDirectory(asDir);
    if (!isPackage && !(asFile !== undefined && repo.isFile(asFile))) continue;
    const expected = candidates(root.dir);
    const uncertain = expected.map((p) => uncertainPath(model, service, p)).find((r) => r !== undefined);
    if (uncertain) return { kind: "unknown", reason: uncertain };
    return { kind: "missing-in-package", root, packageDir, expected };
  }
  // Nothing of it on sys.path: certain only when it is the project's own code (the repository
  // has it) and every directory on sys.path holds repository content only.
  if (sysPath.installed) return { kind: "unknown", reason: sysPath.installed };
  const suffixes = [`${rel}.py`, `${rel}/__init__.py`];
  const elsewhere = model.files
    .filter((f) => suffixes.some((s) => f === s || f.endsWith(`/${s}`)))
    .map((repoFile) => ({ repoFile, containerPath: fs.runtimePath(repoFile) }));
  if (elsewhere.length === 0) return { kind: "unknown", reason: `no '${top}' package in the repository: it may be an installed package` };
  for (const root of sysPath.roots) {
    const opaque = opaqueDirectory(model, service, root.dir);
    if (opaque) return { kind: "unknown", reason: opaque };
  }
  if (sysPath.roots.length === 0) return { kind: "unknown", reason: "the app server's working directory is unknown" };
  return { kind: "not-on-path", elsewhere };
}

/** A COPY/ADD whose sources the model does not expand (globs, URLs) and whose destination overlaps `path`. */
function unexpandedCopy(service: Service, path: string): string | undefined {
  for (const copy of service.image?.stage.copies ?? []) {
    if (copy.fromStage !== undefined) continue;
    const opaque = copy.sources.find((s) => /[*?[]/.test(s.value) || /^[a-z]+:\/\//i.test(s.value) || s.value.includes("$"));
    if (!opaque) continue;
    const dest = normalizeContainerPath(copy.destinationAbs);
    const overlaps = path === dest || path.startsWith(`${dest}/`) || dest.startsWith(`${path}/`) || dest === "/";
    if (overlaps) return `${copy.instruction} ${opaque.value} (${at(copy.range)}) may put it at ${path}`;
  }
  return undefined;
}

/** Why a container directory may hold content the repository does not show (a volume, the base image…). */
function opaqueDirectory(model: DeploymentModel, service: Service, dir: string): string | undefined {
  const unexpanded = unexpandedCopy(service, dir);
  if (unexpanded) return unexpanded;
  const repo = repoTree(model);
  const { storage } = service.filesystem.resolve(dir);
  if (storage.kind === "bind") {
    if (storage.hostPath.startsWith("/") || storage.hostPath.startsWith("..") || !repo.isDirectory(storage.hostPath)) return `${dir} is bind-mounted from ${storage.hostPath}, outside the repository`;
    return undefined;
  }
  if (storage.kind === "image") {
    if (storage.repoPath !== undefined && repo.isDirectory(storage.repoPath)) return undefined;
    return `${dir} holds what the base image or a RUN puts there, which the repository does not show`;
  }
  return `${dir} is on ${describe(storage)}, whose content is not in the repository`;
}

/** Why a file that the repository does not have may still exist at that container path. */
function uncertainPath(model: DeploymentModel, service: Service, containerPath: string): string | undefined {
  const { storage, copy } = service.filesystem.resolve(containerPath);
  if (storage.kind === "bind") {
    if (storage.hostPath.startsWith("/") || storage.hostPath.startsWith("..")) return `${containerPath} is bind-mounted from outside the repository`;
    // A git-ignored file is kept out of the checkout on purpose and exists where the service is deployed.
    if (model.git.ignore.check(storage.hostPath).ignored) return `${storage.hostPath} is git-ignored: it may exist where the service is deployed`;
    return undefined;
  }
  if (storage.kind === "image") {
    if (copy?.fromStage !== undefined) return `${containerPath} comes from build stage '${copy.fromStage}'`;
    const unexpanded = unexpandedCopy(service, containerPath);
    if (unexpanded) return unexpanded;
    if (storage.repoPath !== undefined && model.git.ignore.check(storage.repoPath).ignored) return `${storage.repoPath} is git-ignored: it may exist where the image is built`;
    const name = posix.basename(containerPath);
    const run = service.image?.stage.runs.find((r) => r.text.includes(name === "__init__.py" ? posix.basename(posix.dirname(containerPath)) : name));
    if (run) return `a RUN may create ${containerPath} (${at(run.range)})`;
    return undefined;
  }
  return `${containerPath} is on ${describe(storage)}, whose content is not in the repository`;
}

function describe(storage: Storage): string {
  switch (storage.kind) {
    case "volume":
      return `named volume '${storage.volume}'`;
    case "anonymous-volume":
      return "an anonymous volume";
    case "tmpfs":
      return "a tmpfs";
    default:
      return storage.kind;
  }
}

function at(range: SourceRange): string {
  return `${range.file}:${range.line}`;
}
