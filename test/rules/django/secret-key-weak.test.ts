import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, relatedRows } from "./django-table.js";

const RULE = "django/secret-key-weak";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      { fixture: "bad-short", plants: "DJANGO_SECRET_KEY in .env has 48 characters", rows: [[RULE, SETTINGS, 10, 1]], ids: ["security.W009"] },
      {
        fixture: "bad-insecure-prefix",
        plants: "the os.environ.get default, a django-insecure- key, applies (Django 5.2)",
        rows: [[RULE, SETTINGS, 10, 1]],
        ids: ["security.W009"],
      },
      { fixture: "bad-missing", plants: "no SECRET_KEY at all: the empty default", rows: [[RULE, SETTINGS, 1, 1]], ids: ["security.W009"] },
    ],
    // The same django-insecure- key passes under Django 3.1: the prefix test came with 3.2.
    good: ["good", "good-insecure-prefix-3.1"],
  },
  () => {
    it("never prints the key: masked in the message, with the env file line in related", () => {
      const finding = djangoFinding(RULE, "bad-short");
      expect(finding.message).toContain("Your SECRET_KEY has less than 50 characters, less than 5 unique characters, or it's prefixed with 'django-insecure-'");
      expect(finding.message).toContain(`SECRET_KEY is '7c…(48 chars)': DJANGO_SECRET_KEY=7c…(48 chars) in .env (line 1), read at ${SETTINGS}:10`);
      expect(finding.message).toContain("The key is weak: it has 48 characters, fewer than 50.");
      expect(finding.message).not.toContain("7c1f0e9a");
      expect(relatedRows(finding)).toEqual([
        [".env", 1, 1],
        ["docker-compose.yml", 4, 15],
      ]);
    });

    it("names the django-insecure- prefix as the weakness", () => {
      const finding = djangoFinding(RULE, "bad-insecure-prefix");
      expect(finding.message).toContain("DJANGO_SECRET_KEY is not set in service 'web', so the default 'dj…(56 chars)' applies");
      expect(finding.message).toContain("it starts with 'django-insecure-'");
      expect(finding.message).not.toContain("w8#k2v");
    });

    it("an absent key is empty", () => {
      const finding = djangoFinding(RULE, "bad-missing");
      expect(finding.message).toContain("SECRET_KEY is not set in ledger.settings, so Django's default '' applies");
      expect(finding.message).toContain("The key is empty.");
    });
  },
);
