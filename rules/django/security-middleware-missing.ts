import { defineRule } from "../../src/engine/rule.js";
import type { DjangoApp } from "../../src/model/deployment-model.js";
import { djangoApps, djangoAtLeast, hasMiddleware, middlewareSetting, SECURITY_MIDDLEWARE } from "../../src/model/django-settings.js";
import { middlewareFinding } from "../../src/model/provenance.js";

/** The settings SecurityMiddleware applies, as the version's own W001 message lists them. */
function settingsItGoverns(app: DjangoApp): string {
  if (djangoAtLeast(app, 4, 0)) return "SECURE_HSTS_SECONDS, SECURE_CONTENT_TYPE_NOSNIFF, SECURE_REFERRER_POLICY, SECURE_CROSS_ORIGIN_OPENER_POLICY, and SECURE_SSL_REDIRECT";
  if (djangoAtLeast(app, 3, 0)) return "SECURE_HSTS_SECONDS, SECURE_CONTENT_TYPE_NOSNIFF, SECURE_BROWSER_XSS_FILTER, SECURE_REFERRER_POLICY, and SECURE_SSL_REDIRECT";
  return "SECURE_HSTS_SECONDS, SECURE_CONTENT_TYPE_NOSNIFF, SECURE_BROWSER_XSS_FILTER, and SECURE_SSL_REDIRECT";
}

export default defineRule({
  id: "django/security-middleware-missing",
  django: "security.W001",
  severity: "warning",
  summary: "MIDDLEWARE does not include django.middleware.security.SecurityMiddleware",
  why:
    "SecurityMiddleware is what sends HSTS, `X-Content-Type-Options: nosniff`, the Referrer-Policy and " +
    "Cross-Origin-Opener-Policy headers and performs the SECURE_SSL_REDIRECT redirect. Without it those settings " +
    "are silently ignored, whatever they say. Django's `check --deploy` reports this as security.W001 (every " +
    "version 1.11 … 5.2; before 2.0 MIDDLEWARE_CLASSES counts too); like Django, the middleware is matched as the exact dotted path.",
  fix:
    "Add `\"django.middleware.security.SecurityMiddleware\"` near the top of MIDDLEWARE. See " +
    "https://docs.djangoproject.com/en/stable/ref/middleware/#module-django.middleware.security and the deployment " +
    "checklist, https://docs.djangoproject.com/en/stable/howto/deployment/checklist/.",
  examples: [
    {
      file: "app/settings.py",
      bad: 'MIDDLEWARE = [\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n',
      good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (hasMiddleware(app, SECURITY_MIDDLEWARE) !== false) continue;
      const list = middlewareSetting(app);
      report(
        middlewareFinding(
          service,
          app,
          list.effective,
          SECURITY_MIDDLEWARE,
          `You do not have 'django.middleware.security.SecurityMiddleware' in your ${list.name} so the ` +
            `${settingsItGoverns(app)} settings will have no effect`,
          list.name,
        ),
      );
    }
  },
});
