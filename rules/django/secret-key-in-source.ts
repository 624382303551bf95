import type { SourceRange } from "../../src/core/location.js";
import { maskSecret } from "../../src/core/secrets.js";
import { defineRule } from "../../src/engine/rule.js";
import type { RelatedLocation } from "../../src/engine/finding.js";
import { valueOrigin } from "../../src/python/evaluate.js";
import type { PyValue } from "../../src/python/values.js";
import { djangoApps, djangoAtLeast } from "../../src/model/django-settings.js";
import { isStandInSecret } from "../../src/model/secret-literals.js";

function contains(outer: SourceRange, inner: SourceRange): boolean {
  if (outer.file !== inner.file) return false;
  const starts = outer.line < inner.line || (outer.line === inner.line && outer.column <= inner.column);
  const ends = outer.endLine > inner.endLine || (outer.endLine === inner.endLine && outer.endColumn >= inner.endColumn);
  return starts && ends;
}

export default defineRule({
  id: "django/secret-key-in-source",
  django: null,
  severity: "warning",
  summary: "SECRET_KEY (or a SECRET_KEY_FALLBACKS entry) is a literal in a settings module git tracks",
  why:
    "A key written in a committed settings module is known to everyone who can read the repository, its forks and " +
    "its history, however long and random it is: with it they can forge sessions, password-reset links and anything " +
    "`django.core.signing` signs. The same holds for the default of an env read (`os.environ.get(\"SECRET_KEY\", " +
    "\"…\")`, `env(\"SECRET_KEY\", default=\"…\")`) when nothing gives the production service the variable. " +
    "Stand-ins (`change-me`, `dummy`, `${SECRET_KEY}`) and defaults that production overrides are not reported; " +
    "the key is never printed.",
  fix:
    "Read the key from the environment without a default (`SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]`), give it " +
    "to the service from a git-ignored env file or a secret store, and generate a new one — the committed key is in " +
    "the history for good.",
  examples: [
    {
      file: "app/bookshelf/settings.py",
      bad: 'SECRET_KEY = "q8v2m…(50 random characters)"\n',
      good: 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n',
    },
  ],
  check(model, report) {
    const index = model.git.index;
    if (!index) return;
    for (const { service, app } of djangoApps(model)) {
      const settings = app.settings;
      if (!settings) continue;
      const choice = app.settingsModule;
      const related: RelatedLocation[] =
        choice?.range !== undefined ? [{ range: choice.range, message: `${choice.module} is the settings module of service '${service.name}' here` }] : [];
      // SECRET_KEY_FALLBACKS is read from Django 4.1: before, the list is dead text.
      for (const name of djangoAtLeast(app, 4, 1) ? ["SECRET_KEY", "SECRET_KEY_FALLBACKS"] : ["SECRET_KEY"]) {
        const explicit = settings.values.get(name);
        if (!explicit) continue;
        const keys: PyValue[] = name === "SECRET_KEY" ? [explicit.value] : explicit.value.kind === "list" || explicit.value.kind === "tuple" ? explicit.value.items : [];
        keys.forEach((key, i) => {
          if (key.kind !== "str" || isStandInSecret(key.value)) return;
          const origin: SourceRange | undefined = valueOrigin(key);
          if (origin === undefined || !origin.file.endsWith(".py") || !index.tracked.has(origin.file)) return;
          // Made by an env read: its value from the environment (not in the source), or the read's written default.
          const read = explicit.envReads.find((r) => contains(r.range, origin));
          if (read !== undefined && (read.provided || read.unknown !== undefined || !read.hasDefault)) return;
          const fromDefault = read;
          const what = name === "SECRET_KEY" ? "SECRET_KEY" : `SECRET_KEY_FALLBACKS[${i}]`;
          const how =
            fromDefault !== undefined
              ? `is the default of the read of ${fromDefault.name}, which nothing gives service '${service.name}', so production runs with`
              : "is";
          report({
            message:
              `${what} ${how} a key written in ${origin.file} (${maskSecret(key.value)}), a settings module git tracks: anyone with the repository can forge ` +
              `sessions and signed tokens; read it from the environment without a default${fromDefault ? ` and set ${fromDefault.name} for the service` : ""}, and generate a new key`,
            range: origin,
            related,
            stack: service.stack,
          });
        });
      }
    }
  },
});
