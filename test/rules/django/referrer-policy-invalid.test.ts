import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding } from "./django-table.js";

const RULE = "django/referrer-policy-invalid";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [{ fixture: "bad", plants: "'same-origin, no-referer': the second value is misspelt", rows: [[RULE, SETTINGS, 46, 1]], ids: ["security.E023"] }],
    good: ["good", "good-list"],
  },
  () => {
    it("is an error naming the invalid part and the valid values", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.E023");
      expect(finding.severity).toBe("error");
      expect(finding.message).toContain("You have set the SECURE_REFERRER_POLICY setting to an invalid value ('no-referer').");
      expect(finding.message).toContain("Valid values are: no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin,");
      expect(finding.message).toContain(`SECURE_REFERRER_POLICY is 'same-origin, no-referer' (${SETTINGS}:46).`);
    });
  },
);
