import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import { describeDjangoVersion, djangoApps } from "../../src/model/django-settings.js";
import { misspeltSettings } from "../../src/model/unknown-settings.js";

export default defineRule({
  id: "django/unknown-setting",
  django: null,
  severity: "warning",
  summary: "A setting name, or a key of a DATABASES / CACHES entry, is a misspelling of one Django reads: Django ignores it",
  why:
    "Django reads only the setting names it knows and silently ignores every other one, so `SECURE_HSTS_SECOND = " +
    "31536000` or `SESSION_COOKIE_SECURED = True` leaves the protection off while the settings look right, and " +
    "`manage.py check --deploy` says nothing about the typo (it reports the real setting as unset, if at all). The " +
    "same holds for the keys of a DATABASES or CACHES entry: `'OPTIONs'` or `'HOTS'` is dropped and the default " +
    "applies. Only names one or two edits from a setting of the pinned Django release are reported, and never a name " +
    "the project reads itself (a custom setting).",
  fix: "Rename it to the name Django reads (the message says which, for the Django version the project pins).",
  examples: [
    {
      file: "app/bookshelf/settings.py",
      bad: 'SECURE_HSTS_SECOND = 31536000\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOTS": "db"}}\n',
      good: 'SECURE_HSTS_SECONDS = 31536000\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      const choice = app.settingsModule;
      const related: RelatedLocation[] =
        choice?.range !== undefined ? [{ range: choice.range, message: `${choice.module} is the settings module of service '${service.name}' here` }] : [];
      if (app.version.range !== undefined) related.push({ range: app.version.range, message: `${describeDjangoVersion(app)}` });
      for (const found of misspeltSettings(model, app)) {
        const what =
          found.where === "setting"
            ? `${found.name} is not a Django setting, so Django ignores it`
            : `'${found.name}' is not a key Django reads in a ${found.where} entry, so ${found.written} is ignored`;
        report({
          message: `${what}: did you mean ${found.where === "setting" ? found.suggestion : `'${found.suggestion}'`}? (${describeDjangoVersion(app)}) Rename it, or Django runs with the default.`,
          range: found.range,
          related,
          stack: service.stack,
        });
      }
    }
  },
});
