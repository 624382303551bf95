import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding } from "./django-table.js";

const RULE = "django/session-cookie-httponly-middleware";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "SessionMiddleware without django.contrib.sessions, SESSION_COOKIE_HTTPONLY = False",
        rows: [[RULE, SETTINGS, 45, 1]],
        ids: ["security.W014"],
      },
    ],
    good: ["good"],
  },
  () => {
    it("uses the middleware wording", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W014");
      expect(finding.message).toContain("'django.contrib.sessions.middleware.SessionMiddleware' in your MIDDLEWARE, but you have not set SESSION_COOKIE_HTTPONLY to True.");
    });
  },
);
