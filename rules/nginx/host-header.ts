import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import { flatten } from "../../src/model/nginx-site.js";
import { effectiveProxyHeaders, passesToDjango, proxyHostOf } from "../../src/model/proxy-headers.js";
import { productionStacks } from "../../src/model/queries.js";

export default defineRule({
  id: "nginx/host-header",
  django: null,
  severity: "warning",
  summary: "proxy_pass to Django without `proxy_set_header Host`: Django sees the upstream name as the host",
  why:
    "`proxy_pass` sends `Host: $proxy_host` unless a `proxy_set_header Host …` applies — the upstream's name or " +
    "`web:8000`, not the name the visitor used. Django then checks that name against ALLOWED_HOSTS (400 Bad Request " +
    "unless it is listed) and builds absolute URLs, redirects and password-reset links with it. `proxy_set_header` " +
    "directives are inherited from the enclosing block only when a location has none of its own: a location that sets " +
    "X-Forwarded-Proto alone loses the server's `Host $host`. `uwsgi_pass` is not concerned: `uwsgi_params` passes the " +
    "client's Host.",
  fix:
    "Add `proxy_set_header Host $host;` to the location that proxies to Django (or to the server block, when the " +
    "locations set no proxy_set_header of their own).",
  examples: [
    {
      file: "deploy/nginx/site.conf",
      bad: "location / {\n    proxy_pass http://web:8000;\n    proxy_set_header X-Forwarded-Proto $scheme;\n}\n",
      good: "location / {\n    proxy_pass http://web:8000;\n    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-Proto $scheme;\n}\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      const seen = new Set<unknown>();
      for (const p of passesToDjango(stack)) {
        if (p.pass.directive !== "proxy_pass") continue;
        const headers = effectiveProxyHeaders(p.nginx, p.server, p.at);
        if (!headers.known || headers.headers.has("host")) continue;
        const directive = flatten(p.at.location.directive.block ?? []).find((d) => d.name === "proxy_pass");
        const range = directive?.nameRange ?? p.pass.target.arg.range;
        const key = `${range.file}:${range.line}:${range.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const host = proxyHostOf(p.pass);
        const sees = host === undefined ? "the proxy_pass target's host" : `'${host}'`;
        const related: RelatedLocation[] = [];
        let levelText = "no proxy_set_header applies to it";
        if (headers.level !== "default") {
          const first = [...headers.headers.values()][0];
          const where = headers.level === "location" ? `location ${headers.location?.uri.value ?? ""}` : `the ${headers.level} block`;
          levelText = `its proxy_set_header directives come from ${where} and none of them sets Host`;
          if (first) related.push({ range: first.directive.range, message: `the proxy_set_header directives in effect start here (${where})` });
        }
        report({
          stack: stack.id,
          range,
          message:
            `location ${p.at.location.uri.value ?? ""} of nginx (service '${p.nginx.name}') proxies to Django (service '${p.app.name}') without a Host header (${levelText}): ` +
            `Django sees ${sees} as the host, which ALLOWED_HOSTS must then list and absolute URLs carry; add 'proxy_set_header Host $host;' to the location`,
          related,
        });
      }
    }
  },
});
