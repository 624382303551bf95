import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding } from "./django-table.js";

const RULE = "django/xframe-middleware-missing";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "MIDDLEWARE without XFrameOptionsMiddleware, X_FRAME_OPTIONS = 'SAMEORIGIN' (no W019 without the middleware)",
        rows: [[RULE, SETTINGS, 23, 1]],
        ids: ["security.W002"],
      },
    ],
    good: ["good"],
  },
  () => {
    it("says which middleware is missing from which assignment", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W002");
      expect(finding.message).toContain("'django.middleware.clickjacking.XFrameOptionsMiddleware' in your MIDDLEWARE");
      expect(finding.message).toContain(`MIDDLEWARE is set at ${SETTINGS}:23 and its 6 entries do not include 'django.middleware.clickjacking.XFrameOptionsMiddleware'`);
    });
  },
);
