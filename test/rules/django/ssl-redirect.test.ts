import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding } from "./django-table.js";

const RULE = "django/ssl-redirect";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "SECURE_SSL_REDIRECT = os.environ.get('DJANGO_SSL_REDIRECT', 'True'): the string 'True' is not True",
        rows: [[RULE, SETTINGS, 40, 1]],
        ids: ["security.W008"],
      },
    ],
    good: ["good"],
  },
  () => {
    it("explains that the default of the env read applies", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W008");
      expect(finding.message).toContain(
        `SECURE_SSL_REDIRECT is 'True': DJANGO_SSL_REDIRECT is not set in service 'web', so the default 'True' applies, read at ${SETTINGS}:40`,
      );
      // The read is on the assignment's own line: nothing more to point at.
      expect(finding.related).toEqual([]);
    });
  },
);
