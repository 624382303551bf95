/**
 * nginx's directive inheritance for http/server/location directives (client_max_body_size
 * and its kind): a location uses its own value, else the enclosing location's, the server's,
 * the http block's, else nginx's compiled-in default. Includes are already expanded.
 */
import type { NginxDirective } from "../parsers/nginx.js";
import type { NginxLocation, NginxServer, Service } from "./deployment-model.js";
import { flatten, templateRenderer } from "./nginx-site.js";

export type DirectiveLevel = "location" | "server" | "http";

export interface InheritedDirective {
  /** The directive that decides, or undefined when nothing sets it (nginx's default applies). */
  directive: NginxDirective | undefined;
  level: DirectiveLevel | "default";
  /** The location that sets it, for level "location". */
  location: NginxLocation | undefined;
}

/** A location with the locations it is nested in, outermost first. */
export interface LocationInServer {
  location: NginxLocation;
  ancestors: NginxLocation[];
}

/** Every location of a server with its ancestors (nested locations included). */
export function locationsWithAncestors(server: NginxServer): LocationInServer[] {
  const out: LocationInServer[] = [];
  const walk = (locations: readonly NginxLocation[], ancestors: NginxLocation[]): void => {
    for (const location of locations) {
      out.push({ location, ancestors });
      walk(location.children, [...ancestors, location]);
    }
  };
  walk(server.locations, []);
  return out;
}

function own(directives: readonly NginxDirective[], name: string): NginxDirective | undefined {
  // nginx rejects a second one at the same level ("is duplicate"): the first is the one it read.
  return directives.find((d) => d.name === name && !d.block);
}

/** The value of `name` in effect for a location (or for the server itself when `at` is undefined). */
export function inheritedDirective(server: NginxServer, at: LocationInServer | undefined, name: string): InheritedDirective {
  const chain = at ? [...at.ancestors, at.location] : [];
  for (const location of [...chain].reverse()) {
    const directive = own(flatten(location.directive.block ?? []), name);
    if (directive) return { directive, level: "location", location };
  }
  const inServer = own(flatten(server.directive.block ?? []), name);
  if (inServer) return { directive: inServer, level: "server", location: undefined };
  const inHttp = own(server.http, name);
  if (inHttp) return { directive: inHttp, level: "http", location: undefined };
  return { directive: undefined, level: "default", location: undefined };
}

/** nginx's default client_max_body_size: 1m. */
export const NGINX_DEFAULT_BODY_SIZE = 1024 * 1024;

/**
 * An nginx size (`ngx_parse_offset`): bytes, or a number with k/K, m/M, g/G. Undefined for
 * anything else (a variable, a typo `nginx -t` rejects).
 */
export function parseNginxSize(value: string): number | undefined {
  const m = /^(\d+)([kKmMgG]?)$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? "").toLowerCase();
  return unit === "k" ? n * 1024 : unit === "m" ? n * 1024 * 1024 : unit === "g" ? n * 1024 * 1024 * 1024 : n;
}

/** The body size limit in effect for a location. */
export interface BodySizeLimit {
  /** Bytes; 0 = unlimited; undefined when unknown (a variable, or an nginx.conf from outside the repository). */
  bytes: number | undefined;
  decided: InheritedDirective;
}

/** Official nginx images and distribution packages leave client_max_body_size at its default in nginx.conf. */
const STOCK_NGINX_CONF = /^(?:(?:docker\.io\/)?(?:library\/)?[a-z0-9._-]+|nginxinc\/nginx-unprivileged|bitnami\/nginx)(?::[^/]*)?(?:@.*)?$/i;

/**
 * Whether the http block nginx wraps the repository's files in is known: the repository's
 * own nginx.conf, or the stock one of an official image (or a distribution's package).
 */
export function httpContextKnown(service: Service): boolean {
  if (service.filesystem.repoPath("/etc/nginx/nginx.conf") !== undefined) return true;
  const image = service.image;
  let base = image?.stage;
  for (let guard = 0; base?.baseStage !== undefined && image && guard < image.stages.length; guard++) base = image.stages[base.baseStage];
  const names = [service.compose.image?.value, base?.baseImage.unresolved?.length ? undefined : base?.baseImage.value];
  // An image built here is what compose runs, whatever tag it is given.
  const name = image ? names[1] : names[0];
  return name !== undefined && STOCK_NGINX_CONF.test(name);
}

/** client_max_body_size for a location of a server of `service`. */
export function clientMaxBodySize(service: Service, server: NginxServer, at: LocationInServer): BodySizeLimit {
  const decided = inheritedDirective(server, at, "client_max_body_size");
  if (decided.directive === undefined) {
    return { bytes: httpContextKnown(service) ? NGINX_DEFAULT_BODY_SIZE : undefined, decided };
  }
  const arg = decided.directive.args[0];
  if (!arg || decided.directive.args.length !== 1) return { bytes: undefined, decided };
  // A template's ${VAR} takes the container's value (envsubst); unknown stays unknown.
  const value = templateRenderer(service.environment)(arg).value;
  return { bytes: value === undefined ? undefined : parseNginxSize(value), decided };
}
