import { defineRule } from "../../src/engine/rule.js";
import {
  cacheRelation,
  displayPath,
  djangoApps,
  djangoAtLeast,
  effectiveSetting,
  fileBasedCaches,
  servedDirectories,
  settingRange,
} from "../../src/model/django-settings.js";
import { settingProvenance } from "../../src/model/provenance.js";

const SERVED = ["MEDIA_ROOT", "STATIC_ROOT", "STATICFILES_DIRS"] as const;

export default defineRule({
  id: "django/cache-location-exposed",
  django: "caches.W002",
  severity: "warning",
  summary: "A FileBasedCache LOCATION is, is inside, or contains MEDIA_ROOT, STATIC_ROOT or a STATICFILES_DIRS entry",
  why:
    "A file-based cache inside a directory the web server serves publishes every cached value (pickled, possibly " +
    "sessions or rendered pages) to anyone who guesses a file name, and `collectstatic` or uploads can overwrite " +
    "cache files. Django's `check --deploy` reports caches.W002 from Django 3.2, once per cache alias and setting, " +
    "saying whether the LOCATION matches, is inside or contains the directory. Paths are resolved like the check " +
    "resolves them (relative ones against the app server's working directory); symlinks are not followed.",
  fix:
    "Move the cache LOCATION out of every served directory, e.g. `/var/tmp/django_cache`. See " +
    "https://docs.djangoproject.com/en/stable/topics/cache/#filesystem-caching.",
  examples: [
    {
      file: "app/settings.py",
      bad:
        'MEDIA_ROOT = BASE_DIR / "media"\nCACHES = {\n    "default": {\n        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",\n        "LOCATION": BASE_DIR / "media" / "cache",\n    }\n}\n',
      good:
        'MEDIA_ROOT = BASE_DIR / "media"\nCACHES = {\n    "default": {\n        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",\n        "LOCATION": "/var/tmp/django_cache",\n    }\n}\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      if (!djangoAtLeast(app, 3, 2)) continue;
      const cwd = service.appServer?.workingDir;
      const caches = effectiveSetting(app, "CACHES");
      const fileCaches = fileBasedCaches(caches.value, cwd);
      if (fileCaches === undefined || fileCaches.length === 0) continue;
      for (const name of SERVED) {
        const served = effectiveSetting(app, name);
        const dirs = servedDirectories(name, served.value, cwd);
        if (dirs === undefined || dirs.length === 0) continue;
        for (const cache of fileCaches) {
          const relation = cacheRelation(dirs, cache.dir);
          if (relation === undefined) continue;
          const message =
            `Your '${cache.alias}' cache configuration might expose your cache or lead to corruption of your data because its ` +
            `LOCATION ${relation} ${name}`;
          // The whole CACHES dict says little; its env reads (a LOCATION from the environment) say a lot.
          const cachesProvenance = settingProvenance(service, app, "CACHES", caches);
          const cachesText =
            caches.explicit && caches.explicit.envReads.length === 0
              ? `The '${cache.alias}' cache's LOCATION resolves to ${displayPath(cache.dir)} (CACHES at ${caches.explicit.range.file}:${caches.explicit.range.line})`
              : `The '${cache.alias}' cache's LOCATION resolves to ${displayPath(cache.dir)}; ${cachesProvenance.text}`;
          const servedProvenance = settingProvenance(service, app, name, served);
          const where = served.explicit ? [{ range: served.explicit.range, message: `${name} is ${dirs.map(displayPath).join(", ")}` }] : [];
          report({
            message: `${message}. ${cachesText}; ${servedProvenance.text}.`,
            range: settingRange(app, caches),
            related: [...where, ...cachesProvenance.related, ...servedProvenance.related],
            stack: service.stack,
          });
        }
      }
    }
  },
});
