import { expect, it } from "vitest";
import { commentedCredentials } from "../../../src/model/settings-credentials.js";
import { describeRuleTable, findingOf, relatedRows } from "../rule-table.js";

const RULE = "django/credential-in-source";
const SETTINGS = "app/bookshelf/settings.py";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-db-password", plants: "DATABASES['default']['PASSWORD'] written as a literal", rows: [[RULE, SETTINGS, 38, 21]] },
      { fixture: "bad-commented", plants: "a commented-out DATABASES block that still holds its password", rows: [[RULE, SETTINGS, 50, 23]] },
      {
        fixture: "bad-email-default",
        plants: "EMAIL_HOST_PASSWORD defaults to a real password and nothing sets the variable",
        rows: [[RULE, SETTINGS, 46, 61]],
      },
    ],
    good: ["good", "good-standins"],
  },
  () => {
    it("masks the password, names the setting and the file, and relates the settings module choice", () => {
      const finding = findingOf(RULE, "bad-db-password");
      expect(finding.message).toBe(
        "DATABASES['default']['PASSWORD'] is a credential written in app/bookshelf/settings.py, a settings module git tracks " +
          "(Tq…(16 chars)): anyone with the repository can use it; read it from the environment and rotate it",
      );
      expect(finding.message).not.toContain("rLx4");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 15, 7]]);
      expect(finding.related[0]?.message).toBe("bookshelf.settings is the settings module of service 'web' here");
    });

    it("says the credential is in commented-out code", () => {
      const finding = findingOf(RULE, "bad-commented");
      expect(finding.message).toContain("'PASSWORD' is written in commented-out code of app/bookshelf/settings.py");
      expect(finding.message).toContain("delete the comment and rotate the credential");
      expect(finding.message).not.toContain("hunter2");
    });

    it("says production runs with the default of the env read", () => {
      const finding = findingOf(RULE, "bad-email-default");
      expect(finding.message).toContain("EMAIL_HOST_PASSWORD is the default of the read of EMAIL_HOST_PASSWORD, which nothing gives service 'web'");
      expect(finding.message).not.toContain("QpZ8");
    });
  },
);

it("finds assignments and dict entries in comments, exactly at the quoted value", () => {
  const text = [
    "# EMAIL_HOST_PASSWORD = 'Zx81-mail-pw'",
    "x = 1  # 'PASSWORD': 'not-a-full-line-comment'",
    "#   AWS_SECRET_ACCESS_KEY=\"wJalrXUtnFEMIK7MDENG\"",
    "# 'PASSWORD': '${DB_PASSWORD}', 'SIGNING_KEY': \"k3y-Of-the-JWT\"",
    "# AZURE_CONNECTION_STRING = 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Qm9vay1rZXk='",
    "# MY_EMAIL_HOST_PASSWORD = 'Zx81-mail-pw'",
    "#  EMAIL_HOST_PASSWORD = 'smtp_password'",
  ].join("\n");
  const found = commentedCredentials("s.py", text).map((c) => [c.setting, c.value, c.range.line, c.range.column, c.range.endColumn]);
  expect(found).toEqual([
    ["EMAIL_HOST_PASSWORD", "Zx81-mail-pw", 1, 25, 39],
    ["AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIK7MDENG", 3, 27, 49],
    ["'SIGNING_KEY'", "k3y-Of-the-JWT", 4, 48, 64],
    ["AZURE_CONNECTION_STRING", "Qm9vay1rZXk=", 5, 29, 99],
  ]);
});
