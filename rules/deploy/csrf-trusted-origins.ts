import { defineRule } from "../../src/engine/rule.js";
import { describeDjangoVersion, djangoApps, djangoAtLeast, effectiveSetting, settingRange } from "../../src/model/django-settings.js";
import { settingProvenance } from "../../src/model/provenance.js";
import { valueOrigin } from "../../src/python/evaluate.js";
import { reprString } from "../../src/python/values.js";

export default defineRule({
  id: "deploy/csrf-trusted-origins",
  django: null,
  severity: "error",
  summary: "A CSRF_TRUSTED_ORIGINS entry has no scheme (Django 4.0+ rejects it: 4_0.E001)",
  why:
    "Since Django 4.0, CSRF_TRUSTED_ORIGINS holds origins (`https://books.example.org`), not hosts: Django's system " +
    "check 4_0.E001 (django/core/checks/compatibility/django_4_0.py) reports every entry without `://` as an error, so " +
    "`manage.py migrate` and every other management command stop with SystemCheckError, and the entry never matches a " +
    "browser's Origin header, so cross-origin form POSTs it was meant to allow fail with 403. Django 3.2 and older took " +
    "bare hosts; the rule uses the Django version the project pins. Values that come from an environment variable whose " +
    "value the repository does not hold are not judged.",
  fix:
    "Write every entry with its scheme: `CSRF_TRUSTED_ORIGINS = [\"https://books.example.org\"]` (a leading-dot " +
    "subdomain wildcard becomes `https://*.example.org`). See " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#csrf-trusted-origins.",
  examples: [
    {
      file: "app/settings.py",
      bad: 'CSRF_TRUSTED_ORIGINS = ["books.example.org"]\n',
      good: 'CSRF_TRUSTED_ORIGINS = ["https://books.example.org"]\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (!djangoAtLeast(app, 4, 0)) continue;
      const origins = effectiveSetting(app, "CSRF_TRUSTED_ORIGINS");
      const value = origins.value;
      // A string would be iterated character by character: Django reports that too, but it is not this mistake.
      if (value.kind !== "list" && value.kind !== "tuple") continue;
      const provenance = settingProvenance(service, app, "CSRF_TRUSTED_ORIGINS", origins);
      for (const item of value.items) {
        if (item.kind !== "str" || item.value.includes("://")) continue;
        const suggestion = item.value.startsWith(".") ? `https://*${item.value}` : `https://${item.value}`;
        const envNote = provenance.related.length > 0 ? ` ${provenance.text}.` : "";
        report({
          stack: service.stack,
          message:
            `CSRF_TRUSTED_ORIGINS entry ${reprString(item.value)} has no scheme: ${describeDjangoVersion(app)} reports 4_0.E001 ` +
            "(management commands such as migrate stop) and the entry never matches a browser's Origin header. " +
            `Write it as ${reprString(suggestion)}.${envNote}`,
          range: valueOrigin(item) ?? settingRange(app, origins),
          related: provenance.related,
        });
      }
    }
  },
});
