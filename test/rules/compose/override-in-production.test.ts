import { expect, it } from "vitest";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "compose/override-in-production";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-debug", plants: "docker-compose.override.yml sets DJANGO_DEBUG: \"1\" on web", rows: [[RULE, "docker-compose.override.yml", 5, 21]] },
      { fixture: "bad-source-mount", plants: "docker-compose.override.yml bind-mounts ./app over /app", rows: [[RULE, "docker-compose.override.yml", 5, 9]] },
      { fixture: "bad-published-port", plants: "docker-compose.override.yml publishes gunicorn's 8000 on the host", rows: [[RULE, "docker-compose.override.yml", 5, 9]] },
    ],
    good: ["good", "good-harmless-override", "good-dev-override"],
  },
  () => {
    it("names the override, what it sets, the stack and both fixes; relates the base service", () => {
      const finding = findingOf(RULE, "bad-debug");
      expect(finding.message).toContain("docker-compose.override.yml sets DJANGO_DEBUG=1 for service 'web'");
      expect(finding.message).toContain("plain `docker compose up` merges it silently into the production stack docker-compose.yml + docker-compose.override.yml");
      expect(finding.message).toContain("docker-compose.dev.yml");
      expect(finding.message).toContain("docker compose -f docker-compose.yml up");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 11, 3]]);
      expect(finding.related[0]?.message).toBe("service 'web' is defined in docker-compose.yml");
    });

    it("describes the mount and the port", () => {
      expect(findingOf(RULE, "bad-source-mount").message).toContain("bind-mounts the source folder app/ over /app of service 'web'");
      expect(findingOf(RULE, "bad-published-port").message).toContain("publishes the app server's port 8000 of service 'web' on host port 8000");
    });

    it("good-dev-override: the runserver override makes that stack development; production runs the base file alone", () => {
      const { model } = lintRuleFixture(RULE, "good-dev-override").result;
      expect(model.stacks.map((s) => [s.id, s.purpose.kind])).toEqual([
        ["docker-compose.yml + docker-compose.override.yml", "development"],
        ["docker-compose.yml", "production"],
      ]);
    });

    it("good-harmless-override: a production override (DEBUG off, loopback port, a config mount) is merged and silent", () => {
      const { model } = lintRuleFixture(RULE, "good-harmless-override").result;
      const stack = model.stacks[0];
      expect([stack?.id, stack?.purpose.kind]).toEqual(["docker-compose.yml + docker-compose.override.yml", "production"]);
      const web = stack?.services.find((s) => s.name === "web");
      expect(web?.compose.environment.get("DJANGO_DEBUG")?.value).toBe("0");
      expect(web?.compose.ports.map((p) => [p.hostIp, p.range.file])).toEqual([["127.0.0.1", "docker-compose.override.yml"]]);
    });
  },
);
