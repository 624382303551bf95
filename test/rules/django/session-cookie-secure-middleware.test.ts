import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding } from "./django-table.js";

const RULE = "django/session-cookie-secure-middleware";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "SessionMiddleware without django.contrib.sessions, SESSION_COOKIE_SECURE = False",
        rows: [[RULE, SETTINGS, 43, 1]],
        ids: ["security.W011"],
      },
    ],
    good: ["good"],
  },
  () => {
    it("uses the middleware wording", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W011");
      expect(finding.message).toContain(
        "You have 'django.contrib.sessions.middleware.SessionMiddleware' in your MIDDLEWARE, but you have not set SESSION_COOKIE_SECURE to True.",
      );
      expect(finding.message).toContain(`SESSION_COOKIE_SECURE is False (${SETTINGS}:43).`);
    });
  },
);
