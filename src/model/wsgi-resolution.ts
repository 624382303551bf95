/**
 * The WSGI/ASGI application an app server loads (uWSGI `module` / `wsgi-file`, gunicorn's,
 * daphne's and uvicorn's app argument), resolved on the server's sys.path in its container
 * (python-path.ts), and compared with what the settings name (WSGI_APPLICATION, or Channels'
 * ASGI_APPLICATION for ASGI servers).
 */
import { posix } from "node:path";
import type { LocatedString, SourceRange } from "../core/location.js";
import type { SettingValue } from "../python/evaluate.js";
import { normalizeContainerPath } from "./container-filesystem.js";
import type { DeploymentModel, Service } from "./deployment-model.js";
import { appServerSysPath, findModule, repoTree, type ModuleLookup, type SysPath } from "./python-path.js";

export interface WsgiTarget {
  /** The dotted module, or undefined for a file (uWSGI `wsgi-file`). */
  module: string | undefined;
  /** The container path of a `wsgi-file`. */
  file: string | undefined;
  /** The callable's name in the module; undefined for a factory call (`app:create()`). */
  attribute: string | undefined;
}

export type FileLookup =
  | { kind: "found"; containerPath: string; repoFile: string }
  /** The file's directory holds only repository content, and the repository has no such file there. */
  | { kind: "missing-file"; containerPath: string; dir: string }
  | { kind: "unknown"; reason: string };

export interface SettingComparison {
  /** WSGI_APPLICATION or ASGI_APPLICATION. */
  name: string;
  value: string;
  setting: SettingValue;
  lookup: ModuleLookup;
  /** False when the setting names another callable (or a module that does not exist); undefined when unknown. */
  agrees: boolean | undefined;
}

export interface WsgiResolution {
  service: Service;
  application: LocatedString;
  target: WsgiTarget;
  sysPath: SysPath;
  lookup: ModuleLookup | FileLookup;
  /** Set when the application was found and the settings name one. */
  setting: SettingComparison | undefined;
}

/** The application of every app server that loads one (runserver loads WSGI_APPLICATION itself). */
export function resolveWsgiEntrypoint(model: DeploymentModel, service: Service): WsgiResolution | undefined {
  const server = service.appServer;
  const application = server?.application;
  if (!server || !application || server.kind === "runserver") return undefined;
  const sysPath = appServerSysPath(service);
  if (!sysPath) return undefined;
  const target = parseApplication(application, server.applicationFile === true, server.callable?.value, server.workingDir ?? "/");
  if (!target) return { service, application, target: { module: undefined, file: undefined, attribute: undefined }, sysPath, lookup: { kind: "unknown", reason: `'${application.value}' is not a fixed module name` }, setting: undefined };
  const lookup: ModuleLookup | FileLookup = target.file !== undefined ? findFile(model, service, sysPath, target.file) : findModule(model, service, sysPath, target.module as string);
  let setting: SettingComparison | undefined;
  if (lookup.kind === "found") setting = compareWithSettings(model, service, sysPath, target, lookup.repoFile);
  return { service, application, target, sysPath, lookup, setting };
}

/** `proj.wsgi:application`, `proj.wsgi` (the default callable), `app:create()`, a wsgi-file path. */
export function parseApplication(application: LocatedString, isFile: boolean, callable: string | undefined, workdir: string): WsgiTarget | undefined {
  const value = application.value.trim();
  if (value === "" || value.includes("$") || (application.unresolved?.length ?? 0) > 0) return undefined;
  if (isFile) {
    return { module: undefined, file: normalizeContainerPath(posix.resolve(workdir, value)), attribute: callable ?? "application" };
  }
  const colon = value.indexOf(":");
  const module = colon < 0 ? value : value.slice(0, colon);
  const attr = colon < 0 ? (callable ?? "application") : value.slice(colon + 1);
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(module)) return undefined;
  const plainAttr = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(attr) ? attr : undefined;
  return { module, file: undefined, attribute: plainAttr };
}

function findFile(model: DeploymentModel, service: Service, sysPath: SysPath, file: string): FileLookup {
  const repo = repoTree(model);
  const fs = service.filesystem;
  const repoFile = fs.repoPath(file);
  if (repoFile !== undefined && repo.isFile(repoFile)) return { kind: "found", containerPath: file, repoFile };
  // A relative wsgi-file depends on the working directory.
  if (sysPath.unknown) return { kind: "unknown", reason: sysPath.unknown };
  const dir = posix.dirname(file);
  const { storage, copy } = fs.resolve(dir);
  const fromRepo =
    (storage.kind === "bind" && !storage.hostPath.startsWith("/") && !storage.hostPath.startsWith("..") && repo.isDirectory(storage.hostPath)) ||
    (storage.kind === "image" && storage.repoPath !== undefined && repo.isDirectory(storage.repoPath) && copy?.fromStage === undefined);
  if (!fromRepo) return { kind: "unknown", reason: `${dir} holds content the repository does not show` };
  const fileStorage = fs.resolve(file).storage;
  const hostFile = fileStorage.kind === "bind" ? fileStorage.hostPath : fileStorage.kind === "image" ? fileStorage.repoPath : undefined;
  if (hostFile !== undefined && model.git.ignore.check(hostFile).ignored) return { kind: "unknown", reason: `${hostFile} is git-ignored: it may exist where the service is deployed` };
  if (fileStorage.kind !== "bind" && fileStorage.kind !== "image") return { kind: "unknown", reason: `${file} is not on repository content` };
  const globbed = service.image?.stage.copies.find(
    (c) => c.fromStage === undefined && c.sources.some((s) => /[*?[]|\$|^[a-z]+:\/\//i.test(s.value)) && (file + "/").startsWith(`${normalizeContainerPath(c.destinationAbs)}/`),
  );
  if (fileStorage.kind === "image" && globbed) return { kind: "unknown", reason: `${globbed.instruction} at ${globbed.range.file}:${globbed.range.line} may put ${file} there` };
  const run = service.image?.stage.runs.find((r) => r.text.includes(posix.basename(file)));
  if (run) return { kind: "unknown", reason: `a RUN may create ${file}` };
  return { kind: "missing-file", containerPath: file, dir };
}

/** The settings' WSGI_APPLICATION (ASGI_APPLICATION for ASGI servers and asgi modules), resolved on the same sys.path. */
function compareWithSettings(model: DeploymentModel, service: Service, sysPath: SysPath, target: WsgiTarget, appFile: string): SettingComparison | undefined {
  const app = service.django;
  const settings = app?.settings;
  if (!settings || target.attribute === undefined) return undefined;
  const kind = service.appServer?.kind;
  const asgi = kind === "daphne" || kind === "uvicorn" || /asgi/.test(target.module?.split(".").pop() ?? posix.basename(target.file ?? ""));
  const name = asgi ? "ASGI_APPLICATION" : "WSGI_APPLICATION";
  const setting = settings.values.get(name);
  if (!setting || setting.value.kind !== "str") return undefined;
  const value = setting.value.value;
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const module = value.slice(0, dot);
  const attribute = value.slice(dot + 1);
  const lookup = findModule(model, service, sysPath, module);
  let agrees: boolean | undefined;
  if (lookup.kind === "found") agrees = lookup.repoFile === appFile && attribute === target.attribute;
  else if (lookup.kind === "unknown") agrees = undefined;
  else agrees = false;
  return { name, value, setting, lookup, agrees };
}

/** Where each directory of the search path comes from, for `related`: the line that chose it and the mount or COPY that fills it. */
export function searchPathNotes(service: Service, sysPath: SysPath): { range: SourceRange; message: string }[] {
  const out: { range: SourceRange; message: string }[] = [];
  const seen = new Set<string>();
  const push = (range: SourceRange | undefined, message: string): void => {
    if (!range) return;
    const key = `${range.file}:${range.line}:${range.column}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ range, message });
  };
  for (const root of sysPath.roots) {
    push(root.range, `${root.dir} is on sys.path (${root.reason})`);
    const { mount, copy } = service.filesystem.resolve(root.dir);
    if (mount) push(mount.range, `${mount.target} in service '${service.name}' is ${mount.type === "bind" ? `./${mount.source ?? ""} (bind mount)` : mount.source ? `named volume '${mount.source}'` : `a ${mount.type}`}`);
    else if (copy) push(copy.range, `${copy.instruction} puts ${copy.sources.map((s) => s.value).join(" ")} at ${copy.destinationAbs} in the image`);
  }
  return out;
}
