import { defineRule } from "../../src/engine/rule.js";
import {
  cookieFlagPasses,
  CSRF_MIDDLEWARE,
  djangoApps,
  djangoAtLeast,
  effectiveSetting,
  hasMiddleware,
  truthy,
  truthyButNotTrue,
} from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/csrf-cookie-secure",
  django: "security.W016",
  severity: "warning",
  summary: "CsrfViewMiddleware is on but CSRF_COOKIE_SECURE is not True",
  why:
    "Without the Secure flag the CSRF cookie also travels over plain HTTP, where a network attacker can read it. " +
    "Django's `check --deploy` reports security.W016 when CsrfViewMiddleware is in MIDDLEWARE, CSRF_USE_SESSIONS is " +
    "off (the token then lives in the session, not in a cookie) and CSRF_COOKIE_SECURE does not pass: up to Django " +
    "4.0 a truthy value passes, from 4.1 only `True` itself does.",
  fix:
    "Set `CSRF_COOKIE_SECURE = True` (a real boolean). See " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-CSRF_COOKIE_SECURE.",
  examples: [{ file: "app/settings.py", bad: "CSRF_COOKIE_SECURE = False\n", good: "CSRF_COOKIE_SECURE = True\n" }],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (truthy(effectiveSetting(app, "CSRF_USE_SESSIONS").value) !== false) continue;
      if (hasMiddleware(app, CSRF_MIDDLEWARE) !== true) continue;
      const secure = effectiveSetting(app, "CSRF_COOKIE_SECURE");
      if (cookieFlagPasses(app, secure.value) !== false) continue;
      const finding = settingFinding(
        service,
        app,
        "CSRF_COOKIE_SECURE",
        secure,
        "You have 'django.middleware.csrf.CsrfViewMiddleware' in your MIDDLEWARE, but you have not set CSRF_COOKIE_SECURE " +
          "to True. Using a secure-only CSRF cookie makes it more difficult for network traffic sniffers to steal the CSRF token",
      );
      const strict =
        djangoAtLeast(app, 4, 1) && truthyButNotTrue(secure.value)
          ? ` Django 4.1 and later accept only True itself here; a truthy ${secure.value.kind} passed up to 4.0.`
          : "";
      report({ ...finding, message: `${finding.message}${strict}` });
    }
  },
});
