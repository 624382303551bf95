import { expect, it } from "vitest";
import { describeRuleTable, findingOf, relatedRows } from "../rule-table.js";

const RULE = "deploy/csrf-trusted-origins";
const SETTINGS = "app/bookshelf/settings.py";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-bare-host", plants: "a bare host among the origins, Django 4.2", rows: [[RULE, SETTINGS, 10, 54]] },
      { fixture: "bad-env-hosts", plants: "the compose environment gives a bare host, split into the origins", rows: [[RULE, SETTINGS, 10, 1]] },
    ],
    // good-django-32: Django 3.2 still takes bare hosts (and the leading-dot form).
    good: ["good", "good-django-32"],
  },
  () => {
    it("a bare host: names the entry, the Django version and pin, the check id, and the fix", () => {
      const finding = findingOf(RULE, "bad-bare-host");
      expect(finding.message).toContain("CSRF_TRUSTED_ORIGINS entry 'admin.example.org' has no scheme");
      expect(finding.message).toContain("Django 4.2.16, pinned by Django==4.2.16 in requirements.txt");
      expect(finding.message).toContain("4_0.E001");
      expect(finding.message).toContain("Write it as 'https://admin.example.org'");
      expect(finding.related).toEqual([]);
    });

    it("from the environment: says where the value was set and points at the compose line", () => {
      const finding = findingOf(RULE, "bad-env-hosts");
      expect(finding.message).toContain("CSRF_TRUSTED_ORIGINS entry 'books.example.org' has no scheme");
      expect(finding.message).toContain("DJANGO_CSRF_TRUSTED_ORIGINS=books.example.org in the compose environment (docker-compose.yml line 16)");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 16, 7]]);
    });
  },
);
