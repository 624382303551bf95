import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, effectiveSetting, hasMiddleware, isTrue, SECURITY_MIDDLEWARE } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/content-type-nosniff",
  django: "security.W006",
  severity: "warning",
  summary: "SECURE_CONTENT_TYPE_NOSNIFF is not True while SecurityMiddleware is on",
  why:
    "Without `X-Content-Type-Options: nosniff` browsers may guess a response's type, and run an uploaded text file as " +
    "a script. Django's `check --deploy` reports security.W006 when SecurityMiddleware is on and the setting is not " +
    "`True` itself (`is True`). The default is True from Django 3.0 (it was False up to 2.2), so this fires only when " +
    "the settings turn it off.",
  fix:
    "Remove the assignment (the default is True) or set `SECURE_CONTENT_TYPE_NOSNIFF = True`. See " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-SECURE_CONTENT_TYPE_NOSNIFF.",
  examples: [
    { file: "app/settings.py", bad: "SECURE_CONTENT_TYPE_NOSNIFF = False\n", good: "SECURE_CONTENT_TYPE_NOSNIFF = True\n" },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (hasMiddleware(app, SECURITY_MIDDLEWARE) !== true) continue;
      const nosniff = effectiveSetting(app, "SECURE_CONTENT_TYPE_NOSNIFF");
      if (isTrue(nosniff.value) !== false) continue;
      report(
        settingFinding(
          service,
          app,
          "SECURE_CONTENT_TYPE_NOSNIFF",
          nosniff,
          "Your SECURE_CONTENT_TYPE_NOSNIFF setting is not set to True, so your pages will not be served with an " +
            "'X-Content-Type-Options: nosniff' header",
        ),
      );
    }
  },
});
