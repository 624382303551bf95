import { expect, it } from "vitest";
import { describeRuleTable, findingOf, relatedRows } from "../rule-table.js";

const RULE = "deploy/env-not-injected";
const SETTINGS = "app/bookshelf/settings.py";

describeRuleTable(
  RULE,
  {
    bad: [
      {
        fixture: "bad-no-env-file",
        plants: "the web service lost `env_file: .env`: DJANGO_SECRET_KEY and POSTGRES_PASSWORD only interpolate the compose file",
        rows: [
          [RULE, SETTINGS, 7, 14],
          [RULE, SETTINGS, 38, 21],
        ],
      },
    ],
    good: ["good-explicit"],
  },
  () => {
    it("names the .env line, the service and both ways to fix it, without printing the secret", () => {
      const finding = findingOf(RULE, "bad-no-env-file");
      expect(finding.message).toContain("DJANGO_SECRET_KEY is in .env (line 1)");
      expect(finding.message).toContain("service 'web'");
      expect(finding.message).toContain("KeyError");
      expect(finding.message).toContain("env_file: .env");
      expect(finding.message).toContain("${DJANGO_SECRET_KEY}");
      expect(finding.message).not.toContain("7c1f0e9a");
      expect(relatedRows(finding)).toEqual([
        [".env", 1, 1],
        ["docker-compose.yml", 11, 3],
      ]);
      expect(finding.related.map((r) => r.message).join(" ")).not.toContain("7c1f0e9a");
    });
  },
);
