import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, djangoAtLeast, effectiveSetting, hasMiddleware, SECURITY_MIDDLEWARE } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/referrer-policy-missing",
  django: "security.W022",
  severity: "warning",
  summary: "SecurityMiddleware is on but SECURE_REFERRER_POLICY is None",
  why:
    "Without a Referrer-Policy header browsers may send full URLs — with tokens or personal data in their query " +
    "strings — to every third-party site a page links to or loads from. Django's `check --deploy` reports " +
    "security.W022 (from Django 3.0, where the setting appeared) when SecurityMiddleware is on and " +
    "SECURE_REFERRER_POLICY is None. Django 3.0's default was None; from 3.1 it is 'same-origin', so on 3.1 … 5.2 " +
    "this fires only when the settings set None.",
  fix:
    "Remove the assignment (the default is 'same-origin' from Django 3.1) or set a policy, e.g. " +
    "`SECURE_REFERRER_POLICY = \"strict-origin-when-cross-origin\"`. See " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-SECURE_REFERRER_POLICY.",
  examples: [{ file: "app/settings.py", bad: "SECURE_REFERRER_POLICY = None\n", good: 'SECURE_REFERRER_POLICY = "same-origin"\n' }],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (!djangoAtLeast(app, 3, 0)) continue;
      if (hasMiddleware(app, SECURITY_MIDDLEWARE) !== true) continue;
      const policy = effectiveSetting(app, "SECURE_REFERRER_POLICY");
      if (policy.value.kind !== "none") continue;
      report(
        settingFinding(
          service,
          app,
          "SECURE_REFERRER_POLICY",
          policy,
          "You have not set the SECURE_REFERRER_POLICY setting. Without this, your site will not send a Referrer-Policy " +
            "header. You should consider enabling this header to protect user privacy",
        ),
      );
    }
  },
});
