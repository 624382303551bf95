import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, hasMiddleware, middlewareSetting, XFRAME_MIDDLEWARE } from "../../src/model/django-settings.js";
import { middlewareFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/xframe-middleware-missing",
  django: "security.W002",
  severity: "warning",
  summary: "MIDDLEWARE does not include django.middleware.clickjacking.XFrameOptionsMiddleware",
  why:
    "Without XFrameOptionsMiddleware no response carries an `X-Frame-Options` header, so any site can load your " +
    "pages in a frame and trick users into clicking them (clickjacking). Django's `check --deploy` reports this as " +
    "security.W002 (every version 1.11 … 5.2; before 2.0 MIDDLEWARE_CLASSES counts too, as Django tests both), matching the exact dotted path.",
  fix:
    "Add `\"django.middleware.clickjacking.XFrameOptionsMiddleware\"` to MIDDLEWARE. See " +
    "https://docs.djangoproject.com/en/stable/ref/clickjacking/.",
  examples: [
    {
      file: "app/settings.py",
      bad: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n',
      good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "django.middleware.clickjacking.XFrameOptionsMiddleware",\n]\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (hasMiddleware(app, XFRAME_MIDDLEWARE) !== false) continue;
      const list = middlewareSetting(app);
      report(
        middlewareFinding(
          service,
          app,
          list.effective,
          XFRAME_MIDDLEWARE,
          `You do not have 'django.middleware.clickjacking.XFrameOptionsMiddleware' in your ${list.name}, so your pages will ` +
            "not be served with an 'x-frame-options' header",
          list.name,
        ),
      );
    }
  },
});
