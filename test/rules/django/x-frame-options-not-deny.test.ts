import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, djangoIds, lintDjangoFixture } from "./django-table.js";

const RULE = "django/x-frame-options-not-deny";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [{ fixture: "bad", plants: "X_FRAME_OPTIONS = 'SAMEORIGIN'", rows: [[RULE, SETTINGS, 46, 1]], ids: ["security.W019"] }],
    // Never sets X_FRAME_OPTIONS: 'DENY' is the default from Django 3.0.
    good: ["good"],
  },
  () => {
    it("quotes Django and the value", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W019");
      expect(finding.message).toContain("but X_FRAME_OPTIONS is not set to 'DENY'.");
      expect(finding.message).toContain(`X_FRAME_OPTIONS is 'SAMEORIGIN' (${SETTINGS}:46).`);
    });

    it("needs XFrameOptionsMiddleware: 'SAMEORIGIN' without it is no W019", () => {
      expect(djangoIds(lintDjangoFixture("django/xframe-middleware-missing", "bad", RULE))).toEqual([]);
    });
  },
);
