import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, djangoIds, lintDjangoFixture } from "./django-table.js";

const RULE = "django/csrf-cookie-secure";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      { fixture: "bad", plants: "CSRF_COOKIE_SECURE not set (default False)", rows: [[RULE, SETTINGS, 1, 1]], ids: ["security.W016"] },
      { fixture: "bad-truthy-5.0", plants: "CSRF_COOKIE_SECURE = 'yes' under Django 5.0", rows: [[RULE, SETTINGS, 45, 1]], ids: ["security.W016"] },
    ],
    // 'yes' passes under 4.0 (truthiness); CSRF_USE_SESSIONS skips the check.
    good: ["good", "good-truthy-4.0", "good-csrf-use-sessions"],
  },
  () => {
    it("explains the 4.1 change on a truthy value", () => {
      const finding = djangoFinding(RULE, "bad-truthy-5.0");
      expect(finding.django).toBe("security.W016");
      expect(finding.message).toContain("but you have not set CSRF_COOKIE_SECURE to True.");
      expect(finding.message).toContain(`CSRF_COOKIE_SECURE is 'yes' (${SETTINGS}:45). Django 4.1 and later accept only True itself here`);
    });

    it("CSRF_USE_SESSIONS = True skips the check even with CSRF_COOKIE_SECURE = False", () => {
      const linted = lintDjangoFixture(RULE, "good-csrf-use-sessions", RULE);
      const settings = linted.result.model.stacks[0]?.services[0]?.django?.settings?.values;
      expect(settings?.get("CSRF_COOKIE_SECURE")?.value).toEqual({ kind: "bool", value: false });
      expect(settings?.get("CSRF_USE_SESSIONS")?.value).toEqual({ kind: "bool", value: true });
      expect(djangoIds(linted)).toEqual([]);
    });
  },
);
