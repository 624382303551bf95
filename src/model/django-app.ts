import { posix } from "node:path";
import { LineIndex } from "../core/line-index.js";
import type { SourceRange } from "../core/location.js";
import { evaluateModule, type LibraryOptions, type PythonSourceHost, type RuntimeFileResult, type SettingsEnvironment } from "../python/evaluate.js";
import type { GitIgnoreMatcher } from "../parsers/ignore-rules.js";
import { describeStorage } from "./container-filesystem.js";
import type { ContainerFilesystem } from "./container-filesystem.js";
import type { DjangoVersionChoice } from "./django-version.js";
import type { AppServer, DjangoApp, ImageBuild, ServiceEnvironment, SettingsModuleChoice, SettingsModuleSource } from "./deployment-model.js";
import { loadPython } from "./python-sources.js";
import { isInsideRepo, joinRepoPath, type RepoTree } from "./repo-tree.js";
import type { SourceCache } from "./source-cache.js";

export interface DjangoContext {
  filesystem: ContainerFilesystem;
  environment: ServiceEnvironment;
  appServer: AppServer | undefined;
  workdir: string;
  repo: RepoTree;
  cache: SourceCache;
  image: ImageBuild | undefined;
  cliSettingsModule?: string;
  version: DjangoVersionChoice;
  /** Pinned env-library versions and installed packages, whose semantics the evaluator follows. */
  libraries?: LibraryOptions;
  /** .gitignore: a file absent from the checkout but git-ignored exists at deploy time, with unknown content. */
  ignore: GitIgnoreMatcher;
}

/**
 * The Django app a service runs: which settings module (and why that one), evaluated with
 * the environment the service gets.
 */
export function loadDjangoApp(ctx: DjangoContext): DjangoApp {
  const searchRoots = pythonSearchRoots(ctx);
  const host: PythonSourceHost = {
    resolveModule(dotted) {
      const rel = dotted.replace(/\./g, "/");
      for (const root of searchRoots) {
        for (const candidate of [`${rel}/__init__.py`, `${rel}.py`]) {
          const file = joinRepoPath(root, candidate);
          if (ctx.repo.isFile(file)) return file;
        }
      }
      return undefined;
    },
    load: (file) => loadPython(ctx.cache, file),
    runtimePath: (file) => ctx.filesystem.runtimePath(file),
    readRuntimeFile: (absolutePath) => readContainerFile(ctx, absolutePath),
    workingDirectory: () => ctx.appServer?.workingDir ?? ctx.workdir,
  };
  const settingsModule = chooseSettingsModule(ctx, host);
  const version = ctx.version;
  if (!settingsModule) return { settingsModule, settings: undefined, version };
  if (host.resolveModule(settingsModule.module) === undefined) return { settingsModule, settings: undefined, version };
  const env: SettingsEnvironment = {
    lookup: (name) => ctx.environment.values.get(name)?.value,
    isUnknown: (name) => unknownEnvReason(ctx.environment, name),
  };
  const settings = evaluateModule(settingsModule.module, host, env, ctx.libraries ? { libraries: ctx.libraries } : {});
  ctx.cache.record(`settings:${settingsModule.module}:${searchRoots.join(",")}`, settings.problems);
  return { settingsModule, settings, version };
}

/**
 * A file the settings read at run time (`load_dotenv(BASE_DIR / ".env")`), as the container
 * sees it: the repository file behind a bind mount or COPY; unknown when it lives on a volume
 * or is absent from the checkout (git-ignored .env files are, by design).
 */
function readContainerFile(ctx: DjangoContext, absolutePath: string): RuntimeFileResult {
  const { storage } = ctx.filesystem.resolve(absolutePath);
  switch (storage.kind) {
    case "bind": {
      if (!isInsideRepo(storage.hostPath)) return { unknown: `${absolutePath} is bind-mounted from ${storage.hostPath}, outside the repository` };
      if (!ctx.repo.isFile(storage.hostPath)) {
        // A git-ignored file is kept out of the repository on purpose and exists at deploy time;
        // any other missing file is simply not there (decouple then looks further, Django sees no value).
        if (!ctx.ignore.check(storage.hostPath).ignored) return undefined;
        // ...unless the checkout keeps its copy of that file elsewhere (decouple and find_dotenv
        // search several folders; `.env` at the root does not mean one in every folder).
        if (hasFileNamed(ctx.repo, posix.basename(storage.hostPath))) return undefined;
        return { unknown: `${absolutePath} would be ./${storage.hostPath}, which is git-ignored: its content is not in the repository` };
      }
      const text = ctx.cache.text(storage.hostPath).text;
      return text === undefined ? { unknown: `./${storage.hostPath} cannot be read` } : { file: storage.hostPath, text };
    }
    case "image": {
      if (storage.repoPath === undefined) return undefined;
      const text = ctx.repo.isFile(storage.repoPath) ? ctx.cache.text(storage.repoPath).text : undefined;
      return text === undefined ? undefined : { file: storage.repoPath, text };
    }
    default:
      return { unknown: `${absolutePath} is on ${describeStorage(storage)}, whose content is not in the repository` };
  }
}

function hasFileNamed(repo: RepoTree, name: string): boolean {
  return repo.files.some((f) => f === name || f.endsWith(`/${name}`));
}

/** Why an env var the settings read may be set with a value we cannot see. */
function unknownEnvReason(environment: ServiceEnvironment, name: string): string | undefined {
  const value = environment.values.get(name);
  if (value && value.value === undefined) return `${name} is set at deploy time (${value.range.file}:${value.range.line}), its value is not in the repository`;
  if (!value && !environment.complete) {
    const missing = environment.missingEnvFiles.map((f) => f.path).join(", ");
    return `${name} may come from ${missing}, which the checkout does not have`;
  }
  return undefined;
}

/** sys.path as the app server sees it, in repository terms: its working directory, the image's WORKDIR, manage.py's folder. */
function pythonSearchRoots(ctx: DjangoContext): string[] {
  const roots: string[] = [];
  const add = (dir: string | undefined): void => {
    if (dir !== undefined && ctx.repo.isDirectory(dir) && !roots.includes(dir)) roots.push(dir);
  };
  if (ctx.appServer?.workingDir) add(ctx.filesystem.repoPath(ctx.appServer.workingDir));
  add(ctx.filesystem.repoPath(ctx.workdir));
  for (const file of ctx.repo.files) {
    if (posix.basename(file) !== "manage.py") continue;
    if (ctx.filesystem.runtimePath(file) === undefined) continue;
    add(posix.dirname(file) || ".");
  }
  if (ctx.image) add(ctx.image.context);
  return roots;
}

// Only on lines where no `#` comes first: a commented-out setdefault does not run.
const SETDEFAULT = /^[^#\n]*?os\.environ\.setdefault\(\s*(["'])DJANGO_SETTINGS_MODULE\1\s*,\s*(["'])([A-Za-z_][\w.]*)\2\s*\)/m;

/** CLI > compose environment/env_file > uWSGI env= > Dockerfile ENV > wsgi.py > manage.py. */
function chooseSettingsModule(ctx: DjangoContext, host: PythonSourceHost): SettingsModuleChoice | undefined {
  if (ctx.cliSettingsModule) return { module: ctx.cliSettingsModule, source: "cli", range: undefined };
  const fromEnv = ctx.environment.values.get("DJANGO_SETTINGS_MODULE");
  if (fromEnv?.value) {
    const source: SettingsModuleSource =
      fromEnv.source === "uwsgi-env" ? "uwsgi-env" : fromEnv.source === "dockerfile-env" ? "dockerfile" : fromEnv.source === "cli" ? "cli" : "compose";
    return { module: fromEnv.value, source, range: fromEnv.range };
  }
  if (fromEnv && fromEnv.value === undefined) return undefined;
  const wsgiFile = wsgiModuleFile(ctx, host);
  if (wsgiFile) {
    const found = findSetdefault(ctx, wsgiFile);
    if (found) return { module: found.module, source: "wsgi.py", range: found.range };
  }
  for (const file of ctx.repo.files) {
    if (posix.basename(file) !== "manage.py" || ctx.filesystem.runtimePath(file) === undefined) continue;
    const found = findSetdefault(ctx, file);
    if (found) return { module: found.module, source: "manage.py", range: found.range };
  }
  return undefined;
}

function wsgiModuleFile(ctx: DjangoContext, host: PythonSourceHost): string | undefined {
  const application = ctx.appServer?.application?.value;
  if (!application) return undefined;
  if (application.endsWith(".py")) {
    const containerPath = application.startsWith("/") ? application : posix.join(ctx.appServer?.workingDir ?? ctx.workdir, application);
    return ctx.filesystem.repoPath(containerPath);
  }
  const module = application.split(":")[0] ?? "";
  return host.resolveModule(module);
}

function findSetdefault(ctx: DjangoContext, file: string): { module: string; range: SourceRange } | undefined {
  const text = ctx.cache.text(file).text;
  if (text === undefined) return undefined;
  const match = SETDEFAULT.exec(text);
  if (!match) return undefined;
  const index = new LineIndex(text);
  const valueStart = match.index + match[0].lastIndexOf(match[3] as string);
  return { module: match[3] as string, range: index.range(file, valueStart - 1, valueStart + (match[3] as string).length + 1) };
}
