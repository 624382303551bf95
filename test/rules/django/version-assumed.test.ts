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
    ],
    good: ["good"],
  },
  () => {
    it("says which Django the checks follow and how to choose another", () => {
      expect(djangoFinding(RULE, "bad").message).toBe(
        "No Django version is pinned (requirements*.txt, pyproject.toml, Pipfile or a lock file): checking against Django 5.2, the newest supported; pin Django or pass --django-version X.Y",
      );
    });
  },
);
