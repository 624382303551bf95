/**
 * Where HTTPS ends for a stack, as far as the repository shows it: in the stack's own nginx
 * (`listen … ssl`), in a proxy in front of it (a traefik / caddy / haproxy / nginx-proxy
 * service, a service publishing 443, nginx told the scheme by someone upstream), or nowhere —
 * nginx publishes plain HTTP straight to the host and nothing else could add TLS. Anything the
 * repository cannot show (no nginx in the stack, nginx reached only through an external proxy
 * network, a host deployment where certbot edits the config on the server) is `unknown`.
 *
 * And whether the certificate files a TLS server names exist where its container reads them.
 */
import posix from "node:path/posix";
import type { SourceRange } from "../core/location.js";
import type { NginxDirective } from "../parsers/nginx.js";
import { isLoopbackHost } from "./app-server.js";
import type { ComposePort } from "../parsers/compose-types.js";
import type { DeploymentModel, NginxServer, Service, Stack } from "./deployment-model.js";
import { describeStorage } from "./container-filesystem.js";
import { flatten } from "./nginx-site.js";
import { isInsideRepo, normalizeRepoPath } from "./repo-tree.js";
import { allLocations, nginxServices } from "./queries.js";
import { passWirings } from "./socket-wiring.js";

/** Images that terminate TLS in front of a stack (or obtain certificates for one). */
const TLS_PROXY_IMAGE = /(^|[/_-])(traefik|caddy|haproxy|nginx-proxy|acme-companion|letsencrypt|docker-gen|swag|cloudflared|envoy|stunnel|certbot|nginx-proxy-manager|https-portal)([:@_-]|$)/i;
/** Env of nginx-proxy / acme-companion / https-portal: the service is served by a proxy the stack may not hold. */
const PROXY_ENV = new Set(["VIRTUAL_HOST", "VIRTUAL_PROTO", "LETSENCRYPT_HOST", "LETSENCRYPT_EMAIL", "HTTPS_METHOD", "DOMAINS"]);
/** External nginx includes that may hold `listen … ssl` (certbot's options-ssl-nginx.conf, snippets/ssl-*.conf). */
const TLS_INCLUDE = /ssl|tls|cert|letsencrypt|acme/i;

/** A plain-HTTP nginx server the host publishes, which passes requests to the app. */
export interface PlainEntry {
  nginx: Service;
  server: NginxServer;
  /** The `listen` directive of the published port. */
  listen: NginxDirective;
  /** The compose `ports:` entry publishing it (undefined with `network_mode: host`). */
  port: ComposePort | undefined;
  /** The Django services the server's locations reach. */
  apps: Service[];
}

export type TlsTermination =
  /** The stack's nginx declares `listen … ssl` (or `ssl on`). */
  | { kind: "nginx"; server: NginxServer; nginx: Service }
  /** Something in the stack or its config says TLS ends in front of nginx. */
  | { kind: "proxy"; reason: string; range: SourceRange | undefined }
  /** nginx publishes plain HTTP to the host and nothing in the repository terminates TLS. */
  | { kind: "none"; entries: PlainEntry[] }
  | { kind: "unknown"; reason: string };

function listenPort(listen: NginxDirective): string | undefined {
  const first = listen.args[0]?.value;
  if (first === undefined || first.startsWith("unix:")) return undefined;
  const m = /^(?:\[[^\]]*\]:|[^:]*:)?(\d+)$/.exec(first);
  if (m) return m[1];
  // `listen 127.0.0.1` / `listen localhost`: port 80.
  return /^[\w.-]+$/.test(first) && !/^\d+$/.test(first) ? "80" : undefined;
}

function listenAddressLoopback(listen: NginxDirective): boolean {
  const first = listen.args[0]?.value ?? "";
  const m = /^(\[[^\]]*\]|[^:]*):\d+$/.exec(first);
  if (!m) return false;
  const host = (m[1] as string).replace(/^\[|\]$/g, "");
  return isLoopbackHost(host);
}

/** Every directive of a server and its http context, includes expanded, nested blocks included. */
function serverDirectives(server: NginxServer): NginxDirective[] {
  const out: NginxDirective[] = [];
  const walk = (list: readonly NginxDirective[]): void => {
    for (const d of list) {
      out.push(d);
      if (d.name === "include" && d.included) for (const inc of d.included) walk(inc.directives);
      if (d.block) walk(d.block);
    }
  };
  walk(server.http);
  walk(server.directive.block ?? []);
  return out;
}

/** nginx is told by someone upstream that the request was HTTPS, or trusts a proxy in front. */
function upstreamTlsHint(server: NginxServer): NginxDirective | undefined {
  for (const d of serverDirectives(server)) {
    const args = d.args.map((a) => a.value);
    if (d.name === "set_real_ip_from" || d.name === "real_ip_header") return d;
    if (d.name === "include" && d.included === undefined && TLS_INCLUDE.test(args[0] ?? "")) return d;
    if (d.name === "ssl_certificate") return d;
    if (d.name === "proxy_set_header" && /^x-forwarded-(proto|ssl|scheme)$/i.test(args[0] ?? "") && args[1] !== "$scheme") return d;
    if ((d.name === "uwsgi_param" || d.name === "fastcgi_param" || d.name === "scgi_param") && /^(HTTPS|UWSGI_SCHEME|HTTP_X_FORWARDED_PROTO)$/i.test(args[0] ?? "")) {
      const v = args[1] ?? "";
      if (/^(on|https|1)$/i.test(v) || (v.startsWith("$") && v !== "$https" && v !== "$scheme")) return d;
    }
  }
  return undefined;
}

function publishes443(port: ComposePort): boolean {
  return port.target === "443" || port.published === "443";
}

/** Where TLS ends for a stack (see the module comment). */
export function tlsTermination(stack: Stack): TlsTermination {
  if (stack.runtime !== "compose") return { kind: "unknown", reason: "a host deployment: certbot and the server's own nginx config are not in the repository" };
  const nginxes = nginxServices(stack);
  if (nginxes.length === 0) return { kind: "unknown", reason: "the stack has no nginx: TLS may end outside the repository" };

  for (const nginx of nginxes) {
    for (const server of nginx.nginx?.servers ?? []) if (server.tls) return { kind: "nginx", server, nginx };
  }
  for (const service of stack.services) {
    const image = service.compose.image?.value ?? "";
    if (TLS_PROXY_IMAGE.test(image)) return { kind: "proxy", reason: `service '${service.name}' runs ${image}`, range: service.compose.image?.range };
    // nginx publishing 443 without a TLS server: a stream proxy or a config we do not read.
    const published = service.compose.ports.find(publishes443);
    if (published) return { kind: "proxy", reason: `service '${service.name}' publishes port 443`, range: published.range };
    for (const name of PROXY_ENV) {
      const env = service.compose.environment.get(name);
      if (env) return { kind: "proxy", reason: `service '${service.name}' sets ${name} for a proxy in front`, range: env.range };
    }
  }
  for (const nginx of nginxes) {
    const servers = nginx.nginx?.servers ?? [];
    if (servers.length === 0) return { kind: "unknown", reason: `the nginx config of service '${nginx.name}' is not in the repository` };
    for (const server of servers) {
      const hint = upstreamTlsHint(server);
      if (hint) return { kind: "proxy", reason: `nginx's '${hint.name}' says a proxy in front handles HTTPS`, range: hint.range };
    }
  }


  const wirings = passWirings(stack);
  const entries: PlainEntry[] = [];
  for (const nginx of nginxes) {
    const hostNetwork = nginx.compose.networkMode?.value === "host";
    for (const server of nginx.nginx?.servers ?? []) {
      const passes = new Set(allLocations(server).map((l) => l.pass).filter((p) => p !== undefined));
      const apps = [
        ...new Set(wirings.filter((w) => passes.has(w.pass) && w.wiring.kind === "connected").map((w) => (w.wiring as { app: Service }).app)),
      ].filter((a) => a.django?.settings !== undefined);
      if (apps.length === 0) continue;
      for (const listen of server.listens) {
        const port = listenPort(listen);
        if (port === undefined || listenAddressLoopback(listen)) continue;
        if (hostNetwork) {
          entries.push({ nginx, server, listen, port: undefined, apps });
          continue;
        }
        const published = nginx.compose.ports.find((p) => p.target === port && p.published !== undefined && !(p.hostIp !== undefined && isLoopbackHost(p.hostIp.replace(/^\[|\]$/g, ""))));
        if (published) entries.push({ nginx, server, listen, port: published, apps });
      }
    }
  }
  if (entries.length === 0) return { kind: "unknown", reason: "nginx publishes no port to the host: a proxy outside the stack may reach it" };
  return { kind: "none", entries };
}

// ---------------------------------------------------------------------------------------
// Certificate files

export type CertificateVerdict =
  | { kind: "found"; where: string }
  /** The path is on storage whose content the repository does not show (a volume, a bind from outside, a git-ignored file). */
  | { kind: "unknown"; reason: string }
  | { kind: "missing"; reason: string; mount: SourceRange | undefined };

export interface CertificateFile {
  nginx: Service;
  server: NginxServer;
  directive: NginxDirective;
  /** The path nginx opens (relative paths resolved against /etc/nginx). */
  path: string;
  verdict: CertificateVerdict;
}

const CERT_DIRECTIVES = new Set(["ssl_certificate", "ssl_certificate_key", "ssl_trusted_certificate", "ssl_client_certificate", "ssl_dhparam"]);

/** `data:` values, nginx variables, template variables: not a file we can look for. */
function literalPath(value: string): boolean {
  return value !== "" && !value.includes("$") && !value.startsWith("data:") && !value.startsWith("engine:");
}

function verdictFor(model: DeploymentModel, service: Service, path: string): CertificateVerdict {
  const { storage, mount } = service.filesystem.resolve(path);
  switch (storage.kind) {
    case "volume":
    case "anonymous-volume":
    case "tmpfs":
      return { kind: "unknown", reason: describeStorage(storage) };
    case "bind": {
      const host = storage.hostPath;
      if (!isInsideRepo(host)) return { kind: "unknown", reason: `bound from ${host}, outside the repository` };
      const file = normalizeRepoPath(host);
      if (model.files.includes(file)) return { kind: "found", where: file };
      // A git-ignored certificate is put there at deploy time, as it should be.
      if (model.git.ignore.check(file).ignored) return { kind: "unknown", reason: `${file} is git-ignored` };
      const source = normalizeRepoPath(mount?.source ?? ".");
      // A bound directory the repository lacks is created at deploy time (by a script, by certbot): unknown.
      const sourceInRepo = source === "." || model.files.some((f) => f === source || f.startsWith(`${source}/`));
      if (!sourceInRepo || model.git.ignore.check(`${source}/`).ignored) return { kind: "unknown", reason: `${source} is created at deploy time` };
      // Only git-tracked content is known: with no index we cannot tell what the deployer's checkout holds.
      if (model.git.index === undefined) return { kind: "unknown", reason: "not a git checkout" };
      return { kind: "missing", reason: `the bind mount of ${source} holds no ${posix.relative(source === "." ? "" : source, file) || file}`, mount: mount?.range };
    }
    case "image": {
      if (storage.repoPath !== undefined) return { kind: "found", where: storage.repoPath };
      // Only a stock image that runs its stock entrypoint is known not to hold the file.
      const c = service.compose;
      const stock = service.image === undefined && c.build === undefined && /^(docker\.io\/)?(library\/)?nginx(:[\w.-]+)?$/.test(c.image?.value ?? "");
      const ownStart = c.command !== undefined || c.entrypoint !== undefined;
      const entrypointScripts = c.volumes.some((v) => v.target.startsWith("/docker-entrypoint.d"));
      if (!stock || ownStart || entrypointScripts) return { kind: "unknown", reason: "the image may hold or generate it" };
      return { kind: "missing", reason: `the stock ${c.image?.value} image has no ${path} and no volume or bind mount provides it`, mount: undefined };
    }
  }
}

/** Every certificate / key file a TLS server (or its http block) names, with whether nginx's container has it. */
export function certificateFiles(model: DeploymentModel, stack: Stack): CertificateFile[] {
  const out: CertificateFile[] = [];
  const seen = new Set<NginxDirective>();
  for (const nginx of nginxServices(stack)) {
    for (const server of nginx.nginx?.servers ?? []) {
      const directives = [...flatten(server.directive.block ?? []), ...server.http];
      for (const directive of directives) {
        if (!CERT_DIRECTIVES.has(directive.name) || seen.has(directive)) continue;
        seen.add(directive);
        const arg = directive.args[0];
        // Template files keep `${VAR}` in the argument: unknown until rendered.
        if (!arg || !literalPath(arg.value)) continue;
        const path = arg.value.startsWith("/") ? posix.normalize(arg.value) : posix.join("/etc/nginx", arg.value);
        out.push({ nginx, server, directive, path, verdict: verdictFor(model, nginx, path) });
      }
    }
  }
  return out;
}
