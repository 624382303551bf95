import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import type { PyValue } from "../../src/python/values.js";
import type { DjangoApp } from "../../src/model/deployment-model.js";
import { effectiveSetting, settingRange, truthy } from "../../src/model/django-settings.js";
import { defaultServers, passedHost, serverAnswersItself } from "../../src/model/host-catchall.js";
import { settingProvenance } from "../../src/model/provenance.js";
import { passesToDjango } from "../../src/model/proxy-headers.js";
import { productionStacks } from "../../src/model/queries.js";

export default defineRule({
  id: "deploy/allowed-hosts-wildcard",
  django: null,
  severity: "warning",
  summary: "ALLOWED_HOSTS accepts any host while nginx passes the client's Host from its default server: Host-header poisoning",
  why:
    "A request whose Host matches no server_name goes to nginx's default server for that address and port (the one " +
    "marked `default_server`, else the first server listening there). When that server passes the client's Host on " +
    "(`proxy_set_header Host $host` / `$http_host`, or `uwsgi_pass`, which forwards the request headers) and " +
    "ALLOWED_HOSTS holds `*`, Django accepts any Host an attacker sends and builds password-reset links, absolute " +
    "URLs and redirects with it: the victim's reset e-mail points at the attacker's site. Not reported when the " +
    "default server answers by itself (`return 444`) or the Host is pinned (`proxy_set_header Host example.com`).",
  fix:
    "List the site's names in ALLOWED_HOSTS instead of `*`, or add a catch-all server that answers unknown names " +
    "itself: `server { listen 80 default_server; listen 443 ssl default_server; return 444; }`.",
  examples: [
    {
      file: "deploy/nginx/site.conf",
      bad:
        "# settings.py: ALLOWED_HOSTS = [\"*\"]\nserver {\n    listen 80;\n    server_name books.example.org;\n    location / {\n        proxy_pass http://web:8000;\n        proxy_set_header Host $host;\n    }\n}\n",
      good:
        "# settings.py: ALLOWED_HOSTS = [\"*\"]\nserver {\n    listen 80 default_server;\n    return 444;\n}\nserver {\n    listen 80;\n    server_name books.example.org;\n    location / {\n        proxy_pass http://web:8000;\n        proxy_set_header Host $host;\n    }\n}\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      const passes = passesToDjango(stack);
      const seen = new Set<string>();
      for (const nginx of stack.services) {
        if (!nginx.nginx) continue;
        const defaults = defaultServers(nginx);
        if (!defaults) continue;
        // A regex server_name (`~^.+$`) wins over the default server: one that answers by itself may catch every unknown host.
        if (nginx.nginx.servers.some((s) => s.serverNames.some((n) => n.value === undefined || n.value.startsWith("~")) && serverAnswersItself(s))) continue;
        for (const def of defaults) {
          if (serverAnswersItself(def.server)) continue;
          for (const p of passes) {
            if (p.nginx !== nginx || p.server !== def.server) continue;
            const host = passedHost(p);
            if (host.kind !== "client") continue;
            const service = p.app;
            const app = service.django;
            if (!app || forwardedHost(app) !== false) continue;
            const allowed = effectiveSetting(app, "ALLOWED_HOSTS");
            if (!acceptsAny(allowed.value)) continue;
            const range = settingRange(app, allowed);
            const key = `${range.file}:${range.line}:${range.column}:${service.name}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const provenance = settingProvenance(service, app, "ALLOWED_HOSTS", allowed);
            const serverRange = def.listen?.range ?? def.server.directive.nameRange;
            const names = def.server.serverNames.map((n) => n.value ?? n.arg.value).join(" ");
            const serverText = names === "" ? "a server block without server_name" : `server ${names}`;
            const why = def.explicit ? "its listen is marked default_server" : "it is the first server listening there";
            const hostVia = host.directive ? `'${host.directive.args.map((a) => a.value).join(" ")}'` : p.pass.directive === "uwsgi_pass" ? "uwsgi_pass forwards the request's Host header" : "the client's Host";
            const related: RelatedLocation[] = [
              { range: serverRange, message: `nginx (service '${nginx.name}') answers requests for unknown hosts on ${def.socket} with ${serverText}: ${why}` },
            ];
            if (host.directive) related.push({ range: host.directive.range, message: `location ${p.at.location.uri.value ?? ""} passes the client's Host to Django` });
            else related.push({ range: p.pass.target.arg.range, message: `location ${p.at.location.uri.value ?? ""} passes to Django with uwsgi_pass, which forwards the client's Host` });
            related.push(...provenance.related.filter((r) => !(r.range.file === range.file && r.range.line === range.line)));
            report({
              stack: stack.id,
              range,
              message:
                `ALLOWED_HOSTS of service '${service.name}' accepts any host ('*'), and nginx (service '${nginx.name}') passes the client's Host to it from ${serverText} ` +
                `(${serverRange.file}:${serverRange.line}), the default server for ${def.socket} (${hostVia}): a request with any Host reaches Django, which builds ` +
                `password-reset links and absolute URLs with it. ${provenance.text}; list the site's names in ALLOWED_HOSTS, or add a default_server that answers unknown hosts with 'return 444;'`,
              related,
            });
          }
        }
      }
    }
  },
});

/** ALLOWED_HOSTS holds `*` (other entries may be unknown: `*` alone accepts every host). */
function acceptsAny(value: PyValue): boolean {
  if (value.kind !== "list" && value.kind !== "tuple") return false;
  return value.items.some((item) => item.kind === "str" && item.value === "*");
}

/** USE_X_FORWARDED_HOST (Django's default False; the settings may set it where we cannot see). */
function forwardedHost(app: DjangoApp): boolean | undefined {
  const explicit = app.settings?.values.get("USE_X_FORWARDED_HOST");
  if (explicit) return truthy(explicit.value);
  if (!app.settings || app.settings.problems.length > 0 || app.settings.openNamespace !== undefined) return undefined;
  return false;
}
