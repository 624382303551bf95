import { expect, it } from "vitest";
import { appServerTrustsForwardedScheme, effectiveProxyHeaders, passesToDjango } from "../../../src/model/proxy-headers.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/proxy-ssl-header";
const NGINX_CONF = "deploy/nginx/bookshelf.conf";
const SETTINGS = "app/bookshelf/settings.py";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-unset", plants: "no SECURE_PROXY_SSL_HEADER, SECURE_SSL_REDIRECT on, proxy_pass", rows: [[RULE, SETTINGS, 51, 1]] },
      { fixture: "bad-location-drops-header", plants: "X-Forwarded-Proto set in the server, location / sets its own Host only", rows: [[RULE, SETTINGS, 51, 1]] },
      { fixture: "bad-wrong-value", plants: "proxy_set_header X-Forwarded-Proto http", rows: [[RULE, NGINX_CONF, 30, 44]] },
      { fixture: "bad-spoofable", plants: "no X-Forwarded-Proto from nginx, no SSL redirect in Django", rows: [[RULE, SETTINGS, 51, 1]] },
      { fixture: "bad-published-port", plants: "web publishes 8000:8000 past nginx", rows: [[RULE, "docker-compose.yml", 15, 9]] },
    ],
    good: ["good", "good-uwsgi-pass", "good-gunicorn-forwarded"],
  },
  () => {
    it("unset: the redirect loop, with both ends of the TLS hop", () => {
      const finding = findingOf(RULE, "bad-unset");
      expect(finding.severity).toBe("error");
      expect(finding.message).toContain("location / of nginx (service 'nginx') terminates TLS and proxies to service 'web', but SECURE_PROXY_SSL_HEADER is not set");
      expect(finding.message).toContain("SECURE_SSL_REDIRECT (app/bookshelf/settings.py:51) redirects it to HTTPS again, forever");
      expect(finding.message).toContain('set SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")');
      expect(relatedRows(finding)).toEqual([
        [NGINX_CONF, 12, 5],
        [NGINX_CONF, 27, 20],
        [NGINX_CONF, 30, 9],
        [SETTINGS, 51, 1],
      ]);
    });

    it("a location's own proxy_set_header drops the server's X-Forwarded-Proto", () => {
      const finding = findingOf(RULE, "bad-location-drops-header");
      expect(finding.severity).toBe("error");
      expect(finding.message).toContain("trusts X-Forwarded-Proto, but nginx (service 'nginx') does not set it for location / (its proxy_set_header directives come from location /)");
      expect(finding.message).toContain("SECURE_SSL_REDIRECT (app/bookshelf/settings.py:52) redirects them to HTTPS again, forever");
      expect(relatedRows(finding)).toEqual([
        [NGINX_CONF, 12, 5],
        [NGINX_CONF, 30, 20],
        [NGINX_CONF, 31, 9],
      ]);
    });

    it("a literal value that is not the expected one: at nginx's value", () => {
      const finding = findingOf(RULE, "bad-wrong-value");
      expect(finding.message).toContain("with X-Forwarded-Proto: 'http', but SECURE_PROXY_SSL_HEADER (app/bookshelf/settings.py:51) only counts 'https' as HTTPS");
      expect(finding.range).toMatchObject({ line: 30, column: 44, endColumn: 48 });
      expect(relatedRows(finding)).toEqual([
        [NGINX_CONF, 12, 5],
        [NGINX_CONF, 27, 20],
        [SETTINGS, 51, 1],
      ]);
    });

    it("gunicorn started with --forwarded-allow-ips turns X-Forwarded-Proto into HTTPS itself: not a loop", () => {
      const trusts = (fixture: string) => {
        const stack = lintRuleFixture(RULE, fixture).result.model.stacks[0];
        const p = stack ? passesToDjango(stack)[0] : undefined;
        if (!stack || !p) return "no pass";
        const headers = effectiveProxyHeaders(p.nginx, p.server, p.at);
        return headers.known ? appServerTrustsForwardedScheme(p.app, headers.headers, stack.runtime) : "unknown headers";
      };
      expect(trusts("bad-unset")).toBe(false);
      expect(trusts("good-gunicorn-forwarded")).toBeUndefined();
    });

    it("spoofable header and published port: warnings", () => {
      const spoof = findingOf(RULE, "bad-spoofable");
      expect(spoof.severity).toBe("warning");
      expect(spoof.message).toContain("the client's own X-Forwarded-Proto header reaches Django unchanged, so any client can claim HTTPS");
      const port = findingOf(RULE, "bad-published-port");
      expect(port.severity).toBe("warning");
      expect(port.message).toContain("Service 'web' publishes its app server's port 8000 on host port 8000 of every host interface, past nginx (service 'nginx')");
      expect(relatedRows(port)).toEqual([[SETTINGS, 51, 1]]);
    });
  },
);
