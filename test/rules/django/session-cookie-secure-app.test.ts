import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, djangoIds, lintDjangoFixture } from "./django-table.js";

const RULE = "django/session-cookie-secure-app";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "django.contrib.sessions installed, no SessionMiddleware, SESSION_COOKIE_SECURE unset",
        rows: [[RULE, SETTINGS, 1, 1]],
        ids: ["security.W010"],
      },
    ],
    good: ["good"],
  },
  () => {
    it("uses the sessions-app wording", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W010");
      expect(finding.message).toContain("You have 'django.contrib.sessions' in your INSTALLED_APPS, but you have not set SESSION_COOKIE_SECURE to True.");
    });

    it("W010, W011 and W012 never come together", () => {
      expect(djangoIds(lintDjangoFixture(RULE, "bad", "django"))).toEqual(["security.W010"]);
      expect(djangoIds(lintDjangoFixture("django/session-cookie-secure", "bad", RULE))).toEqual([]);
    });
  },
);
