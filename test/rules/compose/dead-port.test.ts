import { expect, it } from "vitest";
import { containerListeners } from "../../../src/model/container-listeners.js";
import { describeEndpoint } from "../../../src/model/queries.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "compose/dead-port";
const COMPOSE = "docker-compose.yml";

/** [service, published ports, listeners, unknown] of each app container. */
function sockets(fixture: string): [string, string[], string[], string | undefined][] {
  const { model } = lintRuleFixture(RULE, fixture).result;
  return model.stacks.flatMap((stack) =>
    stack.services.flatMap((service) => {
      const c = containerListeners(service);
      if (!c) return [];
      return [[service.name, service.compose.ports.map((p) => `${p.published ?? ""}:${p.target}`), c.listeners.map((l) => `${l.what} ${describeEndpoint(l.endpoint)}`), c.unknown]];
    }),
  );
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-unix-socket", plants: "web publishes 8000 while uWSGI listens only on a unix socket", rows: [[RULE, COMPOSE, 17, 9]] },
      { fixture: "bad-port-mismatch", plants: "gunicorn binds 8000, the mapping targets container port 8080", rows: [[RULE, COMPOSE, 18, 9]] },
    ],
    good: ["good", "good-uwsgi-stats", "good-one-container"],
  },
  () => {
    it("a unix socket only: says what the container listens on and to drop the mapping", () => {
      const finding = findingOf(RULE, "bad-unix-socket");
      expect(finding.severity).toBe("warning");
      expect(finding.message).toContain("service 'web' publishes container port 8000 (host port 8000), but nothing in the container listens on 8000");
      expect(finding.message).toContain("uWSGI socket on unix:/run/uwsgi/bookshelf.sock");
      expect(finding.message).toContain("remove the mapping");
      expect(relatedRows(finding)).toEqual([["deploy/uwsgi.ini", 6, 10]]);
    });

    it("a port mismatch: suggests the mapping to the port gunicorn binds, keeping the host IP", () => {
      const finding = findingOf(RULE, "bad-port-mismatch");
      expect(finding.message).toContain("publishes container port 8080 (host port 8000)");
      expect(finding.message).toContain("gunicorn --bind on 0.0.0.0:8000");
      expect(finding.message).toContain('publish "127.0.0.1:8000:8000"');
      expect(relatedRows(finding)).toEqual([["Dockerfile", 11, 111]]);
    });

    // Silent because every published port has a listener, not because the processes were unknown.
    it("good fixtures: every published port of the app container has a listener, and the processes are known", () => {
      expect(sockets("good")).toEqual([["web", ["8000:8000"], ["gunicorn --bind 0.0.0.0:8000"], undefined]]);
      expect(sockets("good-uwsgi-stats")).toEqual([["web", ["9191:9191"], ["uWSGI socket unix:/run/uwsgi/bookshelf.sock", "uWSGI stats *:9191"], undefined]]);
      expect(sockets("good-one-container")).toEqual([
        ["web", ["80:80", "443:443"], ["uWSGI socket unix:/tmp/bookshelf.sock", "nginx listen *:80", "nginx listen *:443"], undefined],
      ]);
    });
  },
);
