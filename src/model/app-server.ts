import { posix } from "node:path";
import type { LocatedString, SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";
import { daphneFromArgv, GUNICORN_DEFAULT_CONFIG, gunicornDefaultBind, gunicornFromArgv, RUNSERVER_DEFAULT_BIND, runserverFromArgv, uvicornFromArgv } from "../parsers/gunicorn.js";
import { findInvocations, type ProcessInvocation } from "../parsers/process-command.js";
import { parseShellScript, splitShellWords } from "../parsers/shell-words.js";
import { parseUwsgiIni, splitIniReference, uwsgiOptionsFromArgv, type UwsgiConfig, type UwsgiOption } from "../parsers/uwsgi.js";
import type { ContainerFilesystem } from "./container-filesystem.js";
import { normalizeContainerPath } from "./container-filesystem.js";
import type { AppServer, Endpoint, EnvValue, Listener, Protocol } from "./deployment-model.js";
import { gunicornConfigBinds } from "./gunicorn-config.js";
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
  problems: ParseProblem[];
}

/** Finds what the container runs: through wrappers and entrypoint scripts, down to the app server. */
export function analyzeProcess(ctx: ProcessContext): ProcessAnalysis {
  const invocations: ProcessInvocation[] = [];
  const problems: ParseProblem[] = [];
  const visitedScripts = new Set<string>();

  const visit = (words: LocatedString[], depth: number, conditional = false): void => {
    for (const found of findInvocations(words)) {
      // A server started in an `if` branch of a script (or of a script it calls) may not run.
      const invocation: ProcessInvocation = conditional ? { ...found, conditional: true } : found;
      invocations.push(invocation);
      if (invocation.kind !== "script" || depth >= MAX_SCRIPT_DEPTH) continue;
      // The docker-entrypoint pattern: ENTRYPOINT ["/entrypoint.sh"] with CMD ["gunicorn", …] ends in `exec "$@"`.
      if (invocation.argv.length > 1) visit(invocation.argv.slice(1), depth + 1, invocation.conditional === true);
      const scriptFile = scriptRepoFile(invocation, ctx);
      if (scriptFile === undefined || visitedScripts.has(scriptFile)) continue;
      visitedScripts.add(scriptFile);
      const source = ctx.cache.text(scriptFile);
      if (source.text === undefined) continue;
      const script = parseShellScript(source.text, scriptFile);
      problems.push(...script.problems);
      for (const command of script.commands) visit(command.words, depth + 1, invocation.conditional === true || command.conditional === true);
    }
  };
  visit(ctx.command, 0);

  // A server started under `if`/`case` (often runserver in a dev-only branch) counts only when no other is started unconditionally.
  const servers = invocations.filter((i) => APP_SERVER_KINDS.has(i.kind));
  const server = servers.find((i) => !i.conditional) ?? servers[0];
  if (!server) return { appServer: undefined, invocations, problems };
  const appServer = describeAppServer(server, ctx, problems);
  return { appServer, invocations, problems };
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
      return { ...base, listeners, application: parsed.app };
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

/** gunicorn's bind: command line > GUNICORN_CMD_ARGS > config file (-c, or ./gunicorn.conf.py) > default. */
function describeGunicorn(base: AppServer, args: LocatedString[], ctx: ProcessContext): AppServer {
  const g = gunicornFromArgv(args);
  const workdir = g.chdir ? normalizeContainerPath(posix.resolve(ctx.workdir, g.chdir.value)) : ctx.workdir;
  for (const e of g.envs) addEnvOption(base.env, e.value, e.range);
  const done = (binds: LocatedString[], option: string, configFiles: string[] = []): AppServer => ({
    ...base,
    listeners: binds.flatMap((b) => bindListener(b, "http", option, workdir)),
    application: g.app,
    workingDir: workdir,
    configFiles,
  });
  if (g.binds.length > 0) return done(g.binds, "--bind");
  const cmdArgs = ctx.env("GUNICORN_CMD_ARGS");
  if (cmdArgs !== undefined) {
    const fromEnv = gunicornFromArgv(splitShellWords(cmdArgs, base.range.file)).binds;
    // Words of an env value have no place in a file: point at where gunicorn is started.
    if (fromEnv.length > 0) return done(fromEnv.map((b) => ({ value: b.value, range: base.range })), "GUNICORN_CMD_ARGS --bind");
  }
  const configPath = g.configFile?.value.startsWith("python:") ? undefined : posix.resolve(workdir, g.configFile?.value ?? GUNICORN_DEFAULT_CONFIG);
  const configFile = configPath !== undefined ? ctx.fs.repoPath(configPath) : undefined;
  if (configFile !== undefined) {
    const binds = gunicornConfigBinds(configFile, ctx.fs, ctx.env, ctx.cache, ctx.repo);
    if (binds === undefined) return { ...done([], "bind", [configFile]) };
    if (binds.length > 0) return done(binds, `bind (${posix.basename(configFile)})`, [configFile]);
  } else if (g.configFile !== undefined) {
    // A config file we cannot read may set bind: unknown.
    return done([], "bind");
  }
  const endpoint = parseBind(gunicornDefaultBind(ctx.env), workdir);
  return { ...done([], "bind"), listeners: endpoint ? [{ endpoint, protocol: "http", option: "gunicorn's default bind", range: base.range }] : [] };
}

function describeUwsgi(base: AppServer, args: LocatedString[], ctx: ProcessContext, problems: ParseProblem[]): AppServer {
  const fromArgv = uwsgiOptionsFromArgv(args);
  problems.push(...fromArgv.problems);
  const options: UwsgiOption[] = [];
  const configFiles: string[] = [];
  for (const ini of fromArgv.iniFiles) {
    const { path, section } = splitIniReference(ini.value);
    const containerPath = path.startsWith("/") ? path : posix.join(ctx.workdir, path);
    const repoFile = ctx.fs.repoPath(containerPath);
    if (repoFile === undefined) continue;
    const source = ctx.cache.text(repoFile);
    if (source.text === undefined) continue;
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
  // UWSGI_* environment variables are options too (UWSGI_SOCKET=...).
  const last = (...keys: string[]): UwsgiOption | undefined => [...options].reverse().find((o) => keys.includes(o.key));
  const chdir = last("chdir");
  const workdir = chdir ? normalizeContainerPath(chdir.value) : ctx.workdir;
  const listeners: Listener[] = [];
  for (const option of options) {
    const protocol = uwsgiListenerProtocol(option.key);
    if (!protocol || option.unresolved?.length) continue;
    listeners.push(...bindListener({ value: option.value, range: option.range }, protocol, option.key, workdir));
  }
  const env = new Map<string, EnvValue>();
  for (const option of options.filter((o) => o.key === "env")) addEnvOption(env, option.value, option.range);
  const module = last("module", "wsgi", "w", "wsgi-file", "file");
  return {
    ...base,
    listeners,
    application: module ? { value: module.value, range: module.range } : undefined,
    workingDir: workdir,
    env,
    configFiles,
  };
}

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
