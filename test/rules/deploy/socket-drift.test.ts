import { expect, it } from "vitest";
import { passWirings } from "../../../src/model/socket-wiring.js";
import { describeEndpoint } from "../../../src/model/queries.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/socket-drift";
const NGINX_CONF = "deploy/nginx/bookshelf.conf";
const TEMPLATE = "deploy/nginx/default.conf.template";

/** Each nginx → app hop of a fixture: [nginx service, nginx target, wiring, app service, app listener]. */
function hops(fixture: string): [string, string, string, string | undefined, string | undefined][] {
  const stack = lintRuleFixture(RULE, fixture).result.model.stacks[0];
  if (!stack) return [];
  return passWirings(stack).map(({ nginx, endpoint, wiring }) => [
    nginx.name,
    describeEndpoint(endpoint.endpoint),
    wiring.kind,
    wiring.kind === "connected" ? wiring.app.name : undefined,
    wiring.kind === "connected" ? `${describeEndpoint(wiring.listener.endpoint)} ${wiring.listener.protocol}` : undefined,
  ]);
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-socket-moved", plants: "uWSGI socket moved to /run/uwsgi/app.sock, nginx still on bookshelf.sock", rows: [[RULE, NGINX_CONF, 2, 12]] },
      { fixture: "bad-socket-not-shared", plants: "same /tmp socket path in two containers without a shared volume", rows: [[RULE, NGINX_CONF, 2, 12]] },
      { fixture: "bad-wrong-port", plants: "gunicorn binds :8080, the upstream says web:8000", rows: [[RULE, NGINX_CONF, 2, 12]] },
      { fixture: "bad-loopback-bind", plants: "gunicorn binds 127.0.0.1:8000 in its own container", rows: [[RULE, NGINX_CONF, 2, 12]] },
      { fixture: "bad-localhost-target", plants: "upstream 127.0.0.1:8000 from a separate nginx container", rows: [[RULE, NGINX_CONF, 2, 12]] },
      { fixture: "bad-uwsgi-pass-to-gunicorn", plants: "uwsgi_pass to gunicorn (HTTP)", rows: [[RULE, NGINX_CONF, 2, 12]] },
      { fixture: "bad-uwsgi-pass-to-http-socket", plants: "uwsgi_pass to a uWSGI http-socket", rows: [[RULE, TEMPLATE, 25, 20]] },
      { fixture: "bad-proxy-pass-to-uwsgi-socket", plants: "proxy_pass http:// to a uWSGI socket (uwsgi protocol)", rows: [[RULE, TEMPLATE, 24, 20]] },
      { fixture: "bad-no-common-network", plants: "nginx only on 'frontend', web only on 'backend'", rows: [[RULE, NGINX_CONF, 2, 12]] },
    ],
    good: ["good", "good-gunicorn-tcp", "good-uwsgi-tcp-template", "good-one-container", "good-volumes-from", "good-shared-network"],
  },
  () => {
    it("a moved socket: names the socket nginx uses and the one uWSGI creates", () => {
      const finding = findingOf(RULE, "bad-socket-moved");
      expect(finding.message).toContain("unix:/run/uwsgi/bookshelf.sock");
      expect(finding.message).toContain("upstream 'bookshelf'");
      expect(relatedRows(finding)).toEqual([
        [NGINX_CONF, 28, 20],
        ["deploy/uwsgi.ini", 6, 10],
      ]);
      expect(finding.related[1]?.message).toContain("unix:/run/uwsgi/app.sock");
      expect(finding.related[1]?.message).toContain("service 'web'");
    });

    it("a socket on unshared storage: names both services and says they do not share it", () => {
      const finding = findingOf(RULE, "bad-socket-not-shared");
      expect(finding.message).toContain("unix:/tmp/bookshelf.sock");
      expect(finding.message).toContain("service 'nginx'");
      expect(finding.message).toContain("service 'web'");
      expect(finding.message).toContain("do not share");
      expect(relatedRows(finding)).toEqual([
        [NGINX_CONF, 28, 20],
        ["deploy/uwsgi.ini", 6, 10],
      ]);
    });

    it("a wrong port: names the port and gunicorn's --bind in the Dockerfile", () => {
      const finding = findingOf(RULE, "bad-wrong-port");
      expect(finding.message).toContain("web:8000");
      expect(finding.message).toContain("does not listen on port 8000");
      expect(relatedRows(finding)).toEqual([
        [NGINX_CONF, 27, 20],
        ["Dockerfile", 11, 58],
      ]);
      expect(finding.related[1]?.message).toContain("gunicorn in service 'web' listens on 0.0.0.0:8080");
    });

    it("a loopback bind: tells to bind 0.0.0.0", () => {
      const finding = findingOf(RULE, "bad-loopback-bind");
      expect(finding.message).toContain("127.0.0.1:8000");
      expect(finding.message).toContain("bind 0.0.0.0");
    });

    it("a localhost target: nginx's own container is not the app", () => {
      const finding = findingOf(RULE, "bad-localhost-target");
      expect(finding.message).toContain("127.0.0.1:8000");
      expect(finding.message).toContain("service 'nginx'");
    });

    it("protocol drift: names both protocols and the uWSGI option", () => {
      const toHttp = findingOf(RULE, "bad-uwsgi-pass-to-http-socket");
      expect(toHttp.message).toContain("uwsgi_pass speaks the uwsgi protocol to web:3031");
      expect(toHttp.message).toContain("HTTP");
      expect(relatedRows(toHttp)).toEqual([["deploy/uwsgi.ini", 6, 15]]);
      expect(toHttp.related[0]?.message).toContain("http-socket");

      const toUwsgi = findingOf(RULE, "bad-proxy-pass-to-uwsgi-socket");
      expect(toUwsgi.message).toContain("proxy_pass speaks HTTP to web:3031");
      expect(toUwsgi.message).toContain("uwsgi_pass");
      expect(relatedRows(toUwsgi)).toEqual([["deploy/uwsgi.ini", 6, 10]]);
    });

    it("no common network: names both services' networks and where each is attached", () => {
      const finding = findingOf(RULE, "bad-no-common-network");
      expect(finding.message).toContain("proxy_pass reaches web:8000 (upstream 'bookshelf')");
      expect(finding.message).toContain("services 'nginx' (networks: frontend) and 'web' (networks: backend) share no compose network");
      expect(finding.message).toContain("attach both services to one network");
      expect(relatedRows(finding)).toEqual([
        [NGINX_CONF, 27, 20],
        ["docker-compose.yml", 39, 9],
        ["docker-compose.yml", 24, 9],
        ["Dockerfile", 11, 111],
      ]);
      expect(finding.related[1]?.message).toBe("service 'nginx' is on network 'frontend'");
      expect(finding.related[2]?.message).toBe("service 'web' is on network 'backend'");
    });

    // The good fixtures are silent because every hop connects, not because nothing was checked.
    it("good fixtures: every nginx hop reaches a listener with the same protocol", () => {
      expect(hops("good")).toEqual([["nginx", "unix:/run/uwsgi/bookshelf.sock", "connected", "web", "unix:/run/uwsgi/bookshelf.sock uwsgi"]]);
      expect(hops("good-gunicorn-tcp")).toEqual([["nginx", "web:8000", "connected", "web", "0.0.0.0:8000 http"]]);
      expect(hops("good-uwsgi-tcp-template")).toEqual([["nginx", "web:3031", "connected", "web", "0.0.0.0:3031 uwsgi"]]);
      expect(hops("good-one-container")).toEqual([["web", "unix:/tmp/bookshelf.sock", "connected", "web", "unix:/tmp/bookshelf.sock uwsgi"]]);
      // volumes_from: web's anonymous volume at /run/uwsgi is the same storage in nginx.
      expect(hops("good-volumes-from")).toEqual([["nginx", "unix:/run/uwsgi/bookshelf.sock", "connected", "web", "unix:/run/uwsgi/bookshelf.sock uwsgi"]]);
      // nginx on frontend + backend, web on backend: they meet on backend.
      expect(hops("good-shared-network")).toEqual([["nginx", "web:8000", "connected", "web", "0.0.0.0:8000 http"]]);
    });
  },
);
