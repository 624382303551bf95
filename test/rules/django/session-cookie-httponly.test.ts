import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, djangoIds, lintDjangoFixture } from "./django-table.js";

const RULE = "django/session-cookie-httponly";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [{ fixture: "bad", plants: "SESSION_COOKIE_HTTPONLY = 'True' (a string) under Django 5.2", rows: [[RULE, SETTINGS, 46, 1]], ids: ["security.W015"] }],
    good: ["good", "good-truthy-3.2"],
  },
  () => {
    it("says that the string passed only up to 4.0", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W015");
      expect(finding.message).toContain("SESSION_COOKIE_HTTPONLY is not set to True.");
      expect(finding.message).toContain(`SESSION_COOKIE_HTTPONLY is 'True' (${SETTINGS}:46). Django 4.1 and later accept only True itself here; a truthy str passed up to 4.0.`);
    });

    it("4.0 still passes the string, 4.1 does not", () => {
      expect(djangoIds(lintDjangoFixture(RULE, "bad", RULE, { major: 4, minor: 0 }))).toEqual([]);
      expect(djangoIds(lintDjangoFixture(RULE, "bad", RULE, { major: 4, minor: 1 }))).toEqual(["security.W015"]);
    });
  },
);
