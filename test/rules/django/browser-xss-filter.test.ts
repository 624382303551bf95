import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding } from "./django-table.js";

const RULE = "django/browser-xss-filter";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      // Django 2.2's default is False: a project that never set it is warned, at line 1 of the settings.
      { fixture: "bad-default", plants: "Django 2.2, SECURE_BROWSER_XSS_FILTER never set", rows: [[RULE, SETTINGS, 1, 1]], ids: ["security.W007"] },
      { fixture: "bad-false", plants: "Django 2.2, SECURE_BROWSER_XSS_FILTER = False", rows: [[RULE, SETTINGS, 48, 1]], ids: ["security.W007"] },
      // 1.11 still honours MIDDLEWARE_CLASSES when MIDDLEWARE is unset, and so does its check.
      {
        fixture: "bad-middleware-classes",
        plants: "Django 1.11, SecurityMiddleware in MIDDLEWARE_CLASSES, SECURE_BROWSER_XSS_FILTER = False",
        rows: [[RULE, SETTINGS, 48, 1]],
        ids: ["security.W007"],
      },
    ],
    // good: 2.2 with the filter on; good-django-3: 3.0 removed the check, so leaving it unset is fine there.
    good: ["good", "good-django-3"],
  },
  () => {
    it("quotes Django's W007 and says where the value comes from", () => {
      const finding = djangoFinding(RULE, "bad-false");
      expect(finding.django).toBe("security.W007");
      expect(finding.message).toContain("'X-XSS-Protection: 1; mode=block' header");
      expect(finding.message).toContain(`SECURE_BROWSER_XSS_FILTER is False (${SETTINGS}:48)`);
    });

    it("names the default when the settings never set it", () => {
      const finding = djangoFinding(RULE, "bad-default");
      expect(finding.message).toMatch(/default/i);
    });
  },
);
