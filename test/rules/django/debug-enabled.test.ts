import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, relatedRows } from "./django-table.js";

const RULE = "django/debug-enabled";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad-string",
        plants: "DEBUG = os.environ.get('DJANGO_DEBUG', 'False'): a non-empty string",
        rows: [[RULE, "app/ledger/settings.py", 11, 1]],
        ids: ["security.W018"],
      },
      {
        fixture: "bad-split",
        plants: "split base/prod settings, prod.py reads DJANGO_DEBUG=1 from the .env compose hands over",
        rows: [[RULE, "app/ledger/settings/prod.py", 7, 1]],
        ids: ["security.W018"],
      },
    ],
    good: ["good"],
  },
  () => {
    it("says that the string 'False' is truthy", () => {
      const finding = djangoFinding(RULE, "bad-string");
      expect(finding.message).toContain("You should not have DEBUG set to True in deployment.");
      expect(finding.message).toContain("DEBUG is 'False': DJANGO_DEBUG is not set in service 'web', so the default 'False' applies");
      expect(finding.message).toContain('Django tests truthiness: a non-empty string ("False" and "0" included) counts as True.');
    });

    it("traces DEBUG through prod.py to the .env line compose hands to the service", () => {
      const finding = djangoFinding(RULE, "bad-split");
      expect(finding.message).toBe(
        "You should not have DEBUG set to True in deployment. DEBUG is True: DJANGO_DEBUG=1 in .env (line 2), read at app/ledger/settings/prod.py:7.",
      );
      expect(relatedRows(finding)).toEqual([
        [".env", 2, 1],
        ["docker-compose.yml", 4, 15],
      ]);
    });
  },
);
