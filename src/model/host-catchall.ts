/**
 * Which nginx server block answers a request whose Host matches no server_name (nginx's default
 * server of each listen socket: the one marked `default_server`, else the first server listening
 * there), whether that server answers by itself (a server-level `return`), and which Host a
 * location passes on to Django: the client's (`proxy_set_header Host $host` / `$http_host`, or
 * uwsgi_pass, which forwards every request header as HTTP_*) or a pinned one.
 */
import type { NginxDirective } from "../parsers/nginx.js";
import type { NginxServer, Service } from "./deployment-model.js";
import type { DjangoPass } from "./proxy-headers.js";
import { effectiveProxyHeaders } from "./proxy-headers.js";
import { flatten, templateRenderer } from "./nginx-site.js";

export interface DefaultServer {
  /** `*:80`, `[::]:443`, `127.0.0.1:8080`. */
  socket: string;
  server: NginxServer;
  /** The listen directive that puts the server on the socket (undefined: no listen, nginx's `*:80`). */
  listen: NginxDirective | undefined;
  /** `default_server` is written on the listen; else the server is the first one on the socket. */
  explicit: boolean;
}

/** The socket a listen's address names; undefined for unix sockets or when unknown. */
function socketOf(address: string): string | undefined {
  if (address.startsWith("unix:")) return undefined;
  if (/^\d+$/.test(address)) return `*:${address}`;
  const v6 = /^(\[[^\]]+\])(?::(\d+))?$/.exec(address);
  if (v6) return `${v6[1]}:${v6[2] ?? "80"}`;
  const m = /^([^:]+)(?::(\d+))?$/.exec(address);
  if (!m) return undefined;
  const host = m[1] === "0.0.0.0" ? "*" : (m[1] as string);
  return `${host}:${m[2] ?? "80"}`;
}

/**
 * The default server of every listen socket of an nginx service, in the order nginx reads the
 * servers; undefined when a listen address is unknown (a template variable without a value), since
 * that server might be the default of any socket.
 */
export function defaultServers(nginx: Service): DefaultServer[] | undefined {
  const servers = nginx.nginx?.servers ?? [];
  const render = templateRenderer(nginx.environment);
  const bySocket = new Map<string, DefaultServer>();
  for (const server of servers) {
    const listens = server.listens.length > 0 ? server.listens : [undefined];
    for (const listen of listens) {
      let socket = "*:80";
      let explicit = false;
      if (listen) {
        const first = listen.args[0];
        if (!first) continue;
        const address = render(first).value;
        if (address === undefined) return undefined;
        const parsed = socketOf(address);
        if (parsed === undefined) continue;
        socket = parsed;
        explicit = listen.args.slice(1).some((a) => a.value === "default_server" || a.value === "default");
      }
      const current = bySocket.get(socket);
      if (!current || (explicit && !current.explicit)) bySocket.set(socket, { socket, server, listen, explicit });
    }
  }
  return [...bySocket.values()];
}

/**
 * Whether the server answers every request itself before any location runs: a server-level
 * `return` (444, 400, a redirect), or an `if` that may (a `$host` guard): we cannot tell which
 * requests pass then, so both count as answering.
 */
export function serverAnswersItself(server: NginxServer): NginxDirective | undefined {
  return flatten(server.directive.block ?? []).find((d) => (d.name === "return" && !d.block) || (d.name === "if" && d.block !== undefined && containsReturn(d.block)));
}

function containsReturn(directives: readonly NginxDirective[]): boolean {
  return flatten(directives).some((d) => d.name === "return" || (d.block !== undefined && d.name === "if" && containsReturn(d.block)));
}

export type PassedHost =
  | { kind: "client"; directive: NginxDirective | undefined }
  | { kind: "pinned"; directive: NginxDirective }
  | { kind: "unknown" };

/** Files nginx installs: `uwsgi_params` sets no HTTP_HOST. */
const STOCK_PARAMS = /(?:^|\/)uwsgi_params$/;

/** The Host Django receives through a location that passes to it. */
export function passedHost(p: DjangoPass): PassedHost {
  // A location-level `if … { return …; }` may turn unknown hosts away: not judged.
  for (const location of [...p.at.ancestors, p.at.location]) {
    if (flatten(location.directive.block ?? []).some((d) => d.name === "if" && d.block !== undefined && containsReturn(d.block))) return { kind: "unknown" };
  }
  if (p.pass.directive === "proxy_pass") {
    const headers = effectiveProxyHeaders(p.nginx, p.server, p.at);
    if (!headers.known) return { kind: "unknown" };
    const host = headers.headers.get("host");
    // No Host header: nginx sends $proxy_host, the upstream's name (nginx/host-header's concern).
    if (!host) return { kind: "pinned", directive: locationPass(p) };
    if (host.value === undefined) return { kind: "unknown" };
    if (/\$(?:host|http_host|\{host\}|\{http_host\})\b/.test(host.value)) return { kind: "client", directive: host.directive };
    if (host.value.includes("$")) return { kind: "unknown" };
    return { kind: "pinned", directive: host.directive };
  }
  // uwsgi_pass forwards the client's headers as HTTP_* unless a uwsgi_param HTTP_HOST in effect replaces it;
  // uwsgi_param is inherited from the enclosing level only when a level sets none (an include of uwsgi_params counts).
  const render = templateRenderer(p.nginx.environment);
  const levels = [...[...p.at.ancestors, p.at.location].reverse().map((l) => l.directive.block ?? []), p.server.directive.block ?? [], p.server.http];
  for (const level of levels) {
    const flat = flatten(level);
    if (flat.some((d) => d.name === "include" && d.included === undefined && !STOCK_PARAMS.test(d.args[0]?.value ?? ""))) return { kind: "unknown" };
    const params = flat.filter((d) => d.name === "uwsgi_param" && !d.block);
    const stock = level.some((d) => d.name === "include" && STOCK_PARAMS.test(d.args[0]?.value ?? ""));
    if (params.length === 0 && !stock) continue;
    const hostParam = params.find((d) => d.args[0]?.value.toUpperCase() === "HTTP_HOST" && d.args[1]);
    const hostArg = hostParam?.args[1];
    if (!hostParam || !hostArg) return { kind: "client", directive: undefined };
    const value = render(hostArg).value;
    if (value === undefined) return { kind: "unknown" };
    if (/\$(?:host|http_host|\{host\}|\{http_host\})\b/.test(value)) return { kind: "client", directive: hostParam };
    if (value.includes("$")) return { kind: "unknown" };
    return { kind: "pinned", directive: hostParam };
  }
  return { kind: "client", directive: undefined };
}

function locationPass(p: DjangoPass): NginxDirective {
  return flatten(p.at.location.directive.block ?? []).find((d) => d.name === "proxy_pass") ?? p.at.location.directive;
}
