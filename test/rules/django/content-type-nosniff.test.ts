import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding } from "./django-table.js";

const RULE = "django/content-type-nosniff";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [{ fixture: "bad", plants: "SECURE_CONTENT_TYPE_NOSNIFF = False", rows: [[RULE, SETTINGS, 46, 1]], ids: ["security.W006"] }],
    // The good fixture never sets it: True is the default from Django 3.0.
    good: ["good"],
  },
  () => {
    it("names the setting and its value", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W006");
      expect(finding.message).toContain("'X-Content-Type-Options: nosniff' header");
      expect(finding.message).toContain(`SECURE_CONTENT_TYPE_NOSNIFF is False (${SETTINGS}:46)`);
    });
  },
);
