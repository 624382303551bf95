import { expect, it } from "vitest";
import { tlsTermination } from "../../../src/model/tls-termination.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/secure-cookies-without-tls";
const SETTINGS = "app/bookshelf/settings.py";

function termination(fixture: string): string {
  const stack = lintRuleFixture(RULE, fixture).result.model.stacks[0];
  if (!stack) return "no stack";
  const tls = tlsTermination(stack);
  return tls.kind === "proxy" || tls.kind === "unknown" ? `${tls.kind}: ${tls.reason}` : tls.kind;
}

describeRuleTable(
  RULE,
  {
    bad: [{ fixture: "bad-plain-http", plants: "nginx only listens 80 (published 80:80), the settings turn on the SSL redirect and secure cookies", rows: [[RULE, SETTINGS, 51, 1]] }],
    good: ["good", "good-host-proxy", "good-traefik"],
  },
  () => {
    it("plain HTTP: names the setting, the nginx listen and the published port, and lists the other settings", () => {
      const finding = findingOf(RULE, "bad-plain-http");
      expect(finding.message).toContain("SECURE_SSL_REDIRECT is on in service 'web'");
      expect(finding.message).toContain("nginx (service 'nginx') serves it only over plain HTTP for books.example.org (80 at deploy/nginx/bookshelf.conf:6, published as 80)");
      expect(finding.message).toContain("redirected to https://");
      expect(finding.message).toContain("(SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE, SECURE_HSTS_SECONDS are on too)");
      expect(relatedRows(finding)).toEqual([
        ["deploy/nginx/bookshelf.conf", 6, 5],
        ["docker-compose.yml", 26, 9],
        [SETTINGS, 55, 1],
        [SETTINGS, 56, 1],
        [SETTINGS, 52, 1],
      ]);
      expect(finding.related[2]?.message).toContain("nobody stays logged in");
    });

    // The good fixtures are silent for the reason each one plants, not because nothing was looked at.
    it("good fixtures: TLS ends in nginx, or in a proxy the stack or nginx's config shows", () => {
      expect(termination("good")).toBe("nginx");
      expect(termination("good-traefik")).toBe("proxy: service 'traefik' runs traefik:v3.1");
      expect(termination("good-host-proxy")).toBe("proxy: nginx's 'uwsgi_param' says a proxy in front handles HTTPS");
      expect(termination("bad-plain-http")).toBe("none");
    });
  },
);
