import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, effectiveSetting, truthy } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

export default defineRule({
  id: "django/allowed-hosts-empty",
  django: "security.W020",
  severity: "warning",
  summary: "ALLOWED_HOSTS is empty",
  why:
    "With DEBUG off and ALLOWED_HOSTS empty every request is answered 400 Bad Request: the site is down. Django's " +
    "`check --deploy` reports security.W020 when ALLOWED_HOSTS is falsy, in every version 1.11 … 5.2 — an env " +
    "variable split into `['']` is not empty and passes the check (but still serves nothing).",
  fix:
    "List the host names the site is served under, e.g. `ALLOWED_HOSTS = [\"shop.example.com\"]`. See " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-ALLOWED_HOSTS.",
  examples: [{ file: "app/settings.py", bad: "ALLOWED_HOSTS = []\n", good: 'ALLOWED_HOSTS = ["shop.example.com"]\n' }],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      const hosts = effectiveSetting(app, "ALLOWED_HOSTS");
      if (truthy(hosts.value) !== false) continue;
      report(settingFinding(service, app, "ALLOWED_HOSTS", hosts, "ALLOWED_HOSTS must not be empty in deployment"));
    }
  },
});
