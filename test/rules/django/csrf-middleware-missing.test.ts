import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding } from "./django-table.js";

const RULE = "django/csrf-middleware-missing";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "MIDDLEWARE without CsrfViewMiddleware, CSRF_COOKIE_SECURE = False (no W016 without the middleware)",
        rows: [[RULE, SETTINGS, 23, 1]],
        ids: ["security.W003"],
      },
    ],
    good: ["good"],
  },
  () => {
    it("uses Django's wording", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W003");
      expect(finding.message).toContain("('django.middleware.csrf.CsrfViewMiddleware' is not in your MIDDLEWARE)");
    });
  },
);
