import { posix } from "node:path";
import type { LocatedString, SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";
import { daphneFromArgv, GUNICORN_DEFAULT_CONFIG, gunicornDefaultBind, gunicornFromArgv, RUNSERVER_DEFAULT_BIND, runserverFromArgv, uvicornFromArgv } from "../parsers/gunicorn.js";
import { findInvocations, type ProcessInvocation } from "../parsers/process-command.js";
import { parseShellScript, splitShellWords } from "../parsers/shell-words.js";
import { parseUwsgiIni, splitIniReference, uwsgiOptionsFromArgv, type UwsgiConfig, type UwsgiOption } from "../parsers/uwsgi.js";
import type { ContainerFilesystem } from "./container-filesystem.js";
import { normalizeContainerPath } from "./container-filesystem.js";
import type { AppServer, AppServerUnknowns, Endpoint, EnvValue, Listener, Protocol } from "./deployment-model.js";
import { gunicornConfigSettings } from "./gunicorn-config.js";
import type { RepoTree } from "./repo-tree.js";
import type { SourceCache } from "./source-cache.js";

const APP_SERVER_KINDS = new Set<string>(["uwsgi", "gunicorn", "daphne", "uvicorn", "runserver"]);

/** Entrypoint scripts that call other scripts are followed this deep. */
const MAX_SCRIPT_DEPTH = 4;

export interface ProcessContext {
  service: string;
  /** The container's command words (entrypoint + command). */
  command: LocatedString[];
  /** The process's working directory in the container. */
  workdir: string;
  fs: ContainerFilesystem;
  env: (name: string) => string | undefined;
  cache: SourceCache;
  repo: RepoTree;
}

export interface ProcessAnalysis {
  appServer: AppServer | undefined;
  /** Every invocation found, scripts followed (collectstatic, migrate... for later rules). */
  invocations: ProcessInvocation[];
  /** Scripts the container runs that we cannot read (outside the repository, a variable path, too deep): they may run anything. */
  unreadScripts: LocatedString[];
  problems: ParseProblem[];
}

/** Finds what the container runs: through wrappers and entrypoint scripts, down to the app server. */
export function analyzeProcess(ctx: ProcessContext): ProcessAnalysis {
  const invocations: ProcessInvocation[] = [];
  const problems: ParseProblem[] = [];
  const visitedScripts = new Set<string>();
  const startEnv: LocatedString[] = [];
  /** Scripts the container runs that we cannot read: they may do anything. */
  const opaque: LocatedString[] = [];

  const visit = (words: LocatedString[], depth: number, conditional = false): void => {
    collectAssignments(words, startEnv);
    for (const found of findInvocations(words)) {
      // A server started in an `if` branch of a script (or of a script it calls) may not run.
      const invocation: ProcessInvocation = conditional ? { ...found, conditional: true } : found;
      invocations.push(invocation);
      if (invocation.kind !== "script") continue;
      if (depth >= MAX_SCRIPT_DEPTH) {
        opaque.push(invocation.argv[0] as LocatedString);
        continue;
      }
      // The docker-entrypoint pattern: ENTRYPOINT ["/entrypoint.sh"] with CMD ["gunicorn", …] ends in `exec "$@"`.
      if (invocation.argv.length > 1) visit(invocation.argv.slice(1), depth + 1, invocation.conditional === true);
      const scriptFile = scriptRepoFile(invocation, ctx);
      if (scriptFile === undefined) {
        if (!isVenvActivation(invocation)) opaque.push(invocation.argv[0] as LocatedString);
        continue;
      }
      if (visitedScripts.has(scriptFile)) continue;
      visitedScripts.add(scriptFile);
      const source = ctx.cache.text(scriptFile);
      if (source.text === undefined) {
        opaque.push(invocation.argv[0] as LocatedString);
        continue;
      }
      const script = parseShellScript(source.text, scriptFile);
      problems.push(...script.problems);
      for (const command of script.commands) visit(command.words, depth + 1, invocation.conditional === true || command.conditional === true);
    }
  };
  visit(ctx.command, 0);

  // A server started under `if`/`case` (often runserver in a dev-only branch) counts only when no other is started unconditionally.
  const servers = invocations.filter((i) => APP_SERVER_KINDS.has(i.kind));
  const server = servers.find((i) => !i.conditional) ?? servers[0];
  if (!server) return { appServer: undefined, invocations, unreadScripts: opaque, problems };
  const appServer = describeAppServer(server, ctx, problems);
  const unknown: AppServerUnknowns = { ...appServer.unknown };
  const cd = invocations.find((i) => i.kind === "other" && DIRECTORY_CHANGES.has(posix.basename(i.argv[0]?.value ?? "")));
  const opaqueScript = opaque[0];
  if (opaqueScript) {
    const reason = `the container runs ${opaqueScript.value} (${at(opaqueScript.range)}), which is not in the repository`;
    unknown.searchPath ??= reason;
    unknown.listeners ??= reason;
    unknown.processes ??= reason;
  }
  if (cd) unknown.searchPath ??= `the start command changes directory (${cd.argv.map((w) => w.value).join(" ")}, ${at((cd.argv[0] as LocatedString).range)})`;
  const other = invocations.find((i) => i !== server && !isOneShot(i));
  if (other) unknown.processes ??= `the container also runs ${other.argv[0]?.value ?? "another program"} (${at((other.argv[0] as LocatedString).range)})`;
  else if (server.conditional) unknown.processes ??= `${server.argv[0]?.value ?? "the server"} is started conditionally (${at((server.argv[0] as LocatedString).range)})`;
  const extra: Partial<AppServer> = {};
  if (startEnv.length > 0) extra.startEnv = startEnv;
  if (server.conditional) extra.conditional = true;
  if (Object.keys(unknown).length > 0) extra.unknown = unknown;
  else delete appServer.unknown;
  return { appServer: { ...appServer, ...extra }, invocations, unreadScripts: opaque, problems };
}

function at(range: SourceRange): string {
  return `${range.file}:${range.line}`;
}

const DIRECTORY_CHANGES = new Set(["cd", "pushd", "popd"]);

/**
 * Programs a start script runs that end (or never listen) before or beside the server:
 * shell builtins, file tools, waits, one-shot manage.py commands. Anything else may be a
 * second long-running process with sockets of its own (supervisord, celery, a second server).
 */
const ONE_SHOT = new Set(
  ("cd pushd popd echo printf set export unset sleep test [ [[ true false : mkdir chown chgrp chmod cp mv rm ln touch cat " +
    "envsubst sed awk grep until while for if wait trap umask ulimit shift read exit return local readonly declare " +
    "ls find id whoami date hostname nc curl wget pip pip3 apt-get apk tee head tail cut tr sort basename dirname " +
    "realpath readlink printenv psql pg_isready mysqladmin redis-cli timeout nginx").split(" "),
);

function isOneShot(invocation: ProcessInvocation): boolean {
  switch (invocation.kind) {
    case "collectstatic":
    case "migrate":
    case "script":
      return true;
    case "other": {
      const program = invocation.argv[0]?.value ?? "";
      const name = posix.basename(program);
      // `exec "$@"`: the command handed to the entrypoint, analysed on its own.
      if (/^\$(\{)?[@*]\}?$/.test(program)) return true;
      if (name === "manage.py" || name === "django-admin" || name === "django-admin.py") return true;
      if (/^python[0-9.]*$/.test(name) && invocation.argv[1]?.value === "-c") return true;
      return ONE_SHOT.has(name);
    }
    default:
      return false;
  }
}

/** `. venv/bin/activate`: sets PATH and VIRTUAL_ENV, nothing the model cares about. */
function isVenvActivation(invocation: ProcessInvocation): boolean {
  return invocation.argv.some((w) => /(^|\/)bin\/activate$/.test(w.value));
}

/** `export NAME=…`, `NAME=… cmd`, `env NAME=…` in a command's words (also inside `sh -c "…"` strings). */
function collectAssignments(words: LocatedString[], into: LocatedString[]): void {
  const assignment = /(?:^|[\s;&|(])(?:export\s+|declare\s+-x\s+)?([A-Za-z_][A-Za-z0-9_]*)=/g;
  words.forEach((word, k) => {
    // gunicorn's `-e NAME=value` is the server's own option (AppServer.env), not a shell assignment.
    const previous = words[k - 1]?.value;
    if (previous === "-e" || previous === "--env") return;
    // Inside an `sh -c "…"` string, blank out `-e NAME=…` first.
    const text = word.value.replace(/(^|\s)(-e|--env)(\s+|=)\S+/g, "$1");
    for (const m of text.matchAll(assignment)) into.push({ value: m[1] as string, range: word.range });
  });
}

/** The repository file a `script` invocation runs (`./entrypoint.sh`, `sh /start.sh`). */
function scriptRepoFile(invocation: ProcessInvocation, ctx: ProcessContext): string | undefined {
  const words = invocation.argv.map((w) => w.value);
  const interpreter = /^(?:\/(?:usr\/)?bin\/)?(?:ba|da|z)?sh$/.test(words[0] ?? "");
  const path = interpreter ? words.slice(1).find((w) => !w.startsWith("-")) : words[0];
  if (!path || path.includes("$")) return undefined;
  if (path.startsWith("/") || path.includes("/")) return ctx.fs.repoPath(path.startsWith("/") ? path : posix.join(ctx.workdir, path));
  if (interpreter) return ctx.fs.repoPath(posix.join(ctx.workdir, path));
  // A bare name runs from PATH (ENV PATH="/scripts:$PATH" with CMD ["run.sh"]); `sh start.sh`
  // (the interpreter word is already gone here) reads it from the working directory.
  for (const dir of [...searchPath(ctx.env("PATH")), ctx.workdir]) {
    const found = ctx.fs.repoPath(posix.join(dir, path));
    if (found !== undefined) return found;
  }
  return undefined;
}

const DEFAULT_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

function searchPath(path: string | undefined): string[] {
  const dirs = (path ?? "").split(":").filter((d) => d.startsWith("/") && !d.includes("$"));
  return [...dirs, ...DEFAULT_PATH.filter((d) => !dirs.includes(d))];
}

function describeAppServer(invocation: ProcessInvocation, ctx: ProcessContext, problems: ParseProblem[]): AppServer {
  const args = invocation.argv.slice(1);
  const range = (invocation.argv[0] as LocatedString).range;
  const base: AppServer = {
    kind: invocation.kind as AppServer["kind"],
    range,
    listeners: [],
    application: undefined,
    workingDir: ctx.workdir,
    env: new Map(),
    configFiles: [],
  };
  switch (invocation.kind) {
    case "uwsgi":
      return describeUwsgi(base, args, ctx, problems);
    case "gunicorn":
      return describeGunicorn(base, args, ctx);
    case "daphne":
    case "uvicorn": {
      const parsed = invocation.kind === "daphne" ? daphneFromArgv(args) : uvicornFromArgv(args);
      const listeners = parsed.binds.flatMap((b) => bindListener(b, "http", "bind", ctx.workdir));
      const out: AppServer = { ...base, listeners, application: parsed.app };
      const unknown: AppServerUnknowns = {};
      if (listeners.length < parsed.binds.length) unknown.listeners = `a bind of ${invocation.kind} is not a fixed address`;
      // Without -b/-p (--host/--port) the server binds its default, which the model does not list.
      if (parsed.binds.length === 0) unknown.listeners = `${invocation.kind} is started without a bind option`;
      // uvicorn --app-dir puts a directory first on sys.path.
      const appDir = optionValue(args, "--app-dir");
      if (appDir) {
        if (appDir.value.includes("$") || appDir.unresolved?.length) unknown.searchPath = `--app-dir ${appDir.value} is not a fixed path`;
        else out.pythonPath = [{ value: normalizeContainerPath(posix.resolve(ctx.workdir, appDir.value)), range: appDir.range }];
      }
      if (Object.keys(unknown).length > 0) out.unknown = unknown;
      return out;
    }
    case "runserver": {
      const afterCommand = args.slice(args.findIndex((a) => a.value === "runserver") + 1);
      const bind = runserverFromArgv(afterCommand).binds[0] ?? { value: RUNSERVER_DEFAULT_BIND, range };
      const endpoint = bind.unresolved?.length ? undefined : parseBind(bind.value, "/");
      return { ...base, listeners: endpoint ? [{ endpoint, protocol: "http", option: "runserver", range: bind.range }] : [] };
    }
    default:
      return base;
  }
}

/**
 * gunicorn's bind: command line > GUNICORN_CMD_ARGS > config file (-c, or ./gunicorn.conf.py) > default;
 * chdir and pythonpath in the same order.
 */
function describeGunicorn(base: AppServer, args: LocatedString[], ctx: ProcessContext): AppServer {
  const g = gunicornFromArgv(args);
  const unknown: AppServerUnknowns = {};
  const cmdArgs = ctx.env("GUNICORN_CMD_ARGS");
  // Words of an env value have no place in a file: they point at where gunicorn is started.
  const fromEnv = cmdArgs !== undefined ? gunicornFromArgv(splitShellWords(cmdArgs, base.range.file).map((w) => ({ ...w, range: base.range }))) : undefined;
  const cliChdir = g.chdir ?? fromEnv?.chdir;
  let workdir = cliChdir ? normalizeContainerPath(posix.resolve(ctx.workdir, cliChdir.value)) : ctx.workdir;
  for (const e of g.envs) addEnvOption(base.env, e.value, e.range);

  const configPath = g.configFile?.value.startsWith("python:") ? undefined : posix.resolve(workdir, g.configFile?.value ?? GUNICORN_DEFAULT_CONFIG);
  const configFile = configPath !== undefined ? ctx.fs.repoPath(configPath) : undefined;
  const config = configFile !== undefined ? gunicornConfigSettings(configFile, ctx.fs, ctx.env, ctx.cache, ctx.repo) : undefined;
  if (g.configFile !== undefined && config === undefined) {
    // A config file we cannot read may set bind, chdir and pythonpath.
    unknown.listeners = `gunicorn's config ${g.configFile.value} is not in the repository`;
    unknown.searchPath = unknown.listeners;
  }
  let chdir = cliChdir;
  if (!cliChdir && config?.chdir !== undefined) {
    if (config.chdir === "unknown") unknown.searchPath ??= `chdir in ${configFile} has a value we cannot evaluate`;
    else {
      chdir = config.chdir;
      workdir = normalizeContainerPath(posix.resolve(workdir, config.chdir.value));
    }
  }
  if (chdir && (chdir.value.includes("$") || chdir.unresolved?.length)) unknown.searchPath ??= `--chdir ${chdir.value} is not a fixed path`;
  const pythonPath: LocatedString[] = [];
  const pythonpathOption = g.pythonpath ?? fromEnv?.pythonpath ?? (config?.pythonpath === "unknown" ? undefined : config?.pythonpath);
  if (!g.pythonpath && !fromEnv?.pythonpath && config?.pythonpath === "unknown") unknown.searchPath ??= `pythonpath in ${configFile} has a value we cannot evaluate`;
  for (const entry of pythonpathOption?.value.split(",") ?? []) {
    if (entry.trim() === "") continue;
    if (entry.includes("$") || pythonpathOption?.unresolved?.length) unknown.searchPath ??= `--pythonpath ${pythonpathOption?.value} is not a fixed path`;
    else pythonPath.push({ value: normalizeContainerPath(posix.resolve(workdir, entry.trim())), range: (pythonpathOption as LocatedString).range });
  }

  const done = (binds: LocatedString[], option: string): AppServer => {
    const listeners = binds.flatMap((b) => bindListener(b, "http", option, workdir));
    if (listeners.length < binds.length) unknown.listeners ??= "a gunicorn bind is not a fixed address";
    const out: AppServer = { ...base, listeners, application: g.app, workingDir: workdir, configFiles: configFile !== undefined ? [configFile] : [] };
    if (chdir) out.chdir = chdir;
    if (pythonPath.length > 0) out.pythonPath = pythonPath;
    if (Object.keys(unknown).length > 0) out.unknown = unknown;
    return out;
  };
  if (g.binds.length > 0) return done(g.binds, "--bind");
  if (fromEnv && fromEnv.binds.length > 0) return done(fromEnv.binds, "GUNICORN_CMD_ARGS --bind");
  if (config !== undefined) {
    if (config.binds === "unknown") {
      unknown.listeners ??= `bind in ${configFile} has a value we cannot evaluate`;
      return done([], "bind");
    }
    if (config.binds.length > 0) return done(config.binds, `bind (${posix.basename(configFile as string)})`);
  } else if (g.configFile !== undefined) {
    return done([], "bind");
  }
  const endpoint = parseBind(gunicornDefaultBind(ctx.env), workdir);
  return { ...done([], "bind"), listeners: endpoint ? [{ endpoint, protocol: "http", option: "gunicorn's default bind", range: base.range }] : [] };
}

/** The value of a long option in an argv (`--name value` or `--name=value`). */
function optionValue(args: LocatedString[], name: string): LocatedString | undefined {
  for (let k = 0; k < args.length; k++) {
    const word = args[k] as LocatedString;
    if (word.value === name) return args[k + 1];
    if (word.value.startsWith(`${name}=`)) return { ...word, value: word.value.slice(name.length + 1) };
  }
  return undefined;
}

function describeUwsgi(base: AppServer, args: LocatedString[], ctx: ProcessContext, problems: ParseProblem[]): AppServer {
  const fromArgv = uwsgiOptionsFromArgv(args);
  problems.push(...fromArgv.problems);
  const options: UwsgiOption[] = [];
  const configFiles: string[] = [];
  const unknown: AppServerUnknowns = {};
  for (const ini of fromArgv.iniFiles) {
    const { path, section } = splitIniReference(ini.value);
    const containerPath = path.startsWith("/") ? path : posix.join(ctx.workdir, path);
    const repoFile = ini.value.includes("$") || ini.unresolved?.length ? undefined : ctx.fs.repoPath(containerPath);
    const source = repoFile !== undefined ? ctx.cache.text(repoFile) : undefined;
    if (repoFile === undefined || source?.text === undefined) {
      // Options we cannot read may set sockets, chdir and pythonpath.
      unknown.listeners ??= `uWSGI reads ${ini.value} (${at(ini.range)}), which is not in the repository`;
      unknown.searchPath ??= unknown.listeners;
      continue;
    }
    const config = ctx.cache.parse(
      `uwsgi:${containerPath}:${section ?? ""}`,
      repoFile,
      (text) => parseUwsgiIni(text, repoFile, { runtimePath: normalizeContainerPath(containerPath), env: ctx.env, ...(section ? { section } : {}) }),
      (): UwsgiConfig => ({ file: repoFile, options: [], problems: [] }),
    );
    configFiles.push(repoFile);
    // Options uWSGI never applies (misspelt keys such as chmod_socket) are not part of its config.
    options.push(...config.options.filter((o) => !o.ignored));
  }
  options.push(...fromArgv.options.filter((o) => !o.ignored));
  // Config files that load further config files (`ini = …`, `include`, `yaml`…) hold options we did not read.
  const nested = options.find((o) => UWSGI_CONFIG_LOADERS.has(o.key));
  if (nested) {
    unknown.listeners ??= `uWSGI also loads ${nested.value} (${at(nested.range)})`;
    unknown.searchPath ??= unknown.listeners;
  }
  const uncertain = (o: UwsgiOption): boolean => o.conditional === true || (o.unresolved?.length ?? 0) > 0 || o.value.includes("$");
  const last = (...keys: string[]): UwsgiOption | undefined => [...options].reverse().find((o) => keys.includes(o.key));
  const chdir = last("chdir");
  const workdir = chdir ? normalizeContainerPath(posix.resolve(ctx.workdir, chdir.value)) : ctx.workdir;
  if (chdir && uncertain(chdir)) unknown.searchPath ??= `chdir ${chdir.raw} (${at(chdir.range)}) is not a fixed path`;
  const listeners: Listener[] = [];
  const otherListeners: Listener[] = [];
  for (const option of options) {
    const protocol = uwsgiListenerProtocol(option.key);
    const other = UWSGI_OTHER_SOCKETS.has(option.key);
    if (!protocol && !other) continue;
    if (uncertain(option)) {
      unknown.listeners ??= `${option.key} = ${option.raw} (${at(option.range)}) is not a fixed address`;
      continue;
    }
    // `https = addr,cert,key`; `http = =0` refers to a shared-socket.
    const address = option.key === "https" || option.key === "https-socket" ? (option.value.split(",")[0] ?? "") : option.value;
    const found = bindListener({ value: address, range: option.range }, protocol ?? "http", option.key, workdir);
    if (found.length === 0) unknown.listeners ??= `${option.key} = ${option.raw} (${at(option.range)}) is not an address the model reads`;
    (protocol ? listeners : otherListeners).push(...found);
  }
  const pythonPath: LocatedString[] = [];
  for (const option of options.filter((o) => UWSGI_PYTHONPATH.has(o.key))) {
    if (uncertain(option) || /[*?[]/.test(option.value)) unknown.searchPath ??= `pythonpath ${option.raw} (${at(option.range)}) is not a fixed path`;
    else pythonPath.push({ value: normalizeContainerPath(posix.resolve(workdir, option.value)), range: option.range });
  }
  const env = new Map<string, EnvValue>();
  for (const option of options.filter((o) => o.key === "env")) addEnvOption(env, option.value, option.range);
  const module = last("module", "wsgi", "w", "wsgi-file", "file");
  const callable = last("callable");
  const out: AppServer = {
    ...base,
    listeners,
    application: module ? { value: module.value, range: module.range, ...(uncertain(module) ? { unresolved: module.unresolved?.length ? module.unresolved : [module.raw] } : {}) } : undefined,
    workingDir: workdir,
    env,
    configFiles,
  };
  if (module?.key === "wsgi-file") out.applicationFile = true;
  if (chdir) out.chdir = { value: chdir.value, range: chdir.range };
  if (pythonPath.length > 0) out.pythonPath = pythonPath;
  if (callable && !uncertain(callable)) out.callable = { value: callable.value, range: callable.range };
  if (otherListeners.length > 0) out.otherListeners = otherListeners;
  if (Object.keys(unknown).length > 0) out.unknown = unknown;
  return out;
}

/** Options that make uWSGI read another config file. */
const UWSGI_CONFIG_LOADERS = new Set(["ini", "include", "inherit", "json", "yaml", "xml", "sqlite3", "ldap", "ini-paste", "ini-paste-logged"]);
/** uWSGI sockets that are not request listeners for nginx but still accept connections. */
const UWSGI_OTHER_SOCKETS = new Set([
  "stats", "https", "http11-socket", "https-socket", "fastcgi-socket", "scgi-socket", "shared-socket", "ssl-socket",
  "suwsgi-socket", "raw-socket", "puwsgi-socket", "fastrouter", "subscription-server", "zerg-server", "http-socket-modifier1",
].filter((k) => k !== "http-socket-modifier1"));
const UWSGI_PYTHONPATH = new Set(["pythonpath", "python-path", "pp"]);

function uwsgiListenerProtocol(key: string): Protocol | undefined {
  if (key === "socket" || key === "uwsgi-socket" || key === "s") return "uwsgi";
  if (key === "http-socket" || key === "http") return "http";
  return undefined;
}

function addEnvOption(env: Map<string, EnvValue>, assignment: string, range: SourceRange): void {
  const eq = assignment.indexOf("=");
  if (eq <= 0) return;
  const name = assignment.slice(0, eq);
  env.set(name, { name, value: assignment.slice(eq + 1), source: "uwsgi-env", range });
}

function bindListener(bind: { value: string; range: SourceRange }, protocol: Protocol, option: string, workdir: string): Listener[] {
  const endpoint = parseBind(bind.value, workdir);
  return endpoint ? [{ endpoint, protocol, option, range: bind.range }] : [];
}

/**
 * An app server's listen address: `unix:/path`, a bare path (uWSGI), `host:port`,
 * `:port` (all interfaces), `[::]:port`. Relative socket paths resolve from the working dir.
 */
export function parseBind(value: string, workdir: string): Endpoint | undefined {
  const v = value.trim().replace(/^tcp:\/\//, "");
  if (v === "" || v.includes("$") || v.startsWith("fd://") || v.startsWith("@") || v.startsWith("=")) return undefined;
  if (v.startsWith("unix:")) return { kind: "unix", path: normalizeContainerPath(posix.resolve(workdir, v.slice(5))) };
  const bracketed = /^\[([^\]]*)\]:(\d+)$/.exec(v);
  if (bracketed) return { kind: "tcp", host: bracketed[1] as string, port: bracketed[2] as string };
  const hostPort = /^([^:/]*):(\d+)$/.exec(v);
  if (hostPort) return { kind: "tcp", host: hostPort[1] as string, port: hostPort[2] as string };
  if (/^\d+$/.test(v)) return { kind: "tcp", host: "", port: v };
  if (v.includes("/") || v.endsWith(".sock")) return { kind: "unix", path: normalizeContainerPath(posix.resolve(workdir, v)) };
  return { kind: "tcp", host: v, port: "8000" };
}

/** True when a TCP listener only accepts connections from inside its own container. */
export function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || host.startsWith("127.");
}
