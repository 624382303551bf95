import { posix } from "node:path";
import { fileStart } from "../../src/core/location.js";
import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import type { Service } from "../../src/model/deployment-model.js";
import type { ModuleLookup, SysPath } from "../../src/model/python-path.js";
import { productionStacks } from "../../src/model/queries.js";
import { resolveWsgiEntrypoint, searchPathNotes, type WsgiResolution } from "../../src/model/wsgi-resolution.js";

const SERVER_NAME = { uwsgi: "uWSGI", gunicorn: "gunicorn", daphne: "daphne", uvicorn: "uvicorn", runserver: "runserver" } as const;

function serverIn(service: Service): string {
  return `${service.appServer ? SERVER_NAME[service.appServer.kind] : "the app server"} in service '${service.name}'`;
}

function describeSysPath(sysPath: SysPath): string {
  return sysPath.roots.map((r) => `${r.dir} (${r.reason})`).join(", ");
}

/** The modules directly in a container directory: `settings, urls, wsgi`. */
function modulesIn(service: Service, dir: string): string[] {
  const names = new Set<string>();
  for (const { containerPath } of service.filesystem.listFiles(dir)) {
    const rest = containerPath.slice(dir.length + 1).split("/");
    if (rest.length === 1 && rest[0]?.endsWith(".py") && rest[0] !== "__init__.py") names.add(rest[0].slice(0, -3));
    if (rest.length === 2 && rest[1] === "__init__.py") names.add(rest[0] as string);
  }
  return [...names].sort();
}

function missingMessage(resolution: WsgiResolution, lookup: Exclude<ModuleLookup, { kind: "found" | "unknown" }>): string {
  const { service, application, target, sysPath } = resolution;
  const head = `${serverIn(service)} loads ${application.value}`;
  const module = target.module as string;
  const parts = module.split(".");
  if (lookup.kind === "missing-in-package") {
    // The deepest directory of the dotted path that exists, and what it has.
    let dir = lookup.root.dir;
    let missing = parts[0] as string;
    for (const part of parts.slice(0, -1)) {
      const next = posix.join(dir, part);
      if (service.filesystem.repoPath(next) === undefined) {
        missing = `${part}/`;
        break;
      }
      dir = next;
      missing = parts[parts.length - 1] as string;
    }
    const name = missing.endsWith("/") ? missing : `${missing}.py (or ${missing}/__init__.py)`;
    const there = modulesIn(service, dir);
    return (
      `${head}, but ${dir} (the '${parts[0]}' package on its sys.path, ${lookup.root.dir} from ${lookup.root.reason}) has no ${name}: ` +
      `the import fails and no worker starts; name a module that exists${there.length > 0 ? ` (${dir} has ${there.join(", ")})` : ""}`
    );
  }
  const [first] = lookup.elsewhere;
  const where = first?.containerPath
    ? `the container has it at ${first.containerPath} (${first.repoFile} in the repository)`
    : `the repository has it at ${first?.repoFile ?? "another folder"}, which no mount or COPY puts into the container`;
  const rel = `${parts.join("/")}${first?.repoFile.endsWith("__init__.py") ? "/__init__.py" : ".py"}`;
  const root = first?.containerPath?.endsWith(`/${rel}`) ? first.containerPath.slice(0, -rel.length - 1) || "/" : undefined;
  const fix = root ? `start the server in ${root} (or add ${root} to its Python path)` : "copy or mount the project into the directory the server starts in";
  return `${head}, but no directory on its sys.path (${describeSysPath(sysPath)}) has the '${parts[0]}' package: ${where}; ${fix}`;
}

/** Related locations without a second note on the same line. */
function distinct(notes: RelatedLocation[]): RelatedLocation[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.range.file}:${n.range.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export default defineRule({
  id: "deploy/wsgi-entrypoint",
  django: null,
  severity: "error",
  summary: "The WSGI/ASGI application the app server loads is not a module in its container, or differs from WSGI_APPLICATION",
  why:
    "uWSGI's `module` / `wsgi-file`, gunicorn's, daphne's and uvicorn's app argument are imported from the server's " +
    "working directory (`chdir`, `--chdir`, the image's WORKDIR or compose `working_dir`), its `pythonpath` options " +
    "and PYTHONPATH, inside the container. When the code is copied or mounted elsewhere, or the module name has a typo, " +
    "the import fails at start: uWSGI runs with \"no python application found\" and answers every request with 500, " +
    "gunicorn's workers exit and nginx returns 502. When the module exists but WSGI_APPLICATION names another callable, " +
    "`runserver` and production run different entrypoints, and what one wraps around the application (WhiteNoise, " +
    "Sentry, OpenTelemetry) is missing in the other.",
  fix:
    "Point the server at the module as the container has it: set `chdir` / `--chdir` (or WORKDIR) to the directory " +
    "that holds the project package, or add that directory with `pythonpath` / `--pythonpath` / PYTHONPATH, and name an " +
    "existing module (`bookshelf.wsgi:application`). Keep WSGI_APPLICATION equal to the callable the server loads.",
  examples: [
    {
      file: "deploy/uwsgi.ini",
      bad: "[uwsgi]\n# the image has the project at /app/bookshelf\nchdir = /app/bookshelf\nmodule = bookshelf.wsgi:application\n",
      good: "[uwsgi]\nchdir = /app\nmodule = bookshelf.wsgi:application\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const service of stack.services) {
        const resolution = resolveWsgiEntrypoint(model, service);
        if (!resolution) continue;
        const { lookup, application, sysPath, setting } = resolution;
        const settingNote: RelatedLocation[] = setting
          ? [{ range: setting.setting.range, message: `${setting.name} is '${setting.value}'` }]
          : (() => {
              const wsgi = service.django?.settings?.values.get("WSGI_APPLICATION");
              return wsgi && wsgi.value.kind === "str" ? [{ range: wsgi.range, message: `WSGI_APPLICATION is '${wsgi.value.value}'` }] : [];
            })();
        switch (lookup.kind) {
          case "missing-in-package":
          case "not-on-path": {
            const elsewhere: RelatedLocation[] =
              lookup.kind === "not-on-path"
                ? lookup.elsewhere.slice(0, 3).map((e) => ({
                    range: fileStart(e.repoFile),
                    message: `${resolution.target.module} is here${e.containerPath ? `, at ${e.containerPath} in the container` : ", which the container does not have"}`,
                  }))
                : [];
            report({
              stack: stack.id,
              message: missingMessage(resolution, lookup),
              range: application.range,
              related: [...searchPathNotes(service, sysPath), ...elsewhere, ...settingNote],
            });
            break;
          }
          case "missing-file": {
            const wsgiFiles = model.files
              .filter((f) => posix.basename(f) === "wsgi.py")
              .map((f) => service.filesystem.runtimePath(f))
              .filter((p): p is string => p !== undefined);
            const hint = wsgiFiles.length > 0 ? `; the container has ${wsgiFiles.slice(0, 3).join(", ")}` : "";
            const { mount, copy } = service.filesystem.resolve(lookup.dir);
            const source = mount?.type === "bind" ? `./${mount.source ?? ""} (bind mount)` : copy ? `${copy.sources.map((s) => s.value).join(" ")} (${copy.instruction})` : "repository content";
            report({
              stack: stack.id,
              message: `${serverIn(service)} loads the file ${lookup.containerPath}, which does not exist in the container: ${lookup.dir} is ${source} and has no ${posix.basename(lookup.containerPath)}${hint}; point it at the project's wsgi.py`,
              range: application.range,
              related: distinct([
                ...searchPathNotes(service, sysPath),
                ...(mount ? [{ range: mount.range, message: `${mount.target} is mounted here` }] : copy ? [{ range: copy.range, message: `${copy.destinationAbs} is copied here` }] : []),
                ...settingNote,
              ]),
            });
            break;
          }
          case "found": {
            if (!setting || setting.agrees !== false) break;
            const found = setting.lookup.kind === "found" ? ` (${setting.lookup.repoFile})` : ", a module that does not exist in the container";
            report({
              stack: stack.id,
              severity: "warning",
              message:
                `${serverIn(service)} loads ${application.value} (${lookup.repoFile}), but ${setting.name} in the settings is '${setting.value}'${found}: ` +
                `runserver and production run different entrypoints, so what one wraps around the application the other lacks; point both at the same callable`,
              range: application.range,
              related: [{ range: setting.setting.range, message: `${setting.name} is '${setting.value}'` }],
            });
            break;
          }
          case "unknown":
            break;
        }
      }
    }
  },
});
