import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import { effectiveSetting, truthy } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";
import { productionStacks } from "../../src/model/queries.js";
import { tlsTermination } from "../../src/model/tls-termination.js";

/** The settings that need HTTPS, worst first: the redirect makes the site unreachable, the cookies break logins and forms. */
const NEEDS_TLS = [
  { name: "SECURE_SSL_REDIRECT", effect: "every request is redirected to https://, where nothing listens" },
  { name: "SESSION_COOKIE_SECURE", effect: "browsers never send the session cookie back over plain HTTP, so nobody stays logged in" },
  { name: "CSRF_COOKIE_SECURE", effect: "browsers never send the CSRF cookie back over plain HTTP, so every form POST fails with 403" },
  { name: "SECURE_HSTS_SECONDS", effect: "browsers that ever saw the header refuse plain HTTP to the site" },
] as const;

export default defineRule({
  id: "deploy/secure-cookies-without-tls",
  django: null,
  severity: "error",
  summary: "Secure cookies, SSL redirect or HSTS are on, but the stack serves only plain HTTP",
  why:
    "SECURE_SSL_REDIRECT sends every visitor to https://, SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE make browsers " +
    "withhold the cookies over http://, and HSTS makes them refuse http:// altogether. When the stack's nginx publishes " +
    "only a plain `listen 80` to the host and nothing in front of it terminates TLS, the site is unreachable, nobody " +
    "can log in and every form fails CSRF validation. The rule stays silent when the repository cannot show where TLS " +
    "ends: a stack without nginx, an nginx that publishes no port (reached through a proxy network), a TLS proxy " +
    "service (traefik, caddy, haproxy, nginx-proxy / acme-companion, a service publishing 443, VIRTUAL_HOST / " +
    "LETSENCRYPT_HOST env), nginx trusting a proxy in front (`real_ip_header`, a forwarded X-Forwarded-Proto, an " +
    "`HTTPS on` parameter), or a host deployment, where certbot edits the server's nginx config.",
  fix:
    "Terminate TLS: add a `server { listen 443 ssl; ssl_certificate …; ssl_certificate_key …; }` to nginx and publish " +
    "443, or put a TLS proxy in front of it. Until then, turn these settings off in the environment that serves " +
    "plain HTTP.",
  examples: [
    {
      file: "deploy/nginx/bookshelf.conf",
      bad: "# settings: SESSION_COOKIE_SECURE = True; compose publishes 80:80 only\nserver {\n    listen 80;\n    location / { uwsgi_pass bookshelf; }\n}\n",
      good: "server {\n    listen 443 ssl;\n    ssl_certificate /etc/nginx/certs/fullchain.pem;\n    ssl_certificate_key /etc/nginx/certs/privkey.pem;\n    location / { uwsgi_pass bookshelf; }\n}\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      const tls = tlsTermination(stack);
      if (tls.kind !== "none") continue;
      const apps = new Set(tls.entries.flatMap((e) => e.apps));
      for (const service of apps) {
        const app = service.django;
        if (!app?.settings) continue;
        const on = NEEDS_TLS.map((s) => ({ ...s, effective: effectiveSetting(app, s.name) })).filter((s) => truthy(s.effective.value) === true);
        const first = on[0];
        if (!first) continue;
        const entry = tls.entries.find((e) => e.apps.includes(service)) ?? tls.entries[0];
        if (!entry) continue;
        const finding = settingFinding(service, app, first.name, first.effective, "");
        const listenAt = `${entry.listen.range.file}:${entry.listen.range.line}`;
        const hosts = entry.server.serverNames.map((n) => n.value).filter((v): v is string => v !== undefined && v !== "_" && v !== "");
        const names = hosts.length > 0 ? ` for ${hosts.join(", ")}` : "";
        const published = entry.port ? `, published as ${entry.port.published}` : " on the host network";
        const also = on.slice(1).map((s) => s.name);
        const related: RelatedLocation[] = [
          { range: entry.listen.range, message: `nginx (service '${entry.nginx.name}') listens here without ssl${names}` },
          ...(entry.port ? [{ range: entry.port.range, message: `service '${entry.nginx.name}' publishes port ${entry.port.published} → ${entry.port.target}` }] : []),
          ...finding.related,
          ...on.slice(1).map((s) => ({ range: settingFinding(service, app, s.name, s.effective, "").range, message: `${s.name} is on too: ${s.effect}` })),
        ];
        report({
          stack: stack.id,
          message:
            `${first.name} is on in service '${service.name}', but nginx (service '${entry.nginx.name}') serves it only over plain HTTP${names} ` +
            `(${entry.listen.args.map((a) => a.value).join(" ")} at ${listenAt}${published}) and nothing in the stack terminates TLS: ${first.effect}` +
            `${also.length > 0 ? ` (${also.join(", ")} ${also.length > 1 ? "are" : "is"} on too)` : ""}. ` +
            "Add a `listen 443 ssl` server with a certificate (or a TLS proxy in front), or turn the setting off.",
          range: finding.range,
          related,
        });
      }
    }
  },
});
