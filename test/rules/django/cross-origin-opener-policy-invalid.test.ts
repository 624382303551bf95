import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, djangoIds, lintDjangoFixture } from "./django-table.js";

const RULE = "django/cross-origin-opener-policy-invalid";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [{ fixture: "bad", plants: "'same-origin-allow-popup' under Django 5.2", rows: [[RULE, SETTINGS, 46, 1]], ids: ["security.E024"] }],
    // Django 3.2 has no such setting, so the misspelt value is never read.
    good: ["good", "good-3.2"],
  },
  () => {
    it("is an error listing the valid values", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.E024");
      expect(finding.severity).toBe("error");
      expect(finding.message).toContain("Valid values are: same-origin, same-origin-allow-popups, unsafe-none.");
      expect(finding.message).toContain(`SECURE_CROSS_ORIGIN_OPENER_POLICY is 'same-origin-allow-popup' (${SETTINGS}:46).`);
    });

    it("exists from Django 4.0 (ids taken from Django's source: Debian's 3.2 cannot show it)", () => {
      expect(djangoIds(lintDjangoFixture(RULE, "bad", RULE, { major: 3, minor: 2 }))).toEqual([]);
      expect(djangoIds(lintDjangoFixture(RULE, "bad", RULE, { major: 4, minor: 0 }))).toEqual(["security.E024"]);
    });
  },
);
