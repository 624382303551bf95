/**
 * Backing services: which databases, caches, brokers and channel layers a Django app
 * connects to — at which host, port and credentials, read from which setting (and which env
 * line fed it) — and which compose service that is. Rules ask three questions of it:
 * does the host reach something from inside the Django container (`hostReach`), does the
 * service listen on that port (`portVerdict`), and do the credentials match what the database
 * container was initialised with (`credentialDrifts`).
 */
import type { SourceRange } from "../core/location.js";
import { isSecretName, maskSecret, maskUrlCredentials } from "../core/secrets.js";
import type { DockerStage } from "../parsers/dockerfile.js";
import type { EnvRead } from "../python/evaluate.js";
import { valueOrigin } from "../python/evaluate.js";
import { unquote, urlHostname, urlparse, urlPassword, urlPort, urlUsername } from "../python/libraries/url.js";
import type { PyValue } from "../python/values.js";
import { isLoopbackHost } from "./app-server.js";
import type { DeploymentModel, DjangoApp, EnvValue, Service, Stack } from "./deployment-model.js";
import { effectiveSetting } from "./django-settings.js";
import { envValueLocations, type RelatedLocation } from "./provenance.js";
import { serviceForHost } from "./queries.js";

// ------------------------------------------------------------------------------- types

export type BackingKind = "database" | "cache" | "broker" | "result-backend" | "channel-layer";

/** What speaks on the other end: decides default ports and which container image runs it. */
export type BackingEngine = "postgresql" | "mysql" | "redis" | "memcached" | "amqp";

/** One value of a connection (a host, a port, a user…) and where the user edits it. */
export interface ConnectionPart {
  /** The value as text ("db", "5432", the password). */
  text: string;
  /** Where to edit it: the env line that set it, else the settings expression that made it. */
  range: SourceRange;
  /** " (DB_HOST in .env line 3)", " (DATABASE_URL in the compose environment, docker-compose.yml line 14)", or "". */
  from: string;
  /** The settings read site and env lines behind the value. */
  related: RelatedLocation[];
}

export interface BackingConnection {
  /** The Django service whose settings make the connection. */
  service: Service;
  app: DjangoApp;
  kind: BackingKind;
  engine: BackingEngine;
  /** "DATABASES['default']", "CACHES['default'] LOCATION", "CELERY_BROKER_URL", "CHANNEL_LAYERS['default']". */
  label: string;
  /** The DATABASES / CACHES / CHANNEL_LAYERS alias, for databases and caches. */
  alias?: string;
  /** Undefined: the setting names no host (Django's default applies, or a unix socket). */
  host: ConnectionPart | undefined;
  /** The host was written as "" / None (DATABASES only): Django then uses the local unix socket. */
  emptyHost?: boolean;
  /** Undefined: no port written, the engine's default applies. */
  port: ConnectionPart | undefined;
  /** Databases only. */
  name?: ConnectionPart;
  user?: ConnectionPart;
  password?: ConnectionPart;
  /** Why the host may come from somewhere we do not see (OPTIONS `service`, PGHOST…): host checks stay silent. */
  hostElsewhere?: string;
}

/** Where a host leads from inside the Django container. */
export type HostReach =
  | { kind: "service"; target: Service; via: string }
  /** localhost / 127.0.0.1 / ::1: the Django container itself, which runs no such server. */
  | { kind: "loopback" }
  /** An empty HOST: the local unix socket, in a container that runs no database and mounts no socket. */
  | { kind: "local-socket" }
  /** A single-label name that no service, alias, container_name, hostname or link of the stack answers to. */
  | { kind: "no-such-service"; suggestion: Service | undefined }
  /** Resolves outside the stack or cannot be judged (FQDN, IP, external network, network_mode, unknown): silent. */
  | { kind: "silent"; reason: string };

export const DEFAULT_PORTS: Record<BackingEngine, number> = { postgresql: 5432, mysql: 3306, redis: 6379, memcached: 11211, amqp: 5672 };

const ENGINE_NAMES: Record<BackingEngine, string> = { postgresql: "PostgreSQL", mysql: "MySQL", redis: "Redis", memcached: "Memcached", amqp: "RabbitMQ" };

export function engineName(engine: BackingEngine): string {
  return ENGINE_NAMES[engine];
}

// ------------------------------------------------------------------------------- extraction

const cache = new WeakMap<Service, BackingConnection[]>();

/** Every backing-service connection the production settings of `service` make (memoised per service). */
export function backingConnections(service: Service): BackingConnection[] {
  let found = cache.get(service);
  if (found === undefined) {
    found = service.django?.settings ? extract(service, service.django) : [];
    cache.set(service, found);
  }
  return found;
}

function extract(service: Service, app: DjangoApp): BackingConnection[] {
  return [...databases(service, app), ...caches(service, app), ...celery(service, app), ...channelLayers(service, app)];
}

/** A setting's own value with the evaluator's record of it (undefined when Django's default applies or it is unknown). */
function explicitSetting(app: DjangoApp, name: string): { value: PyValue; range: SourceRange; reads: EnvRead[] } | undefined {
  const effective = effectiveSetting(app, name);
  if (effective.explicit === undefined || effective.value.kind === "unknown") return undefined;
  return { value: effective.value, range: effective.explicit.range, reads: effective.explicit.envReads };
}

function dictEntries(v: PyValue | undefined): [string, PyValue][] | undefined {
  if (v?.kind !== "dict") return undefined;
  const out: [string, PyValue][] = [];
  for (const e of v.entries) {
    if (e.key.kind !== "str") return undefined; // an unknown key may be any of them
    out.push([e.key.value, e.value]);
  }
  return out;
}

function entry(v: PyValue | undefined, key: string): PyValue | undefined {
  return dictEntries(v)?.find(([k]) => k === key)?.[1];
}

/** The settings expression that made `value`, falling back to its containers', then the setting's assignment. */
function originOf(chain: PyValue[], fallback: SourceRange): SourceRange {
  for (let i = chain.length - 1; i >= 0; i--) {
    const o = valueOrigin(chain[i] as PyValue);
    if (o !== undefined) return o;
  }
  return fallback;
}

function within(inner: SourceRange, outer: SourceRange): boolean {
  if (inner.file !== outer.file) return false;
  const after = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const before = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return after && before;
}

interface PartContext {
  service: Service;
  setting: { range: SourceRange; reads: EnvRead[] };
  /** Containers of the value, outermost first (the setting's dict, the alias dict…). */
  chain: PyValue[];
}

/**
 * Locates one value: which env read supplied it (a read inside the expression that made it,
 * or whose call made it, else one whose value is the text or a URL holding it) and so where
 * the user edits it. A value from a committed template standing in for a missing env file
 * counts (it is the repository's only statement of the production value) and says so.
 */
function part(ctx: PartContext, value: PyValue, text: string, label: string): ConnectionPart {
  const origin = originOf([...ctx.chain, value], ctx.setting.range);
  const distinct = new Map<string, EnvRead>();
  for (const r of ctx.setting.reads) if (!distinct.has(r.name)) distinct.set(r.name, r);
  // A read inside the expression that made the value, or one whose call made it (`os.environ.get("X", "localhost")`).
  const reads = ctx.setting.reads.filter((r) => within(r.range, origin) || within(origin, r.range));
  let candidates = [...distinct.values()].filter((r) => reads.some((x) => x.name === r.name));
  if (candidates.length === 0) candidates = [...distinct.values()].filter((r) => text !== "" && envHolds(envText(ctx.service, r), text));
  const related: RelatedLocation[] = [];
  const read = candidates.length === 1 ? (reads.find((r) => r.name === candidates[0]?.name) ?? candidates[0]) : undefined;
  const sameLine = (r: EnvRead) => r.range.file === origin.file && r.range.line === origin.line;
  if (read === undefined) {
    for (const r of candidates) if (!sameLine(r)) related.push({ range: r.range, message: `${label} reads ${r.name} here` });
    return { text, range: origin, from: "", related };
  }
  if (!read.provided) {
    if (!sameLine(read)) related.push({ range: read.range, message: `${label} reads ${read.name} here` });
    const from = read.unknown === undefined && read.hasDefault ? ` (${read.name} is not set in service '${ctx.service.name}', so the default applies)` : "";
    return { text, range: origin, from, related };
  }
  if (read.source !== undefined) {
    // A file the settings load themselves (read_env, load_dotenv).
    related.push({ range: read.range, message: `${label} reads ${read.name} here` });
    return { text, range: read.source.range, from: ` (${read.name} in ${read.source.file} line ${read.source.range.line}, loaded by the settings)`, related };
  }
  const env = ctx.service.environment.values.get(read.name);
  if (env === undefined || env.value === undefined) return { text, range: origin, from: "", related };
  related.push({ range: read.range, message: `${label} reads ${read.name} here` });
  related.push(...envValueLocations(ctx.service, env).slice(1));
  return { text, range: env.range, from: ` (${read.name} ${setAt(env)})`, related };
}

/** "in .env line 3", "in the compose environment, docker-compose.yml line 14", … */
export function setAt(env: EnvValue): string {
  const line = `${env.range.file} line ${env.range.line}`;
  switch (env.source) {
    case "env-file":
      return env.templateFor !== undefined ? `in ${line}, the committed template of ${env.templateFor}, which the repository does not hold` : `in ${line}`;
    case "compose-environment":
      return `in the compose environment, ${line}`;
    case "dockerfile-env":
      return `by ENV in ${line}`;
    case "uwsgi-env":
      return `by uWSGI env in ${line}`;
    case "cli":
      return "on the command line";
  }
}

/** The env value is the text, or a URL with the text as its host, port, user, password or path. */
function envHolds(value: string | undefined, text: string): boolean {
  if (value === undefined) return false;
  if (value === text) return true;
  if (!value.includes("://")) return false;
  const u = urlparse(value);
  if (typeof u === "string") return false;
  const port = urlPort(u);
  const parts = [urlHostname(u), typeof port === "number" ? String(port) : null, urlUsername(u), urlPassword(u), u.path.replace(/^\//, "")];
  return parts.some((p) => p !== null && (p === text || unquote(p) === text));
}

function envText(service: Service, read: EnvRead): string | undefined {
  if (!read.provided || read.source !== undefined) return undefined;
  return service.environment.values.get(read.name)?.value;
}

function scalarText(v: PyValue): string | undefined {
  if (v.kind === "str") return v.value;
  if (v.kind === "int") return String(v.value);
  return undefined;
}

function databaseEngine(engine: string): BackingEngine | undefined {
  if (/sqlite|spatialite|redshift|cockroach/i.test(engine)) return undefined;
  if (/postg|psycopg|timescale/i.test(engine)) return "postgresql";
  if (/mysql|mariadb/i.test(engine)) return "mysql";
  return undefined;
}

/** OPTIONS keys that can supply the host themselves (pg_service.conf, my.cnf, an explicit host or socket). */
const HOST_OPTIONS = new Set(["service", "host", "hostaddr", "read_default_file", "read_default_group", "unix_socket", "passfile"]);

function databases(service: Service, app: DjangoApp): BackingConnection[] {
  const setting = explicitSetting(app, "DATABASES");
  const aliases = dictEntries(setting?.value);
  if (!setting || !aliases) return [];
  const out: BackingConnection[] = [];
  for (const [alias, config] of aliases) {
    const keys = dictEntries(config);
    if (!keys) continue;
    const engineValue = entry(config, "ENGINE");
    const engine = engineValue?.kind === "str" ? databaseEngine(engineValue.value) : undefined;
    if (!engine) continue;
    const label = `DATABASES['${alias}']`;
    const ctx: PartContext = { service, setting, chain: [setting.value, config] };
    const textPart = (key: string): ConnectionPart | undefined => {
      const v = entry(config, key);
      const text = v === undefined ? undefined : scalarText(v);
      return v === undefined || text === undefined ? undefined : part(ctx, v, text, label);
    };
    const conn: BackingConnection = { service, app, kind: "database", engine, label, alias, host: undefined, port: undefined };
    const hostValue = entry(config, "HOST");
    if (hostValue !== undefined && (hostValue.kind === "none" || (hostValue.kind === "str" && hostValue.value === ""))) {
      conn.emptyHost = true;
      conn.host = part(ctx, hostValue, "", label);
    } else if (hostValue?.kind === "str") {
      conn.host = part(ctx, hostValue, hostValue.value, label);
    } else if (hostValue !== undefined) continue; // unknown: nothing to say about this alias
    const portValue = entry(config, "PORT");
    if (portValue !== undefined && !(portValue.kind === "str" && portValue.value === "") && portValue.kind !== "none") {
      const text = scalarText(portValue);
      // An unknown port ("?"): port checks stay silent.
      conn.port = text === undefined ? { text: "?", range: setting.range, from: "", related: [] } : part(ctx, portValue, text, label);
    }
    for (const key of ["NAME", "USER", "PASSWORD"] as const) {
      const p = textPart(key);
      if (p) conn[key.toLowerCase() as "name" | "user" | "password"] = p;
    }
    const options = entry(config, "OPTIONS");
    if (options !== undefined) {
      const optionKeys = dictEntries(options);
      if (!optionKeys) conn.hostElsewhere = "its OPTIONS are not known";
      else {
        const key = optionKeys.find(([k]) => HOST_OPTIONS.has(k));
        if (key) conn.hostElsewhere = `OPTIONS['${key[0]}'] may name the server`;
      }
    }
    out.push(conn);
  }
  return out;
}

function cacheEngine(backend: string): BackingEngine | undefined {
  if (/redis|valkey/i.test(backend)) return "redis";
  if (/memcache|pylibmc/i.test(backend)) return "memcached";
  return undefined;
}

/** One server address of a cache / broker / channel layer, as written. */
interface Address {
  host: string;
  port: string | undefined;
  /** The whole address text, for the message. */
  shown: string;
}

/**
 * `redis://[user:pw@]host:port/db`, `rediss://…`, `amqp://…`, memcached `host:port`; undefined
 * for unix sockets and anything we do not read (a sentinel list, `unix:/…`, a bare path).
 */
export function parseAddress(text: string, engine: BackingEngine): Address | undefined {
  const t = text.trim();
  if (t === "" || t.startsWith("/") || /^unix:/i.test(t) || /\+socket:/i.test(t)) return undefined;
  if (t.includes("://")) {
    const u = urlparse(t);
    if (typeof u === "string") return undefined;
    const scheme = u.scheme;
    const allowed = engine === "amqp" ? ["amqp", "amqps", "pyamqp", "librabbitmq"] : engine === "redis" ? ["redis", "rediss", "valkey", "valkeys"] : ["memcache", "memcached", "pymemcache", "pylibmc"];
    if (!allowed.includes(scheme)) return undefined;
    const host = urlHostname(u);
    const port = urlPort(u);
    if (host === null || host === "" || (port !== null && typeof port !== "number")) return undefined;
    return { host, port: port === null ? (scheme === "amqps" ? "5671" : undefined) : String(port), shown: maskUrlCredentials(t) };
  }
  if (engine === "amqp") return undefined;
  // host:port (memcached; django-redis-cache's host:port:db).
  const m = /^([A-Za-z0-9_.-]+)(?::(\d+))?(?::\d+)?$/.exec(t);
  if (!m) return undefined;
  return { host: (m[1] as string).toLowerCase(), port: m[2], shown: t };
}

/** Adds one connection per address of `text` (a comma- or semicolon-separated list of them). */
function addressConnections(
  out: BackingConnection[],
  base: Omit<BackingConnection, "host" | "port">,
  ctx: PartContext,
  value: PyValue,
  text: string,
  separators: RegExp,
): void {
  for (const piece of text.split(separators)) {
    const address = parseAddress(piece, base.engine);
    if (!address) continue;
    const located = part(ctx, value, address.host, base.label);
    const host: ConnectionPart = { ...located, text: address.host };
    const port: ConnectionPart | undefined = address.port === undefined ? undefined : { ...located, text: address.port };
    out.push({ ...base, host, port });
  }
}

function caches(service: Service, app: DjangoApp): BackingConnection[] {
  const setting = explicitSetting(app, "CACHES");
  const aliases = dictEntries(setting?.value);
  if (!setting || !aliases) return [];
  const out: BackingConnection[] = [];
  for (const [alias, config] of aliases) {
    const backend = entry(config, "BACKEND");
    const engine = backend?.kind === "str" ? cacheEngine(backend.value) : undefined;
    const location = entry(config, "LOCATION");
    if (!engine || location === undefined) continue;
    const label = `CACHES['${alias}'] LOCATION`;
    const base = { service, app, kind: "cache" as const, engine, label, alias };
    const items = location.kind === "list" || location.kind === "tuple" ? location.items : [location];
    for (const item of items) {
      if (item.kind !== "str") continue;
      // Django splits a LOCATION string at ';' and ',' (django-redis reads a list or one URL).
      addressConnections(out, base, { service, setting, chain: [setting.value, config, location] }, item, item.value, /[;,]/);
    }
  }
  return out;
}

const CELERY_SETTINGS: [string, BackingKind][] = [
  ["CELERY_BROKER_URL", "broker"],
  ["BROKER_URL", "broker"],
  ["CELERY_RESULT_BACKEND", "result-backend"],
];

function celery(service: Service, app: DjangoApp): BackingConnection[] {
  const out: BackingConnection[] = [];
  for (const [name, kind] of CELERY_SETTINGS) {
    // With CELERY_BROKER_URL set, a leftover BROKER_URL is not what Celery's `namespace="CELERY"` reads.
    if (name === "BROKER_URL" && app.settings?.values.has("CELERY_BROKER_URL")) continue;
    const setting = explicitSetting(app, name);
    if (!setting || setting.value.kind !== "str") continue;
    const ctx: PartContext = { service, setting, chain: [] };
    // A broker URL may list failover brokers separated by ';'.
    for (const piece of setting.value.value.split(";")) {
      const scheme = /^([a-z0-9+.-]+):\/\//i.exec(piece.trim())?.[1]?.toLowerCase();
      const engine: BackingEngine | undefined = scheme === undefined ? undefined : /^(redis|rediss|valkey|valkeys)$/.test(scheme) ? "redis" : /^(amqp|amqps|pyamqp|librabbitmq)$/.test(scheme) ? "amqp" : undefined;
      if (!engine) continue;
      addressConnections(out, { service, app, kind, engine, label: name }, ctx, setting.value, piece, /$^/);
    }
  }
  return out;
}

function channelLayers(service: Service, app: DjangoApp): BackingConnection[] {
  const setting = explicitSetting(app, "CHANNEL_LAYERS");
  const aliases = dictEntries(setting?.value);
  if (!setting || !aliases) return [];
  const out: BackingConnection[] = [];
  for (const [alias, config] of aliases) {
    const backend = entry(config, "BACKEND");
    if (backend?.kind !== "str" || !/^channels_redis\./.test(backend.value)) continue;
    const label = `CHANNEL_LAYERS['${alias}']`;
    const base = { service, app, kind: "channel-layer" as const, engine: "redis" as const, label, alias };
    const configDict = entry(config, "CONFIG");
    const hosts = configDict === undefined ? undefined : entry(configDict, "hosts");
    if (configDict !== undefined && dictEntries(configDict) === undefined) continue;
    if (hosts === undefined) {
      // channels_redis connects to ("localhost", 6379) when CONFIG names no hosts.
      if (configDict !== undefined && entry(configDict, "sentinels") !== undefined) continue;
      const range = originOf([setting.value, config, ...(backend ? [backend] : [])], setting.range);
      out.push({ ...base, host: { text: "localhost", range, from: " (channels_redis's default when CONFIG has no 'hosts')", related: [] }, port: undefined });
      continue;
    }
    if (hosts.kind !== "list" && hosts.kind !== "tuple") continue;
    const chain = [setting.value, config, configDict as PyValue, hosts];
    for (const item of hosts.items) {
      const ctx: PartContext = { service, setting, chain };
      let address: PyValue = item;
      if (item.kind === "dict") address = entry(item, "address") ?? { kind: "unknown", reason: "no address" };
      if (address.kind === "str") {
        addressConnections(out, base, { ...ctx, chain: [...chain, item] }, address, address.value, /$^/);
      } else if ((address.kind === "tuple" || address.kind === "list") && address.items.length === 2) {
        const [h, p] = address.items as [PyValue, PyValue];
        if (h.kind !== "str" || (p.kind !== "int" && p.kind !== "str")) continue;
        if (h.value.startsWith("/")) continue;
        const located = part({ ...ctx, chain: [...chain, address] }, h, h.value, label);
        const portText = scalarText(p) as string;
        const portPart = part({ ...ctx, chain: [...chain, address] }, p, portText, label);
        out.push({ ...base, host: { ...located, text: h.value.toLowerCase() }, port: { ...portPart, text: portText } });
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------------------- reachability

function stackOf(model: DeploymentModel, service: Service): Stack | undefined {
  return model.stacks.find((s) => s.id === service.stack);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const SINGLE_LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/i;

/** `[DB_HOST]`, `{{ db_host }}`, `<your-db-host>`, `${DB_HOST}`, `YOUR_DB_HOST`, `changeme`: text a deploy step replaces. */
export function isPlaceholder(text: string): boolean {
  if (/[[\]{}<>$%]/.test(text) && !/^\[[0-9a-f:.]+\]$/i.test(text)) return true;
  if (/^[A-Z0-9]+(_[A-Z0-9]+)+$/.test(text)) return true;
  return /^(your|my|change|changeme|replace|example|xxx|todo|tbd|fixme)([-_.]|$)/i.test(text);
}

/** The stack's service a name reaches from `from`: compose names, aliases, container_name, hostname, and `from`'s links. */
export function serviceNamed(stack: Stack, from: Service, host: string): { target: Service; via: string } | undefined {
  const name = host.toLowerCase();
  const direct = serviceForHost(stack, host) ?? stack.services.find((s) => s.name.toLowerCase() === name);
  if (direct) {
    const via =
      direct.name.toLowerCase() === name
        ? "its service name"
        : direct.compose.containerName?.value.toLowerCase() === name
          ? "its container_name"
          : direct.compose.hostname?.value.toLowerCase() === name
            ? "its hostname"
            : "a network alias";
    return { target: direct, via };
  }
  for (const link of from.compose.links ?? []) {
    const [target, alias] = link.value.split(":");
    if ((alias ?? target)?.toLowerCase() !== name) continue;
    const s = stack.services.find((x) => x.name === target);
    if (s) return { target: s, via: `the link '${link.value}' of service '${from.name}'` };
  }
  return undefined;
}

/** Why names may resolve outside the stack from this service (external network, network_mode, links to containers, /etc/hosts entries). */
function outsideNames(stack: Stack, service: Service, name: string): string | undefined {
  const c = service.compose;
  if (c.networkMode !== undefined) return `service '${service.name}' uses network_mode: ${c.networkMode.value}`;
  const external = c.networks.find((n) => stack.compose.networks.get(n.name)?.external === true);
  if (external) return `service '${service.name}' joins the external network '${external.name}'`;
  if ((c.externalLinks ?? []).length > 0) return `service '${service.name}' has external_links`;
  const hosts = (c.extraHosts ?? []).map((h) => h.value.split(/[:=]/)[0]?.trim().toLowerCase());
  if (hosts.includes(name.toLowerCase())) return `extra_hosts of service '${service.name}' names it`;
  return undefined;
}

const PLAIN_BASE_IMAGES = /^(docker\.io\/)?(library\/)?(python|pypy|debian|ubuntu|alpine|buildpack-deps|node|amazonlinux|centos|fedora|rockylinux|almalinux|busybox|ghcr\.io\/astral-sh\/uv)(:|@|$)/i;

const SERVER_IMAGES: Record<BackingEngine, RegExp> = {
  postgresql: /(^|\/)(postgres|postgis|timescaledb)[^/]*(:|@|$)/i,
  mysql: /(^|\/)(mysql|mariadb|percona)[^/]*(:|@|$)/i,
  redis: /(^|\/)(redis|valkey|keydb)[^/]*(:|@|$)/i,
  memcached: /(^|\/)memcached[^/]*(:|@|$)/i,
  amqp: /(^|\/)rabbitmq[^/]*(:|@|$)/i,
};

const SERVER_PACKAGES: Record<BackingEngine, RegExp> = {
  postgresql: /(^|\s)(postgresql|postgresql-\d+|postgresql\d*-server|postgresql-contrib|postgres)(\s|=|$)/,
  mysql: /(^|\s)(mysql-server|mariadb-server|mariadb|mysql)(\s|=|$)/,
  redis: /(^|\s)(redis|redis-server|valkey|valkey-server)(\s|=|$)/,
  memcached: /(^|\s)memcached(\s|=|$)/,
  amqp: /(^|\s)rabbitmq-server(\s|=|$)/,
};

const SERVER_COMMANDS = /(^|\/)(supervisord|postgres|pg_ctl|pg_ctlcluster|mysqld|mysqld_safe|mariadbd|redis-server|valkey-server|memcached|rabbitmq-server|s6-svscan|runsvdir|circusd|honcho)$/;

/** The stages the image is built from, final first (FROM another stage follows that stage). */
function imageStages(service: Service): DockerStage[] {
  const image = service.image;
  if (!image) return [];
  const out: DockerStage[] = [image.stage];
  let cur: DockerStage | undefined = image.stage;
  while (cur?.baseStage !== undefined && out.length < 50) {
    cur = image.stages.find((s) => s.index === cur?.baseStage);
    if (cur) out.push(cur);
  }
  return out;
}

/** Why a server of this engine may run inside the service's own container; undefined when it cannot. */
export function mayRunInside(service: Service, engine: BackingEngine): string | undefined {
  if ((engine === "postgresql" && service.roles.has("postgres")) || (engine === "redis" && service.roles.has("redis"))) return `service '${service.name}' runs ${engineName(engine)} itself`;
  const stages = imageStages(service);
  const images = [service.compose.image?.value, ...stages.map((s) => s.baseImage.value)].filter((i): i is string => i !== undefined);
  if (images.some((i) => SERVER_IMAGES[engine].test(i))) return `service '${service.name}' runs a ${engineName(engine)} image`;
  if (!service.image) {
    const image = service.compose.image?.value;
    if (image === undefined || !PLAIN_BASE_IMAGES.test(image)) return `the image of service '${service.name}' is not built from the repository`;
  } else {
    const root = stages[stages.length - 1];
    if (root && root.baseStage === undefined && !PLAIN_BASE_IMAGES.test(root.baseImage.value)) return `service '${service.name}' is built FROM ${root.baseImage.value}, whose content we do not know`;
    for (const stage of stages) {
      for (const run of stage.runs) {
        if (!/\b(apt-get|apt|apk|yum|dnf|microdnf|zypper)\b[^\n]*\b(install|add)\b/.test(run.text)) continue;
        if (SERVER_PACKAGES[engine].test(run.text) || /(^|\s)supervisor(\s|=|$)/.test(run.text)) return `the image of service '${service.name}' installs a server package (${run.range.file}:${run.range.line})`;
      }
    }
  }
  // `sh -c "service postgresql start && gunicorn …"`: look at every word of every command word.
  const tokens = service.command.flatMap((w) => w.value.split(/[\s;&|()]+/));
  const text = service.command.map((w) => w.value).join(" ");
  if (tokens.some((t) => SERVER_COMMANDS.test(t)) || /\bservice\s+(postgresql|mysql|mariadb|redis|redis-server|memcached|rabbitmq-server)\b/.test(text)) {
    return `service '${service.name}' starts more than the app server`;
  }
  return undefined;
}

const SOCKET_DIRS: Record<BackingEngine, string[]> = {
  postgresql: ["/var/run/postgresql", "/run/postgresql", "/tmp"],
  mysql: ["/var/run/mysqld", "/run/mysqld", "/var/lib/mysql", "/tmp"],
  redis: [],
  memcached: [],
  amqp: [],
};

/** Where the host of a connection leads from inside the Django container. */
export function hostReach(model: DeploymentModel, conn: BackingConnection): HostReach {
  const service = conn.service;
  const stack = stackOf(model, service);
  if (!stack) return { kind: "silent", reason: "the service's stack is not known" };
  if (conn.hostElsewhere) return { kind: "silent", reason: conn.hostElsewhere };
  // A host deployment (systemd unit, no container): localhost and DNS names are the machine's own.
  if (stack.runtime === "host") return { kind: "silent", reason: `service '${service.name}' is not a container` };
  if (service.compose.networkMode !== undefined) return { kind: "silent", reason: `service '${service.name}' uses network_mode: ${service.compose.networkMode.value}` };
  if (conn.emptyHost) {
    if (conn.engine !== "postgresql" && conn.engine !== "mysql") return { kind: "silent", reason: "not a socket engine" };
    const inside = mayRunInside(service, conn.engine);
    if (inside) return { kind: "silent", reason: inside };
    const env = conn.engine === "postgresql" ? ["PGHOST", "PGSERVICE", "PGSERVICEFILE"] : ["MYSQL_HOST", "MYSQL_UNIX_PORT"];
    const set = env.find((v) => service.environment.values.has(v));
    if (set) return { kind: "silent", reason: `${set} is set in service '${service.name}'` };
    if (!service.environment.complete) return { kind: "silent", reason: "the service's environment is not all in the repository" };
    const mounted = SOCKET_DIRS[conn.engine].find((dir) => service.filesystem.resolve(dir).mount !== undefined);
    if (mounted) return { kind: "silent", reason: `${mounted} is mounted in service '${service.name}'` };
    return { kind: "local-socket" };
  }
  const host = conn.host?.text;
  if (host === undefined) return { kind: "silent", reason: "no host" };
  if (isPlaceholder(host)) return { kind: "silent", reason: "a placeholder, filled in at deploy time" };
  const bare = host.replace(/^\[(.*:.*)\]$/, "$1").toLowerCase();
  if (bare.startsWith("/") || bare.startsWith("@")) return { kind: "silent", reason: "a unix socket" };
  if (isLoopbackHost(bare) || bare === "0.0.0.0" || bare === "ip6-localhost") {
    const inside = mayRunInside(service, conn.engine);
    return inside ? { kind: "silent", reason: inside } : { kind: "loopback" };
  }
  if (IPV4.test(bare) || bare.includes(":") || bare.includes(".")) return { kind: "silent", reason: "an IP address or a fully qualified name: outside the stack" };
  if (!SINGLE_LABEL.test(bare)) return { kind: "silent", reason: "not a host name we can judge" };
  const found = serviceNamed(stack, service, bare);
  if (found) return { kind: "service", ...found };
  const outside = outsideNames(stack, service, bare);
  if (outside) return { kind: "silent", reason: outside };
  // Compose files are often combined (`-f docker-compose.yml -f production.yml`): a name another stack defines may be meant.
  const elsewhere = model.stacks.find((s) => s !== stack && serviceForHost(s, bare) !== undefined);
  if (elsewhere) return { kind: "silent", reason: `stack ${elsewhere.id} has a service '${bare}'` };
  return { kind: "no-such-service", suggestion: closestService(stack, bare, conn.engine) };
}

/** A service of the stack whose name is one or two edits away, or the only one running this engine. */
function closestService(stack: Stack, name: string, engine: BackingEngine): Service | undefined {
  const near = stack.services.filter((s) => editDistance(s.name.toLowerCase(), name) <= 2);
  if (near.length === 1) return near[0];
  const running = backingServicesOf(stack, engine);
  return running.length === 1 ? running[0] : undefined;
}

/** Services of the stack that run this engine's official image. */
export function backingServicesOf(stack: Stack, engine: BackingEngine): Service[] {
  return stack.services.filter((s) => {
    const images = [s.compose.image?.value, s.image?.stage.baseImage.value].filter((i): i is string => i !== undefined);
    return images.some((i) => SERVER_IMAGES[engine].test(i));
  });
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (dp[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = dp[i] as number[];
      const prev = dp[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return (dp[a.length] as number[])[b.length] as number;
}

// ------------------------------------------------------------------------------- ports

/** The official images whose default listening port we know, by engine. */
const OFFICIAL_IMAGES: Record<BackingEngine, RegExp> = {
  postgresql: /^(docker\.io\/)?(library\/)?(postgres|postgis\/postgis|timescale\/timescaledb(-ha)?)(:|@|$)/i,
  mysql: /^(docker\.io\/)?(library\/)?(mysql|mariadb)(:|@|$)/i,
  redis: /^(docker\.io\/)?(library\/)?(redis|valkey\/valkey)(:|@|$)/i,
  memcached: /^(docker\.io\/)?(library\/)?memcached(:|@|$)/i,
  amqp: /^(docker\.io\/)?(library\/)?rabbitmq(:|@|$)/i,
};

/** Environment variables that move the server's port in the official images. */
const PORT_VARIABLES: Record<BackingEngine, string[]> = {
  postgresql: ["PGPORT"],
  mysql: ["MYSQL_TCP_PORT", "MARIADB_TCP_PORT"],
  redis: ["REDIS_PORT"],
  memcached: [],
  amqp: ["RABBITMQ_NODE_PORT", "RABBITMQ_CONFIG_FILE"],
};

export type PortVerdict =
  | { kind: "ok" }
  /** The port is the host side of a `ports:` mapping; containers reach the target port. */
  | { kind: "published"; mapping: { published: string; target: string; range: SourceRange } }
  /** The service listens on `listens` (its image's default), not on the port. */
  | { kind: "not-listening"; listens: number; why: string }
  | { kind: "silent"; reason: string };

/** The port the image listens on when nothing changes it; undefined when we cannot tell. */
export function defaultListeningPort(target: Service, engine: BackingEngine): { port: number; why: string } | undefined {
  const image = target.compose.image?.value;
  if (target.compose.build !== undefined || image === undefined || !OFFICIAL_IMAGES[engine].test(image)) return undefined;
  if (target.compose.command !== undefined || target.compose.entrypoint !== undefined) return undefined;
  if (PORT_VARIABLES[engine].some((v) => target.environment.values.has(v))) return undefined;
  if (!target.environment.complete) return undefined;
  return { port: DEFAULT_PORTS[engine], why: `the ${image} image listens on ${DEFAULT_PORTS[engine]}` };
}

/** Whether the service a connection reaches listens on the connection's port. */
export function portVerdict(conn: BackingConnection, target: Service): PortVerdict {
  if (conn.port?.text === "?") return { kind: "silent", reason: "the port is not known" };
  const port = conn.port?.text ?? String(DEFAULT_PORTS[conn.engine]);
  if (!/^\d+$/.test(port)) return { kind: "silent", reason: "not a number" };
  if (target.compose.networkMode !== undefined || conn.service.compose.networkMode !== undefined) return { kind: "silent", reason: "network_mode" };
  const targets = new Set([...target.compose.ports.map((p) => p.target), ...target.compose.expose.map((e) => e.value.split("/")[0] ?? "")]);
  for (const p of target.image?.stage.expose ?? []) targets.add(p.value.split("/")[0] ?? "");
  const listening = defaultListeningPort(target, conn.engine);
  if (targets.has(port) || listening?.port === Number(port)) return { kind: "ok" };
  const mapping = target.compose.ports.find((p) => p.published === port && p.target !== port);
  if (mapping) return { kind: "published", mapping: { published: port, target: mapping.target, range: mapping.range } };
  if (listening) return { kind: "not-listening", listens: listening.port, why: listening.why };
  return { kind: "silent", reason: "the service's listening port is not known" };
}

// ------------------------------------------------------------------------------- credentials

export interface CredentialDrift {
  field: "NAME" | "USER" | "PASSWORD";
  /** The Django side. */
  part: ConnectionPart;
  /** What the database service was initialised with. */
  expected: string;
  /** How the database service got it: "POSTGRES_USER", "service 'db' sets no POSTGRES_USER, so the postgres:16 image creates 'postgres'". */
  source: string;
  /** The line that sets it, or the service's image line when a default applies. */
  range: SourceRange;
  /** For `related`: "service 'db' sets POSTGRES_USER here", "service 'db' runs postgres:16, whose default user is 'postgres'". */
  note: string;
  secret: boolean;
}

/** The official image a database service runs (from compose `image:`, or the FROM of the Dockerfile it is built from). */
function officialImage(target: Service, engine: BackingEngine): string | undefined {
  const candidates = [target.compose.build === undefined ? target.compose.image?.value : undefined, imageStages(target).at(-1)?.baseImage.value];
  return candidates.find((i): i is string => i !== undefined && OFFICIAL_IMAGES[engine].test(i));
}

/** Init scripts may create more users and databases than the POSTGRES_* / MYSQL_* variables. */
function hasInitScripts(target: Service): boolean {
  const dir = "/docker-entrypoint-initdb.d";
  const r = target.filesystem.resolve(dir);
  return r.mount !== undefined || r.copy !== undefined || target.filesystem.listFiles(dir).length > 0 || target.compose.volumes.some((m) => m.target.startsWith(dir));
}

/**
 * DATABASES NAME / USER / PASSWORD against what the database container was initialised with:
 * POSTGRES_DB / POSTGRES_USER / POSTGRES_PASSWORD (defaults: user `postgres`, database = user)
 * or MYSQL_* / MARIADB_*. Only values known on both sides are compared.
 */
export function credentialDrifts(conn: BackingConnection, target: Service): CredentialDrift[] {
  if (conn.kind !== "database") return [];
  const image = officialImage(target, conn.engine);
  if (image === undefined) return [];
  // A variable may be set where we cannot see (a missing env file): then absence means nothing.
  const env = { get: (name: string) => target.environment.values.get(name), complete: target.environment.complete };
  const known = (name: string): { value: string; range: SourceRange } | "unset" | undefined => {
    const v = env.get(name);
    if (v === undefined) return env.complete ? "unset" : undefined;
    if (v.value === undefined) return undefined;
    return { value: v.value, range: v.range };
  };
  const imageRange = target.compose.image?.range ?? target.image?.stage.baseImage.range ?? target.compose.range;
  const init = hasInitScripts(target);
  const out: CredentialDrift[] = [];
  const compare = (field: CredentialDrift["field"], part: ConnectionPart | undefined, expected: { value: string; range: SourceRange } | undefined, source: string, note?: string) => {
    if (!part || !expected || part.text === expected.value || isPlaceholder(part.text) || isPlaceholder(expected.value)) return;
    out.push({ field, part, expected: expected.value, source, range: expected.range, secret: field === "PASSWORD", note: note ?? `service '${target.name}' sets ${source} here` });
  };
  if (conn.engine === "postgresql") {
    if (["POSTGRES_USER_FILE", "POSTGRES_DB_FILE", "POSTGRES_PASSWORD_FILE"].some((n) => env.get(n) !== undefined)) return [];
    const userVar = known("POSTGRES_USER");
    if (userVar === undefined) return [];
    const user = userVar === "unset" ? { value: "postgres", range: imageRange } : userVar;
    const defaultUser = userVar === "unset";
    const userSource = defaultUser ? `service '${target.name}' sets no POSTGRES_USER, so the ${image} image creates 'postgres'` : "POSTGRES_USER";
    if (!init) compare("USER", conn.user, user, userSource, defaultUser ? `service '${target.name}' runs ${image}, whose default user is 'postgres'` : undefined);
    const dbVar = known("POSTGRES_DB");
    if (!init && dbVar !== undefined && conn.name && conn.name.text !== "postgres" && conn.name.text !== "template1") {
      const db = dbVar === "unset" ? { value: user.value, range: user.range } : dbVar;
      const defaultDb = dbVar === "unset";
      compare(
        "NAME",
        conn.name,
        db,
        defaultDb ? `service '${target.name}' sets no POSTGRES_DB, so the ${image} image names the database after the user, '${user.value}'` : "POSTGRES_DB",
        defaultDb ? `service '${target.name}' runs ${image}, which names the database after the user when POSTGRES_DB is not set` : undefined,
      );
    }
    const trust = env.get("POSTGRES_HOST_AUTH_METHOD");
    if (trust !== undefined && trust.value !== "scram-sha-256" && trust.value !== "md5") return out;
    const password = known("POSTGRES_PASSWORD");
    if (conn.user?.text === user.value && password !== undefined && password !== "unset") compare("PASSWORD", conn.password, password, "POSTGRES_PASSWORD");
    return out;
  }
  // MySQL / MariaDB: MARIADB_* wins over MYSQL_* in the MariaDB image.
  const mariadb = /mariadb/i.test(image);
  const pick = (suffix: string): { value: string; range: SourceRange; name: string } | "unset" | undefined => {
    const names = mariadb ? [`MARIADB_${suffix}`, `MYSQL_${suffix}`] : [`MYSQL_${suffix}`];
    if (names.some((n) => env.get(`${n}_FILE`) !== undefined)) return undefined;
    for (const n of names) {
      const v = known(n);
      if (v === undefined) return undefined;
      if (v !== "unset") return { ...v, name: n };
    }
    return "unset";
  };
  const user = conn.user?.text;
  if (user === undefined || user === "") return out;
  if (user === "root") {
    const random = mariadb ? ["MARIADB_RANDOM_ROOT_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD"] : ["MYSQL_RANDOM_ROOT_PASSWORD"];
    const empty = mariadb ? ["MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD"] : ["MYSQL_ALLOW_EMPTY_PASSWORD"];
    if ([...random, ...empty].some((n) => env.get(n) !== undefined)) return out;
    const root = pick("ROOT_PASSWORD");
    if (root !== undefined && root !== "unset") compare("PASSWORD", conn.password, root, root.name);
  } else {
    const mysqlUser = pick("USER");
    if (mysqlUser === undefined || mysqlUser === "unset") return out;
    if (user !== mysqlUser.value) {
      if (!init) compare("USER", conn.user, mysqlUser, mysqlUser.name);
    } else {
      const password = pick("PASSWORD");
      if (password !== undefined && password !== "unset") compare("PASSWORD", conn.password, password, password.name);
    }
  }
  const database = pick("DATABASE");
  if (!init && database !== undefined && database !== "unset") compare("NAME", conn.name, database, database.name);
  return out;
}

/** A value as a message may show it: masked when it is a password (or named like a secret). */
export function shownValue(field: string, value: string): string {
  return field === "PASSWORD" || isSecretName(field) ? maskSecret(value) || "(empty)" : `'${value}'`;
}

// ------------------------------------------------------------------------------- messages

/** `DATABASES['default'] HOST 'localhost' (DB_HOST in .env line 3)` — how findings name a connection's host. */
export function describeHost(conn: BackingConnection): string {
  const what = conn.kind === "database" ? `${conn.label} HOST` : `${conn.label} host`;
  return `${what} '${conn.host?.text ?? ""}'${conn.host?.from ?? ""}`;
}

/** The finding for a host that does not reach its server (undefined when it does, or when we cannot tell). */
export function hostProblem(model: DeploymentModel, conn: BackingConnection): { message: string; range: SourceRange; related: RelatedLocation[] } | undefined {
  const reach = hostReach(model, conn);
  const host = conn.host;
  if (!host) return undefined;
  const stack = stackOf(model, conn.service);
  const running = stack ? backingServicesOf(stack, conn.engine).filter((s) => s !== conn.service) : [];
  const engine = engineName(conn.engine);
  const related = [...host.related];
  const useService = (s: Service | undefined): string => (s ? `use '${s.name}', the service that runs ${engine}` : `use the host name of the ${engine} server`);
  const serviceNote = (s: Service, why: string): RelatedLocation => ({ range: s.compose.image?.range ?? s.compose.range, message: `service '${s.name}' ${why}` });
  const candidate = running.length === 1 ? running[0] : undefined;
  if (candidate) related.push(serviceNote(candidate, `runs ${engine} (${candidate.compose.image?.value ?? "built from the repository"})`));
  switch (reach.kind) {
    case "loopback":
      return {
        message: `${describeHost(conn)} is the Django container itself (service '${conn.service.name}'), where no ${engine} runs: ${useService(candidate)}`,
        range: host.range,
        related,
      };
    case "local-socket": {
      const socket = conn.engine === "postgresql" ? "the local unix socket in /var/run/postgresql" : "the local socket /var/run/mysqld/mysqld.sock";
      return {
        message:
          `${conn.label} HOST is empty${host.from}: Django's ${engine} backend then connects through ${socket} inside the container of service ` +
          `'${conn.service.name}', where no ${engine} runs and no socket is mounted: set HOST to ${candidate ? `'${candidate.name}', the service that runs ${engine}` : `the ${engine} server's host name`}`,
        range: host.range,
        related,
      };
    }
    case "no-such-service": {
      const suggestion = reach.suggestion;
      if (suggestion && suggestion !== candidate) related.push(serviceNote(suggestion, "is defined here"));
      const hint = suggestion ? `; did you mean '${suggestion.name}'?` : `: use the name of the service that runs ${engine}`;
      return {
        message: `${describeHost(conn)} is not a service, network alias, container_name or hostname of the compose stack, so it does not resolve inside the container of service '${conn.service.name}'${hint}`,
        range: host.range,
        related,
      };
    }
    default:
      return undefined;
  }
}

/** The finding for a port the reached service does not listen on (undefined when it does, or when we cannot tell). */
export function portProblem(model: DeploymentModel, conn: BackingConnection): { message: string; range: SourceRange; related: RelatedLocation[] } | undefined {
  const port = conn.port;
  if (!port) return undefined;
  const reach = hostReach(model, conn);
  if (reach.kind !== "service") return undefined;
  const verdict = portVerdict(conn, reach.target);
  const target = reach.target;
  const what = conn.kind === "database" ? `${conn.label} PORT` : `the port of ${conn.label} '${conn.host?.text ?? ""}:${port.text}'`;
  switch (verdict.kind) {
    case "published":
      return {
        message:
          `${what} is ${port.text}${port.from}, the host port service '${target.name}' publishes ("${verdict.mapping.published}:${verdict.mapping.target}"); ` +
          `from another container the service is ${target.name}:${verdict.mapping.target}: use port ${verdict.mapping.target}`,
        range: port.range,
        related: [...port.related, { range: verdict.mapping.range, message: `service '${target.name}' maps host port ${verdict.mapping.published} to container port ${verdict.mapping.target}` }],
      };
    case "not-listening":
      return {
        message: `${what} is ${port.text}${port.from}, but service '${target.name}' listens on ${verdict.listens} (${verdict.why}, and its command and environment do not change it): use port ${verdict.listens}`,
        range: port.range,
        related: [...port.related, { range: target.compose.image?.range ?? target.compose.range, message: `service '${target.name}' runs ${target.compose.image?.value ?? "this image"}` }],
      };
    default:
      return undefined;
  }
}

/** Production Django services with the connections their settings make, one stack at a time. */
export function connectionsByStack(stacks: Stack[]): { stack: Stack; conn: BackingConnection }[] {
  const out: { stack: Stack; conn: BackingConnection }[] = [];
  for (const stack of stacks) {
    for (const service of stack.services) {
      if (!service.django?.settings) continue;
      for (const conn of backingConnections(service)) out.push({ stack, conn });
    }
  }
  return out;
}
