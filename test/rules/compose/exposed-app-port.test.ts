import { expect, it } from "vitest";
import { describeEndpoint } from "../../../src/model/queries.js";
import { passWirings } from "../../../src/model/socket-wiring.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "compose/exposed-app-port";
const COMPOSE = "docker-compose.yml";

/** [nginx service, target, app service, app ports] for each pass that reaches an app server. */
function fronts(fixture: string): [string, string, string, string[]][] {
  const { model } = lintRuleFixture(RULE, fixture).result;
  return model.stacks.flatMap((stack) =>
    passWirings(stack).flatMap(({ nginx, endpoint, wiring }) =>
      wiring.kind === "connected"
        ? [[nginx.name, describeEndpoint(endpoint.endpoint), wiring.app.name, wiring.app.compose.ports.map((p) => `${p.hostIp ?? ""}|${p.published ?? ""}:${p.target}`)]]
        : [],
    ),
  ) as [string, string, string, string[]][];
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-gunicorn", plants: "web publishes gunicorn's 8000 while nginx proxies to web:8000", rows: [[RULE, COMPOSE, 17, 9]] },
      { fixture: "bad-uwsgi-socket", plants: "web publishes uWSGI's raw uwsgi socket 3031 while nginx uwsgi_passes to it", rows: [[RULE, COMPOSE, 17, 9]] },
    ],
    good: ["good", "good-loopback", "good-nginx-static-only"],
  },
  () => {
    it("gunicorn: names both services, the ports, the bypass and the fix", () => {
      const finding = findingOf(RULE, "bad-gunicorn");
      expect(finding.severity).toBe("warning");
      expect(finding.message).toContain("service 'web' publishes container port 8000, gunicorn's HTTP --bind, on host port 8000 of every host interface");
      expect(finding.message).toContain("nginx in service 'nginx' fronts it");
      expect(finding.message).toContain("bypass nginx's TLS and headers");
      expect(finding.message).toContain("nginx reaches the app at web:8000 without it");
      expect(finding.message).toContain("127.0.0.1");
      expect(relatedRows(finding)).toEqual([
        ["Dockerfile", 11, 111],
        ["deploy/nginx/bookshelf.conf", 2, 12],
      ]);
      expect(finding.related[0]?.message).toBe("gunicorn in service 'web' listens on 0.0.0.0:8000 (--bind)");
      expect(finding.related[1]?.message).toBe("nginx in service 'nginx' passes requests to web:8000 (proxy_pass)");
    });

    it("uWSGI socket: says the port speaks the raw uwsgi protocol", () => {
      const finding = findingOf(RULE, "bad-uwsgi-socket");
      expect(finding.message).toContain("container port 3031, uWSGI's socket (the raw uwsgi protocol");
      expect(finding.message).toContain("UWSGI_* variables");
      expect(relatedRows(finding)).toEqual([
        ["deploy/uwsgi.ini", 6, 10],
        ["deploy/nginx/default.conf.template", 25, 20],
      ]);
    });

    // Silent for the right reason: nginx does front the app in the look-alikes with nginx.
    it("good fixtures: nginx reaches the app over an unpublished or loopback-bound port, or nginx serves static files only", () => {
      expect(fronts("good")).toEqual([["nginx", "web:8000", "web", []]]);
      expect(fronts("good-loopback")).toEqual([["nginx", "web:8000", "web", ["127.0.0.1|8000:8000"]]]);
      // The app is the load balancer's entry point: its published port is not a way around nginx.
      expect(fronts("good-nginx-static-only")).toEqual([]);
      const { model } = lintRuleFixture(RULE, "good-nginx-static-only").result;
      const services = model.stacks[0]?.services ?? [];
      expect(services.find((s) => s.name === "web")?.compose.ports.map((p) => `${p.published}:${p.target}`)).toEqual(["8000:8000"]);
      expect(services.find((s) => s.name === "nginx")?.nginx?.servers.map((s) => s.locations.map((l) => l.uri.value))).toEqual([["/static/", "/media/"]]);
    });
  },
);
