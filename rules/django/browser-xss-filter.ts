import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, djangoAtLeast, effectiveSetting, hasMiddleware, isTrue, SECURITY_MIDDLEWARE } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/browser-xss-filter",
  django: "security.W007",
  severity: "warning",
  summary: "Django 1.11 … 2.2: SECURE_BROWSER_XSS_FILTER is not True while SecurityMiddleware is on",
  why:
    "On Django 1.11 … 2.2 `check --deploy` reports security.W007 when SecurityMiddleware is in MIDDLEWARE (or " +
    "MIDDLEWARE_CLASSES) and SECURE_BROWSER_XSS_FILTER is not `True` itself (`is True`); the default is False, so a " +
    "project that never set it gets the warning. The `X-XSS-Protection: 1; mode=block` header asked old browsers to " +
    "block pages their XSS auditor flagged. Django 3.0 removed the check because modern browsers no longer honour " +
    "the header, so this rule runs only for a pinned 1.11 … 2.2 — where those releases are still deployed, so are " +
    "the old browsers the header protects, and the check is part of the version's deploy bar.",
  fix:
    "Set `SECURE_BROWSER_XSS_FILTER = True` while the project runs Django 1.11 … 2.2 — or better, upgrade Django " +
    "(2.2 has had no security fixes since April 2022) and drop the setting with the upgrade. See " +
    "https://docs.djangoproject.com/en/2.2/ref/settings/#secure-browser-xss-filter.",
  examples: [
    {
      file: "app/settings.py",
      bad: "# requirements.txt: Django==2.2.28\nSECURE_BROWSER_XSS_FILTER = False\n",
      good: "# requirements.txt: Django==2.2.28\nSECURE_BROWSER_XSS_FILTER = True\n",
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (djangoAtLeast(app, 3, 0)) continue;
      if (hasMiddleware(app, SECURITY_MIDDLEWARE) !== true) continue;
      const filter = effectiveSetting(app, "SECURE_BROWSER_XSS_FILTER");
      if (isTrue(filter.value) !== false) continue;
      report(
        settingFinding(
          service,
          app,
          "SECURE_BROWSER_XSS_FILTER",
          filter,
          "Your SECURE_BROWSER_XSS_FILTER setting is not set to True, so your pages will not be served with an " +
            "'X-XSS-Protection: 1; mode=block' header (Django before 3.0 warns about it; 3.0 dropped the check)",
        ),
      );
    }
  },
});
