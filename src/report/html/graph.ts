/**
 * Builds the drawing's data (graph-types.ts) from the model: per production stack, every
 * service as a node, the request path (client → nginx → app server → Django), the data paths
 * (Django → database/cache/broker, STATIC_ROOT/MEDIA_ROOT → volume → nginx) and where the
 * settings' environment comes from; then which finding sits on which part (graph-placement.ts).
 * Labels and details hold names, paths, ports and hosts — never an environment value.
 */
import { posix } from "node:path";
import { fileStart, type SourceRange } from "../../core/location.js";
import type { Finding } from "../../engine/finding.js";
import { backingEngine, type BackingEngine as ImageEngine } from "../../model/backing-images.js";
import { backingConnections, hostProblem, hostReach, portProblem, type BackingConnection } from "../../model/backing-services.js";
import { normalizeContainerPath, type ServiceMount } from "../../model/container-filesystem.js";
import { setting, type DeploymentModel, type Endpoint, type Service, type Stack } from "../../model/deployment-model.js";
import { formatVersion } from "../../model/django-version.js";
import { selectLocation, servedFile } from "../../model/nginx-routing.js";
import { describeEndpoint, pathOrString, productionStacks, serverProxiesToApp, urlPathPrefix } from "../../model/queries.js";
import { passWirings } from "../../model/socket-wiring.js";
import { servedDirectoryMismatches, type ServedDirectoryPair } from "../../model/static-serving.js";
import { placeFindings } from "./graph-placement.js";
import type { DeploymentGraph, EdgeKind, GraphEdge, GraphNode, NodeKind, StackGraph } from "./graph-types.js";

export function buildDeploymentGraph(model: DeploymentModel, findings: readonly Finding[]): DeploymentGraph {
  const stacks = productionStacks(model).map((stack) => buildStackGraph(model, stack));
  return { stacks, placements: placeFindings(stacks, findings) };
}

/** Collects nodes and edges of one stack; ids are `<stack>/<kind>/<name>` and `<from>-><to>[#tag]`. */
class StackGraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  constructor(readonly stack: Stack) {}

  nodeId(kind: NodeKind, name: string): string {
    return `${this.stack.id}/${kind}/${name}`;
  }

  node(kind: NodeKind, name: string, fill: Omit<GraphNode, "id" | "kind">): string {
    const id = this.nodeId(kind, name);
    const existing = this.nodes.get(id);
    if (existing) existing.locations.push(...fill.locations);
    else this.nodes.set(id, { id, kind, ...fill });
    return id;
  }

  edge(kind: EdgeKind, from: string, to: string, label: string, locations: (SourceRange | undefined)[], broken: boolean, tag?: string): void {
    const id = `${from}->${to}${tag ? `#${tag}` : ""}`;
    const ranges = locations.filter((r): r is SourceRange => r !== undefined);
    const existing = this.edges.get(id);
    if (existing) {
      existing.locations.push(...ranges);
      existing.broken ||= broken;
      return;
    }
    this.edges.set(id, { id, kind, from, to, label, locations: ranges, broken });
  }
}

function buildStackGraph(model: DeploymentModel, stack: Stack): StackGraph {
  const g = new StackGraphBuilder(stack);
  /** The node that stands for each service (the app server node for services that run one). */
  const nodesOf = new Map<Service, ServiceNodes>();
  for (const service of stack.services) nodesOf.set(service, addServiceNodes(g, service));
  const serviceNode = new Map([...nodesOf].map(([s, n]) => [s, n.main]));
  addRequestEdges(g, stack, nodesOf);
  for (const service of stack.services) {
    if (!service.django?.settings) continue;
    const from = service.appServer ? g.nodeId("django", service.name) : (serviceNode.get(service) as string);
    addBackingEdges(g, model, from, service, serviceNode);
    if (service.appServer) addConfigEdges(g, from, service);
  }
  for (const pair of STATIC_PAIRS) addServedDirectoryEdges(g, stack, pair, nodesOf);
  for (const node of g.nodes.values()) node.locations = uniqueRanges(node.locations);
  for (const edge of g.edges.values()) edge.locations = uniqueRanges(edge.locations);
  const title = `${stack.id} (${stack.runtime === "host" ? "host, " : ""}${stack.purpose.kind})`;
  return { stack: stack.id, title, nodes: [...g.nodes.values()], edges: [...g.edges.values()] };
}

function uniqueRanges(ranges: SourceRange[]): SourceRange[] {
  const seen = new Set<string>();
  return ranges.filter((r) => {
    const key = `${r.file}:${r.line}:${r.column}:${r.endLine}:${r.endColumn}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ------------------------------------------------------------------------------- nodes

const IMAGE_KINDS: Record<ImageEngine["kind"], NodeKind> = {
  postgres: "database",
  mysql: "database",
  mariadb: "database",
  mongodb: "database",
  elasticsearch: "database",
  opensearch: "database",
  redis: "cache",
  memcached: "cache",
  rabbitmq: "broker",
};

/** Where a compose service is written: its key, image, build, ports and Dockerfile stage. */
function serviceLocations(service: Service): SourceRange[] {
  const c = service.compose;
  const out: SourceRange[] = [c.range];
  if (c.image) out.push(c.image.range);
  if (c.build) out.push(c.build.range);
  for (const p of c.ports) out.push(p.range);
  if (service.image) {
    // The whole final stage (FROM to its last instruction): COPY/RUN findings of the image land on the service.
    const stage = service.image.stage;
    const ends = [stage.range, ...stage.copies.map((c) => c.range), ...stage.runs.map((r) => r.range), ...[...stage.env.values()].map((e) => e.range)];
    const last = ends.reduce((a, b) => (b.endLine > a.endLine ? b : a), stage.range);
    out.push({ ...stage.range, endLine: last.endLine, endColumn: last.endColumn });
  }
  return out;
}

function imageName(service: Service): string | undefined {
  return service.compose.image?.value ?? service.image?.stage.baseImage.value;
}

/** The nodes a service is drawn as: nginx and an app server may share one (a host stack). */
interface ServiceNodes {
  /** The node that stands for the service (its app server when it runs one). */
  main: string;
  nginx?: string;
  app?: string;
}

function addServiceNodes(g: StackGraphBuilder, service: Service): ServiceNodes {
  const locations = serviceLocations(service);
  const out: Partial<ServiceNodes> = {};
  if (service.nginx) {
    const ports = nginxListenPorts(service).map((p) => `:${p.port}${p.ssl ? " ssl" : ""}`);
    // As written (`${NGINX_HOST}` stays a name): a rendered template would show an environment value.
    const names = service.nginx.servers.flatMap((s) => s.serverNames.map((n) => n.arg.value));
    const detail = [`${service.nginx.servers.length} server block${service.nginx.servers.length === 1 ? "" : "s"}`];
    if (names.length > 0) detail.push(clip(`server_name ${[...new Set(names)].join(" ")}`));
    const image = imageName(service);
    if (image) detail.push(image);
    out.nginx = g.node("nginx", service.name, {
      label: `${/nginx/i.test(service.name) ? service.name : `nginx ${service.name}`}${ports.length ? ` ${[...new Set(ports)].join(" ")}` : ""}`,
      detail,
      service: service.name,
      // The compose service's own lines go to the app server node when the service runs one too.
      locations: [...(service.appServer ? [] : locations), ...service.nginx.servers.map((s) => s.directive.range), ...[...service.nginx.upstreams.values()].map((u) => u.directive.nameRange)],
    });
  }
  const app = service.appServer;
  if (app) {
    const detail = app.listeners.slice(0, 3).map((l) => `${l.option} ${describeEndpoint(l.endpoint)}`);
    if (app.listeners.length === 0) detail.push("no listener found");
    if (app.configFiles[0]) detail.push(app.configFiles[0]);
    out.app = g.node("app-server", service.name, {
      label: `${app.kind} ${service.name}`,
      detail,
      service: service.name,
      locations: [...locations, app.range, ...app.listeners.map((l) => l.range)],
    });
    if (service.django) {
      const dj = service.django;
      const detail: string[] = [];
      if (app.application) detail.push(`WSGI ${app.application.value}`);
      detail.push(dj.settingsModule ? `settings ${dj.settingsModule.module}` : "settings module not found");
      detail.push(`Django ${formatVersion(dj.version.version)}${dj.version.source === "assumed" ? " (assumed)" : ""}`);
      g.node("django", service.name, {
        label: `Django ${service.name}`,
        detail,
        service: service.name,
        locations: [app.application?.range, dj.settingsModule?.range, dj.version.range].filter((r): r is SourceRange => r !== undefined),
      });
    }
  }
  const main = out.app ?? out.nginx;
  if (main) return { ...out, main };
  const engine = backingEngine(service);
  const kind: NodeKind = engine ? IMAGE_KINDS[engine.kind] : service.roles.has("postgres") ? "database" : service.roles.has("redis") ? "cache" : "service";
  const image = imageName(service);
  return {
    main: g.node(kind, service.name, {
      label: engine ? `${engine.name} ${service.name}` : service.name,
      detail: image ? [image] : [],
      service: service.name,
      locations,
    }),
  };
}

function clip(text: string, max = 48): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// ------------------------------------------------------------------------------- request path

interface ListenPort {
  port: string;
  ssl: boolean;
  range: SourceRange;
}

function nginxListenPorts(service: Service): ListenPort[] {
  const out: ListenPort[] = [];
  for (const server of service.nginx?.servers ?? []) {
    for (const listen of server.listens) {
      const address = listen.args[0]?.value ?? "";
      const port = /(?:^|:)(\d+)$/.exec(address)?.[1] ?? (/^\d+$/.test(address) ? address : undefined);
      if (port) out.push({ port, ssl: listen.args.some((a) => a.value === "ssl"), range: listen.range });
    }
  }
  return out;
}

/** `:80 (published 80)` / `:8000 (not published)`: what the client reaches. */
function publishedLabel(service: Service, ports: string[], stack: Stack): { label: string; published: boolean; ranges: SourceRange[] } {
  const parts: string[] = [];
  const ranges: SourceRange[] = [];
  let published = false;
  for (const port of [...new Set(ports)]) {
    const mapping = service.compose.ports.find((p) => p.target === port);
    if (stack.runtime === "host") {
      parts.push(`:${port}`);
      published = true;
    } else if (mapping?.published) {
      parts.push(`:${port} (published ${mapping.published})`);
      ranges.push(mapping.range);
      published = true;
    } else parts.push(`:${port} (not published)`);
  }
  return { label: parts.join(", "), published, ranges };
}

function addRequestEdges(g: StackGraphBuilder, stack: Stack, nodesOf: Map<Service, ServiceNodes>): void {
  const nginxNode = (s: Service): string => nodesOf.get(s)?.nginx as string;
  const appNode = (s: Service): string => nodesOf.get(s)?.app as string;
  const client = (): string => g.node("client", "client", { label: "client", detail: ["browser / internet"], locations: [] });
  for (const service of stack.services) {
    if (service.nginx) {
      const listens = nginxListenPorts(service);
      const { label, ranges } = publishedLabel(service, listens.map((l) => l.port), stack);
      g.edge("request", client(), nginxNode(service), label || "requests", [...listens.map((l) => l.range), ...ranges], false);
    }
    if (service.appServer && stack.runtime === "compose") {
      // An app server port published straight to the host: requests skip nginx.
      const tcp = service.appServer.listeners.filter((l) => l.endpoint.kind === "tcp" && service.compose.ports.some((p) => p.target === (l.endpoint as { port: string }).port && p.published));
      if (tcp.length > 0) {
        const { label, ranges } = publishedLabel(service, tcp.map((l) => (l.endpoint as { port: string }).port), stack);
        g.edge("request", client(), appNode(service), label, [...tcp.map((l) => l.range), ...ranges], false, "direct");
      }
    }
    const app = service.appServer;
    if (app && service.django) {
      const label = app.application ? `WSGI ${app.application.value}` : "WSGI application";
      g.edge("request", appNode(service), g.nodeId("django", service.name), label, [app.application?.range, service.django.settingsModule?.range], false);
    }
  }
  for (const check of passWirings(stack)) {
    const from = nginxNode(check.nginx);
    const endpoint = describeEndpoint(check.endpoint.endpoint);
    const label = `${check.pass.directive} ${endpoint}`;
    const ranges = [check.pass.target.arg.range, check.endpoint.range];
    const w = check.wiring;
    if (w.kind === "connected") {
      g.edge("request", from, appNode(w.app), label, [...ranges, w.listener.range], false);
      continue;
    }
    if (w.kind === "unknown") continue; // nothing we can judge (no app server seen, a host outside the stack)
    const meant = intendedApp(w, check.endpoint.endpoint);
    const to = meant
      ? appNode(meant.app)
      : g.node("app-server", `nothing:${endpoint}`, { label: `nothing listens on ${endpoint}`, detail: [WIRING_REASONS[w.kind]], locations: [] });
    g.edge("request", from, to, `${label} (${WIRING_REASONS[w.kind]})`, [...ranges, ...(meant?.listener ? [meant.listener] : [])], true);
  }
}

const WIRING_REASONS: Record<BrokenWiring["kind"], string> = {
  "no-unix-listener": "no app server listens on this socket",
  "wrong-port": "the app server listens on another port",
  "loopback-bind": "the app server listens on loopback only",
  "loopback-target": "localhost is nginx's own container",
  "no-common-network": "no shared network",
};

type BrokenWiring = Exclude<ReturnType<typeof passWirings>[number]["wiring"], { kind: "connected" | "unknown" }>;

/** The app server a broken hop was meant for, and the listener it has instead (for the edge's locations). */
function intendedApp(w: BrokenWiring, endpoint: Endpoint): { app: Service; listener: SourceRange | undefined } | undefined {
  switch (w.kind) {
    case "no-unix-listener": {
      if (w.samePathElsewhere) return { app: w.samePathElsewhere.app, listener: w.samePathElsewhere.listener.range };
      const unix = w.apps.filter((a) => a.appServer?.listeners.some((l) => l.endpoint.kind === "unix"));
      const app = unix.length === 1 ? unix[0] : w.apps.length === 1 ? w.apps[0] : undefined;
      return app ? { app, listener: app.appServer?.listeners.find((l) => l.endpoint.kind === endpoint.kind)?.range } : undefined;
    }
    case "wrong-port":
    case "no-common-network":
      return { app: w.app, listener: w.app.appServer?.listeners[0]?.range };
    case "loopback-bind":
      return { app: w.app, listener: w.listener.range };
    case "loopback-target":
      return w.apps.length === 1 && w.apps[0] ? { app: w.apps[0], listener: w.apps[0].appServer?.listeners[0]?.range } : undefined;
  }
}

// ------------------------------------------------------------------------------- data paths

const BACKING_NODE_KIND: Record<BackingConnection["kind"], NodeKind> = {
  database: "database",
  cache: "cache",
  broker: "broker",
  "result-backend": "broker",
  "channel-layer": "broker",
};

function addBackingEdges(g: StackGraphBuilder, model: DeploymentModel, from: string, service: Service, serviceNode: Map<Service, string>): void {
  for (const conn of backingConnections(service)) {
    const reach = hostReach(model, conn);
    const problem = hostProblem(model, conn) ?? (reach.kind === "service" ? portProblem(model, conn) : undefined);
    const host = conn.host?.text;
    const address = host === undefined ? "default host" : `${host}${conn.port ? `:${conn.port.text}` : ""}`;
    const label = `${conn.label} ${conn.kind === "database" ? "HOST" : "host"} ${address}`;
    let to: string | undefined;
    if (reach.kind === "service") to = serviceNode.get(reach.target);
    else if (problem && host !== undefined) {
      to = g.node(BACKING_NODE_KIND[conn.kind], `nothing:${host}`, { label: `no ${conn.kind} at ${host}`, detail: [reach.kind.replace(/-/g, " ")], locations: [] });
    }
    if (!to || to === from) continue;
    const ranges = [conn.host?.range, conn.port?.range, ...(conn.host?.related ?? []).map((r) => r.range), ...(conn.port?.related ?? []).map((r) => r.range)];
    g.edge("data", from, to, label, ranges, problem !== undefined, `${conn.kind}:${conn.alias ?? conn.label}`);
  }
}

const STATIC_PAIRS: (ServedDirectoryPair & { tag: string })[] = [
  { urlSetting: "STATIC_URL", rootSetting: "STATIC_ROOT", probe: "admin/css/base.css", tag: "static" },
  { urlSetting: "MEDIA_URL", rootSetting: "MEDIA_ROOT", probe: "graph-probe.jpg", tag: "media" },
];

/** The volume node a mount stands for: the named volume, or the bind mount's host path. */
function volumeNode(g: StackGraphBuilder, mount: ServiceMount): string {
  const name = mount.type === "volume" ? mount.source ?? `anonymous ${mount.target}` : mount.type === "bind" ? `./${mount.source ?? ""}`.replace(/^\.\/\.?$/, "./") : `tmpfs ${mount.target}`;
  const detail = [mount.type === "volume" ? "named volume" : mount.type === "bind" ? "bind mount" : "tmpfs"];
  return g.node("volume", name, { label: name, detail, locations: [mount.range] });
}

/**
 * STATIC_ROOT / MEDIA_ROOT → the volume that holds it in the Django container → the nginx
 * location that serves the URL prefix; broken where servedDirectoryMismatches says nginx reads
 * other storage.
 */
function addServedDirectoryEdges(g: StackGraphBuilder, stack: Stack, pair: (typeof STATIC_PAIRS)[number], nodesOf: Map<Service, ServiceNodes>): void {
  const mismatches = servedDirectoryMismatches(stack, pair);
  for (const app of stack.services) {
    if (!app.django?.settings) continue;
    const url = pathOrString(setting(app.django, pair.urlSetting)?.value);
    const rootValue = setting(app.django, pair.rootSetting);
    const root = pathOrString(rootValue?.value);
    if (url === undefined || rootValue === undefined || root === undefined || !root.startsWith("/")) continue;
    const directory = normalizeContainerPath(root);
    const djangoId = app.appServer ? g.nodeId("django", app.name) : (nodesOf.get(app)?.main as string);
    const appStorage = app.filesystem.resolve(directory);
    const via = appStorage.mount ? volumeNode(g, appStorage.mount) : undefined;
    if (via) g.edge("data", djangoId, via, `${pair.rootSetting} ${directory}`, [rootValue.range, appStorage.mount?.range], false, pair.tag);
    const prefix = urlPathPrefix(url);
    if (prefix === undefined) continue;
    for (const nginx of stack.services) {
      for (const server of nginx.nginx?.servers ?? []) {
        if (!serverProxiesToApp(server)) continue;
        const uri = prefix + pair.probe;
        const location = selectLocation(server.locations, uri);
        const served = location ? servedFile(location, uri) : undefined;
        if (!location || !served) continue;
        const decider = served.via === "alias" ? location.alias : location.root;
        const mismatch = mismatches.find((m) => m.app === app && m.nginx === nginx && m.location === location);
        const label = `${location.uri.arg.value} ${served.via} ${decider?.arg.value ?? "?"}`;
        const nginxMount = served.path ? nginx.filesystem.resolve(posix.dirname(served.path)).mount : undefined;
        const ranges = [location.directive.nameRange, decider?.arg.range, nginxMount?.range, ...(mismatch && !via ? [rootValue.range] : [])];
        g.edge("data", via ?? djangoId, nodesOf.get(nginx)?.nginx as string, label, ranges, mismatch !== undefined, pair.tag);
        break; // one server per nginx answers the prefix
      }
    }
  }
}

// ------------------------------------------------------------------------------- configuration

const MAX_NAMES = 3;

/**
 * One env-source node per place the Django service's settings values come from (an env
 * file, the compose `environment`, the Dockerfile's ENV, uWSGI `env =`, or the read's own
 * default when nothing sets the variable), each with an edge
 * labelled by the variable names read from it. Names only: values never reach the page.
 */
function addConfigEdges(g: StackGraphBuilder, djangoId: string, service: Service): void {
  const settings = service.django?.settings;
  if (!settings) return;
  const groups = new Map<string, { title: string; detail: string; names: Set<string>; nodeRanges: SourceRange[]; edgeRanges: SourceRange[] }>();
  const add = (key: string, title: string, detail: string, name: string, nodeRange: SourceRange, edgeRanges: SourceRange[]): void => {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { title, detail, names: new Set(), nodeRanges: [], edgeRanges: [] }));
    group.names.add(name);
    group.nodeRanges.push(nodeRange);
    group.edgeRanges.push(...edgeRanges);
  };
  for (const read of settings.envReads) {
    if (read.source) {
      // A file the settings load themselves (load_dotenv, environ.Env.read_env).
      add(`file:${read.source.file}`, read.source.file, "env file (read by the settings)", read.name, fileStart(read.source.file), [read.range, read.source.range]);
      continue;
    }
    const value = service.environment.values.get(read.name) ?? service.appServer?.env.get(read.name);
    if (!value) {
      // Nothing sets it and the read has a default: the value comes from the settings themselves.
      if (read.fatal === undefined && !read.provided && read.unknown === undefined && read.via !== "in os.environ") {
        add("defaults", "defaults in the settings", "nothing sets these", read.name, read.range, [read.range]);
      }
      continue;
    }
    const source = sourceGroup(value.source, value.range.file, service);
    add(source.key, source.title, source.detail, read.name, source.fileLevel ? fileStart(value.range.file) : value.range, [read.range, value.range]);
  }
  const chosen = service.django?.settingsModule;
  if (chosen?.range && chosen.source !== "wsgi.py" && chosen.source !== "manage.py") {
    const kind = chosen.source === "compose" ? "compose-environment" : chosen.source === "dockerfile" ? "dockerfile-env" : chosen.source === "uwsgi-env" ? "uwsgi-env" : "cli";
    const source = sourceGroup(kind, chosen.range.file, service);
    // compose `environment` and `env_file` both count as "compose": the range's file tells them apart.
    const fromFile = service.compose.envFiles.some((f) => f.path === chosen.range?.file);
    const group = fromFile ? sourceGroup("env-file", chosen.range.file, service) : source;
    add(group.key, group.title, group.detail, "DJANGO_SETTINGS_MODULE", group.fileLevel ? fileStart(chosen.range.file) : chosen.range, [chosen.range]);
  }
  for (const [key, group] of groups) {
    const names = [...group.names];
    const id = g.node("env-source", key, { label: group.title, detail: [group.detail, `${names.length} variable${names.length === 1 ? "" : "s"}`], service: key.startsWith("file:") ? undefined : service.name, locations: group.nodeRanges });
    const label = names.slice(0, MAX_NAMES).join(", ") + (names.length > MAX_NAMES ? ", …" : "");
    g.edge("config", id, djangoId, label, group.edgeRanges, false);
  }
}

function sourceGroup(kind: string, file: string, service: Service): { key: string; title: string; detail: string; fileLevel: boolean } {
  switch (kind) {
    case "env-file":
      return { key: `file:${file}`, title: file, detail: "env file", fileLevel: true };
    case "compose-environment":
      return { key: `compose:${service.name}`, title: `environment of ${service.name}`, detail: file, fileLevel: false };
    case "dockerfile-env":
      return { key: `dockerfile:${file}`, title: `${file} ENV`, detail: "image environment", fileLevel: false };
    case "uwsgi-env":
      return { key: `uwsgi:${file}`, title: `${file} env =`, detail: "uWSGI options", fileLevel: false };
    default:
      return { key: "cli", title: "command line", detail: "--settings / environment", fileLevel: false };
  }
}
