import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, djangoAtLeast, effectiveSetting, hasMiddleware, middlewareSetting, XFRAME_MIDDLEWARE } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";
import { pyEquals, str } from "../../src/python/values.js";

export default defineRule({
  id: "django/x-frame-options-not-deny",
  django: "security.W019",
  severity: "warning",
  summary: "XFrameOptionsMiddleware is on but X_FRAME_OPTIONS is not 'DENY'",
  why:
    "`X-Frame-Options: SAMEORIGIN` still lets any page of your own site frame the others, which an injected page can " +
    "abuse. Django's `check --deploy` reports security.W019 only when XFrameOptionsMiddleware is in MIDDLEWARE and " +
    "X_FRAME_OPTIONS is not equal to 'DENY' (every version 1.11 … 5.2). The default is 'DENY' from Django 3.0 " +
    "('SAMEORIGIN' up to 2.2), so on 3.0 … 5.2 this fires only when the settings choose another value, and on 1.11 … " +
    "2.2 whenever they leave the default.",
  fix:
    "Remove the assignment (the default is 'DENY') or set `X_FRAME_OPTIONS = \"DENY\"`, and mark the views that " +
    "must be framed with `@xframe_options_sameorigin`. See " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-X_FRAME_OPTIONS.",
  examples: [{ file: "app/settings.py", bad: 'X_FRAME_OPTIONS = "SAMEORIGIN"\n', good: 'X_FRAME_OPTIONS = "DENY"\n' }],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (hasMiddleware(app, XFRAME_MIDDLEWARE) !== true) continue;
      const xfo = effectiveSetting(app, "X_FRAME_OPTIONS");
      if (pyEquals(xfo.value, str("DENY")) !== false) continue;
      report(
        settingFinding(
          service,
          app,
          "X_FRAME_OPTIONS",
          xfo,
          `You have 'django.middleware.clickjacking.XFrameOptionsMiddleware' in your ${middlewareSetting(app).name}, but ` +
            `X_FRAME_OPTIONS is not set to 'DENY'. ${djangoAtLeast(app, 3, 0) ? "Unless" : "The default is 'SAMEORIGIN', but unless"} ` +
            "there is a good reason for your site to serve other parts of itself in a frame, you should change it to 'DENY'",
        ),
      );
    }
  },
});
