import { expect, it } from "vitest";
import { describeRuleTable, findingOf, relatedRows } from "../rule-table.js";

const RULE = "deploy/env-name-drift";
const SETTINGS = "app/bookshelf/settings.py";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-host", plants: ".env gives HOST, the settings read SITE_HOST with a default", rows: [[RULE, SETTINGS, 10, 29]] },
      { fixture: "bad-template-secret", plants: "the template of the missing .env.prod names DJANGO_SECRET, the settings read DJANGO_SECRET_KEY with a default", rows: [[RULE, SETTINGS, 7, 30]] },
      { fixture: "bad-shared-worker", plants: "bad-host with an RQ worker from the same image loading the same .env", rows: [[RULE, SETTINGS, 10, 29]] },
      { fixture: "bad-typo", plants: ".env gives DATABSE_URL, dj_database_url reads DATABASE_URL with a default", rows: [[RULE, SETTINGS, 36, 16]] },
    ],
    good: ["good-template-read", "good-postgres-image", "good-unrelated", "good-uwsgi-reads"],
  },
  () => {
    it("bad-host: names both variables, the default and where the unread one is set", () => {
      const finding = findingOf(RULE, "bad-host");
      expect(finding.message).toContain("read SITE_HOST (default 'localhost')");
      expect(finding.message).toContain("service 'web' is given HOST (.env:3), which nothing reads");
      expect(finding.message).toContain("runs on the default");
      expect(relatedRows(finding)).toEqual([[".env", 3, 1]]);
      expect(finding.related[0]?.message).toContain("HOST = books.example.org");
    });

    it("bad-template-secret: points at the template and masks the secret default", () => {
      const finding = findingOf(RULE, "bad-template-secret");
      expect(finding.message).toContain("DJANGO_SECRET_KEY");
      expect(finding.message).toContain("env file template names DJANGO_SECRET (.env.prod.example:1)");
      expect(finding.message).not.toContain("insecure-3f9a");
      expect(finding.message).toContain("dj…(48 chars)");
      expect(relatedRows(finding)).toEqual([[".env.prod.example", 1, 1]]);
    });

    it("bad-typo: masks the URL password of the unread variable", () => {
      const finding = findingOf(RULE, "bad-typo");
      expect(finding.message).toContain("DATABSE_URL (.env:3)");
      expect(finding.related[0]?.message).not.toContain("s3cret-db-passw0rd");
      expect(finding.related[0]?.message).toContain("postgres://bookshelf:s3…(18 chars)@db:5432/bookshelf");
    });
  },
);
