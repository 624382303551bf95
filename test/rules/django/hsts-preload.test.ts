import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, djangoIds, lintDjangoFixture } from "./django-table.js";

const RULE = "django/hsts-preload";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [{ fixture: "bad", plants: "SECURE_HSTS_PRELOAD not set (default False) with HSTS on", rows: [[RULE, SETTINGS, 1, 1]], ids: ["security.W021"] }],
    good: ["good"],
  },
  () => {
    it("reports the default on line 1 of the settings module", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W021");
      expect(finding.message).toContain("SECURE_HSTS_PRELOAD is not set in ledger.settings, so Django's default False applies");
    });

    it("needs HSTS on: no W021 where SECURE_HSTS_SECONDS is 0", () => {
      // hsts-not-set/bad has no SECURE_HSTS_PRELOAD either.
      expect(djangoIds(lintDjangoFixture("django/hsts-not-set", "bad", RULE))).toEqual([]);
    });
  },
);
