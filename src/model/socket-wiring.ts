import type { SourceRange } from "../core/location.js";
import { isLoopbackHost } from "./app-server.js";
import { sameStorage, type StorageResolution } from "./container-filesystem.js";
import type { Listener, NginxEndpoint, NginxPass, Service, Stack } from "./deployment-model.js";
import { allLocations, serviceForHost } from "./queries.js";

/** One nginx → app server hop, and what is at the other end. */
export type PassWiring =
  | { kind: "connected"; app: Service; listener: Listener }
  /** A unix socket path no app server listens on (or only on storage nginx does not share). */
  | { kind: "no-unix-listener"; apps: Service[]; samePathElsewhere: { app: Service; listener: Listener; nginxSees: StorageResolution; appHas: StorageResolution } | undefined }
  /** host:port where host is a service that runs an app server, but not on that port. */
  | { kind: "wrong-port"; app: Service }
  /** The app server listens on the port, but only on loopback inside its own container. */
  | { kind: "loopback-bind"; app: Service; listener: Listener }
  /** `localhost` / 127.0.0.1 in an nginx container that runs no app server itself. */
  | { kind: "loopback-target"; apps: Service[] }
  /** host:port names a service with an app server, but the two services share no compose network. */
  | { kind: "no-common-network"; app: Service; nginxNetworks: ServiceNetworks; appNetworks: ServiceNetworks }
  | { kind: "unknown" };

/** The networks a service's container is on, as compose defines them. */
export type ServiceNetworks =
  /** Compose networks by their real name (`name:` of the top-level network, else the key); `default` when none is listed. */
  | { kind: "networks"; names: string[]; attachments: { name: string; range: SourceRange | undefined }[] }
  /** `network_mode: host`: the host's network; compose service names do not resolve there. */
  | { kind: "host"; range: SourceRange }
  /** `network_mode: none` / `bridge`: no compose network. */
  | { kind: "isolated"; mode: string; range: SourceRange }
  /** `network_mode: service:x`: x's network namespace (its networks, and localhost is x's). */
  | { kind: "shared"; owner: Service; networks: ServiceNetworks; range: SourceRange }
  | { kind: "unknown" };

export interface PassCheck {
  nginx: Service;
  pass: NginxPass;
  endpoint: NginxEndpoint;
  wiring: PassWiring;
}

/** Every uwsgi_pass / proxy_pass endpoint of every nginx in the stack, with what it reaches. */
export function passWirings(stack: Stack): PassCheck[] {
  const apps = stack.services.filter((s) => (s.appServer?.listeners.length ?? 0) > 0);
  const out: PassCheck[] = [];
  for (const nginx of stack.services) {
    for (const server of nginx.nginx?.servers ?? []) {
      for (const location of allLocations(server)) {
        const pass = location.pass;
        if (!pass) continue;
        for (const endpoint of pass.endpoints) out.push({ nginx, pass, endpoint, wiring: wire(stack, nginx, endpoint, apps) });
      }
    }
  }
  return out;
}

function wire(stack: Stack, nginx: Service, target: NginxEndpoint, apps: Service[]): PassWiring {
  const endpoint = target.endpoint;
  if (apps.length === 0) return { kind: "unknown" };
  if (endpoint.kind === "unix") {
    const nginxSees = nginx.filesystem.resolve(endpoint.path);
    let samePathElsewhere: Extract<PassWiring, { kind: "no-unix-listener" }>["samePathElsewhere"];
    for (const app of apps) {
      for (const listener of app.appServer?.listeners ?? []) {
        if (listener.endpoint.kind !== "unix") continue;
        const appHas = app.filesystem.resolve(listener.endpoint.path);
        if (sameStorage(nginxSees.storage, appHas.storage)) return { kind: "connected", app, listener };
        if (listener.endpoint.path === endpoint.path) samePathElsewhere = { app, listener, nginxSees, appHas };
      }
    }
    return { kind: "no-unix-listener", apps, samePathElsewhere };
  }
  if (isLoopbackHost(endpoint.host)) {
    // Inside nginx's container, localhost is nginx's own network namespace: its own app server,
    // or one in a container that shares it (network_mode: service:…, or both on the host's network).
    if (nginx.appServer) return tcpWiring(nginx, endpoint.port, true);
    const neighbour = apps.find((app) => sameNamespace(stack, nginx, app));
    if (neighbour) return tcpWiring(neighbour, endpoint.port, true);
    return { kind: "loopback-target", apps };
  }
  const app = serviceForHost(stack, endpoint.host);
  if (!app?.appServer || app.appServer.listeners.length === 0) return { kind: "unknown" };
  if (app !== nginx && !sameNamespace(stack, nginx, app)) {
    const nginxNetworks = serviceNetworks(stack, nginx);
    const appNetworks = serviceNetworks(stack, app);
    if (shareNoNetwork(nginxNetworks, appNetworks)) return { kind: "no-common-network", app, nginxNetworks, appNetworks };
  }
  return tcpWiring(app, endpoint.port, app === nginx);
}

/** The networks a service is on (network_mode over `networks:`). */
export function serviceNetworks(stack: Stack, service: Service, seen: Set<Service> = new Set()): ServiceNetworks {
  const mode = service.compose.networkMode;
  if (mode) {
    const value = mode.value.trim();
    if (mode.unresolved?.length || value.includes("$")) return { kind: "unknown" };
    if (value === "host") return { kind: "host", range: mode.range };
    if (value === "none" || value === "bridge") return { kind: "isolated", mode: value, range: mode.range };
    if (value.startsWith("service:")) {
      const owner = stack.services.find((s) => s.name === value.slice("service:".length));
      if (!owner || seen.has(owner)) return { kind: "unknown" };
      return { kind: "shared", owner, networks: serviceNetworks(stack, owner, new Set([...seen, service])), range: mode.range };
    }
    return { kind: "unknown" };
  }
  const attachments = service.compose.networks.map((n) => ({ name: stack.compose.networks.get(n.name)?.name ?? n.name, range: n.range }));
  return { kind: "networks", names: [...new Set(attachments.map((a) => a.name))], attachments };
}

/** The service whose network namespace a service's container uses (itself unless network_mode: service:…). */
function namespaceOwner(stack: Stack, service: Service): Service | "host" | undefined {
  const networks = serviceNetworks(stack, service);
  if (networks.kind === "host") return "host";
  if (networks.kind === "shared") return namespaceOwner(stack, networks.owner);
  if (networks.kind === "unknown") return undefined;
  return service;
}

/** Two containers in one network namespace: localhost in one is the other. */
function sameNamespace(stack: Stack, a: Service, b: Service): boolean {
  const ownerA = namespaceOwner(stack, a);
  return ownerA !== undefined && ownerA === namespaceOwner(stack, b);
}

function effectiveNetworks(n: ServiceNetworks): ServiceNetworks {
  return n.kind === "shared" ? effectiveNetworks(n.networks) : n;
}

/** True when the two services certainly share no network on which compose's DNS resolves service names. */
function shareNoNetwork(a: ServiceNetworks, b: ServiceNetworks): boolean {
  const x = effectiveNetworks(a);
  const y = effectiveNetworks(b);
  if (x.kind === "unknown" || y.kind === "unknown") return false;
  if (x.kind !== "networks" || y.kind !== "networks") return true;
  return !x.names.some((name) => y.names.includes(name));
}

/** "networks: front, back", "network_mode: host", for messages. */
export function describeNetworks(n: ServiceNetworks): string {
  switch (n.kind) {
    case "networks":
      return `networks: ${n.names.join(", ")}`;
    case "host":
      return "network_mode: host";
    case "isolated":
      return `network_mode: ${n.mode}`;
    case "shared":
      return `the network of service '${n.owner.name}', ${describeNetworks(n.networks)}`;
    case "unknown":
      return "unknown networks";
  }
}

function tcpWiring(app: Service, port: string, sameContainer: boolean): PassWiring {
  const listener = app.appServer?.listeners.find((l) => l.endpoint.kind === "tcp" && l.endpoint.port === port);
  if (!listener) return { kind: "wrong-port", app };
  if (!sameContainer && listener.endpoint.kind === "tcp" && isLoopbackHost(listener.endpoint.host)) return { kind: "loopback-bind", app, listener };
  return { kind: "connected", app, listener };
}
