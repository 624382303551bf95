import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, lintDjangoFixture, relatedRows } from "./django-table.js";

const RULE = "django/cache-location-exposed";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      { fixture: "bad", plants: "FileBasedCache LOCATION BASE_DIR / 'media' / 'cache' inside MEDIA_ROOT", rows: [[RULE, SETTINGS, 50, 1]], ids: ["caches.W002"] },
      {
        fixture: "bad-contains",
        plants: "LOCATION str(BASE_DIR) contains MEDIA_ROOT, STATIC_ROOT and a STATICFILES_DIRS ('prefix', path) entry",
        rows: [
          [RULE, SETTINGS, 51, 1],
          [RULE, SETTINGS, 51, 1],
          [RULE, SETTINGS, 51, 1],
        ],
        ids: ["caches.W002", "caches.W002", "caches.W002"],
      },
    ],
    // Django 3.1 has no caches.W002.
    good: ["good", "good-3.1"],
  },
  () => {
    it("says how the two directories relate, as the container sees them", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("caches.W002");
      expect(finding.message).toBe(
        "Your 'default' cache configuration might expose your cache or lead to corruption of your data because its LOCATION is inside MEDIA_ROOT. " +
          `The 'default' cache's LOCATION resolves to /app/media/cache (CACHES at ${SETTINGS}:50); MEDIA_ROOT is PosixPath('/app/media') (${SETTINGS}:48).`,
      );
      expect(relatedRows(finding)).toEqual([[SETTINGS, 48, 1]]);
    });

    it("one warning per setting the cache directory contains", () => {
      const relations = lintDjangoFixture(RULE, "bad-contains", RULE).result.findings.map((f) => / its LOCATION ([a-z ]+ [A-Z_]+)\./.exec(f.message)?.[1]);
      expect(relations).toEqual(["contains MEDIA_ROOT", "contains STATIC_ROOT", "contains STATICFILES_DIRS"]);
    });
  },
);
