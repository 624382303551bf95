import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import type { NginxServer } from "../../src/model/deployment-model.js";
import { nginxServices, productionStacks, serverProxiesToApp } from "../../src/model/queries.js";
import { serverTlsProtocols } from "../../src/model/tls-protocols.js";

/** `server books.example.org` / `the default server` — how messages name a server block. */
function serverLabel(server: NginxServer): string {
  const names = server.serverNames.map((n) => n.value ?? n.arg.value).filter((n) => n !== "" && n !== "_");
  return names.length > 0 ? `server ${names.join(" ")}` : "the server";
}

export default defineRule({
  id: "nginx/weak-tls",
  django: null,
  severity: "warning",
  summary: "ssl_protocols enables SSLv2, SSLv3, TLSv1 or TLSv1.1 in an nginx server that serves the Django app",
  why:
    "SSLv3 is broken (POODLE, RFC 7568) and TLS 1.0 / 1.1 are deprecated (RFC 8996): they lack modern AEAD cipher " +
    "suites, allow downgrade attacks, fail PCI DSS, and SSL Labs caps such a site's grade at B. Browsers have refused " +
    "them since 2020, so enabling them only serves outdated or malicious clients — with the session cookies and " +
    "passwords of your Django users. nginx merges `ssl_protocols` from the http block into servers that set none, so " +
    "an old line in nginx.conf applies to every site. The rule stays silent when no `ssl_protocols` is written: nginx's " +
    "compiled-in default is `TLSv1.2 TLSv1.3` since 1.27.3 (1.23.4 added TLSv1.3 to a default that still held TLSv1 " +
    "TLSv1.1), and OpenSSL 3 (current official nginx images) refuses TLS 1.0 / 1.1 at its default security level " +
    "anyway — which makes an explicit legacy list at best dead configuration that misleads, at worst (OpenSSL 1.1.1 " +
    "images, `@SECLEVEL=0` ciphers) really enabled.",
  fix:
    "Write `ssl_protocols TLSv1.2 TLSv1.3;` (or remove the directive on nginx ≥ 1.27.3): TLSv1.2 is the floor. If a " +
    "known client population still needs TLS 1.0, serve it from a separate host name, not from the application's.",
  examples: [
    {
      file: "deploy/nginx/bookshelf.conf",
      bad: "server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n    location / { uwsgi_pass bookshelf; }\n}\n",
      good: "server {\n    listen 443 ssl;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    location / { uwsgi_pass bookshelf; }\n}\n",
    },
  ],
  check(model, report) {
    const seen = new Set<string>();
    for (const stack of productionStacks(model)) {
      for (const service of nginxServices(stack)) {
        for (const server of service.nginx?.servers ?? []) {
          if (!server.tls || !serverProxiesToApp(server)) continue;
          const protocols = serverTlsProtocols(service, server);
          if (!protocols || protocols.legacy.length === 0) continue;
          const { directive, level, legacy } = protocols;
          const key = `${directive.nameRange.file}:${directive.nameRange.line}:${directive.nameRange.column}:${server.directive.range.file}:${server.directive.range.line}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const them = legacy.length > 1 ? "them" : "it";
          const where =
            level === "http"
              ? `ssl_protocols at http level enables ${legacy.join(", ")}, and ${serverLabel(server)} (service '${service.name}'), which serves the Django app, inherits it`
              : `ssl_protocols in ${serverLabel(server)} (service '${service.name}') enables ${legacy.join(", ")} for the Django app`;
          const related: RelatedLocation[] = [
            {
              range: server.directive.nameRange,
              message: `${serverLabel(server)} (service '${service.name}') terminates TLS and passes requests to the app${level === "http" ? "; it sets no ssl_protocols of its own" : ""}`,
            },
          ];
          report({
            stack: stack.id,
            message: `${where}: drop ${them} and write \`ssl_protocols TLSv1.2 TLSv1.3;\` — TLSv1.2 is the floor.`,
            range: directive.nameRange,
            related,
          });
        }
      }
    }
  },
});
