import { fileStart } from "../../src/core/location.js";
import { defineRule } from "../../src/engine/rule.js";
import { djangoApps } from "../../src/model/django-settings.js";
import { formatVersion } from "../../src/model/django-version.js";

export default defineRule({
  id: "django/version-assumed",
  django: null,
  severity: "info",
  summary: "No Django version is pinned: the checks follow the newest Django we model",
  why:
    "Django's deploy checks and the defaults they compare against change between releases (X_FRAME_OPTIONS was " +
    "SAMEORIGIN before 3.0, the cookie checks require `is True` from 4.1, E024 exists from 4.0). Without a pin in " +
    "requirements*.txt, pyproject.toml, a Pipfile or a lock file, django-prod-lint cannot know which release production " +
    "installs — and neither can pip, which then installs whatever is newest on the day of the build.",
  fix:
    "Pin Django (`Django==5.2.*` in requirements.txt, or a lock file), or pass `--django-version X.Y`. Django's release " +
    "notes list what each version changed: https://docs.djangoproject.com/en/stable/releases/.",
  examples: [
    { file: "requirements.txt", bad: "Django\ngunicorn\n", good: "Django==5.2.8\ngunicorn==23.0.0\n" },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (app.version.source !== "assumed" || !app.settings) continue;
      report({
        message:
          `No Django version is pinned (requirements*.txt, pyproject.toml, Pipfile or a lock file): checking against ` +
          `Django ${formatVersion(app.version.version)}, the newest supported; pin Django or pass --django-version X.Y`,
        range: fileStart(app.settings.file),
        stack: service.stack,
      });
    }
  },
});
