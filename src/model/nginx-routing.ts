import { posix } from "node:path";
import type { NginxLocation, NginxServer } from "./deployment-model.js";

/**
 * nginx's location selection (ngx_http_core_find_location): an exact `=` match wins; else
 * the longest prefix is remembered and its nested locations are searched the same way (an
 * exact or regex match there wins); then, unless that prefix is `^~`, this level's regex
 * locations are tried in order and the first match wins (its own nested locations are
 * searched too); else the remembered prefix (or the one nested inside it).
 * A regex JavaScript cannot compile is treated as not matching.
 */
export function selectLocation(locations: readonly NginxLocation[], uri: string): NginxLocation | undefined {
  return findLocation(locations, uri).location;
}

interface LocationSearch {
  location: NginxLocation | undefined;
  /** An exact or regex match: outer levels stop searching. */
  final: boolean;
}

function findLocation(locations: readonly NginxLocation[], uri: string): LocationSearch {
  const exact = locations.find((l) => l.modifier === "=" && l.uri.value === uri);
  if (exact) return { location: exact, final: true };
  let best: NginxLocation | undefined;
  for (const l of locations) {
    if (l.modifier !== "" && l.modifier !== "^~") continue;
    const prefix = l.uri.value;
    if (prefix === undefined || !uri.startsWith(prefix)) continue;
    if (!best || prefix.length > (best.uri.value ?? "").length) best = l;
  }
  let tentative: NginxLocation | undefined;
  if (best) {
    const nested = findLocation(best.children, uri);
    if (nested.final) return nested;
    tentative = nested.location ?? best;
  }
  if (best?.modifier !== "^~") {
    for (const l of locations) {
      if ((l.modifier !== "~" && l.modifier !== "~*") || !regexMatches(l, uri)) continue;
      const nested = findLocation(l.children, uri);
      return { location: nested.location ?? l, final: true };
    }
  }
  return { location: tentative, final: false };
}

function regexMatches(location: NginxLocation, uri: string): boolean {
  const source = location.uri.value;
  if (source === undefined) return false;
  try {
    return new RegExp(source, location.modifier === "~*" ? "i" : "").test(uri);
  } catch {
    // PCRE-only syntax: we cannot tell, so treat it as not matching.
    return false;
  }
}

export interface ServedFile {
  /** Absolute path in the nginx container the request reads, or undefined when unknown. */
  path: string | undefined;
  /** How it was computed, for messages. */
  via: "alias" | "root";
}

/**
 * Which file a location serves for a URI: `alias` replaces the location's prefix,
 * `root` is prepended to the whole URI. Undefined when the location passes the request
 * on (uwsgi_pass / proxy_pass) without serving files.
 */
export function servedFile(location: NginxLocation, uri: string): ServedFile | undefined {
  if (location.alias) {
    const alias = location.alias.value;
    const prefix = location.uri.value;
    if (alias === undefined || prefix === undefined || location.modifier === "~" || location.modifier === "~*") return { path: undefined, via: "alias" };
    return { path: absoluteNginxPath(alias + uri.slice(prefix.length)), via: "alias" };
  }
  if (location.pass && !location.tryFiles) return undefined;
  if (!location.root) return undefined;
  const root = location.root.value;
  return { path: root === undefined ? undefined : absoluteNginxPath(root + uri), via: "root" };
}

/** Relative root/alias paths resolve against nginx's prefix. Not normalised: `//` and `..` stay visible. */
function absoluteNginxPath(path: string): string {
  return path.startsWith("/") ? path : posix.join("/etc/nginx", path);
}

/** All servers' locations that would answer a URI (one per server). */
export function locationsFor(servers: readonly NginxServer[], uri: string): { server: NginxServer; location: NginxLocation }[] {
  const out: { server: NginxServer; location: NginxLocation }[] = [];
  for (const server of servers) {
    const location = selectLocation(server.locations, uri);
    if (location) out.push({ server, location });
  }
  return out;
}
