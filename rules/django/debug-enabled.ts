import { defineRule } from "../../src/engine/rule.js";
import { djangoApps, effectiveSetting, isTrue, truthy } from "../../src/model/django-settings.js";
import { settingFinding } from "../../src/model/provenance.js";

/** Why a value that is not True still turns DEBUG on. */
const TRUTHY_AS: Partial<Record<string, string>> = {
  str: "a non-empty string (\"False\" and \"0\" included)",
  int: "a non-zero number",
  float: "a non-zero number",
  path: "a path",
  list: "a non-empty list",
  tuple: "a non-empty tuple",
  dict: "a non-empty dict",
};

export default defineRule({
  id: "django/debug-enabled",
  django: "security.W018",
  severity: "warning",
  summary: "DEBUG is on (truthy) in the production settings",
  why:
    "With DEBUG on, every error page shows source code, local variables and most settings to whoever triggers it, " +
    "and Django keeps every SQL query in memory. Django's `check --deploy` reports security.W018 when DEBUG is " +
    "truthy (`not settings.DEBUG` fails), in every version 1.11 … 5.2 — so `DEBUG = os.environ.get(\"DEBUG\", " +
    "\"False\")` is on: \"False\" is a non-empty string.",
  fix:
    "Set `DEBUG = False` in production, or convert the environment string to a boolean " +
    "(`os.environ.get(\"DJANGO_DEBUG\", \"\") == \"1\"`). See " +
    "https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-DEBUG and the deployment checklist, " +
    "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug.",
  examples: [
    {
      file: "app/settings.py",
      bad: 'DEBUG = os.environ.get("DJANGO_DEBUG", "False")\n',
      good: 'DEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      const debug = effectiveSetting(app, "DEBUG");
      if (truthy(debug.value) !== true) continue;
      const finding = settingFinding(service, app, "DEBUG", debug, "You should not have DEBUG set to True in deployment");
      const note = isTrue(debug.value) ? "" : ` Django tests truthiness: ${TRUTHY_AS[debug.value.kind] ?? "this value"} counts as True.`;
      report({ ...finding, message: `${finding.message}${note}` });
    }
  },
});
