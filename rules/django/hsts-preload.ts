import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, effectiveSetting, hasMiddleware, isTrue, SECURITY_MIDDLEWARE, truthy } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/hsts-preload",
  django: "security.W021",
  severity: "warning",
  summary: "HSTS is on but SECURE_HSTS_PRELOAD is not True",
  why:
    "Until a domain is on the browsers' HSTS preload list, the very first visit can still be downgraded to HTTP. " +
    "Django's `check --deploy` reports security.W021 only when SecurityMiddleware is on and SECURE_HSTS_SECONDS is " +
    "truthy, and it requires the value `True` itself (`is True`) — in every version 1.11 … 5.2.",
  fix:
    "Set `SECURE_HSTS_PRELOAD = True` (with include-subdomains and a max-age of at least a year) and submit the " +
    "domain at https://hstspreload.org/. See " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-SECURE_HSTS_PRELOAD.",
  examples: [
    {
      file: "app/settings.py",
      bad: "SECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\n",
      good: "SECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSECURE_HSTS_PRELOAD = True\n",
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (hasMiddleware(app, SECURITY_MIDDLEWARE) !== true) continue;
      if (truthy(effectiveSetting(app, "SECURE_HSTS_SECONDS").value) !== true) continue;
      const preload = effectiveSetting(app, "SECURE_HSTS_PRELOAD");
      if (isTrue(preload.value) !== false) continue;
      report(
        settingFinding(
          service,
          app,
          "SECURE_HSTS_PRELOAD",
          preload,
          "You have not set the SECURE_HSTS_PRELOAD setting to True. Without this, your site cannot be submitted to the " +
            "browser preload list",
        ),
      );
    }
  },
});
