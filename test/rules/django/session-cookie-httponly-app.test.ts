import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding } from "./django-table.js";

const RULE = "django/session-cookie-httponly-app";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "django.contrib.sessions installed, no SessionMiddleware, SESSION_COOKIE_HTTPONLY = False",
        rows: [[RULE, SETTINGS, 45, 1]],
        ids: ["security.W013"],
      },
    ],
    good: ["good"],
  },
  () => {
    it("uses the sessions-app wording", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W013");
      expect(finding.message).toContain("You have 'django.contrib.sessions' in your INSTALLED_APPS, but you have not set SESSION_COOKIE_HTTPONLY to True.");
    });
  },
);
