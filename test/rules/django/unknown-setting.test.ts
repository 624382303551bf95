import { describe, expect, it } from "vitest";
import { ALL_DJANGO_SETTING_NAMES, djangoSettingNames } from "../../../src/model/django-setting-names.js";
import { closestName, editDistance } from "../../../src/model/unknown-settings.js";
import { describeRuleTable, findingOf, relatedRows } from "../rule-table.js";

const RULE = "django/unknown-setting";
const SETTINGS = "app/bookshelf/settings.py";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-setting-name", plants: "SECURE_HSTS_SECOND instead of SECURE_HSTS_SECONDS", rows: [[RULE, SETTINGS, 52, 1]] },
      { fixture: "bad-database-key", plants: "'HOTS' instead of 'HOST' in DATABASES['default']", rows: [[RULE, SETTINGS, 39, 9]] },
      { fixture: "bad-cache-key", plants: "'OPTIONs' instead of 'OPTIONS' in CACHES['default']", rows: [[RULE, SETTINGS, 47, 9]] },
    ],
    good: ["good", "good-custom-settings"],
  },
  () => {
    it("names the setting, Django's name and the pinned version, and relates the settings module and the pin", () => {
      const finding = findingOf(RULE, "bad-setting-name");
      expect(finding.message).toBe(
        "SECURE_HSTS_SECOND is not a Django setting, so Django ignores it: did you mean SECURE_HSTS_SECONDS? " +
          "(Django 4.2.16, pinned by Django==4.2.16 in requirements.txt) Rename it, or Django runs with the default.",
      );
      expect(relatedRows(finding)).toEqual([
        ["docker-compose.yml", 15, 7],
        ["requirements.txt", 1, 1],
      ]);
    });

    it("names the entry of a misspelt DATABASES key", () => {
      expect(findingOf(RULE, "bad-database-key").message).toContain(
        "'HOTS' is not a key Django reads in a DATABASES entry, so DATABASES['default']['HOTS'] is ignored: did you mean 'HOST'?",
      );
      expect(findingOf(RULE, "bad-cache-key").message).toContain("did you mean 'OPTIONS'?");
    });
  },
);

describe("Django's setting names", () => {
  it("follow the release lines: SECRET_KEY_FALLBACKS from 4.1, STORAGES from 4.2, DEFAULT_FILE_STORAGE gone in 5.1", () => {
    expect(djangoSettingNames({ major: 4, minor: 0 }).has("SECRET_KEY_FALLBACKS")).toBe(false);
    expect(djangoSettingNames({ major: 4, minor: 1 }).has("SECRET_KEY_FALLBACKS")).toBe(true);
    expect(djangoSettingNames({ major: 4, minor: 2 }).has("STORAGES")).toBe(true);
    expect(djangoSettingNames({ major: 5, minor: 0 }).has("DEFAULT_FILE_STORAGE")).toBe(true);
    expect(djangoSettingNames({ major: 5, minor: 1 }).has("DEFAULT_FILE_STORAGE")).toBe(false);
    expect(djangoSettingNames({ major: 2, minor: 2 }).has("SECURE_REFERRER_POLICY")).toBe(false);
    expect(djangoSettingNames({ major: 2, minor: 2 }).has("FILE_CHARSET")).toBe(true);
    expect(djangoSettingNames({ major: 3, minor: 2 }).has("ROOT_URLCONF")).toBe(true);
    expect(ALL_DJANGO_SETTING_NAMES.has("USE_L10N")).toBe(true);
  });

  it("suggests only close names, never for a real one", () => {
    const names = djangoSettingNames({ major: 5, minor: 2 });
    expect(editDistance("HOTS", "HOST")).toBe(1);
    expect(closestName("SESSION_COOKIE_SECURED", names)).toBe("SESSION_COOKIE_SECURE");
    expect(closestName("ALLOWED_HOST", names)).toBe("ALLOWED_HOSTS");
    expect(closestName("SECURE_HSTS_SECONDS", names)).toBeUndefined();
    expect(closestName("BASE_DIR", names)).toBeUndefined();
    expect(closestName("SITE_URL", names)).toBeUndefined();
  });
});
