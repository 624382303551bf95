import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import type { PyValue } from "../../src/python/values.js";
import type { DjangoApp, NginxValue, Service } from "../../src/model/deployment-model.js";
import { effectiveSetting, settingRange, truthy } from "../../src/model/django-settings.js";
import { settingProvenance } from "../../src/model/provenance.js";
import { allowedHostsAccept, effectiveProxyHeaders, passesToDjango, type DjangoPass } from "../../src/model/proxy-headers.js";
import { productionStacks } from "../../src/model/queries.js";

/** Whether Django receives the visitor's Host through this location: uwsgi_params passes it, proxy_pass only with `Host $host` / `$http_host`. */
function passesClientHost(p: DjangoPass): boolean {
  if (p.pass.directive === "uwsgi_pass") return true;
  const headers = effectiveProxyHeaders(p.nginx, p.server, p.at);
  if (!headers.known) return false;
  const host = headers.headers.get("host")?.value;
  return host === "$host" || host === "$http_host";
}

/** A server_name we can check as a plain host: no `_`, regex, wildcard or unknown template value. */
function plainName(name: NginxValue): string | undefined {
  const v = name.value;
  if (v === undefined || v === "" || v === "_" || v.startsWith("~") || v.includes("*") || v.startsWith(".") || v.includes("$")) return undefined;
  return v.toLowerCase().replace(/\.$/, "");
}

export default defineRule({
  id: "deploy/allowed-hosts-server-name",
  django: null,
  severity: "error",
  summary: "nginx serves a server_name that ALLOWED_HOSTS rejects: Django answers 400 Bad Request for that host",
  why:
    "nginx picks the server block by the request's Host and passes that Host on to Django (`uwsgi_params`, or " +
    "`proxy_set_header Host $host`). Django accepts a host only when ALLOWED_HOSTS lists it exactly, or a leading-dot " +
    "entry covers it (`.example.com` = example.com and every subdomain), or holds `*` — case-insensitively, the port " +
    "stripped. Every other host gets 400 Bad Request (DisallowedHost): a name nginx is configured to serve is down. " +
    "`_`, regular-expression and wildcard server names are not checked, nor settings whose ALLOWED_HOSTS is not known.",
  fix:
    "Add the host (or a leading-dot entry for its domain) to ALLOWED_HOSTS in the settings or the environment variable " +
    "they read, or remove the name from server_name if the site is not served under it.",
  examples: [
    {
      file: "deploy/nginx/site.conf",
      bad: "# settings.py: ALLOWED_HOSTS = [\"books.example.org\"]\nserver {\n    server_name books.example.org www.books.example.org;\n    ...\n}\n",
      good: "# settings.py: ALLOWED_HOSTS = [\"books.example.org\", \"www.books.example.org\"]\nserver {\n    server_name books.example.org www.books.example.org;\n    ...\n}\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      const seen = new Set<string>();
      const byServer = new Map<DjangoPass["server"], { p: DjangoPass; apps: Set<Service> }>();
      for (const p of passesToDjango(stack)) {
        if (!passesClientHost(p)) continue;
        const entry = byServer.get(p.server) ?? { p, apps: new Set<Service>() };
        entry.apps.add(p.app);
        byServer.set(p.server, entry);
      }
      for (const [server, { p, apps }] of byServer) {
        for (const service of apps) {
          const app = service.django;
          if (!app) continue;
          // USE_X_FORWARDED_HOST: Django takes X-Forwarded-Host first, which nginx may set to anything.
          if (forwardedHost(app) !== false) continue;
          const allowed = effectiveSetting(app, "ALLOWED_HOSTS");
          const patterns = allowedPatterns(allowed.value);
          if (patterns === undefined || patterns.length === 0) continue;
          for (const name of server.serverNames) {
            const host = plainName(name);
            if (host === undefined || allowedHostsAccept(patterns, host)) continue;
            const key = `${name.arg.range.file}:${name.arg.range.line}:${name.arg.range.column}:${service.name}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const provenance = settingProvenance(service, app, "ALLOWED_HOSTS", allowed);
            const related: RelatedLocation[] = [{ range: settingRange(app, allowed), message: `ALLOWED_HOSTS of service '${service.name}' is set here` }, ...provenance.related];
            // www.example.org beside an allowed example.org: the leading-dot entry covers both.
            const parent = host.split(".").slice(1).join(".");
            const domain = patterns.some((h) => h.toLowerCase() === parent) ? ` (or replace '${parent}' by '.${parent}' for the domain and its subdomains)` : "";
            report({
              stack: stack.id,
              range: name.arg.range,
              message:
                `nginx (service '${p.nginx.name}') serves server_name ${name.value} and passes its requests to service '${service.name}', but ALLOWED_HOSTS rejects '${host}': ` +
                `Django answers every request for it with 400 Bad Request. ${provenance.text}; add '${host}'${domain} to ALLOWED_HOSTS or drop the name from server_name`,
              related,
            });
          }
        }
      }
    }
  },
});

/** USE_X_FORWARDED_HOST (Django's default False; the settings may set it where we cannot see). */
function forwardedHost(app: DjangoApp): boolean | undefined {
  const explicit = app.settings?.values.get("USE_X_FORWARDED_HOST");
  if (explicit) return truthy(explicit.value);
  if (!app.settings || app.settings.problems.length > 0 || app.settings.openNamespace !== undefined) return undefined;
  return false;
}

/** ALLOWED_HOSTS as a list of strings; undefined when any entry (or the whole value) is unknown. */
function allowedPatterns(value: PyValue): string[] | undefined {
  if (value.kind !== "list" && value.kind !== "tuple") return undefined;
  const out: string[] = [];
  for (const item of value.items) {
    if (item.kind !== "str") return undefined;
    out.push(item.value);
  }
  return out;
}
