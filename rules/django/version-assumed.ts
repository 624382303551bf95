import { fileStart } from "../../src/core/location.js";
import { defineRule } from "../../src/engine/rule.js";
import { djangoApps } from "../../src/model/django-settings.js";
import { formatVersion, modelledRange, NEWEST_DJANGO, OLDEST_DJANGO } from "../../src/model/django-version.js";

export default defineRule({
  id: "django/version-assumed",
  django: null,
  severity: "info",
  summary: "The checks follow a Django release other than the one production runs (none pinned, or one we do not model)",
  why:
    "Django's deploy checks and the defaults they compare against change between releases (X_FRAME_OPTIONS was " +
    "SAMEORIGIN before 3.0, the cookie checks require `is True` from 4.1, E024 exists from 4.0). Without a pin in " +
    "requirements*.txt, pyproject.toml, a Pipfile or a lock file, django-prod-lint cannot know which release production " +
    "installs — and neither can pip, which then installs whatever is newest on the day of the build. A pinned release " +
    `outside ${formatVersion(OLDEST_DJANGO)} … ${formatVersion(NEWEST_DJANGO)} is checked as the nearest modelled one, ` +
    "so a check that release added or removed is missed or reported wrongly.",
  fix:
    `Pin Django (\`Django==${formatVersion(NEWEST_DJANGO)}.*\` in requirements.txt, or a lock file), or pass \`--django-version X.Y\`. ` +
    "For a release outside the modelled ones, read its release notes for changed deploy checks: " +
    "https://docs.djangoproject.com/en/stable/releases/.",
  examples: [
    { file: "requirements.txt", bad: "Django\ngunicorn\n", good: "Django==5.2.8\ngunicorn==23.0.0\n" },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (!app.settings) continue;
      const version = app.version.version;
      if (app.version.source === "assumed") {
        report({
          message:
            `No Django version is pinned (requirements*.txt, pyproject.toml, Pipfile or a lock file): checking against ` +
            `Django ${formatVersion(version)}, the newest supported; pin Django or pass --django-version X.Y`,
          range: fileStart(app.settings.file),
          stack: service.stack,
        });
        continue;
      }
      const range = modelledRange(version);
      if (range === "modelled") continue;
      const nearest = range === "newer" ? NEWEST_DJANGO : OLDEST_DJANGO;
      report({
        message:
          `Django ${formatVersion(version)}${app.version.spec && app.version.range ? ` (${app.version.spec} in ${app.version.range.file})` : ""} is ${range} than the ${range === "newer" ? "newest" : "oldest"} release django-prod-lint ` +
          `models (${formatVersion(nearest)}): its checks and defaults follow Django ${formatVersion(nearest)}, so a deploy ` +
          `check ${range === "newer" ? "added after" : "removed before"} ${formatVersion(nearest)} is not seen`,
        range: app.version.range ?? fileStart(app.settings.file),
        stack: service.stack,
      });
    }
  },
});
