import { expect, it } from "vitest";
import { describeRuleTable, findingOf, lintRuleFixture } from "../rule-table.js";

const RULE = "compose/exposed-backing-port";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad", plants: "db publishes \"5432:5432\"", rows: [[RULE, "docker-compose.yml", 11, 9]] },
      { fixture: "bad-random-host-port", plants: "db publishes \"5432\" on a random host port", rows: [[RULE, "docker-compose.yml", 11, 9]] },
      { fixture: "bad-redis-long-syntax", plants: "cache publishes 6379 in long syntax", rows: [[RULE, "docker-compose.yml", 15, 9]] },
      {
        fixture: "bad-override",
        plants: "docker-compose.override.yml publishes both ports for every plain `docker compose up`",
        rows: [
          [RULE, "docker-compose.override.yml", 5, 9],
          [RULE, "docker-compose.override.yml", 8, 9],
        ],
      },
    ],
    good: ["good", "good-loopback"],
  },
  () => {
    it("names the service, the port and how other services reach it", () => {
      const finding = findingOf(RULE, "bad");
      expect(finding.message).toContain("PostgreSQL service 'db'");
      expect(finding.message).toContain("host port 5432");
      expect(finding.message).toContain("db:5432");
      expect(finding.message).toContain("127.0.0.1");
      expect(finding.related).toEqual([]);
      expect(findingOf(RULE, "bad-random-host-port").message).toContain("a random host port");
      const redis = findingOf(RULE, "bad-redis-long-syntax");
      expect(redis.message).toContain("Redis service 'cache'");
      expect(redis.message).toContain("cache:6379");
    });

    it("good-loopback: the ports are in the model, bound to 127.0.0.1", () => {
      const stack = lintRuleFixture(RULE, "good-loopback").result.model.stacks[0];
      const ports = (name: string) =>
        stack?.services.find((s) => s.name === name)?.compose.ports.map((p) => [p.hostIp, p.published, p.target, p.range.line]);
      expect(ports("db")).toEqual([["127.0.0.1", "5432", "5432", 12]]);
      expect(ports("cache")).toEqual([["127.0.0.1", "6379", "6379", 18]]);
      expect([...(stack?.services.find((s) => s.name === "cache")?.roles ?? [])]).toEqual(["redis"]);
    });
  },
);
