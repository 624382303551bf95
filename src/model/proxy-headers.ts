/**
 * The request headers nginx sends with `proxy_pass`: `proxy_set_header` is inherited from the
 * enclosing level only when the current level has none of its own (location → enclosing
 * location → server → http), and nginx's defaults apply when no level sets any
 * (`Host $proxy_host`, `Connection close`). Every other header the client sent passes unchanged.
 */
import type { NginxDirective } from "../parsers/nginx.js";
import type { NginxLocation, NginxPass, NginxServer, Service, Stack } from "./deployment-model.js";
import { locationsWithAncestors, type DirectiveLevel, type LocationInServer } from "./nginx-directives.js";
import { flatten, templateRenderer } from "./nginx-site.js";
import { passWirings } from "./socket-wiring.js";

export interface ProxyHeader {
  /** As written (`X-Forwarded-Proto`). */
  name: string;
  /** The value after template rendering; undefined when it depends on an unknown env variable. */
  value: string | undefined;
  directive: NginxDirective;
}

export type ProxyHeaders =
  | {
      known: true;
      /** Lower-cased header name → the first `proxy_set_header` for it at the deciding level. */
      headers: Map<string, ProxyHeader>;
      /** The level whose `proxy_set_header` directives apply; "default" when none sets any. */
      level: DirectiveLevel | "default";
      location: NginxLocation | undefined;
    }
  | { known: false; reason: string };

/** Files nginx installs that hold no proxy_set_header: an include of them changes nothing here. */
const STOCK_WITHOUT_PROXY_HEADERS = /(?:^|\/)(?:mime\.types|uwsgi_params|fastcgi_params|fastcgi\.conf|scgi_params|koi-utf|koi-win|win-utf)$/;

interface LevelHeaders {
  directives: NginxDirective[];
  /** An include whose target is outside the repository (it may set headers). */
  external: NginxDirective | undefined;
}

function levelHeaders(directives: readonly NginxDirective[]): LevelHeaders {
  const flat = flatten(directives);
  const external = flat.find((d) => d.name === "include" && d.included === undefined && !STOCK_WITHOUT_PROXY_HEADERS.test(d.args[0]?.value ?? ""));
  return { directives: flat.filter((d) => d.name === "proxy_set_header" && !d.block), external };
}

/** The `proxy_set_header` directives in effect for a location of `server` of nginx service `nginx`. */
export function effectiveProxyHeaders(nginx: Service, server: NginxServer, at: LocationInServer): ProxyHeaders {
  const render = templateRenderer(nginx.environment);
  const levels: { level: DirectiveLevel; location: NginxLocation | undefined; own: LevelHeaders }[] = [];
  for (const location of [...at.ancestors, at.location].reverse()) levels.push({ level: "location", location, own: levelHeaders(location.directive.block ?? []) });
  levels.push({ level: "server", location: undefined, own: levelHeaders(server.directive.block ?? []) });
  levels.push({ level: "http", location: undefined, own: levelHeaders(server.http) });
  for (const { level, location, own } of levels) {
    if (own.external) {
      const where = `${own.external.range.file}:${own.external.range.line}`;
      return { known: false, reason: `'include ${own.external.args[0]?.value ?? ""}' (${where}) reads a file from outside the repository that may set proxy headers` };
    }
    if (own.directives.length === 0) continue;
    const headers = new Map<string, ProxyHeader>();
    for (const directive of own.directives) {
      const [name, value] = directive.args;
      if (!name || !value || directive.args.length !== 2) continue;
      const key = name.value.toLowerCase();
      if (!headers.has(key)) headers.set(key, { name: name.value, value: render(value).value, directive });
    }
    return { known: true, headers, level, location };
  }
  return { known: true, headers: new Map(), level: "default", location: undefined };
}

/** Django's META key for a request header: `X-Forwarded-Proto` → `HTTP_X_FORWARDED_PROTO`. */
export function metaKeyOfHeader(header: string): string {
  return `HTTP_${header.toUpperCase().replace(/-/g, "_")}`;
}

/** The header a META key names (`HTTP_X_FORWARDED_PROTO` → `x-forwarded-proto`); undefined for keys that are not request headers. */
export function headerOfMetaKey(key: string): string | undefined {
  const m = /^HTTP_([A-Z0-9_]+)$/.exec(key);
  return m ? (m[1] as string).toLowerCase().replace(/_/g, "-") : undefined;
}

/**
 * What a header value nginx sends becomes for a request nginx received over TLS: `$scheme` is
 * "https", a literal stays itself; undefined for any other variable (it depends on the request,
 * or on a proxy in front of nginx).
 */
export function headerValueOverTls(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === "$scheme" || value === "${scheme}") return "https";
  if (value.includes("$")) return undefined;
  return value;
}

/** gunicorn's default `secure_scheme_headers`: the header, and the value that marks the request secure. */
const GUNICORN_SECURE_SCHEME_HEADERS: ReadonlyMap<string, string> = new Map([
  ["x-forwarded-protocol", "ssl"],
  ["x-forwarded-proto", "https"],
  ["x-forwarded-ssl", "on"],
]);

/**
 * Whether the app server itself turns the forwarded scheme into `wsgi.url_scheme = https`, so
 * Django sees HTTPS without SECURE_PROXY_SSL_HEADER: gunicorn does for its secure_scheme_headers
 * from peers in `forwarded_allow_ips` (127.0.0.1 unless set; every unix-socket peer). False when
 * it cannot (uWSGI, or gunicorn that provably does not trust nginx), undefined when unknown.
 */
export function appServerTrustsForwardedScheme(app: Service, headers: ReadonlyMap<string, ProxyHeader>, runtime: "compose" | "host"): boolean | undefined {
  const server = app.appServer;
  if (!server) return undefined;
  if (server.kind === "uwsgi") return false;
  if (server.kind !== "gunicorn") return undefined;
  const sendsSecure = [...GUNICORN_SECURE_SCHEME_HEADERS].some(([name, secure]) => headerValueOverTls(headers.get(name)?.value) === secure || (headers.has(name) && headerValueOverTls(headers.get(name)?.value) === undefined));
  if (!sendsSecure) return false;
  // Trusted peers we cannot rule out: a unix socket, nginx on the same host, options we cannot see.
  if (runtime === "host" || server.unknown?.listeners !== undefined || server.configFiles.length > 0) return undefined;
  if (server.listeners.some((l) => l.endpoint.kind === "unix")) return true;
  const mentions = [...app.command, ...(server.startEnv ?? [])].some((w) => /forwarded[-_]allow[-_]ips/i.test(w.value));
  if (mentions || app.environment.values.has("FORWARDED_ALLOW_IPS") || app.environment.values.has("GUNICORN_CMD_ARGS") || !app.environment.complete) return undefined;
  return false;
}

/** A location that hands requests to a Django service, with the server and nginx service it belongs to. */
export interface DjangoPass {
  nginx: Service;
  server: NginxServer;
  at: LocationInServer;
  pass: NginxPass;
  app: Service;
}

/** Every (location, Django service) pair of a stack where nginx's pass reaches the app server (socket-wiring's "connected"). */
export function passesToDjango(stack: Stack): DjangoPass[] {
  const apps = new Map<NginxPass, Service[]>();
  for (const { pass, wiring } of passWirings(stack)) {
    if (wiring.kind !== "connected" || !wiring.app.django?.settings) continue;
    const list = apps.get(pass) ?? [];
    if (!list.includes(wiring.app)) list.push(wiring.app);
    apps.set(pass, list);
  }
  const out: DjangoPass[] = [];
  for (const nginx of stack.services) {
    for (const server of nginx.nginx?.servers ?? []) {
      for (const at of locationsWithAncestors(server)) {
        const pass = at.location.pass;
        if (!pass) continue;
        for (const app of apps.get(pass) ?? []) out.push({ nginx, server, at, pass, app });
      }
    }
  }
  return out;
}

/** The Host nginx's proxy_pass sends when no proxy_set_header Host applies: `$proxy_host`, the target's host[:port]. */
export function proxyHostOf(pass: NginxPass): string | undefined {
  const target = pass.target.value;
  if (target === undefined) return undefined;
  const m = /^[a-z]+:\/\/([^/]+)/i.exec(target);
  return m?.[1];
}

/**
 * Django's `validate_host(host, ALLOWED_HOSTS)` for a host without port: `*`, an exact match, or
 * a leading-dot pattern (`.example.com` = example.com and its subdomains), case-insensitive.
 */
export function allowedHostsAccept(patterns: readonly string[], host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return patterns.some((raw) => {
    const pattern = raw.toLowerCase();
    if (pattern === "*") return true;
    if (pattern.startsWith(".")) return h.endsWith(pattern) || h === pattern.slice(1);
    return h === pattern;
  });
}
