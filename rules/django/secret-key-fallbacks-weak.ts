import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, djangoAtLeast, effectiveSetting, secretKeyWeaknesses } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/secret-key-fallbacks-weak",
  django: "security.W025",
  severity: "warning",
  summary: "An entry of SECRET_KEY_FALLBACKS is shorter than 50 characters, has fewer than 5 distinct characters, or starts with 'django-insecure-'",
  why:
    "Every key in SECRET_KEY_FALLBACKS still validates signatures (sessions, password-reset links), so a weak old " +
    "key is as dangerous as a weak current one. Django's `check --deploy` reports security.W025 — once per weak " +
    "entry, naming its index — from Django 4.1, which introduced key rotation; the test is the one SECRET_KEY gets " +
    "(security.W009). Values are never printed.",
  fix:
    "Remove old keys once every session and link signed with them has expired, and only ever rotate in long random " +
    "keys. See https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-SECRET_KEY_FALLBACKS.",
  examples: [
    {
      file: "app/settings.py",
      bad: 'SECRET_KEY_FALLBACKS = ["django-insecure-old-dev-key"]\n',
      good: 'SECRET_KEY_FALLBACKS = os.environ.get("DJANGO_OLD_SECRET_KEYS", "").split()  # long random keys only\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (!djangoAtLeast(app, 4, 1)) continue;
      const fallbacks = effectiveSetting(app, "SECRET_KEY_FALLBACKS");
      const value = fallbacks.value;
      if (value.kind !== "list" && value.kind !== "tuple") continue;
      // A known non-string entry makes Django's check crash (len(set(key))) rather than warn.
      if (value.items.some((item) => item.kind !== "str" && item.kind !== "unknown")) continue;
      value.items.forEach((item, index) => {
        if (item.kind !== "str") return;
        const weaknesses = secretKeyWeaknesses(app, item.value);
        if (weaknesses.length === 0) return;
        const finding = settingFinding(
          service,
          app,
          "SECRET_KEY_FALLBACKS",
          fallbacks,
          `Your SECRET_KEY_FALLBACKS[${index}] has less than 50 characters, less than 5 unique characters, or it's prefixed ` +
            "with 'django-insecure-' indicating that it was generated automatically by Django. Please generate a long and " +
            "random value, otherwise many of Django's security-critical features will be vulnerable to attack",
        );
        report({ ...finding, message: `${finding.message} Entry ${index} is weak: ${weaknesses.join("; ")}.` });
      });
    }
  },
});
