import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, djangoIds, lintDjangoFixture } from "./django-table.js";

const RULE = "django/security-middleware-missing";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "MIDDLEWARE without SecurityMiddleware (HSTS settings then go unchecked)",
        rows: [[RULE, SETTINGS, 23, 1]],
        ids: ["security.W001"],
      },
      {
        // Django 1.11 still runs MIDDLEWARE_CLASSES when MIDDLEWARE is unset; its checks and messages name it. Its
        // X_FRAME_OPTIONS default is 'SAMEORIGIN', so W019 comes too.
        fixture: "bad-middleware-classes",
        plants: "Django 1.11, MIDDLEWARE_CLASSES without SecurityMiddleware",
        rows: [[RULE, SETTINGS, 24, 1]],
        ids: ["security.W001", "security.W019"],
      },
    ],
    good: ["good"],
  },
  () => {
    it("points at the MIDDLEWARE assignment and names what it lacks", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W001");
      expect(finding.severity).toBe("warning");
      expect(finding.range).toEqual({ file: SETTINGS, line: 23, column: 1, endLine: 23, endColumn: 11 });
      expect(finding.message).toContain("You do not have 'django.middleware.security.SecurityMiddleware' in your MIDDLEWARE");
      expect(finding.message).toContain(`MIDDLEWARE is set at ${SETTINGS}:23 and its 6 entries do not include`);
      expect(finding.related).toEqual([]);
    });

    it("on Django 1.11 names MIDDLEWARE_CLASSES, the list the project uses", () => {
      const finding = djangoFinding(RULE, "bad-middleware-classes");
      expect(finding.message).toContain("You do not have 'django.middleware.security.SecurityMiddleware' in your MIDDLEWARE_CLASSES so the");
      expect(finding.message).toContain("SECURE_BROWSER_XSS_FILTER, and SECURE_SSL_REDIRECT settings will have no effect");
      expect(finding.message).toContain(`MIDDLEWARE_CLASSES is set at ${SETTINGS}:24 and its 6 entries do not include`);
    });

    it("the checks that need SecurityMiddleware stay silent without it, whatever their settings", () => {
      // The bad fixture keeps SECURE_HSTS_* and SECURE_SSL_REDIRECT; without the middleware Django checks none of them.
      expect(djangoIds(lintDjangoFixture(RULE, "bad", "django"))).toEqual(["security.W001"]);
    });
  },
);

it("lists the settings the middleware governs as that version's message does", () => {
  const at32 = lintDjangoFixture(RULE, "bad", RULE, { major: 3, minor: 2 }).result.findings[0];
  expect(at32?.message).toContain("SECURE_CONTENT_TYPE_NOSNIFF, SECURE_BROWSER_XSS_FILTER, SECURE_REFERRER_POLICY, and SECURE_SSL_REDIRECT settings");
  expect(djangoFinding(RULE, "bad").message).toContain("SECURE_REFERRER_POLICY, SECURE_CROSS_ORIGIN_OPENER_POLICY, and SECURE_SSL_REDIRECT settings");
});
