import { expect, it } from "vitest";
import { backingConnections, hostReach, portVerdict } from "../../../src/model/backing-services.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/cache-host";
const SETTINGS = "app/bookshelf/settings.py";

/** [connection, host:port, where it leads, port verdict] for every non-database connection of a fixture. */
function reaches(fixture: string): [string, string, string, string][] {
  const { model } = lintRuleFixture(RULE, fixture).result;
  const web = model.stacks[0]?.services.find((s) => s.name === "web");
  if (!web) return [];
  return backingConnections(web)
    .filter((c) => c.kind !== "database")
    .map((c) => {
      const reach = hostReach(model, c);
      return [c.label, `${c.host?.text}:${c.port?.text ?? "-"}`, reach.kind === "service" ? `service ${reach.target.name}` : reach.kind, reach.kind === "service" ? portVerdict(c, reach.target).kind : "-"];
    });
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-redis-loopback", plants: "CACHES LOCATION redis://127.0.0.1:6379/1", rows: [[RULE, SETTINGS, 47, 21]] },
      { fixture: "bad-celery-broker-typo", plants: "CELERY_BROKER_URL=redis://rdis:6379/0 in .env", rows: [[RULE, ".env", 3, 1]] },
      { fixture: "bad-channel-layer-localhost", plants: "CHANNEL_LAYERS hosts [('localhost', 6379)]", rows: [[RULE, SETTINGS, 47, 31]] },
      { fixture: "bad-published-port", plants: "LOCATION redis://redis:6380/1 with ports 127.0.0.1:6380:6379", rows: [[RULE, SETTINGS, 47, 21]] },
    ],
    good: ["good", "good-celery-unknown-broker", "good-channel-layer", "good-unix-socket", "good-managed-redis"],
  },
  () => {
    it("a loopback cache: the container itself, use the redis service", () => {
      const finding = findingOf(RULE, "bad-redis-loopback");
      expect(finding.message).toBe(
        "CACHES['default'] LOCATION host '127.0.0.1' is the Django container itself (service 'web'), where no Redis runs: use 'redis', the service that runs Redis",
      );
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 12, 12]]);
    });

    it("a typo'd broker host from .env: the env line, the read site, the env_file entry and the suggestion", () => {
      const finding = findingOf(RULE, "bad-celery-broker-typo");
      expect(finding.message).toContain("CELERY_BROKER_URL host 'rdis' (CELERY_BROKER_URL in .env line 3)");
      expect(finding.message).toContain("did you mean 'redis'?");
      expect(relatedRows(finding)).toEqual([
        [SETTINGS, 51, 21],
        ["docker-compose.yml", 18, 15],
        ["docker-compose.yml", 12, 12],
      ]);
    });

    it("a channel layer on localhost", () => {
      const finding = findingOf(RULE, "bad-channel-layer-localhost");
      expect(finding.message).toContain("CHANNEL_LAYERS['default'] host 'localhost'");
      expect(finding.message).toContain("use 'redis'");
    });

    it("a published port: names the mapping and the container port", () => {
      const finding = findingOf(RULE, "bad-published-port");
      expect(finding.message).toContain("the port of CACHES['default'] LOCATION 'redis:6380' is 6380");
      expect(finding.message).toContain('("6380:6379")');
      expect(finding.message).toContain("use port 6379");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 14, 9]]);
    });

    it("good fixtures: every cache, broker and channel-layer host reaches its service", () => {
      expect(reaches("good")).toEqual([
        ["CACHES['default'] LOCATION", "redis:6379", "service redis", "ok"],
        ["CELERY_BROKER_URL", "redis:6379", "service redis", "ok"],
        ["CELERY_RESULT_BACKEND", "redis:6379", "service redis", "ok"],
      ]);
      expect(reaches("good-channel-layer")).toEqual([["CHANNEL_LAYERS['default']", "redis:6379", "service redis", "ok"]]);
      expect(reaches("good-managed-redis")).toEqual([["CACHES['default'] LOCATION", "bookshelf-cache.a1b2c3.ng.0001.euw1.cache.amazonaws.com:6379", "silent", "-"]]);
      // unix:// sockets and unknown broker URLs make no TCP connection to judge.
      expect(reaches("good-unix-socket")).toEqual([]);
      expect(reaches("good-celery-unknown-broker")).toEqual([
        ["CACHES['default'] LOCATION", "redis:6379", "service redis", "ok"],
        ["CELERY_RESULT_BACKEND", "redis:6379", "service redis", "ok"],
      ]);
    });
  },
);
