import { defineRule } from "../../src/engine/rule.js";
import { djangoApps } from "../../src/model/django-settings.js";
import { stringBooleans } from "../../src/model/env-booleans.js";
import { settingFinding } from "../../src/model/provenance.js";
import { reprString } from "../../src/python/values.js";

export default defineRule({
  id: "deploy/string-boolean",
  django: null,
  severity: "warning",
  summary: "A boolean setting holds an unparsed env string that reads as off (\"False\", \"0\") but is True to Django",
  why:
    "`os.environ.get(\"X\", \"False\")`, `os.getenv(\"X\")`, python-decouple's `config(\"X\")` without `cast=bool` and " +
    "django-environ's `env(\"X\")` without a cast return the variable's text, and `bool(text)` is True for any " +
    "non-empty text. Django tests boolean settings for truth: `SECURE_SSL_REDIRECT = os.environ.get(\"SSL_REDIRECT\", " +
    "\"False\")` redirects, `EMAIL_USE_TLS = bool(os.environ.get(\"EMAIL_USE_TLS\", 0))` with `EMAIL_USE_TLS=0` in the " +
    "env file turns TLS on. The rule reports a boolean setting whose production value is such a string (or bool() of " +
    "one) and whose text reads as off (false, 0, no, off…): the deployment does the opposite of what its env file or " +
    "default says. A text that reads as on, or an empty one, has the effect it says and is not reported (the pattern " +
    "only bites when someone writes \"False\"); a value that is unknown (not in the repository) is not reported. " +
    "DEBUG is left to django/debug-enabled, which reports every truthy DEBUG, strings included, so one place never " +
    "gets two findings.",
  fix:
    "Parse the text: `os.environ.get(\"X\", \"False\").lower() in (\"1\", \"true\", \"yes\")`, `config(\"X\", " +
    "default=False, cast=bool)` (python-decouple) or `env.bool(\"X\", default=False)` (django-environ).",
  examples: [
    {
      file: "app/bookshelf/settings.py",
      bad: 'SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SSL_REDIRECT", "False")\n',
      good: 'SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SSL_REDIRECT", "False").lower() == "true"\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      for (const { setting, text, via } of stringBooleans(app)) {
        const head =
          via === "bool()"
            ? `${setting.name} is bool() of the env text ${reprString(text)}: bool() of any non-empty string is True`
            : `${setting.name} holds the env text ${reprString(text)} unparsed: Django tests its truth and every non-empty string is True`;
        const message = `${head}, so ${setting.name} is on although the text says off; parse the variable (compare with "true", or cast=bool / env.bool)`;
        report(settingFinding(service, app, setting.name, { value: setting.value, explicit: setting }, message));
      }
    }
  },
});
