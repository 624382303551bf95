import { expect, it } from "vitest";
import { describeRuleTable, findingOf, relatedRows } from "../rule-table.js";

const RULE = "django/secret-key-in-source";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-literal", plants: "SECRET_KEY written as a long random literal", rows: [[RULE, "app/bookshelf/settings.py", 7, 14]] },
      {
        fixture: "bad-env-default",
        plants: "os.environ.get default holds a key and .env does not set DJANGO_SECRET_KEY",
        rows: [[RULE, "app/bookshelf/settings.py", 7, 50]],
      },
      { fixture: "bad-fallback", plants: "an old key written literally in SECRET_KEY_FALLBACKS", rows: [[RULE, "app/bookshelf/settings.py", 11, 5]] },
    ],
    good: ["good", "good-dev-default"],
  },
  () => {
    it("masks the key, names the file and relates the settings module choice", () => {
      const finding = findingOf(RULE, "bad-literal");
      expect(finding.message).toContain("SECRET_KEY is a key written in app/bookshelf/settings.py (r4…(48 chars)), a settings module git tracks");
      expect(finding.message).not.toContain("r4#k9v");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 15, 7]]);
      expect(finding.related[0]?.message).toBe("bookshelf.settings is the settings module of service 'web' here");
    });

    it("says that production runs with the default of the env read", () => {
      const finding = findingOf(RULE, "bad-env-default");
      expect(finding.message).toContain("is the default of the read of DJANGO_SECRET_KEY, which nothing gives service 'web'");
      expect(finding.message).toContain("set DJANGO_SECRET_KEY for the service");
      expect(finding.message).not.toContain("e3b7c1d9");
    });

    it("names the fallback entry", () => {
      expect(findingOf(RULE, "bad-fallback").message).toContain("SECRET_KEY_FALLBACKS[1] is a key written in app/bookshelf/settings.py (b9…(50 chars))");
    });
  },
);
