/**
 * Compose stacks: which compose files users run together, and the one merged,
 * interpolated, path-resolved view of them (what `docker compose -f a -f b config` shows).
 */
import { posix, join as joinNative } from "node:path";
import { isMap, isScalar } from "yaml";
import type { ParseProblem } from "../core/problems.js";
import type { SourceText } from "../core/source-file.js";
import {
  MODELLED_FIELDS,
  parseComposeFile,
  parseComposeYaml,
  type ComposeBuild,
  type ComposeEnvFile,
  type ComposeFileData,
  type ComposeMount,
  type ComposeNetworkAttachment,
  type ComposePort,
  type ComposeService,
  type ServiceFragment,
  type TopLevelResource,
} from "../parsers/compose-file.js";
import { projectEnvironment } from "../parsers/compose-interpolation.js";
import { isRegularFile } from "../core/fs-checks.js";

export type {
  ComposeBuild,
  ComposeCommand,
  ComposeEnvFile,
  ComposeEnvVar,
  ComposeHealthcheck,
  ComposeMount,
  ComposeNetworkAttachment,
  ComposePort,
  ComposeService,
} from "../parsers/compose-file.js";

export interface ComposeStack {
  /** The files joined with " + ", e.g. "docker-compose.yml + docker-compose.override.yml". */
  id: string;
  /** Merge order, lint-root-relative. */
  files: string[];
  /** Lint-root-relative directory of the first file ("." for the root). */
  projectDir: string;
  /** The project's .env used for interpolation, when it exists. */
  dotenvFile?: string;
  services: ComposeService[];
  namedVolumes: Map<string, TopLevelResource>;
  networks: Map<string, TopLevelResource>;
  problems: ParseProblem[];
}

// ---------------------------------------------------------------------------------------
// Planning

/** Default file names, in the order compose looks for them. */
const DEFAULT_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
const DEFAULT_OVERRIDES = ["compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"];

/**
 * Groups compose files into the stacks users run: per directory, the default file
 * (compose.yaml > compose.yml > docker-compose.yaml > docker-compose.yml) plus its
 * override file, as plain `docker compose up` does; every other compose file
 * (docker-compose.prod.yml, production.yml, docker/default.yml...) on its own.
 * Files named like overrides (`*.override.yml`, `docker-compose.override.https.yml`)
 * only make sense on top of another file and are no stack of their own.
 */
export function planComposeStacks(composeFiles: string[]): string[][] {
  const byDir = new Map<string, string[]>();
  for (const file of [...new Set(composeFiles)]) {
    const dir = posix.dirname(file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  const stacks: string[][] = [];
  for (const files of byDir.values()) {
    const names = new Map(files.map((f) => [posix.basename(f), f]));
    const main = DEFAULT_FILES.find((n) => names.has(n));
    const override = DEFAULT_OVERRIDES.find((n) => names.has(n));
    if (main !== undefined) {
      const stack = [names.get(main) ?? main];
      if (override !== undefined) stack.push(names.get(override) ?? override);
      stacks.push(stack);
    }
    for (const [name, file] of names) {
      if (name === main || DEFAULT_OVERRIDES.includes(name) || isOverrideName(name)) continue;
      stacks.push([file]);
    }
  }
  return stacks.sort((a, b) => compareStrings(a[0] ?? "", b[0] ?? ""));
}

/** `postgres.override.yml`, `docker-compose.override.https.yml`: an `override` dot-segment. */
function isOverrideName(name: string): boolean {
  return name.split(".").slice(0, -1).includes("override");
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------
// Sniffing

/** Keys a v1 service may have; a top-level entry with others is not a compose service. */
const V1_SERVICE_KEYS = new Set([
  "build", "cap_add", "cap_drop", "cgroup_parent", "command", "container_name", "cpu_shares", "cpu_quota", "cpuset",
  "devices", "dns", "dns_search", "dockerfile", "domainname", "entrypoint", "env_file", "environment", "expose",
  "extends", "external_links", "extra_hosts", "hostname", "image", "ipc", "labels", "links", "log_driver", "log_opt",
  "mac_address", "mem_limit", "mem_swappiness", "memswap_limit", "net", "pid", "ports", "privileged", "read_only",
  "restart", "security_opt", "shm_size", "stdin_open", "stop_signal", "tty", "ulimits", "user", "volume_driver",
  "volumes", "volumes_from", "working_dir",
]);

/**
 * Cheap content sniff: a top-level `services:` mapping, or (compose file format v1)
 * top-level mappings that all look like services and at least one has `image`/`build`.
 * The v1 test is strict so that CI files (`job: {image: …, script: …}`) do not match.
 */
export function looksLikeCompose(text: string): boolean {
  let root;
  try {
    root = parseComposeYaml(text).contents;
  } catch {
    return false;
  }
  if (!isMap(root)) return false;
  const entries = root.items.filter((p) => isScalar(p.key));
  const services = entries.find((p) => isScalar(p.key) && p.key.value === "services");
  if (services) return isMap(services.value);
  const candidates = entries.filter((p) => isScalar(p.key) && !String(p.key.value).startsWith("x-") && p.key.value !== "version");
  if (candidates.length === 0) return false;
  let withImage = false;
  for (const pair of candidates) {
    const value = pair.value;
    if (!isMap(value)) return false;
    for (const field of value.items) {
      const key = isScalar(field.key) ? String(field.key.value) : "";
      if (!V1_SERVICE_KEYS.has(key)) return false;
      const v = field.value;
      if (key === "image" && isScalar(v) && typeof v.value === "string") withImage = true;
      if (key === "build" && ((isScalar(v) && typeof v.value === "string") || (isMap(v) && v.items.some((i) => isScalar(i.key) && ["context", "dockerfile"].includes(String(i.key.value)))))) {
        withImage = true;
      }
    }
  }
  return withImage;
}

// ---------------------------------------------------------------------------------------
// Loading and merging

/**
 * Loads and merges the given compose files as `docker compose -f a -f b` does,
 * interpolating from `<projectDir>/.env` only (never from process.env: the lint must be
 * deterministic). Relative paths resolve from the project directory (the first file's),
 * also for files in other directories. Never throws.
 */
export function loadComposeStack(files: string[], rootAbs: string, readText: (file: string) => SourceText): ComposeStack {
  const projectDir = files.length > 0 ? posix.dirname(files[0] ?? ".") : ".";
  const stack: ComposeStack = {
    id: files.join(" + "),
    files: [...files],
    projectDir,
    services: [],
    namedVolumes: new Map(),
    networks: new Map(),
    problems: [],
  };
  const dotenvFile = posix.join(projectDir, ".env");
  let env = new Map<string, string>();
  if (isRegularFile(joinNative(rootAbs, dotenvFile))) {
    stack.dotenvFile = dotenvFile;
    const source = readText(dotenvFile);
    if (source.text !== undefined) env = projectEnvironment(source.text, dotenvFile);
  }

  const extendsResolver = new ExtendsResolver(files, projectDir, env, readText, stack.problems);
  const merged = new Map<string, Merged>();
  for (const file of files) {
    const source = readText(file);
    stack.problems.push(...source.problems);
    if (source.text === undefined) continue;
    const data = safeParse(file, source.text, env);
    // Without a .env in the checkout (git-ignored, as it should be) the deployer supplies the
    // variables: a `${VAR:?…}` with no value here is unknown, not an error.
    const unknownHere = new Set(stack.dotenvFile ? [] : data.missingRequired);
    stack.problems.push(...data.problems.filter((p) => !unknownHere.has(p)));
    for (const fragment of data.services) {
      // Like compose v2, `extends` is resolved within each file before the files merge.
      if (fragment.reset) {
        merged.delete(fragment.name);
        continue;
      }
      const resolved = extendsResolver.resolve(fragment, data);
      const base = merged.get(fragment.name);
      merged.set(fragment.name, base === undefined ? resolved : mergeFragments(base, resolved, data.legacyV1));
    }
    mergeResources(stack.namedVolumes, data.volumes);
    mergeResources(stack.networks, data.networks);
  }
  stack.services = [...merged.values()].map((fragment) => finalService(fragment, projectDir));
  return stack;
}

function safeParse(file: string, text: string, env: Map<string, string>): ComposeFileData {
  try {
    return parseComposeFile(file, text, env);
  } catch (error) {
    // A loader never throws; a bug here must not stop the lint of everything else.
    return {
      file,
      legacyV1: false,
      services: [],
      volumes: new Map(),
      networks: new Map(),
      problems: [{ range: { file, line: 1, column: 1, endLine: 1, endColumn: 1 }, message: `internal error while reading compose file: ${(error as Error).message}` }],
      missingRequired: [],
    };
  }
}

/** Top-level volumes / networks: a later file's definition wins; the range stays the first key. */
function mergeResources(into: Map<string, TopLevelResource>, from: Map<string, TopLevelResource>): void {
  for (const [key, resource] of from) {
    const first = into.get(key);
    into.set(key, first ? { ...resource, range: first.range } : resource);
  }
}

type Merged = ServiceFragment & { files: string[] };

/**
 * Resolves `extends:` (same file, or another file relative to the extending one). Paths
 * in another file are relative to that file's directory, so its fragments are rebased to
 * the project directory, where every path of a stack is resolved in the end.
 */
class ExtendsResolver {
  private readonly loaded = new Map<string, ComposeFileData | undefined>();

  constructor(
    private readonly stackFiles: string[],
    private readonly projectDir: string,
    private readonly env: Map<string, string>,
    private readonly readText: (file: string) => SourceText,
    private readonly problems: ParseProblem[],
  ) {}

  resolve(fragment: ServiceFragment, data: ComposeFileData, chain: string[] = [`${fragment.file}#${fragment.name}`]): Merged {
    const own: Merged = { ...fragment, files: [fragment.file] };
    const ext = fragment.extends;
    if (!ext) return own;
    const path = `services.${fragment.name}.extends`;
    const service = ext.service.value;
    // Like compose 1.29: `file` is relative to the project dir in the stack's files, and to
    // the extended file's own dir inside it.
    const baseDir = this.stackFiles.includes(fragment.file) ? this.projectDir : posix.dirname(fragment.file);
    const targetFile = ext.file ? resolveComposePath(baseDir, ext.file.value) : fragment.file;
    const key = `${targetFile}#${service}`;
    if (chain.includes(key)) {
      this.problems.push({ range: ext.range, message: `${path}: circular reference: ${[...chain, key].join(" → ")}` });
      return own;
    }
    const target = targetFile === fragment.file ? data : this.load(targetFile);
    if (!target) {
      this.problems.push({ range: ext.file?.range ?? ext.range, message: `${path}: cannot read ${targetFile}` });
      return own;
    }
    const base = target.services.find((s) => s.name === service);
    if (!base) {
      this.problems.push({ range: ext.service.range, message: `${path}: cannot extend service "${service}": no such service in ${targetFile}` });
      return own;
    }
    const resolvedBase = this.resolve(base, target, [...chain, key]);
    const out = mergeFragments(resolvedBase, own, false);
    return { ...out, name: fragment.name, file: fragment.file, range: fragment.range, files: [...new Set([fragment.file, ...resolvedBase.files])] };
  }

  private load(file: string): ComposeFileData | undefined {
    if (this.loaded.has(file)) return this.loaded.get(file);
    const source = this.readText(file);
    const data = source.text === undefined ? undefined : safeParse(file, source.text, this.env);
    if (data) data.services = data.services.map((f) => rebaseFragment(f, posix.dirname(file), this.projectDir));
    // A file of the stack itself reports its problems once, as part of the stack.
    if (!this.stackFiles.includes(file)) this.problems.push(...source.problems, ...(data?.problems ?? []));
    this.loaded.set(file, data);
    return data;
  }
}

/** Rewrites a fragment's relative host paths, written relative to `fromDir`, relative to `projectDir`. */
function rebaseFragment(f: ServiceFragment, fromDir: string, projectDir: string): ServiceFragment {
  if (fromDir === projectDir) return f;
  const rebase = (p: string): string =>
    p.startsWith("/") || p.startsWith("~") || /^[A-Za-z]:[\\/]/.test(p) ? p : posix.relative(projectDir, posix.join(fromDir, p)) || ".";
  const out: ServiceFragment = { ...f };
  if (f.build) {
    const context = f.build.context ?? { value: ".", range: f.build.range };
    out.build = { ...f.build, context: isRemoteContext(context.value) ? context : { ...context, value: rebase(context.value) } };
  }
  if (f.envFiles) out.envFiles = f.envFiles.map((e) => ({ ...e, path: rebase(e.path) }));
  if (f.volumes) out.volumes = f.volumes.map((m) => (m.type === "bind" && m.source !== undefined ? { ...m, source: rebase(m.source) } : m));
  return out;
}

/** One override file on top of the merged service, with compose's per-field rules. */
function mergeFragments(base: Merged, over: Merged, overIsV1: boolean): Merged {
  const out: Merged = { ...base, files: [...new Set([...base.files, ...over.files])] };
  // Replaced outright.
  if (over.image) out.image = over.image;
  if (over.command) out.command = over.command;
  if (over.entrypoint) out.entrypoint = over.entrypoint;
  if (over.containerName) out.containerName = over.containerName;
  if (over.hostname) out.hostname = over.hostname;
  if (over.workingDir) out.workingDir = over.workingDir;
  if (over.networkMode) out.networkMode = over.networkMode;
  if (overIsV1) {
    // v1: image and build replace each other.
    if (over.image) delete out.build;
    if (over.build) delete out.image;
  }
  if (over.build) {
    out.build = base.build
      ? {
          range: over.build.range,
          context: over.build.context ?? base.build.context,
          dockerfile: over.build.dockerfile ?? base.build.dockerfile,
          target: over.build.target ?? base.build.target,
          args: mergeMaps(base.build.args, over.build.args),
        }
      : over.build;
    if (!out.build.target) delete out.build.target;
  }
  // Merged by key.
  if (over.environment) out.environment = mergeMaps(base.environment, over.environment);
  if (over.volumes) out.volumes = mergeBy(base.volumes ?? [], over.volumes, (m) => m.target);
  if (over.networks) {
    out.networks = mergeBy(base.networks ?? [], over.networks, (n) => n.name, (a, b) => ({
      ...b,
      aliases: mergeBy(a.aliases, b.aliases, (s) => s.value),
    }));
  }
  if (over.healthcheck) {
    // Merged by key; of the keys we model, only `test` (replaced) remains.
    const test = over.healthcheck.test ?? base.healthcheck?.test;
    out.healthcheck = test ? { range: over.healthcheck.range, test } : { range: over.healthcheck.range };
  }
  // Concatenated.
  if (over.envFiles) out.envFiles = [...(base.envFiles ?? []), ...over.envFiles];
  if (over.ports) out.ports = unionBy(base.ports ?? [], over.ports, portKey);
  if (over.expose) out.expose = unionBy(base.expose ?? [], over.expose, (s) => s.value);
  if (over.dependsOn) out.dependsOn = unionBy(base.dependsOn ?? [], over.dependsOn, (s) => s.value);
  if (over.volumesFrom) out.volumesFrom = unionBy(base.volumesFrom ?? [], over.volumesFrom, (s) => s.value);
  if (over.links) out.links = unionBy(base.links ?? [], over.links, (s) => s.value);
  if (over.externalLinks) out.externalLinks = unionBy(base.externalLinks ?? [], over.externalLinks, (s) => s.value);
  if (over.extraHosts) out.extraHosts = unionBy(base.extraHosts ?? [], over.extraHosts, (s) => s.value);
  if (over.profiles) out.profiles = [...new Set([...(base.profiles ?? []), ...over.profiles])];
  // Compose v2 tags: `!override` replaces instead of merging, `!reset` removes.
  for (const key of over.overrides ?? []) {
    const prop = MODELLED_FIELDS[key];
    (out as unknown as Record<string, unknown>)[prop] = over[prop];
  }
  for (const key of over.resets ?? []) delete out[MODELLED_FIELDS[key]];
  return out;
}

function mergeMaps<V>(base: Map<string, V> | undefined, over: Map<string, V>): Map<string, V> {
  const out = new Map(base ?? []);
  for (const [k, v] of over) out.set(k, v);
  return out;
}

/** Keyed merge: an override item replaces the base item with the same key in place; new keys go last. */
function mergeBy<T>(base: T[], over: T[], key: (t: T) => string, combine: (a: T, b: T) => T = (_a, b) => b): T[] {
  const out = [...base];
  for (const item of over) {
    const at = out.findIndex((b) => key(b) === key(item));
    if (at >= 0) out[at] = combine(out[at] as T, item);
    else out.push(item);
  }
  return out;
}

/** Concatenation without repeating an identical item. */
function unionBy<T>(base: T[], over: T[], key: (t: T) => string): T[] {
  const seen = new Set(base.map(key));
  const out = [...base];
  for (const item of over) {
    if (seen.has(key(item))) continue;
    seen.add(key(item));
    out.push(item);
  }
  return out;
}

function portKey(p: ComposePort): string {
  return `${p.hostIp ?? ""}|${p.published ?? ""}|${p.target}|${p.protocol}`;
}

// ---------------------------------------------------------------------------------------
// Paths

/**
 * A path as written in a compose file → lint-root-relative (forward slashes, normalised;
 * "." for the root; may start with "../"). Absolute paths and `~` paths stay as written.
 */
export function resolveComposePath(projectDir: string, path: string): string {
  if (path.startsWith("/") || path.startsWith("~")) return path.length > 1 ? stripSlash(posix.normalize(path)) : path;
  return stripSlash(posix.normalize(posix.join(projectDir, path)));
}

function stripSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

/** Build contexts may be URLs (compose's list of prefixes); those are not paths in the checkout. */
function isRemoteContext(context: string): boolean {
  return /^(https?:\/\/|git:\/\/|github\.com\/|git@)/.test(context);
}

function finalService(f: Merged, projectDir: string): ComposeService {
  const service: ComposeService = {
    name: f.name,
    range: f.range,
    files: f.files,
    environment: f.environment ?? new Map(),
    envFiles: (f.envFiles ?? []).map((e): ComposeEnvFile => ({ ...e, path: resolveComposePath(projectDir, e.path) })),
    volumes: (f.volumes ?? []).map((m) => finalMount(m, projectDir)),
    ports: f.ports ?? [],
    expose: f.expose ?? [],
    dependsOn: f.dependsOn ?? [],
    volumesFrom: f.volumesFrom ?? [],
    networks: f.networks && f.networks.length > 0 ? f.networks : [defaultNetwork()],
    profiles: f.profiles ?? [],
  };
  if (f.build) service.build = finalBuild(f.build, projectDir);
  if (f.image) service.image = f.image;
  if (f.command) service.command = f.command;
  if (f.entrypoint) service.entrypoint = f.entrypoint;
  if (f.containerName) service.containerName = f.containerName;
  if (f.hostname) service.hostname = f.hostname;
  if (f.workingDir) service.workingDir = f.workingDir;
  if (f.networkMode) service.networkMode = f.networkMode;
  if (f.links) service.links = f.links;
  if (f.externalLinks) service.externalLinks = f.externalLinks;
  if (f.extraHosts) service.extraHosts = f.extraHosts;
  if (f.healthcheck) service.healthcheck = f.healthcheck;
  return service;
}

function defaultNetwork(): ComposeNetworkAttachment {
  return { name: "default", aliases: [] };
}

function finalMount(m: ComposeMount, projectDir: string): ComposeMount {
  if (m.type !== "bind" || m.source === undefined) return m;
  // A Windows host path (C:\data) means nothing on the Linux host we model; keep it as written.
  if (/^[A-Za-z]:[\\/]/.test(m.source)) return m;
  return { ...m, source: resolveComposePath(projectDir, m.source) };
}

function finalBuild(b: NonNullable<ServiceFragment["build"]>, projectDir: string): ComposeBuild {
  const written = b.context?.value ?? ".";
  const remote = isRemoteContext(written);
  const context = remote ? written : resolveComposePath(projectDir, written);
  const dockerfileWritten = b.dockerfile?.value ?? "Dockerfile";
  // The dockerfile is relative to the context (an absolute one stays as written).
  const dockerfile = remote
    ? dockerfileWritten
    : dockerfileWritten.startsWith("/")
      ? dockerfileWritten
      : resolveComposePath(context, dockerfileWritten);
  const build: ComposeBuild = { context, dockerfile, args: b.args, range: b.range };
  if (b.target) build.target = b.target.value;
  return build;
}

export type { TopLevelResource };
