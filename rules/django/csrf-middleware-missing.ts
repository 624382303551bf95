import { defineRule } from "../../src/engine/rule.js";
import { CSRF_MIDDLEWARE, djangoApps, hasMiddleware, middlewareSetting } from "../../src/model/django-settings.js";
import { middlewareFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/csrf-middleware-missing",
  django: "security.W003",
  severity: "warning",
  summary: "MIDDLEWARE does not include django.middleware.csrf.CsrfViewMiddleware",
  why:
    "Without CsrfViewMiddleware no view is protected against cross-site request forgery unless each one is " +
    "decorated by hand, and one forgotten view is enough. Django's `check --deploy` reports this as security.W003 " +
    "(every version 1.11 … 5.2; before 2.0 MIDDLEWARE_CLASSES counts too, as Django tests both), matching the exact dotted path.",
  fix:
    "Add `\"django.middleware.csrf.CsrfViewMiddleware\"` to MIDDLEWARE. See https://docs.djangoproject.com/en/stable/ref/csrf/.",
  examples: [
    {
      file: "app/settings.py",
      bad: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n',
      good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n]\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (hasMiddleware(app, CSRF_MIDDLEWARE) !== false) continue;
      const list = middlewareSetting(app);
      report(
        middlewareFinding(
          service,
          app,
          list.effective,
          CSRF_MIDDLEWARE,
          "You don't appear to be using Django's built-in cross-site request forgery protection via the middleware " +
            `('django.middleware.csrf.CsrfViewMiddleware' is not in your ${list.name})`,
          list.name,
        ),
      );
    }
  },
});
