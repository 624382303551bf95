/**
 * The TLS protocol versions an nginx server accepts, as far as the repository says:
 * `ssl_protocols` of the server block, else of the enclosing http block (nginx merges it
 * http → server; it is not allowed in locations). Only what is written is judged: without the
 * directive nginx's compiled-in default applies (TLSv1.2 TLSv1.3 since 1.27.3), and an http
 * block from outside the repository (a distribution's nginx.conf) is not seen.
 */
import type { NginxDirective } from "../parsers/nginx.js";
import type { NginxServer, Service } from "./deployment-model.js";
import { inheritedDirective } from "./nginx-directives.js";
import { templateRenderer } from "./nginx-site.js";

/** Protocols broken or deprecated (RFC 7568 for SSLv3, RFC 8996 for TLS 1.0 / 1.1), in nginx's spelling. */
const LEGACY = ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"] as const;

export interface ServerTlsProtocols {
  /** The `ssl_protocols` directive in effect. */
  directive: NginxDirective;
  level: "server" | "http";
  /** Legacy protocols it enables, as nginx names them, in the order written. */
  legacy: string[];
  /** Every protocol it enables whose name is known (template variables rendered). */
  enabled: string[];
}

/**
 * The `ssl_protocols` in effect for a server, with the legacy versions it enables; undefined
 * when the server sets none and inherits none (nginx's default applies).
 */
export function serverTlsProtocols(service: Service, server: NginxServer): ServerTlsProtocols | undefined {
  const decided = inheritedDirective(server, undefined, "ssl_protocols");
  if (decided.directive === undefined || (decided.level !== "server" && decided.level !== "http")) return undefined;
  const render = templateRenderer(service.environment);
  const enabled: string[] = [];
  for (const arg of decided.directive.args) {
    const value = render(arg).value;
    // A template variable with an unknown value: that word is unknown, the others still count.
    if (value === undefined) continue;
    enabled.push(...value.split(/\s+/).filter((w) => w !== ""));
  }
  // nginx compares the names case-insensitively (ngx_conf_set_bitmask_slot).
  const legacy = enabled.map((p) => LEGACY.find((l) => l.toLowerCase() === p.toLowerCase())).filter((p): p is (typeof LEGACY)[number] => p !== undefined);
  return { directive: decided.directive, level: decided.level, legacy: [...new Set(legacy)], enabled };
}
