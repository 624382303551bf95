import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, djangoIds, lintDjangoFixture, relatedRows } from "./django-table.js";

const RULE = "django/secret-key-fallbacks-weak";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      {
        fixture: "bad",
        plants: "[a long key from .env, a django-insecure- key]: entry 1 is weak",
        rows: [[RULE, SETTINGS, 46, 1]],
        ids: ["security.W025"],
      },
    ],
    // Django 4.0 has no SECRET_KEY_FALLBACKS.
    good: ["good", "good-4.0"],
  },
  () => {
    it("names the index, masks every key, and points at the env line of the other entry", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W025");
      expect(finding.message).toContain("Your SECRET_KEY_FALLBACKS[1] has less than 50 characters");
      expect(finding.message).toContain("SECRET_KEY_FALLBACKS is ['Zq…(51 chars)', 'dj…(56 chars)']: DJANGO_OLD_SECRET_KEY=Zq…(51 chars) in .env (line 2)");
      expect(finding.message).toContain("Entry 1 is weak: it starts with 'django-insecure-'");
      expect(finding.message).not.toMatch(/Zq3wE8|w8#k2v/);
      expect(relatedRows(finding)).toEqual([
        [".env", 2, 1],
        ["docker-compose.yml", 4, 15],
      ]);
    });

    it("exists from Django 4.1 (ids taken from Django's source: Debian's 3.2 cannot show it)", () => {
      expect(djangoIds(lintDjangoFixture(RULE, "bad", RULE, { major: 4, minor: 0 }))).toEqual([]);
      expect(djangoIds(lintDjangoFixture(RULE, "bad", RULE, { major: 4, minor: 1 }))).toEqual(["security.W025"]);
    });
  },
);
