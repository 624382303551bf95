import { expect, it } from "vitest";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "compose/runserver";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-command", plants: "web's compose command is `python manage.py runserver 0.0.0.0:8000`", rows: [[RULE, "docker-compose.yml", 13, 21]] },
      {
        fixture: "bad-start-script",
        plants: "the image's start script ends in `exec python manage.py runserver`",
        rows: [[RULE, "deploy/start.sh", 5, 13]],
      },
    ],
    good: ["good", "good-dev-stack"],
  },
  () => {
    it("names the service, the stack and the fix", () => {
      const finding = findingOf(RULE, "bad-command");
      expect(finding.message).toContain("Service 'web' of the production stack docker-compose.yml");
      expect(finding.message).toContain("manage.py runserver");
      expect(finding.message).toContain("DEBUG");
      expect(finding.message).toContain("gunicorn or uWSGI");
      expect(finding.related).toEqual([]);
    });

    it("bad-start-script: points back at the compose service that starts the script", () => {
      const finding = findingOf(RULE, "bad-start-script");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 11, 3]]);
      expect(finding.related[0]?.message).toBe("service 'web' starts it");
    });

    it("good-dev-stack: the runserver stack is development, the gunicorn one production", () => {
      const { model } = lintRuleFixture(RULE, "good-dev-stack").result;
      expect(model.stacks.map((s) => [s.id, s.purpose.kind, s.services.find((x) => x.name === "web")?.appServer?.kind])).toEqual([
        ["docker-compose.dev.yml", "development", "runserver"],
        ["docker-compose.yml", "production", "gunicorn"],
      ]);
    });
  },
);
