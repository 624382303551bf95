import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, djangoAtLeast, effectiveSetting, secretKeyWeaknesses, truthy } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/secret-key-weak",
  django: "security.W009",
  severity: "warning",
  summary: "SECRET_KEY is empty, shorter than 50 characters, has fewer than 5 distinct characters, or starts with 'django-insecure-'",
  why:
    "SECRET_KEY signs sessions, password-reset links, CSRF tokens and everything `django.core.signing` produces; a " +
    "short or guessable key lets an attacker forge them. Django's `check --deploy` reports security.W009 when the key " +
    "has fewer than 50 characters or fewer than 5 unique characters; from Django 3.2 also when it starts with " +
    "`django-insecure-` (the prefix `startproject` gives its throw-away keys), and from 3.2 an empty or missing key is " +
    "reported the same way (before 3.2 Django refuses to start without one). The value is read from wherever the " +
    "settings take it — an env file, the compose environment — and never printed.",
  fix:
    "Generate a long random key (e.g. `python -c \"import secrets; print(secrets.token_urlsafe(50))\"`) and give it to " +
    "the service through the environment, not the repository. See " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-SECRET_KEY.",
  examples: [
    {
      file: "app/settings.py",
      bad: 'SECRET_KEY = "django-insecure-3k#x8v!q2m"\n',
      good: 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]  # 50+ random characters, from the deployment\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      const key = effectiveSetting(app, "SECRET_KEY");
      const prefix = djangoAtLeast(app, 3, 2) ? ", or it's prefixed with 'django-insecure-' indicating that it was generated automatically by Django" : "";
      const message =
        `Your SECRET_KEY has less than 50 characters, less than 5 unique characters${prefix}. Please generate a long and ` +
        "random SECRET_KEY, otherwise many of Django's security-critical features will be vulnerable to attack";
      let why: string;
      if (key.value.kind === "str" && key.value.value !== "") {
        const weaknesses = secretKeyWeaknesses(app, key.value.value);
        if (weaknesses.length === 0) continue;
        why = `The key is weak: ${weaknesses.join("; ")}`;
      } else if (truthy(key.value) === false) {
        // Django 3.2+: settings.SECRET_KEY raises ImproperlyConfigured on an empty value, which the check reports as W009.
        why = djangoAtLeast(app, 3, 2) ? "The key is empty" : "The key is empty (Django before 3.2 refuses to start without one)";
      } else {
        // Unknown, or a type Django would crash on rather than warn about.
        continue;
      }
      const finding = settingFinding(service, app, "SECRET_KEY", key, message);
      report({ ...finding, message: `${finding.message} ${why}.` });
    }
  },
});
