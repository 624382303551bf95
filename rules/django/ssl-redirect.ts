import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, effectiveSetting, hasMiddleware, isTrue, SECURITY_MIDDLEWARE } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/ssl-redirect",
  django: "security.W008",
  severity: "warning",
  summary: "SECURE_SSL_REDIRECT is not True while SecurityMiddleware is on",
  why:
    "Without the redirect, pages stay reachable over plain HTTP, and so do the forms and cookies on them. Django's " +
    "`check --deploy` reports security.W008 when SecurityMiddleware is on and SECURE_SSL_REDIRECT is not `True` itself " +
    "(`is True`: \"True\" from an environment variable does not count) — in every version 1.11 … 5.2. If the reverse " +
    "proxy already redirects to HTTPS, Django still warns; silence it deliberately.",
  fix:
    "Set `SECURE_SSL_REDIRECT = True` (behind a TLS-terminating proxy also set SECURE_PROXY_SSL_HEADER, or the " +
    "redirect loops), or redirect in the reverse proxy and silence security.W008. See " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-SECURE_SSL_REDIRECT.",
  examples: [
    {
      file: "app/settings.py",
      bad: 'SECURE_SSL_REDIRECT = os.environ.get("SSL_REDIRECT", "True")\n',
      good: 'SECURE_SSL_REDIRECT = os.environ.get("SSL_REDIRECT", "True") == "True"\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (hasMiddleware(app, SECURITY_MIDDLEWARE) !== true) continue;
      const redirect = effectiveSetting(app, "SECURE_SSL_REDIRECT");
      if (isTrue(redirect.value) !== false) continue;
      report(
        settingFinding(
          service,
          app,
          "SECURE_SSL_REDIRECT",
          redirect,
          "Your SECURE_SSL_REDIRECT setting is not set to True. Unless your site should be available over both SSL and " +
            "non-SSL connections, you may want to either set this setting True or configure a load balancer or " +
            "reverse-proxy server to redirect all connections to HTTPS",
        ),
      );
    }
  },
});
