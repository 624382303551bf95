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
    // Inside nginx's container, localhost is nginx's own container.
    if (!nginx.appServer) return { kind: "loopback-target", apps };
    return tcpWiring(nginx, endpoint.port, true);
  }
  const app = serviceForHost(stack, endpoint.host);
  if (!app?.appServer || app.appServer.listeners.length === 0) return { kind: "unknown" };
  return tcpWiring(app, endpoint.port, app === nginx);
}

function tcpWiring(app: Service, port: string, sameContainer: boolean): PassWiring {
  const listener = app.appServer?.listeners.find((l) => l.endpoint.kind === "tcp" && l.endpoint.port === port);
  if (!listener) return { kind: "wrong-port", app };
  if (!sameContainer && listener.endpoint.kind === "tcp" && isLoopbackHost(listener.endpoint.host)) return { kind: "loopback-bind", app, listener };
  return { kind: "connected", app, listener };
}
