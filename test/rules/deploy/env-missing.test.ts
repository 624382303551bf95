import { expect, it } from "vitest";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/env-missing";
const SETTINGS = "app/bookshelf/settings.py";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-os-environ", plants: "settings read os.environ[\"EMAIL_HOST\"]; compose, .env and the image do not set it", rows: [[RULE, SETTINGS, 47, 14]] },
      {
        fixture: "bad-env-file-lacks",
        plants: "deploy/mail.env sets EMAIL_PORT and EMAIL_USE_TLS, not EMAIL_HOST",
        rows: [[RULE, SETTINGS, 47, 14]],
      },
    ],
    good: ["good", "good-caught"],
  },
  () => {
    it("names the variable, the service, the exception and where the environment comes from", () => {
      const finding = findingOf(RULE, "bad-env-file-lacks");
      expect(finding.message).toContain("EMAIL_HOST is read with os.environ[…] and no default");
      expect(finding.message).toContain("service 'web'");
      expect(finding.message).toContain("KeyError");
      expect(relatedRows(finding)).toEqual([
        ["docker-compose.yml", 11, 3],
        ["docker-compose.yml", 14, 9],
        ["docker-compose.yml", 15, 9],
      ]);
      expect(finding.related[2]?.message).toContain("deploy/mail.env");
    });

    it("a read inside try/except KeyError is not fatal; the evaluator marks only uncaught ones", () => {
      const reads = (fixture: string) =>
        lintRuleFixture(RULE, fixture).result.model.stacks[0]?.services.find((s) => s.name === "web")?.django?.settings?.envReads.filter((r) => r.name === "EMAIL_HOST") ?? [];
      expect(reads("good-caught").map((r) => [r.provided, r.fatal])).toEqual([[false, undefined]]);
      expect(reads("bad-os-environ").map((r) => [r.provided, r.fatal])).toEqual([[false, "KeyError: EMAIL_HOST is not set"]]);
    });
  },
);
