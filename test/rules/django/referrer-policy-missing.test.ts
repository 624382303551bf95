import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, djangoIds, lintDjangoFixture } from "./django-table.js";

const RULE = "django/referrer-policy-missing";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      { fixture: "bad", plants: "SECURE_REFERRER_POLICY = None", rows: [[RULE, SETTINGS, 46, 1]], ids: ["security.W022"] },
      { fixture: "bad-3.0", plants: "no SECURE_REFERRER_POLICY under Django 3.0, whose default is None", rows: [[RULE, SETTINGS, 1, 1]], ids: ["security.W022"] },
    ],
    // Django 3.1 made 'same-origin' the default.
    good: ["good", "good-3.1"],
  },
  () => {
    it("names the version whose default is None", () => {
      const finding = djangoFinding(RULE, "bad-3.0");
      expect(finding.django).toBe("security.W022");
      expect(finding.message).toContain("You have not set the SECURE_REFERRER_POLICY setting.");
      expect(finding.message).toContain("SECURE_REFERRER_POLICY is not set in ledger.settings, so Django's default None applies (Django 3.0.14");
    });

    it("Django 2.2 had neither the setting nor the check", () => {
      expect(djangoIds(lintDjangoFixture(RULE, "bad-3.0", RULE, { major: 2, minor: 2 }))).toEqual([]);
    });
  },
);
