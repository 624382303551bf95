import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, lintDjangoFixture } from "./django-table.js";

const RULE = "django/allowed-hosts-empty";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "ALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS', '').split() with the variable unset",
        rows: [[RULE, SETTINGS, 12, 1]],
        ids: ["security.W020"],
      },
    ],
    // ''.split(',') is [''], not empty: Django's check passes.
    good: ["good", "good-split-empty-string"],
  },
  () => {
    it("shows how the list came out empty", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.message).toBe(
        `ALLOWED_HOSTS must not be empty in deployment. ALLOWED_HOSTS is []: DJANGO_ALLOWED_HOSTS is not set in service 'web', so the default '' applies, read at ${SETTINGS}:12.`,
      );
    });

    it("good-split-empty-string: the value really is ['']", () => {
      const settings = lintDjangoFixture(RULE, "good-split-empty-string").result.model.stacks[0]?.services[0]?.django?.settings;
      expect(settings?.values.get("ALLOWED_HOSTS")?.value).toEqual({ kind: "list", items: [{ kind: "str", value: "" }] });
    });
  },
);
