import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, effectiveSetting, hasMiddleware, SECURITY_MIDDLEWARE, truthy } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/hsts-not-set",
  django: "security.W004",
  severity: "warning",
  summary: "SECURE_HSTS_SECONDS is not set (or 0) while SecurityMiddleware is on",
  why:
    "Without HTTP Strict Transport Security a browser that types the bare domain, or follows an http:// link, talks " +
    "plain HTTP first, and an attacker on the network can keep it there (SSL stripping). Django's `check --deploy` " +
    "reports security.W004 when SecurityMiddleware is in MIDDLEWARE and SECURE_HSTS_SECONDS is falsy (every version " +
    "1.11 … 5.2). Enabling HSTS carelessly can lock visitors out for the whole max-age: read the docs first.",
  fix:
    "Once the whole site is served over HTTPS, set SECURE_HSTS_SECONDS (start small, e.g. 3600, then raise it to a " +
    "year, 31536000). See https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security and " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-SECURE_HSTS_SECONDS.",
  examples: [
    { file: "app/settings.py", bad: "SECURE_HSTS_SECONDS = 0\n", good: "SECURE_HSTS_SECONDS = 31536000\n" },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (hasMiddleware(app, SECURITY_MIDDLEWARE) !== true) continue;
      const hsts = effectiveSetting(app, "SECURE_HSTS_SECONDS");
      if (truthy(hsts.value) !== false) continue;
      report(
        settingFinding(
          service,
          app,
          "SECURE_HSTS_SECONDS",
          hsts,
          "You have not set a value for the SECURE_HSTS_SECONDS setting. If your entire site is served only over SSL, you " +
            "may want to consider setting a value and enabling HTTP Strict Transport Security",
        ),
      );
    }
  },
});
