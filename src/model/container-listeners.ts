/**
 * Every socket the processes of one container listen on, as far as the repository says:
 * the app server's request listeners and its other sockets (uWSGI `stats`, `https`…), and
 * nginx's `listen` directives when nginx runs in the same container. `unknown` says why the
 * list may be incomplete (a process we cannot see, a port from a variable); compose/dead-port
 * only speaks when it is complete.
 */
import type { SourceRange } from "../core/location.js";
import { isLoopbackHost } from "./app-server.js";
import type { Endpoint, Service } from "./deployment-model.js";
import { describeEndpoint } from "./queries.js";

export interface ContainerListener {
  endpoint: Endpoint;
  /** "uWSGI socket", "gunicorn --bind", "nginx listen"… */
  what: string;
  range: SourceRange;
}

export interface ContainerListeners {
  listeners: ContainerListener[];
  /** Why other sockets may exist; undefined when every process and its sockets are known. */
  unknown: string | undefined;
}

const SERVER_NAME = { uwsgi: "uWSGI", gunicorn: "gunicorn", daphne: "daphne", uvicorn: "uvicorn", runserver: "runserver" } as const;

/** The sockets of a container that runs an app server; undefined for other containers. */
export function containerListeners(service: Service): ContainerListeners | undefined {
  const server = service.appServer;
  if (!server) return undefined;
  const name = SERVER_NAME[server.kind];
  const listeners: ContainerListener[] = [
    ...server.listeners.map((l) => ({ endpoint: l.endpoint, what: `${name} ${l.option}`, range: l.range })),
    ...(server.otherListeners ?? []).map((l) => ({ endpoint: l.endpoint, what: `${name} ${l.option}`, range: l.range })),
  ];
  let unknown = server.unknown?.processes ?? server.unknown?.listeners;
  if (server.listeners.length === 0) unknown ??= `the sockets of ${name} are not known`;
  unknown ??= environmentOptions(service);

  // nginx in the same image: its `listen`s count; an nginx whose config is not in the repository is unknown.
  const imageNames = [service.compose.image?.value, service.image?.stage.baseImage.value].filter((i): i is string => i !== undefined);
  const mayRunNginx = service.roles.has("nginx") || imageNames.some((i) => /nginx|supervisor/i.test(i));
  if (mayRunNginx) {
    const servers = service.nginx?.servers ?? [];
    if (servers.length === 0) unknown ??= `nginx in service '${service.name}' has no configuration in the repository`;
    for (const nginxServer of servers) {
      if (nginxServer.listens.length === 0) {
        // nginx's default: *:80 as root, *:8000 otherwise.
        for (const port of ["80", "8000"]) listeners.push({ endpoint: { kind: "tcp", host: "", port }, what: "nginx (no listen: the default)", range: nginxServer.directive.nameRange });
      }
      for (const listen of nginxServer.listens) {
        const endpoint = nginxListen(listen.args[0]?.value ?? "");
        if (!endpoint) {
          unknown ??= `nginx listen ${listen.args[0]?.value ?? ""} (${listen.range.file}:${listen.range.line}) is not a fixed address`;
          continue;
        }
        listeners.push({ endpoint, what: "nginx listen", range: listen.args[0]?.range ?? listen.range });
      }
    }
  }
  return { listeners, unknown };
}

/** Environment variables that set the server's sockets without the model reading them. */
function environmentOptions(service: Service): string | undefined {
  const server = service.appServer;
  if (!server) return undefined;
  const env = service.environment.values;
  const assigned = new Set((server.startEnv ?? []).map((v) => v.value));
  const names = [...env.keys(), ...assigned];
  switch (server.kind) {
    case "uwsgi": {
      const option = names.find((n) => n.startsWith("UWSGI_"));
      return option ? `uWSGI reads ${option} from the environment as an option` : undefined;
    }
    case "gunicorn": {
      const cmdArgs = env.get("GUNICORN_CMD_ARGS");
      if ((cmdArgs && cmdArgs.value === undefined) || assigned.has("GUNICORN_CMD_ARGS")) return "GUNICORN_CMD_ARGS is set where the repository does not show its value";
      const usesDefault = server.listeners.some((l) => l.option === "gunicorn's default bind");
      const port = env.get("PORT");
      if (usesDefault && ((port && port.value === undefined) || assigned.has("PORT"))) return "gunicorn's default bind follows PORT, whose value is not in the repository";
      return undefined;
    }
    case "uvicorn": {
      const option = names.find((n) => n.startsWith("UVICORN_"));
      return option ? `uvicorn reads ${option} from the environment` : undefined;
    }
    default:
      return undefined;
  }
}

/** An nginx `listen` address: `80`, `*:80`, `0.0.0.0:8080`, `[::]:443`, `localhost:80`, `unix:/path`. */
export function nginxListen(value: string): Endpoint | undefined {
  if (value === "" || value.includes("$")) return undefined;
  if (value === "*") return { kind: "tcp", host: "", port: "80" };
  if (value.startsWith("unix:")) return { kind: "unix", path: value.slice(5) };
  if (/^\d+$/.test(value)) return { kind: "tcp", host: "", port: value };
  const bracketed = /^\[([^\]]*)\]:(\d+)$/.exec(value);
  if (bracketed) return { kind: "tcp", host: bracketed[1] as string, port: bracketed[2] as string };
  const hostPort = /^([^:]+):(\d+)$/.exec(value);
  if (hostPort) return { kind: "tcp", host: hostPort[1] === "*" ? "" : (hostPort[1] as string), port: hostPort[2] as string };
  // A bare address listens on port 80.
  if (/^\[[^\]]*\]$/.test(value)) return { kind: "tcp", host: value.slice(1, -1), port: "80" };
  if (/^[\w.-]+$/.test(value) && !/^\d+$/.test(value)) return { kind: "tcp", host: value === "*" ? "" : value, port: "80" };
  return undefined;
}

/** True when the listener accepts the connections Docker forwards from a published port (not loopback only). */
export function reachableFromPublishedPort(endpoint: Endpoint): boolean {
  return endpoint.kind === "tcp" && !isLoopbackHost(endpoint.host);
}

export function describeListener(l: ContainerListener): string {
  return `${l.what} on ${describeEndpoint(l.endpoint)}`;
}
