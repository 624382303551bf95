import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, relatedRows } from "./django-table.js";

const RULE = "django/hsts-not-set";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "no SECURE_HSTS_* settings: the default 0 applies (W005/W021 need HSTS on, so only W004)",
        rows: [[RULE, SETTINGS, 1, 1]],
        ids: ["security.W004"],
      },
      {
        fixture: "bad-env",
        plants: "int(os.environ.get('DJANGO_HSTS_SECONDS', '31536000')) with DJANGO_HSTS_SECONDS=0 in .env",
        rows: [[RULE, SETTINGS, 41, 1]],
        ids: ["security.W004"],
      },
    ],
    good: ["good"],
  },
  () => {
    it("a missing setting is reported on line 1 of the settings module, with the version's default", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.message).toContain("You have not set a value for the SECURE_HSTS_SECONDS setting.");
      expect(finding.message).toContain("SECURE_HSTS_SECONDS is not set in ledger.settings, so Django's default 0 applies (Django 5.2.1");
    });

    it("an env-driven value names the env file line and the read, with both in related", () => {
      const finding = djangoFinding(RULE, "bad-env");
      expect(finding.message).toContain(`SECURE_HSTS_SECONDS is 0: DJANGO_HSTS_SECONDS=0 in .env (line 2), read at ${SETTINGS}:41`);
      expect(relatedRows(finding)).toEqual([
        [".env", 2, 1],
        ["docker-compose.yml", 4, 15],
      ]);
      expect(finding.related[0]?.message).toBe("DJANGO_HSTS_SECONDS is set here (env file of service 'web')");
      expect(finding.related[1]?.message).toBe("env_file gives .env to service 'web'");
    });
  },
);
