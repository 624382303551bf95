import { posix } from "node:path";
import { LineIndex } from "../core/line-index.js";
import { hasUrlCredentials, isSecretName } from "../core/secrets.js";
import type { SourceRange } from "../core/location.js";
import { evaluateModule, type LibraryOptions, type PythonSourceHost, type RuntimeFileResult, type SettingsEnvironment } from "../python/evaluate.js";
import type { GitIgnoreMatcher } from "../parsers/ignore-rules.js";
import { describeStorage } from "./container-filesystem.js";
import type { ContainerFilesystem } from "./container-filesystem.js";
import type { ComposeService } from "./compose-stack.js";
import { envFileTemplate, loadDotenvFile } from "./service-environment.js";
import type { DjangoVersionChoice } from "./django-version.js";
import { SETTINGS_MODULE_PRECEDENCE, type AppServer, type DjangoApp, type ImageBuild, type ServiceEnvironment, type SettingsModuleChoice, type SettingsModuleSource } from "./deployment-model.js";
import { loadPython } from "./python-sources.js";
import { isInsideRepo, joinRepoPath, type RepoTree } from "./repo-tree.js";
import type { SourceCache } from "./source-cache.js";

export interface DjangoContext {
  filesystem: ContainerFilesystem;
  environment: ServiceEnvironment;
  /** The compose service: its `environment` and `env_file`s each name a settings module candidate. */
  compose?: ComposeService;
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
  // Variables a template stands in for without a usable value (secrets, blanks): unknown, not unset.
  const templateSecrets = new Map<string, string>();
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
    readRuntimeFile: (absolutePath) => readContainerFile(ctx, absolutePath, templateSecrets),
    workingDirectory: () => ctx.appServer?.workingDir ?? ctx.workdir,
  };
  const settingsModule = chooseSettingsModule(ctx, host);
  const settingsCandidates = settingsModuleCandidates(ctx, host, settingsModule);
  const version = ctx.version;
  const wsgiFile = wsgiModuleFile(ctx, host);
  const wsgiSysPathChange = wsgiFile ? findSysPathChange(ctx, wsgiFile) : undefined;
  const base = { settingsModule, settingsCandidates, version, ...(wsgiSysPathChange ? { wsgiSysPathChange } : {}) };
  if (!settingsModule) return { ...base, settings: undefined };
  if (host.resolveModule(settingsModule.module) === undefined) return { ...base, settings: undefined };
  const env: SettingsEnvironment = {
    lookup: (name) => ctx.environment.values.get(name)?.value,
    isUnknown: (name) => unknownEnvReason(ctx.environment, name) ?? templateSecrets.get(name),
  };
  const settings = evaluateModule(settingsModule.module, host, env, ctx.libraries ? { libraries: ctx.libraries } : {});
  ctx.cache.record(`settings:${settingsModule.module}:${searchRoots.join(",")}`, settings.problems);
  return { ...base, settings };
}

/**
 * A file the settings read at run time (`load_dotenv(BASE_DIR / ".env")`), as the container
 * sees it: the repository file behind a bind mount or COPY; unknown when it lives on a volume
 * or is absent from the checkout (git-ignored .env files are, by design).
 */
function readContainerFile(ctx: DjangoContext, absolutePath: string, templateSecrets: Map<string, string>): RuntimeFileResult {
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
        const template = envFileTemplate(storage.hostPath, ctx.repo);
        if (template) return templateStandIn(ctx, template, storage.hostPath, templateSecrets);
        // ...and the real file sits where its template is (`.env.example` at the root): not here.
        if (hasTemplateElsewhere(ctx.repo, posix.basename(storage.hostPath))) return undefined;
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

/**
 * A git-ignored env file the settings load (decouple's `.env`, `read_env()`, `load_dotenv()`)
 * read through its committed template (`.env.example`): the template's non-secret values, with
 * its secret and blank entries blanked out (line numbers kept) and reported unknown through
 * the environment, which every env library consults before the file.
 */
function templateStandIn(ctx: DjangoContext, template: string, standsFor: string, templateSecrets: Map<string, string>): RuntimeFileResult {
  const text = ctx.cache.text(template).text;
  if (text === undefined) return { unknown: `./${standsFor} is git-ignored and its template ./${template} cannot be read` };
  const lines = text.split("\n");
  for (const entry of loadDotenvFile(ctx.cache, template).entries) {
    if (entry.value !== "" && !isSecretName(entry.name) && !hasUrlCredentials(entry.value)) continue;
    templateSecrets.set(entry.name, templateSecretReason(entry.name, template, standsFor));
    for (let line = entry.range.line; line <= entry.range.endLine; line++) lines[line - 1] = "";
  }
  return { file: template, text: lines.join("\n") };
}

function hasTemplateElsewhere(repo: RepoTree, name: string): boolean {
  const dirs = new Set(repo.files.map((f) => posix.dirname(f)));
  return [...dirs].some((dir) => envFileTemplate(posix.join(dir, name), repo) !== undefined);
}

function hasFileNamed(repo: RepoTree, name: string): boolean {
  return repo.files.some((f) => f === name || f.endsWith(`/${name}`));
}

// The reasons an env read's value is unknown (EnvRead.unknown): built here only, so that a
// reader that tells them apart (env-name-drift.ts) compares with the same functions.

/** The variable is in a committed template of a git-ignored env file, without its real value. */
export function templateSecretReason(name: string, template: string, standsFor: string): string {
  return `${name} is in ./${template}, the template of the git-ignored ./${standsFor}, without its real value`;
}

/** The variable is set for the service, but its value is given at deploy time. */
export function deployTimeReason(name: string, range: SourceRange): string {
  return `${name} is set at deploy time (${range.file}:${range.line}), its value is not in the repository`;
}

/** The variable may be in env files the service loads and the checkout lacks. */
export function missingEnvFileReason(name: string, missing: readonly { path: string }[]): string {
  return `${name} may come from ${missing.map((f) => f.path).join(", ")}, which the checkout does not have`;
}

/** Why an env var the settings read may be set with a value we cannot see. */
function unknownEnvReason(environment: ServiceEnvironment, name: string): string | undefined {
  const value = environment.values.get(name);
  if (value && value.value === undefined) return deployTimeReason(name, value.range);
  if (!value && !environment.complete) return missingEnvFileReason(name, environment.missingEnvFiles);
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
  for (const file of ctx.repo.filesNamed("manage.py")) {
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
  for (const file of ctx.repo.filesNamed("manage.py")) {
    if (ctx.filesystem.runtimePath(file) === undefined) continue;
    const found = findSetdefault(ctx, file);
    if (found) return { module: found.module, source: "manage.py", range: found.range };
  }
  return undefined;
}

/**
 * Every layer that names a settings module, highest precedence first: the CLI, the compose
 * `environment`, the `env_file`s (the last file first), uWSGI `env =` (and gunicorn `-e`),
 * Dockerfile ENV, wsgi.py's and manage.py's `setdefault`. The winner (`chosen`) is one of them.
 */
function settingsModuleCandidates(ctx: DjangoContext, host: PythonSourceHost, chosen: SettingsModuleChoice | undefined): SettingsModuleChoice[] {
  const out: SettingsModuleChoice[] = [];
  const add = (choice: SettingsModuleChoice | undefined): void => {
    if (!choice || choice.module === "") return;
    const same = out.some((c) => c.source === choice.source && c.module === choice.module && sameRange(c.range, choice.range));
    if (!same) out.push(choice);
  };
  if (ctx.cliSettingsModule) add({ module: ctx.cliSettingsModule, source: "cli", range: undefined });
  const NAME = "DJANGO_SETTINGS_MODULE";
  const fromCompose = ctx.compose?.environment.get(NAME);
  if (fromCompose?.value !== undefined && !fromCompose.unresolved?.length) {
    const written = textAt(ctx, fromCompose.range);
    add({ module: fromCompose.value, source: "compose", range: fromCompose.range, ...(written?.includes("$") ? { interpolated: true as const } : {}) });
  }
  for (const envFile of [...(ctx.compose?.envFiles ?? [])].reverse()) {
    const file = ctx.repo.isFile(envFile.path) ? envFile.path : envFileTemplate(envFile.path, ctx.repo);
    if (file === undefined) continue;
    const entry = [...loadDotenvFile(ctx.cache, file).entries].reverse().find((e) => e.name === NAME);
    if (entry && entry.value !== "") add({ module: entry.value, source: "compose", range: entry.range });
  }
  const fromServer = ctx.appServer?.env.get(NAME);
  if (fromServer?.value) add({ module: fromServer.value, source: "uwsgi-env", range: fromServer.range });
  const fromImage = ctx.image?.stage.env.get(NAME);
  if (fromImage && !fromImage.unresolved?.length && fromImage.value !== "") add({ module: fromImage.value, source: "dockerfile", range: fromImage.range });
  const wsgiFile = wsgiModuleFile(ctx, host);
  const fromWsgi = wsgiFile ? findSetdefault(ctx, wsgiFile) : undefined;
  if (fromWsgi) add({ module: fromWsgi.module, source: "wsgi.py", range: fromWsgi.range });
  for (const file of ctx.repo.filesNamed("manage.py")) {
    if (ctx.filesystem.runtimePath(file) === undefined) continue;
    const found = findSetdefault(ctx, file);
    if (!found) continue;
    add({ module: found.module, source: "manage.py", range: found.range });
    break;
  }
  // The winner is always listed, in its place in the precedence order.
  if (chosen && !out.some((c) => c.source === chosen.source && c.module === chosen.module && sameRange(c.range, chosen.range))) {
    const rank = (c: SettingsModuleChoice): number => SETTINGS_MODULE_PRECEDENCE.indexOf(c.source);
    const at = out.findIndex((c) => rank(c) > rank(chosen));
    out.splice(at < 0 ? out.length : at, 0, chosen);
  }
  return out;
}

/** The source text a one-line range covers. */
function textAt(ctx: DjangoContext, range: SourceRange): string | undefined {
  if (range.line !== range.endLine) return undefined;
  const line = ctx.cache.text(range.file).text?.split("\n")[range.line - 1];
  return line?.slice(range.column - 1, range.endColumn - 1);
}

function sameRange(a: SourceRange | undefined, b: SourceRange | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.file === b.file && a.line === b.line && a.column === b.column;
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

// sys.path.append / insert / extend / +=, site.addsitedir, on a line where no `#` comes first.
const SYS_PATH_CHANGE = /^[^#\n]*?\b(sys\.path\s*(\.(append|insert|extend)\s*\(|\+=|\[[^\]]*\]\s*=)|site\.addsitedir\s*\()/m;

/** Where a wsgi.py changes sys.path: the settings module may then be found outside the server's own search path. */
function findSysPathChange(ctx: DjangoContext, file: string): SourceRange | undefined {
  const text = ctx.cache.text(file).text;
  if (text === undefined) return undefined;
  const match = SYS_PATH_CHANGE.exec(text);
  if (!match) return undefined;
  const start = match.index + match[0].length - (match[1] as string).length;
  return new LineIndex(text).range(file, start, start + (match[1] as string).length);
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
