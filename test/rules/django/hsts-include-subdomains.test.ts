import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding } from "./django-table.js";

const RULE = "django/hsts-include-subdomains";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      { fixture: "bad", plants: "SECURE_HSTS_INCLUDE_SUBDOMAINS = 1 under Django 5.2", rows: [[RULE, SETTINGS, 42, 1]], ids: ["security.W005"] },
      // Unlike the cookie checks, this one has tested `is True` in every version.
      { fixture: "bad-3.2", plants: "SECURE_HSTS_INCLUDE_SUBDOMAINS = 1 under Django 3.2 too", rows: [[RULE, SETTINGS, 42, 1]], ids: ["security.W005"] },
    ],
    good: ["good"],
  },
  () => {
    it("shows the value that is not True", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W005");
      expect(finding.message).toContain("You have not set the SECURE_HSTS_INCLUDE_SUBDOMAINS setting to True.");
      expect(finding.message).toContain(`SECURE_HSTS_INCLUDE_SUBDOMAINS is 1 (${SETTINGS}:42)`);
    });
  },
);
