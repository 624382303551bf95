import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { DjangoApp } from "../../../src/model/deployment-model.js";
import {
  cacheRelation,
  containsString,
  cookieFlagPasses,
  crossOriginOpenerPolicyValid,
  describeDjangoVersion,
  displayPath,
  djangoDefault,
  effectiveSetting,
  fileBasedCaches,
  hasMiddleware,
  middlewareSetting,
  invalidReferrerPolicies,
  isTrue,
  modelledSettings,
  pyLen,
  pyStrip,
  resolvePath,
  secretKeyWeaknesses,
  servedDirectories,
  sessionCookieVerdict,
  settingRange,
} from "../../../src/model/django-settings.js";
import type { DjangoVersion } from "../../../src/model/django-version.js";
import type { SettingValue } from "../../../src/python/evaluate.js";
import { bool, int, NONE, path, pyRepr, str, unknown, type PyValue } from "../../../src/python/values.js";
import { toolAvailable } from "../../support/tools.js";

const list = (...items: PyValue[]): PyValue => ({ kind: "list", items });
const tuple = (...items: PyValue[]): PyValue => ({ kind: "tuple", items });
const dict = (...entries: [string, PyValue][]): PyValue => ({ kind: "dict", entries: entries.map(([k, v]) => ({ key: str(k), value: v })) });
const RANGE = { file: "app/settings.py", line: 3, column: 1, endLine: 3, endColumn: 6 };

function app(values: Record<string, PyValue>, version: DjangoVersion = { major: 5, minor: 2 }): DjangoApp {
  const map = new Map<string, SettingValue>();
  for (const [name, value] of Object.entries(values)) map.set(name, { name, value, range: RANGE, statementRange: RANGE, envReads: [] });
  return {
    settingsModule: { module: "shop.settings", source: "compose", range: undefined },
    settingsCandidates: [],
    settings: { module: "shop.settings", file: "app/shop/settings.py", values: map, envReads: [], modules: [], problems: [] },
    version: { version, source: "assumed", range: undefined, spec: undefined },
  };
}

const v = (major: number, minor: number): DjangoVersion => ({ major, minor });

describe("Django's defaults per version", () => {
  it.each([
    ["X_FRAME_OPTIONS", v(2, 2), "'SAMEORIGIN'"],
    ["X_FRAME_OPTIONS", v(3, 0), "'DENY'"],
    ["SECURE_CONTENT_TYPE_NOSNIFF", v(2, 2), "False"],
    ["SECURE_CONTENT_TYPE_NOSNIFF", v(3, 0), "True"],
    ["SECURE_REFERRER_POLICY", v(2, 2), undefined],
    ["SECURE_REFERRER_POLICY", v(3, 0), "None"],
    ["SECURE_REFERRER_POLICY", v(3, 1), "'same-origin'"],
    ["SECURE_CROSS_ORIGIN_OPENER_POLICY", v(3, 2), undefined],
    ["SECURE_CROSS_ORIGIN_OPENER_POLICY", v(4, 0), "'same-origin'"],
    ["SECRET_KEY_FALLBACKS", v(4, 0), undefined],
    ["SECRET_KEY_FALLBACKS", v(4, 1), "[]"],
    ["SECURE_BROWSER_XSS_FILTER", v(1, 11), "False"],
    ["SECURE_BROWSER_XSS_FILTER", v(3, 2), "False"],
    ["MIDDLEWARE", v(1, 11), "None"],
    ["MIDDLEWARE", v(2, 0), "[]"],
    ["MIDDLEWARE_CLASSES", v(1, 11), "['django.middleware.common.CommonMiddleware', 'django.middleware.csrf.CsrfViewMiddleware']"],
    ["MIDDLEWARE_CLASSES", v(2, 0), undefined],
    ["SECURE_BROWSER_XSS_FILTER", v(4, 0), undefined],
    ["SESSION_COOKIE_HTTPONLY", v(5, 2), "True"],
    ["CACHES", v(5, 2), "{'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}"],
    ["NOT_A_SETTING", v(5, 2), undefined],
  ] as const)("%s in %o is %s", (name, version, repr) => {
    const d = djangoDefault(version, name);
    expect(d === undefined ? undefined : pyRepr(d)).toBe(repr);
  });

  const django = toolAvailable("django", ["/usr/bin/python3", "-c", "import django"]);
  it.skipIf(!django)("every modelled default equals Debian's Django 3.2 global_settings", () => {
    const names = modelledSettings();
    const script = "import json,sys\nfrom django.conf import global_settings as g\nprint(json.dumps({n: repr(getattr(g, n)) if hasattr(g, n) else None for n in sys.argv[1:]}))";
    const run = spawnSync("/usr/bin/python3", ["-c", script, ...names], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const real = JSON.parse(run.stdout) as Record<string, string | null>;
    const ours = Object.fromEntries(names.map((n) => [n, ((d) => (d === undefined ? null : pyRepr(d)))(djangoDefault(v(3, 2), n))]));
    expect(ours).toEqual(real);
  });
});

describe("effectiveSetting", () => {
  it("the module's value wins; else the version's default; else unknown", () => {
    const a = app({ DEBUG: bool(true) }, v(3, 0));
    expect(effectiveSetting(a, "DEBUG")).toMatchObject({ value: bool(true), explicit: { name: "DEBUG" } });
    expect(effectiveSetting(a, "SECURE_REFERRER_POLICY")).toEqual({ value: NONE, explicit: undefined });
    expect(effectiveSetting(a, "SECURE_CROSS_ORIGIN_OPENER_POLICY").value.kind).toBe("unknown");
    expect(settingRange(a, effectiveSetting(a, "DEBUG"))).toEqual(RANGE);
    expect(settingRange(a, effectiveSetting(a, "ALLOWED_HOSTS"))).toEqual({ file: "app/shop/settings.py", line: 1, column: 1, endLine: 1, endColumn: 1 });
  });

  it("without evaluated settings everything is unknown", () => {
    const a: DjangoApp = { ...app({}), settings: undefined };
    expect(effectiveSetting(a, "DEBUG").value.kind).toBe("unknown");
  });

  it("describes where the version came from", () => {
    expect(describeDjangoVersion(app({}))).toBe("Django 5.2, assumed: no pinned Django version found");
    const pinned: DjangoApp = {
      ...app({}),
      version: { version: { major: 4, minor: 2, patch: 16 }, source: "requirements", range: RANGE, spec: "Django==4.2.16" },
    };
    expect(describeDjangoVersion(pinned)).toBe("Django 4.2.16, pinned by Django==4.2.16 in app/settings.py");
  });
});

describe("membership as Django's checks test it", () => {
  it("exact strings in a list or tuple; unknown items make a miss unknown, not a hit", () => {
    const m = "django.middleware.security.SecurityMiddleware";
    expect(containsString(list(str(m)), m)).toBe(true);
    expect(containsString(tuple(str("x"), str(m)), m)).toBe(true);
    expect(containsString(list(str(`${m}Subclass`)), m)).toBe(false);
    expect(containsString(list(unknown("env"), str(m)), m)).toBe(true);
    expect(containsString(list(unknown("env")), m)).toBeUndefined();
    expect(containsString(unknown("x"), m)).toBeUndefined();
    // `in` on a str is a substring test.
    expect(containsString(str(`[${m}]`), m)).toBe(true);
    expect(containsString(int(3), m)).toBeUndefined();
    expect(hasMiddleware(app({}), m)).toBe(false);
  });

  it("before 2.0: `x in MIDDLEWARE_CLASSES or MIDDLEWARE and x in MIDDLEWARE`, naming the list in use", () => {
    const m = "django.middleware.security.SecurityMiddleware";
    const csrf = "django.middleware.csrf.CsrfViewMiddleware";
    const old = (values: Record<string, PyValue>) => app(values, v(1, 11));
    // Neither set: MIDDLEWARE is None, the default MIDDLEWARE_CLASSES holds CommonMiddleware and CsrfViewMiddleware.
    expect(hasMiddleware(old({}), m)).toBe(false);
    expect(hasMiddleware(old({}), csrf)).toBe(true);
    expect(middlewareSetting(old({})).name).toBe("MIDDLEWARE_CLASSES");
    expect(hasMiddleware(old({ MIDDLEWARE_CLASSES: list(str(m)) }), m)).toBe(true);
    expect(hasMiddleware(old({ MIDDLEWARE: list(str(m)) }), m)).toBe(true);
    expect(middlewareSetting(old({ MIDDLEWARE: list(str(m)) })).name).toBe("MIDDLEWARE");
    // The default MIDDLEWARE_CLASSES still counts CsrfViewMiddleware in next to a MIDDLEWARE without it, as in Django.
    expect(hasMiddleware(old({ MIDDLEWARE: list(str(m)) }), csrf)).toBe(true);
    expect(hasMiddleware(old({ MIDDLEWARE: list(), MIDDLEWARE_CLASSES: list() }), m)).toBe(false);
    expect(hasMiddleware(old({ MIDDLEWARE: unknown("env") }), m)).toBeUndefined();
    expect(hasMiddleware(old({ MIDDLEWARE_CLASSES: unknown("env"), MIDDLEWARE: list(str(m)) }), m)).toBe(true);
    expect(hasMiddleware(old({ MIDDLEWARE_CLASSES: unknown("env") }), m)).toBeUndefined();
    // From 2.0 MIDDLEWARE_CLASSES is just a name Django ignores.
    expect(hasMiddleware(app({ MIDDLEWARE_CLASSES: list(str(m)) }, v(2, 0)), m)).toBe(false);
    expect(middlewareSetting(app({}, v(2, 0))).name).toBe("MIDDLEWARE");
  });
});

describe("is True vs truthiness", () => {
  it("cookie flags: truthy up to 4.0, True itself from 4.1", () => {
    for (const [value, at40, at41] of [
      [bool(true), true, true],
      [int(1), true, false],
      [str("True"), true, false],
      [str(""), false, false],
      [NONE, false, false],
    ] as const) {
      expect([pyRepr(value), cookieFlagPasses(app({}, v(4, 0)), value), cookieFlagPasses(app({}, v(4, 1)), value)]).toEqual([pyRepr(value), at40, at41]);
    }
    expect(cookieFlagPasses(app({}), unknown("env"))).toBeUndefined();
    expect(isTrue(int(1))).toBe(false);
    expect(isTrue(unknown("x"))).toBeUndefined();
  });

  it("session cookie verdicts: app, middleware, both, none; unknown when an input is", () => {
    const mw = list(str("django.contrib.sessions.middleware.SessionMiddleware"));
    const apps = list(str("django.contrib.sessions"));
    expect(sessionCookieVerdict(app({ INSTALLED_APPS: apps }), "SESSION_COOKIE_SECURE")?.warns).toBe("app");
    expect(sessionCookieVerdict(app({ MIDDLEWARE: mw }), "SESSION_COOKIE_SECURE")?.warns).toBe("middleware");
    expect(sessionCookieVerdict(app({ MIDDLEWARE: mw, INSTALLED_APPS: apps }), "SESSION_COOKIE_SECURE")?.warns).toBe("both");
    expect(sessionCookieVerdict(app({}), "SESSION_COOKIE_SECURE")?.warns).toBe("none");
    // The default SESSION_COOKIE_HTTPONLY is True.
    expect(sessionCookieVerdict(app({ MIDDLEWARE: mw, INSTALLED_APPS: apps }), "SESSION_COOKIE_HTTPONLY")?.warns).toBe("none");
    expect(sessionCookieVerdict(app({ MIDDLEWARE: list(unknown("x")), INSTALLED_APPS: apps }), "SESSION_COOKIE_SECURE")).toBeUndefined();
    expect(sessionCookieVerdict(app({ SESSION_COOKIE_SECURE: unknown("env") }), "SESSION_COOKIE_SECURE")).toBeUndefined();
    // A known pass needs nothing else: an unknown MIDDLEWARE does not matter.
    expect(sessionCookieVerdict(app({ SESSION_COOKIE_SECURE: bool(true), MIDDLEWARE: unknown("x") }), "SESSION_COOKIE_SECURE")?.warns).toBe("none");
  });
});

describe("SECRET_KEY strength", () => {
  it("length and unique characters count code points; the prefix counts from 3.2", () => {
    const prefixed = `django-insecure-${"abcdefghij".repeat(4)}`;
    expect(secretKeyWeaknesses(app({}, v(3, 2)), prefixed)).toEqual(["it starts with 'django-insecure-', the prefix of keys startproject generates"]);
    expect(secretKeyWeaknesses(app({}, v(3, 1)), prefixed)).toEqual([]);
    expect(secretKeyWeaknesses(app({}), "ab".repeat(30))).toEqual(["it has 2 unique characters, fewer than 5"]);
    // 49 astral characters are 98 UTF-16 units but 49 Python characters.
    const astral = "😀😁😂🤣😃😄😅".repeat(7);
    expect(astral.length).toBe(98);
    expect(pyLen(astral)).toBe(49);
    expect(secretKeyWeaknesses(app({}), astral)).toEqual(["it has 49 characters, fewer than 50"]);
    expect(secretKeyWeaknesses(app({}), "abcde".repeat(10))).toEqual([]);
  });
});

describe("referrer and opener policies", () => {
  it("strings split on commas and stripped like Python; iterables item by item", () => {
    expect(invalidReferrerPolicies(str("same-origin"))).toEqual([]);
    expect(invalidReferrerPolicies(str(" same-origin ,\tstrict-origin\n"))).toEqual([]);
    expect(invalidReferrerPolicies(str("same-origin,"))).toEqual(["''"]);
    expect(invalidReferrerPolicies(str("same_origin, same_origin"))).toEqual(["'same_origin'"]);
    expect(invalidReferrerPolicies(tuple(str("origin"), str("unsafe-url")))).toEqual([]);
    expect(invalidReferrerPolicies(list(str("origin"), int(1)))).toEqual(["1"]);
    expect(invalidReferrerPolicies(list())).toEqual([]);
    // Unhashable items, non-iterables and unknowns: Django crashes or we cannot tell.
    expect(invalidReferrerPolicies(list(list(str("origin"))))).toBeUndefined();
    expect(invalidReferrerPolicies(int(1))).toBeUndefined();
    expect(invalidReferrerPolicies(list(unknown("x")))).toBeUndefined();
    // U+FEFF is not whitespace to Python (JavaScript's trim() would strip it).
    expect(pyStrip("\ufeffsame-origin")).toBe("\ufeffsame-origin");
    expect(pyStrip("\x1c\x85same-origin\u3000")).toBe("same-origin");
    expect(invalidReferrerPolicies(str("\ufeffsame-origin"))).toEqual(["'\ufeffsame-origin'"]);
  });

  it("the opener policy must be one of three strings; unhashable values are unknown", () => {
    expect(crossOriginOpenerPolicyValid(str("same-origin-allow-popups"))).toBe(true);
    expect(crossOriginOpenerPolicyValid(str("same-origin-allow-popup"))).toBe(false);
    expect(crossOriginOpenerPolicyValid(bool(true))).toBe(false);
    expect(crossOriginOpenerPolicyValid(list(str("same-origin")))).toBeUndefined();
    expect(crossOriginOpenerPolicyValid(unknown("x"))).toBeUndefined();
  });
});

describe("file-based cache locations", () => {
  const fileCache = (location?: PyValue): PyValue =>
    dict(["default", dict(["BACKEND", str("django.core.cache.backends.filebased.FileBasedCache")], ...(location ? [["LOCATION", location] as [string, PyValue]] : []))]);

  it("resolves like os.path.abspath / Path.resolve, relative to the working directory", () => {
    expect(resolvePath("/app/./media/../cache/", "/srv")).toBe("/app/cache");
    expect(resolvePath("cache", "/srv/app")).toBe("/srv/app/cache");
    expect(resolvePath("../cache", "/srv/app")).toBe("/srv/cache");
    expect(displayPath(resolvePath("cache", undefined) as string)).toBe("<working directory>/cache");
    expect(resolvePath("../cache", undefined)).toBeUndefined();
  });

  it("finds FileBasedCache directories; a missing LOCATION is the working directory; foreign backends are unknown", () => {
    expect(fileBasedCaches(fileCache(path("/app/media/cache")), "/app")).toEqual([{ alias: "default", dir: "/app/media/cache" }]);
    expect(fileBasedCaches(fileCache(), "/app")).toEqual([{ alias: "default", dir: "/app" }]);
    expect(fileBasedCaches(dict(["default", dict(["BACKEND", str("django.core.cache.backends.redis.RedisCache")])]), "/app")).toEqual([]);
    expect(fileBasedCaches(dict(["default", dict(["BACKEND", str("myproject.cache.TmpFileCache")])]), "/app")).toBeUndefined();
    expect(fileBasedCaches(fileCache(unknown("env")), "/app")).toBeUndefined();
  });

  it("relates directories the way the check does: matches, is inside, contains", () => {
    expect(cacheRelation(["/app/media"], "/app/media")).toBe("matches");
    expect(cacheRelation(["/app/media"], "/app/media/cache")).toBe("is inside");
    expect(cacheRelation(["/app/media"], "/app")).toBe("contains");
    expect(cacheRelation(["/app/media"], "/app/media-cache")).toBeUndefined();
    expect(cacheRelation(["/"], "/var/cache")).toBe("is inside");
  });

  it("reads the served directories; falsy settings are skipped", () => {
    expect(servedDirectories("MEDIA_ROOT", str(""), "/app")).toEqual([]);
    expect(servedDirectories("STATIC_ROOT", NONE, "/app")).toEqual([]);
    expect(servedDirectories("MEDIA_ROOT", str("media"), "/app")).toEqual(["/app/media"]);
    expect(servedDirectories("STATICFILES_DIRS", list(path("/app/assets"), tuple(str("vendor"), str("/app/vendor"))), "/app")).toEqual(["/app/assets", "/app/vendor"]);
    // A 3-tuple makes Django's unpacking fail: not a verdict.
    expect(servedDirectories("STATICFILES_DIRS", list(tuple(str("a"), str("b"), str("c"))), "/app")).toBeUndefined();
    expect(servedDirectories("MEDIA_ROOT", unknown("x"), "/app")).toBeUndefined();
  });
});

describe("settings that could not be evaluated to the end", () => {
  it("a setting they do not define is unknown, not Django's default; defined ones keep their value", () => {
    const a = app({ DEBUG: bool(true) });
    a.settings?.problems.push({ range: { file: "app/shop/settings.py", line: 9, column: 1, endLine: 9, endColumn: 4 }, message: "invalid syntax" });
    expect(effectiveSetting(a, "DEBUG").value).toEqual(bool(true));
    expect(effectiveSetting(a, "SECURE_HSTS_SECONDS").value).toEqual(
      unknown("SECURE_HSTS_SECONDS is not set where the settings could be evaluated (app/shop/settings.py:9: invalid syntax)"),
    );
  });
});
