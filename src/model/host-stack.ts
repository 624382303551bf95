/**
 * Deployments without Docker: nginx, a systemd unit (or a uWSGI ini) and the checkout on
 * one host. They are linted like a one-container stack: a synthetic compose service "host"
 * whose filesystem binds the checkout at the path the unit's WorkingDirectory (or uWSGI's
 * `chdir`, gunicorn's `--chdir`) names, and the repository's nginx configs where the
 * distribution's nginx reads them. Paths are taken as they are written.
 */
import { posix } from "node:path";
import { fileStart, type LocatedString, type SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";
import { gunicornFromArgv } from "../parsers/gunicorn.js";
import { parseSystemdUnit, type SystemdUnit } from "../parsers/systemd-unit.js";
import { lastOption, parseUwsgiIni } from "../parsers/uwsgi.js";
import type { ComposeEnvFile, ComposeEnvVar, ComposeMount, ComposeService, ComposeStack } from "./compose-stack.js";
import type { SourceCache } from "./source-cache.js";

const APP_SERVER_WORD = /(^|\/)(uwsgi|gunicorn|daphne|uvicorn)$/;
const UWSGI_SECTION = /^\s*\[uwsgi\]\s*$/m;
const UWSGI_APP = /^\s*(module|wsgi-file|wsgi|file|mount)\s*=/m;

export interface HostDeploymentInput {
  files: readonly string[];
  cache: SourceCache;
  /** Repository files the nginx sniff accepted (server blocks with nginx directives). */
  nginxConfigs: readonly string[];
}

interface Launch {
  /** The unit or ini that says how the app server starts. */
  file: string;
  command: LocatedString[];
  checkoutDir: LocatedString | undefined;
  unit: SystemdUnit | undefined;
  ini: string | undefined;
}

/** The synthetic compose stack of a host deployment, or undefined when the repository describes none. */
export function planHostDeployment(input: HostDeploymentInput): { stack: ComposeStack; description: string } | undefined {
  const launch = findLaunch(input);
  if (!launch?.checkoutDir) return undefined;
  const checkout = launch.checkoutDir;
  const projectDir = manageDirectory(input.files);
  const mounts: ComposeMount[] = [{ type: "bind", source: projectDir, target: checkout.value, readOnly: false, range: checkout.range }];
  // A uWSGI ini named by a path outside the checkout (/etc/uwsgi/apps-enabled/site.ini): the repository's file of that name.
  if (launch.ini && !insideDir(hostPathOf(launch.ini, projectDir, checkout.value) ?? "", checkout.value)) {
    mounts.push({ type: "bind", source: launch.ini, target: `/etc/uwsgi/${posix.basename(launch.ini)}`, readOnly: true, range: fileStart(launch.ini) });
  }
  for (const word of launch.command) {
    if (!word.value.startsWith("/") || insideDir(word.value, checkout.value)) continue;
    const same = input.files.filter((f) => posix.basename(f) === posix.basename(word.value) && /\.(ini|py|conf)$/.test(f));
    if (same.length === 1 && same[0] !== undefined) mounts.push({ type: "bind", source: same[0], target: word.value, readOnly: true, range: word.range });
  }
  for (const conf of input.nginxConfigs) {
    const text = input.cache.text(conf).text ?? "";
    const target = /^\s*http\s*\{/m.test(text) ? "/etc/nginx/nginx.conf" : `/etc/nginx/conf.d/${posix.basename(conf).replace(/\.[^.]*$/, "")}.conf`;
    if (mounts.some((m) => m.target === target)) continue;
    mounts.push({ type: "bind", source: conf, target, readOnly: true, range: fileStart(conf) });
  }

  const environment = new Map<string, ComposeEnvVar>();
  const envFiles: ComposeEnvFile[] = [];
  for (const env of launch.unit?.environment ?? []) environment.set(env.name, { name: env.name, value: env.value, range: env.range });
  for (const envFile of launch.unit?.environmentFiles ?? []) {
    const path = repoPathOf(envFile.path.value, checkout.value, projectDir) ?? envFile.path.value;
    envFiles.push({ path, required: !envFile.optional, range: envFile.path.range });
  }
  const range = fileStart(launch.file);
  const service: ComposeService = {
    name: "host",
    range,
    files: [launch.file],
    command: { form: "list", argv: launch.command, range: launch.command[0]?.range ?? range },
    environment,
    envFiles,
    volumes: mounts,
    ports: [],
    expose: [],
    dependsOn: [],
    volumesFrom: [],
    networks: [{ name: "default", aliases: [] }],
    profiles: [],
  };
  const problems: ParseProblem[] = launch.unit?.problems ?? [];
  const stack: ComposeStack = {
    id: `host (${launch.file})`,
    files: [launch.file],
    projectDir: ".",
    services: [service],
    namedVolumes: new Map(),
    networks: new Map(),
    problems,
  };
  return { stack, description: `no compose file: the host deployment ${launch.unit ? "the systemd unit" : "the uWSGI ini"} ${launch.file} describes` };
}

/** A systemd unit that starts an app server; else a uWSGI ini that names an application. */
function findLaunch({ files, cache }: HostDeploymentInput): Launch | undefined {
  const iniFiles = files.filter((f) => f.endsWith(".ini") && UWSGI_SECTION.test(cache.text(f).text ?? "") && UWSGI_APP.test(cache.text(f).text ?? ""));
  for (const file of files.filter((f) => f.endsWith(".service"))) {
    const text = cache.text(file).text;
    if (text === undefined) continue;
    const unit = cache.parse("systemd", file, (t) => parseSystemdUnit(t, file), () => parseSystemdUnit("", file));
    const command = unit.execStart ?? [];
    const server = command.find((w) => APP_SERVER_WORD.test(w.value));
    if (!server) continue;
    const iniWord = command.find((w) => w.value.endsWith(".ini"));
    const ini = iniWord ? iniFiles.find((f) => posix.basename(f) === posix.basename(iniWord.value)) : undefined;
    const checkoutDir = unit.workingDirectory ?? gunicornFromArgv(command.slice(command.indexOf(server))).chdir ?? (ini ? iniChdir(ini, cache) : undefined);
    return { file, command, checkoutDir, unit, ini };
  }
  for (const ini of iniFiles) {
    const checkoutDir = iniChdir(ini, cache);
    if (!checkoutDir) continue;
    const iniRange: SourceRange = fileStart(ini);
    const projectDir = manageDirectory(files);
    const hostPath = hostPathOf(ini, projectDir, checkoutDir.value) ?? `/etc/uwsgi/${posix.basename(ini)}`;
    const command = ["uwsgi", "--ini", hostPath].map((value) => ({ value, range: iniRange }));
    return { file: ini, command, checkoutDir, unit: undefined, ini };
  }
  return undefined;
}

function iniChdir(ini: string, cache: SourceCache): LocatedString | undefined {
  const text = cache.text(ini).text ?? "";
  const config = parseUwsgiIni(text, ini, { runtimePath: `/etc/uwsgi/${posix.basename(ini)}`, env: () => undefined });
  const chdir = lastOption(config, "chdir");
  return chdir && chdir.value.startsWith("/") && !chdir.unresolved?.length ? { value: chdir.value.replace(/\/+$/, "") || "/", range: chdir.range } : undefined;
}

/** The folder of the shallowest manage.py: what the checkout directory holds. */
function manageDirectory(files: readonly string[]): string {
  const manages = files.filter((f) => posix.basename(f) === "manage.py").sort((a, b) => a.split("/").length - b.split("/").length || (a < b ? -1 : 1));
  return manages[0] ? posix.dirname(manages[0]) : ".";
}

function insideDir(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir.replace(/\/+$/, "")}/`);
}

/** The host path of a repository file under the checkout, when it is under the project folder. */
function hostPathOf(file: string, projectDir: string, checkoutDir: string): string | undefined {
  if (projectDir !== "." && !insideDir(file, projectDir)) return undefined;
  const rel = projectDir === "." ? file : file.slice(projectDir.length + 1);
  return posix.join(checkoutDir, rel);
}

/** The repository path of a host path under the checkout. */
function repoPathOf(hostPath: string, checkoutDir: string, projectDir: string): string | undefined {
  if (!insideDir(hostPath, checkoutDir)) return undefined;
  const rel = hostPath.slice(checkoutDir.length).replace(/^\/+/, "");
  return posix.normalize(posix.join(projectDir, rel));
}
