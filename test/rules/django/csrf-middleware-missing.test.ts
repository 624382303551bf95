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
      {
        // Django 2.2 ignores MIDDLEWARE_CLASSES: no middleware runs at all. Reported at the list the project maintains.
        fixture: "bad-middleware-classes-ignored",
        plants: "Django 2.2 with the middleware still in MIDDLEWARE_CLASSES",
        rows: [[RULE, SETTINGS, 23, 1]],
        ids: ["security.W001", "security.W002", "security.W003"],
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

    it("says that Django 2.0+ ignores MIDDLEWARE_CLASSES and how to fix it", () => {
      const finding = djangoFinding(RULE, "bad-middleware-classes-ignored");
      expect(finding.message).toContain("MIDDLEWARE is not set in ledger.settings, so Django's default [] applies");
      expect(finding.message).toContain(
        `MIDDLEWARE_CLASSES is set at ${SETTINGS}:23, but Django 2.0 removed that setting and Django 2.2.28 ignores it: rename it to MIDDLEWARE.`,
      );
      expect(finding.related).toEqual([{ range: expect.objectContaining({ file: SETTINGS, line: 23, column: 1 }), message: "MIDDLEWARE_CLASSES is set here: ignored since Django 2.0" }]);
    });
  },
);
