import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, effectiveSetting, hasMiddleware, isTrue, SECURITY_MIDDLEWARE, truthy } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/hsts-include-subdomains",
  django: "security.W005",
  severity: "warning",
  summary: "HSTS is on but SECURE_HSTS_INCLUDE_SUBDOMAINS is not True",
  why:
    "HSTS without `includeSubDomains` leaves every subdomain reachable over plain HTTP, where an attacker can set " +
    "cookies for the parent domain. Django's `check --deploy` reports security.W005 only when SecurityMiddleware is " +
    "on and SECURE_HSTS_SECONDS is truthy, and it requires the value `True` itself (`is True`: 1 or \"True\" do not " +
    "count) — in every version 1.11 … 5.2.",
  fix:
    "Set `SECURE_HSTS_INCLUDE_SUBDOMAINS = True` once every subdomain is served over HTTPS only. See " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-SECURE_HSTS_INCLUDE_SUBDOMAINS.",
  examples: [
    {
      file: "app/settings.py",
      bad: "SECURE_HSTS_SECONDS = 31536000\n",
      good: "SECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\n",
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (hasMiddleware(app, SECURITY_MIDDLEWARE) !== true) continue;
      if (truthy(effectiveSetting(app, "SECURE_HSTS_SECONDS").value) !== true) continue;
      const include = effectiveSetting(app, "SECURE_HSTS_INCLUDE_SUBDOMAINS");
      if (isTrue(include.value) !== false) continue;
      report(
        settingFinding(
          service,
          app,
          "SECURE_HSTS_INCLUDE_SUBDOMAINS",
          include,
          "You have not set the SECURE_HSTS_INCLUDE_SUBDOMAINS setting to True. Without this, your site is potentially " +
            "vulnerable to attack via an insecure connection to a subdomain",
        ),
      );
    }
  },
});
