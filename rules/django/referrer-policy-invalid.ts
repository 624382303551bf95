import { defineRule } from "../../src/engine/rule.js";
import {
  djangoApps,
  djangoAtLeast,
  effectiveSetting,
  hasMiddleware,
  invalidReferrerPolicies,
  REFERRER_POLICY_VALUES,
  SECURITY_MIDDLEWARE,
} from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/referrer-policy-invalid",
  django: "security.E023",
  severity: "error",
  summary: "SECURE_REFERRER_POLICY holds a value that is not a Referrer-Policy",
  why:
    "A misspelt policy makes browsers ignore the whole Referrer-Policy header, so the site sends referrers as if no " +
    "policy were set. Django's `check --deploy` reports security.E023 (from Django 3.0) when SecurityMiddleware is " +
    "on and SECURE_REFERRER_POLICY — a comma-separated string, each part stripped, or a list/tuple — contains " +
    `anything outside ${[...REFERRER_POLICY_VALUES].sort().join(", ")}.`,
  fix:
    "Use one of the valid values (a comma-separated list gives fallbacks for older browsers). See " +
    "https://docs.djangoproject.com/en/stable/ref/middleware/#referrer-policy.",
  examples: [
    { file: "app/settings.py", bad: 'SECURE_REFERRER_POLICY = "same_origin"\n', good: 'SECURE_REFERRER_POLICY = "same-origin"\n' },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (!djangoAtLeast(app, 3, 0)) continue;
      if (hasMiddleware(app, SECURITY_MIDDLEWARE) !== true) continue;
      const policy = effectiveSetting(app, "SECURE_REFERRER_POLICY");
      if (policy.value.kind === "none") continue;
      const invalid = invalidReferrerPolicies(policy.value);
      if (invalid === undefined || invalid.length === 0) continue;
      const finding = settingFinding(
        service,
        app,
        "SECURE_REFERRER_POLICY",
        policy,
        `You have set the SECURE_REFERRER_POLICY setting to an invalid value (${invalid.join(", ")}). Valid values are: ` +
          `${[...REFERRER_POLICY_VALUES].sort().join(", ")}`,
      );
      report(finding);
    }
  },
});
