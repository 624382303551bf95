import { defineRule } from "../../src/engine/rule.js";
import { fileStart, type SourceRange } from "../../src/core/location.js";
import { printableValue } from "../../src/core/secrets.js";
import { djangoApps, djangoAtLeast } from "../../src/model/django-settings.js";
import { envValueLocations, whereSet } from "../../src/model/provenance.js";
import type { EnvLookup } from "../../src/python/env-readers.js";

const VARIABLE = "DJANGO_ALLOW_ASYNC_UNSAFE";

export default defineRule({
  id: "django/async-unsafe-allowed",
  django: "async.E001",
  severity: "error",
  summary: "DJANGO_ALLOW_ASYNC_UNSAFE is set in the service's environment",
  why:
    "DJANGO_ALLOW_ASYNC_UNSAFE switches off Django's guard against calling the ORM and other thread-bound code from " +
    "an event loop; under an ASGI server that means database connections shared between concurrent requests. " +
    "Django's `check --deploy` reports async.E001 (from Django 3.1) when the variable is set to any non-empty value " +
    "— \"false\" and \"0\" included. The environment is os.environ as the checks see it: what the service gets " +
    "(Dockerfile ENV, uWSGI env, env files, compose environment) plus what the settings set or load themselves " +
    "(`os.environ.setdefault`, `load_dotenv`, `Env.read_env`).",
  fix:
    "Remove DJANGO_ALLOW_ASYNC_UNSAFE from the production environment (it is meant for notebooks and test runners), " +
    "and move ORM calls out of async code with `sync_to_async`. See " +
    "https://docs.djangoproject.com/en/stable/topics/async/#envvar-DJANGO_ALLOW_ASYNC_UNSAFE.",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "services:\n  web:\n    environment:\n      DJANGO_ALLOW_ASYNC_UNSAFE: \"false\"\n",
      good: "services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: shop.settings\n",
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (!djangoAtLeast(app, 3, 1) || app.settings === undefined) continue;
      // os.environ once the settings are imported: the service's variables plus what the settings set or load.
      const env = service.environment.values.get(VARIABLE);
      const found: EnvLookup =
        app.settings.environment?.lookup(VARIABLE) ?? (env?.value !== undefined ? { kind: "set", value: env.value } : { kind: "absent" });
      // Unset, empty (os.environ.get returns '' — falsy) or a value not in the repository: nothing to report.
      if (found.kind !== "set" || found.value === "") continue;
      const shown = `${VARIABLE}=${printableValue(VARIABLE, found.value)}`;
      let where: string;
      let range: SourceRange;
      let related: { range: SourceRange; message: string }[] = [];
      if (found.source !== undefined) {
        where = `from ${found.source.file} (line ${found.source.range.line}), an env file the settings load themselves`;
        range = found.source.range;
      } else if (env?.value === found.value) {
        where = whereSet(env);
        range = env.range;
        // The env_file entry that hands the file to the service (the finding itself is the line that sets it).
        related = envValueLocations(service, env).slice(1);
      } else {
        where = `set by the settings themselves (${app.settings.module})`;
        range = fileStart(app.settings.file);
      }
      report({
        message:
          "You should not set the DJANGO_ALLOW_ASYNC_UNSAFE environment variable in deployment. This disables async safety " +
          `protection. Service '${service.name}' gets ${shown} ${where} (any non-empty value counts, "false" included).`,
        range,
        related,
        stack: service.stack,
      });
    }
  },
});
