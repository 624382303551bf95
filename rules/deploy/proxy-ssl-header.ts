import type { SourceRange } from "../../src/core/location.js";
import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import { isLoopbackHost } from "../../src/model/app-server.js";
import type { NginxServer, Service, Stack } from "../../src/model/deployment-model.js";
import { effectiveSetting, hasMiddleware, SECURITY_MIDDLEWARE, settingRange, truthy } from "../../src/model/django-settings.js";
import { settingProvenance } from "../../src/model/provenance.js";
import {
  appServerTrustsForwardedScheme,
  effectiveProxyHeaders,
  headerOfMetaKey,
  headerValueOverTls,
  passesToDjango,
  type DjangoPass,
  type ProxyHeaders,
} from "../../src/model/proxy-headers.js";
import { productionStacks } from "../../src/model/queries.js";

function at(range: SourceRange): string {
  return `${range.file}:${range.line}`;
}

function tlsListen(server: NginxServer): SourceRange {
  const listen = server.listens.find((l) => l.args.some((a) => a.value === "ssl")) ?? server.listens[0];
  return listen?.range ?? server.directive.nameRange;
}

/** One check per location that decides its own headers, else per server (the headers are the same for all its locations). */
function groupKey(p: DjangoPass, headers: ProxyHeaders): unknown {
  return headers.known && headers.level === "location" ? headers.location : p.server;
}

function passRelated(p: DjangoPass): RelatedLocation[] {
  return [
    { range: tlsListen(p.server), message: `nginx (service '${p.nginx.name}') terminates TLS here` },
    { range: p.pass.directive === "proxy_pass" ? proxyPassRange(p) : p.at.location.directive.nameRange, message: `location ${p.at.location.uri.value ?? ""} passes requests to service '${p.app.name}' over HTTP` },
  ];
}

function proxyPassRange(p: DjangoPass): SourceRange {
  return p.pass.target.arg.range;
}

/** The app's HTTP ports published on the host (not only on loopback): clients reach Django without nginx. */
function publishedAppPorts(stack: Stack, app: Service): Service["compose"]["ports"] {
  if (stack.runtime !== "compose") return [];
  const listeners = [...(app.appServer?.listeners ?? []), ...(app.appServer?.otherListeners ?? [])].filter((l) => l.protocol === "http" && l.endpoint.kind === "tcp");
  const ports = new Set(listeners.map((l) => (l.endpoint.kind === "tcp" ? l.endpoint.port : "")));
  return app.compose.ports.filter((p) => ports.has(p.target) && !(p.hostIp !== undefined && isLoopbackHost(p.hostIp.replace(/^\[(.*)\]$/, "$1"))));
}

export default defineRule({
  id: "deploy/proxy-ssl-header",
  django: null,
  severity: "error",
  summary: "nginx terminates TLS and proxies to Django, but SECURE_PROXY_SSL_HEADER does not match a header nginx sets",
  why:
    "Behind `proxy_pass` Django receives plain HTTP from nginx: it only knows the client used HTTPS when " +
    "SECURE_PROXY_SSL_HEADER names a header nginx sets (`proxy_set_header X-Forwarded-Proto $scheme;` ↔ " +
    "`('HTTP_X_FORWARDED_PROTO', 'https')`). Without it, or when the header differs, `request.is_secure()` is False " +
    "and SECURE_SSL_REDIRECT answers every HTTPS request with a redirect to the same HTTPS URL: the site loops until the " +
    "browser gives up. `proxy_set_header` directives are inherited from the enclosing block only when a location has " +
    "none of its own, so one `proxy_set_header Host $host;` in a location drops the server's X-Forwarded-Proto. A " +
    "header that nginx does not set at all passes from the client unchanged: anyone can claim HTTPS (a warning), and so " +
    "can anyone who reaches the app server's port published past nginx. `uwsgi_pass` with the stock `uwsgi_params` " +
    "passes HTTPS itself and needs no header; gunicorn trusts X-Forwarded-Proto from a unix socket or its " +
    "`forwarded_allow_ips` and is not reported then.",
  fix:
    "Set `proxy_set_header X-Forwarded-Proto $scheme;` in every location that proxies to Django (or in the server " +
    "block, with no other proxy_set_header in the locations) and `SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", " +
    "\"https\")` in the settings; publish the app server's port only through nginx (or on 127.0.0.1).",
  examples: [
    {
      file: "deploy/nginx/site.conf",
      bad: "# settings.py: SECURE_SSL_REDIRECT = True, no SECURE_PROXY_SSL_HEADER\nlocation / {\n    proxy_pass http://web:8000;\n    proxy_set_header Host $host;\n}\n",
      good:
        "# settings.py: SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")\nlocation / {\n    proxy_pass http://web:8000;\n    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-Proto $scheme;\n}\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      const passes = passesToDjango(stack);
      const seen = new Set<unknown>();
      const headerApps = new Set<Service>();
      for (const p of passes) {
        if (!p.server.tls || p.pass.directive !== "proxy_pass") continue;
        const app = p.app.django;
        if (!app) continue;
        const headers = effectiveProxyHeaders(p.nginx, p.server, p.at);
        if (!headers.known) continue;
        const key = groupKey(p, headers);
        const sph = effectiveSetting(app, "SECURE_PROXY_SSL_HEADER");
        const redirectSetting = effectiveSetting(app, "SECURE_SSL_REDIRECT");
        const redirect = hasMiddleware(app, SECURITY_MIDDLEWARE) === true && truthy(redirectSetting.value) === true;
        const where = `location ${p.at.location.uri.value ?? ""} of nginx (service '${p.nginx.name}') terminates TLS and proxies to service '${p.app.name}'`;
        const related = passRelated(p);
        const redirectAt = redirectSetting.explicit ? ` (${at(redirectSetting.explicit.range)})` : "";

        if (sph.value.kind === "none") {
          if (!redirect || seen.has(key)) continue;
          if (appServerTrustsForwardedScheme(p.app, headers.headers, stack.runtime) !== false) continue;
          seen.add(key);
          const proto = headers.headers.get("x-forwarded-proto");
          if (proto) related.push({ range: proto.directive.range, message: `nginx sets ${proto.name} here, but Django does not read it` });
          if (redirectSetting.explicit) related.push({ range: redirectSetting.explicit.range, message: `SECURE_SSL_REDIRECT is on in service '${p.app.name}'` });
          const add = proto ? "" : " and 'proxy_set_header X-Forwarded-Proto $scheme;' to the location";
          report({
            stack: stack.id,
            range: sph.explicit ? settingRange(app, sph) : settingRange(app, redirectSetting),
            message:
              `${where}, but SECURE_PROXY_SSL_HEADER is ${sph.explicit ? `None (${at(sph.explicit.range)})` : "not set"}: Django sees every request as plain HTTP and ` +
              `SECURE_SSL_REDIRECT${redirectAt} redirects it to HTTPS again, forever; set SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")${add}`,
            related,
          });
          continue;
        }

        if (sph.value.kind !== "tuple" && sph.value.kind !== "list") continue;
        const [k, v] = sph.value.items;
        if (sph.value.items.length !== 2 || k?.kind !== "str" || v?.kind !== "str") continue;
        const header = headerOfMetaKey(k.value);
        if (header === undefined || header === "host" || header === "connection") continue;
        headerApps.add(p.app);
        const sphAt = sph.explicit ? at(sph.explicit.range) : "";
        const provenance = settingProvenance(p.app, app, "SECURE_PROXY_SSL_HEADER", sph);
        const set = headers.headers.get(header);
        const levelText = headers.level === "default" ? "no proxy_set_header applies to it" : `its proxy_set_header directives come from ${headers.level === "location" ? `location ${headers.location?.uri.value ?? ""}` : `the ${headers.level} block`}`;
        if (set) {
          const sent = headerValueOverTls(set.value);
          if (sent === undefined || sent === v.value || !redirect || seen.has(key)) continue;
          seen.add(key);
          if (sph.explicit) related.push({ range: sph.explicit.range, message: `SECURE_PROXY_SSL_HEADER expects ${set.name}: ${v.value} in service '${p.app.name}'` });
          report({
            stack: stack.id,
            range: set.directive.args[1]?.range ?? set.directive.range,
            message:
              `${where} with ${set.name}: '${sent}', but SECURE_PROXY_SSL_HEADER (${sphAt}) only counts '${v.value}' as HTTPS: Django sees every request as plain HTTP ` +
              `and SECURE_SSL_REDIRECT${redirectAt} redirects it to HTTPS again, forever; send 'proxy_set_header ${set.name} $scheme;' or expect '${"https"}' in the settings`,
            related: [...related, ...provenance.related],
          });
          continue;
        }
        if (seen.has(key)) continue;
        seen.add(key);
        const nginxHeader = header.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => `${dash}${c.toUpperCase()}`);
        const consequence = redirect
          ? `Django sees HTTPS requests as plain HTTP and SECURE_SSL_REDIRECT${redirectAt} redirects them to HTTPS again, forever; and any client can send ${nginxHeader}: ${v.value} itself`
          : `the client's own ${nginxHeader} header reaches Django unchanged, so any client can claim HTTPS (request.is_secure(), secure redirects and CSRF's origin check trust it)`;
        report({
          stack: stack.id,
          severity: redirect ? "error" : "warning",
          range: settingRange(app, sph),
          message:
            `SECURE_PROXY_SSL_HEADER in service '${p.app.name}' trusts ${nginxHeader}, but nginx (service '${p.nginx.name}') does not set it for location ` +
            `${p.at.location.uri.value ?? ""} (${levelText}): ${consequence}; add 'proxy_set_header ${nginxHeader} $scheme;' where the location's other proxy_set_header directives are`,
          related: [...related, ...(headers.level !== "default" ? [...headers.headers.values()].slice(0, 1).map((h) => ({ range: h.directive.range, message: `the proxy_set_header directives in effect for location ${p.at.location.uri.value ?? ""} start here` })) : []), ...provenance.related],
        });
      }

      // The app server's port published past nginx: any client can send the header itself.
      for (const service of headerApps) {
        const app = service.django;
        if (!app) continue;
        const sph = effectiveSetting(app, "SECURE_PROXY_SSL_HEADER");
        const [k] = sph.value.kind === "tuple" || sph.value.kind === "list" ? sph.value.items : [];
        const nginx = passes.find((p) => p.app === service)?.nginx;
        for (const port of publishedAppPorts(stack, service)) {
          const published = port.published === undefined ? "a random host port" : `host port ${port.published}`;
          report({
            stack: stack.id,
            severity: "warning",
            range: port.range,
            message:
              `Service '${service.name}' publishes its app server's port ${port.target} on ${published} of every host interface, past nginx${nginx ? ` (service '${nginx.name}')` : ""}, while ` +
              `SECURE_PROXY_SSL_HEADER trusts ${k?.kind === "str" ? k.value : "a request header"}: a client that connects there directly can claim HTTPS; remove the mapping (nginx reaches ${service.name}:${port.target} on the compose network) or bind it to 127.0.0.1`,
            related: sph.explicit ? [{ range: sph.explicit.range, message: `SECURE_PROXY_SSL_HEADER trusts the header here` }] : [],
          });
        }
      }
    }
  },
});
