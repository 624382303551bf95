import { expect, it } from "vitest";
import { backingEngine } from "../../../src/model/backing-images.js";
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
      { fixture: "bad-mariadb", plants: "MariaDB db publishes \"3306:3306\"", rows: [[RULE, "docker-compose.yml", 12, 9]] },
      { fixture: "bad-memcached", plants: "Memcached cache publishes \"11211:11211\"", rows: [[RULE, "docker-compose.yml", 15, 9]] },
      {
        fixture: "bad-rabbitmq-management",
        plants: "RabbitMQ publishes the management UI 15672 on every interface (AMQP 5672 is loopback-bound)",
        rows: [[RULE, "docker-compose.yml", 22, 9]],
      },
      { fixture: "bad-mongodb", plants: "MongoDB publishes \"27017:27017\"", rows: [[RULE, "docker-compose.yml", 20, 9]] },
      { fixture: "bad-elasticsearch", plants: "Elasticsearch publishes 9200:9200 (unquoted)", rows: [[RULE, "docker-compose.yml", 23, 9]] },
    ],
    good: ["good", "good-loopback", "good-backing-loopback"],
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

    it("names each new engine, its port and the service name other services use", () => {
      const mariadb = findingOf(RULE, "bad-mariadb");
      expect(mariadb.message).toContain("MariaDB service 'db' publishes container port 3306 on host port 3306 of every host interface");
      expect(mariadb.message).toContain("db:3306");
      expect(findingOf(RULE, "bad-memcached").message).toContain("Memcached service 'cache' publishes container port 11211");
      expect(findingOf(RULE, "bad-mongodb").message).toContain("MongoDB service 'mongo' publishes container port 27017");
      expect(findingOf(RULE, "bad-elasticsearch").message).toContain("Elasticsearch service 'search' publishes container port 9200");
      const rabbit = findingOf(RULE, "bad-rabbitmq-management");
      expect(rabbit.message).toContain("RabbitMQ service 'rabbitmq' publishes container port 15672 (the management UI) on host port 15672 of every host interface");
      expect(rabbit.message).toContain("bind it to 127.0.0.1 and open the UI through an SSH tunnel");
      expect(rabbit.related).toEqual([]);
    });

    it("good-backing-loopback: every backing image is recognised, and its ports are loopback-bound or not published", () => {
      const stack = lintRuleFixture(RULE, "good-backing-loopback").result.model.stacks[0];
      const rows = (stack?.services ?? [])
        .map((s) => [s.name, backingEngine(s)?.name, s.compose.ports.map((p) => `${p.hostIp ?? "*"}|${p.published ?? ""}:${p.target}`)])
        .filter((r) => r[1] !== undefined);
      expect(rows).toEqual([
        ["db", "PostgreSQL", ["127.0.0.1|5432:5432"]],
        ["cache", "Redis", []],
        ["rabbitmq", "RabbitMQ", ["127.0.0.1|15672:15672"]],
        ["sessions", "Memcached", []],
        ["mongo", "MongoDB", ["::1|27017:27017"]],
        ["search", "Elasticsearch", ["127.0.0.1|9200:9200"]],
      ]);
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
