import { defineRule } from "../../src/engine/rule.js";
import {
  CROSS_ORIGIN_OPENER_POLICY_VALUES,
  crossOriginOpenerPolicyValid,
  djangoApps,
  djangoAtLeast,
  effectiveSetting,
  hasMiddleware,
  SECURITY_MIDDLEWARE,
} from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/cross-origin-opener-policy-invalid",
  django: "security.E024",
  severity: "error",
  summary: "SECURE_CROSS_ORIGIN_OPENER_POLICY holds a value that is not a Cross-Origin-Opener-Policy",
  why:
    "Browsers ignore a Cross-Origin-Opener-Policy header they do not understand, so a misspelt value leaves the " +
    "window open to cross-origin openers (tabnabbing, XS-Leaks). Django's `check --deploy` reports security.E024 " +
    "(from Django 4.0, which added the setting with default 'same-origin') when SecurityMiddleware is on and the " +
    `value is neither None nor one of ${[...CROSS_ORIGIN_OPENER_POLICY_VALUES].sort().join(", ")}.`,
  fix:
    "Use one of the valid values, or None to send no header. See " +
    "https://docs.djangoproject.com/en/stable/ref/middleware/#cross-origin-opener-policy.",
  examples: [
    {
      file: "app/settings.py",
      bad: 'SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin-allow-popup"\n',
      good: 'SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin-allow-popups"\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (!djangoAtLeast(app, 4, 0)) continue;
      if (hasMiddleware(app, SECURITY_MIDDLEWARE) !== true) continue;
      const policy = effectiveSetting(app, "SECURE_CROSS_ORIGIN_OPENER_POLICY");
      if (policy.value.kind === "none" || crossOriginOpenerPolicyValid(policy.value) !== false) continue;
      report(
        settingFinding(
          service,
          app,
          "SECURE_CROSS_ORIGIN_OPENER_POLICY",
          policy,
          "You have set the SECURE_CROSS_ORIGIN_OPENER_POLICY setting to an invalid value. Valid values are: " +
            [...CROSS_ORIGIN_OPENER_POLICY_VALUES].sort().join(", "),
        ),
      );
    }
  },
});
