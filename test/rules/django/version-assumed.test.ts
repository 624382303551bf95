import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding } from "./django-table.js";

const RULE = "django/version-assumed";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "requirements.txt lists Django without a version",
        rows: [[RULE, "app/ledger/settings.py", 1, 1]],
        ids: [],
      },
      // A release outside 1.11 … 5.2 is checked as the nearest modelled one, and the pin is where that is said.
      { fixture: "bad-newer", plants: "Django==6.0.* (newer than 5.2)", rows: [[RULE, "requirements.txt", 1, 1]], ids: [] },
      {
        fixture: "bad-older",
        plants: "Django==1.8.* (older than 1.11)",
        rows: [[RULE, "requirements.txt", 1, 1]],
        // Checked as 1.11: its defaults (nosniff off, 'SAMEORIGIN', the XSS filter off) warn.
        ids: ["security.W006", "security.W007", "security.W019"],
      },
    ],
    good: ["good"],
  },
  () => {
    it("says that a pinned release outside the modelled ones is checked as the nearest", () => {
      expect(djangoFinding(RULE, "bad-newer").message).toBe(
        "Django 6.0 (Django==6.0.* in requirements.txt) is newer than the newest release django-prod-lint models (5.2): its checks and defaults follow Django 5.2, so a deploy check added after 5.2 is not seen",
      );
      expect(djangoFinding(RULE, "bad-older").message).toContain("Django 1.8 (Django==1.8.* in requirements.txt) is older than the oldest release django-prod-lint models (1.11)");
    });

    it("says which Django the checks follow and how to choose another", () => {
      expect(djangoFinding(RULE, "bad").message).toBe(
        "No Django version is pinned (requirements*.txt, pyproject.toml, Pipfile or a lock file): checking against Django 5.2, the newest supported; pin Django or pass --django-version X.Y",
      );
    });
  },
);
