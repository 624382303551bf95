import { fileStart, type SourceRange } from "../core/location.js";
import type { SettingValue } from "../python/evaluate.js";
import { bool, int, NONE, pyEquals, pyRepr, pyTruthy, str, unknown, type PyValue } from "../python/values.js";
import type { DeploymentModel, DjangoApp, Service } from "./deployment-model.js";
import { atLeast, formatVersion, type DjangoVersion } from "./django-version.js";
import { djangoServices, productionStacks } from "./queries.js";

/**
 * Django's settings as `django.conf.settings` would hold them: the module's own values over
 * `django/conf/global_settings.py` of the Django version the project runs. Only the settings
 * the deploy checks read are modelled, with the defaults each release line 1.11 … 5.2 ships
 * (3.0 … 5.2 read from Django's source, tag by tag; 1.11 … 2.2 from the source of that era and
 * the release notes, see docs/django-versions.md).
 */

export const SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware";
export const XFRAME_MIDDLEWARE = "django.middleware.clickjacking.XFrameOptionsMiddleware";
export const CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware";
export const SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware";
export const SESSIONS_APP = "django.contrib.sessions";

const list = (...items: string[]): PyValue => ({ kind: "list", items: items.map(str) });
const dict = (entries: [string, PyValue][]): PyValue => ({ kind: "dict", entries: entries.map(([k, v]) => ({ key: str(k), value: v })) });

/** A default, or a function of the version; undefined = the setting does not exist in that version. */
type Default = PyValue | ((v: DjangoVersion) => PyValue | undefined);

const GLOBAL_SETTINGS: Record<string, Default> = {
  DEBUG: bool(false),
  ALLOWED_HOSTS: list(),
  SECRET_KEY: str(""),
  // Added in 4.1 with key rotation.
  SECRET_KEY_FALLBACKS: (v) => (atLeast(v, 4, 1) ? list() : undefined),
  INSTALLED_APPS: list(),
  // None until 1.11 (the old-style MIDDLEWARE_CLASSES applied then); 2.0 removed MIDDLEWARE_CLASSES.
  MIDDLEWARE: (v) => (atLeast(v, 2, 0) ? list() : NONE),
  MIDDLEWARE_CLASSES: (v) => (atLeast(v, 2, 0) ? undefined : list("django.middleware.common.CommonMiddleware", CSRF_MIDDLEWARE)),
  CACHES: dict([["default", dict([["BACKEND", str("django.core.cache.backends.locmem.LocMemCache")]])]]),
  MEDIA_ROOT: str(""),
  MEDIA_URL: str(""),
  STATIC_ROOT: NONE,
  STATIC_URL: NONE,
  STATICFILES_DIRS: list(),
  // 'SAMEORIGIN' until 2.2; 3.0 made 'DENY' the default.
  X_FRAME_OPTIONS: (v) => str(atLeast(v, 3, 0) ? "DENY" : "SAMEORIGIN"),
  // False until 2.2, True from 3.0.
  SECURE_CONTENT_TYPE_NOSNIFF: (v) => bool(atLeast(v, 3, 0)),
  // Removed in 4.0 (its check, security.W007, went in 3.0).
  SECURE_BROWSER_XSS_FILTER: (v) => (atLeast(v, 4, 0) ? undefined : bool(false)),
  SECURE_HSTS_SECONDS: int(0),
  SECURE_HSTS_INCLUDE_SUBDOMAINS: bool(false),
  SECURE_HSTS_PRELOAD: bool(false),
  SECURE_SSL_REDIRECT: bool(false),
  SECURE_SSL_HOST: NONE,
  SECURE_REDIRECT_EXEMPT: list(),
  SECURE_PROXY_SSL_HEADER: NONE,
  // New in 3.0 with default None; 3.1 changed the default to 'same-origin'.
  SECURE_REFERRER_POLICY: (v) => (atLeast(v, 3, 1) ? str("same-origin") : atLeast(v, 3, 0) ? NONE : undefined),
  // New in 4.0.
  SECURE_CROSS_ORIGIN_OPENER_POLICY: (v) => (atLeast(v, 4, 0) ? str("same-origin") : undefined),
  SESSION_COOKIE_SECURE: bool(false),
  SESSION_COOKIE_HTTPONLY: bool(true),
  SESSION_COOKIE_SAMESITE: str("Lax"),
  CSRF_COOKIE_SECURE: bool(false),
  CSRF_COOKIE_HTTPONLY: bool(false),
  CSRF_COOKIE_SAMESITE: str("Lax"),
  CSRF_USE_SESSIONS: bool(false),
  CSRF_TRUSTED_ORIGINS: list(),
};

/** The settings whose defaults are modelled (for tests that compare them with a real Django). */
export function modelledSettings(): string[] {
  return Object.keys(GLOBAL_SETTINGS);
}

/** `global_settings.<name>` in Django `version`; undefined when that version has no such setting (or we do not model it). */
export function djangoDefault(version: DjangoVersion, name: string): PyValue | undefined {
  const d = GLOBAL_SETTINGS[name];
  if (d === undefined) return undefined;
  return typeof d === "function" ? d(version) : d;
}

export interface EffectiveSetting {
  value: PyValue;
  /** The assignment in the settings that decides the value; undefined when Django's default applies. */
  explicit: SettingValue | undefined;
}

/** `settings.<name>` as Django would see it: the settings module's value, else the version's default. */
export function effectiveSetting(app: DjangoApp, name: string): EffectiveSetting {
  if (app.settings === undefined) return { value: unknown("the settings module was not found"), explicit: undefined };
  const explicit = app.settings.values.get(name);
  if (explicit) return { value: explicit.value, explicit };
  // A module that could not be evaluated to the end may define the setting in the part we did not see.
  const problem = app.settings.problems[0];
  if (problem !== undefined) {
    return { value: unknown(`${name} is not set where the settings could be evaluated (${problem.range.file}:${problem.range.line}: ${problem.message})`), explicit: undefined };
  }
  // `from vendor.settings import *`, split_settings' include(): the setting may be defined where we cannot see.
  if (app.settings.openNamespace !== undefined) {
    return { value: unknown(`${name} is not set where the settings could be read; ${app.settings.openNamespace}`), explicit: undefined };
  }
  const d = djangoDefault(app.version.version, name);
  if (d !== undefined) return { value: d, explicit: undefined };
  return { value: unknown(`${name} is not set and Django ${formatVersion(app.version.version)} has no default for it`), explicit: undefined };
}

/** Where a finding about a setting belongs: the assignment that decides it, else line 1 of the settings module. */
export function settingRange(app: DjangoApp, setting: EffectiveSetting): SourceRange {
  return setting.explicit?.range ?? fileStart(app.settings?.file ?? "");
}

/** Python `value is True`; undefined when unknown. */
export function isTrue(value: PyValue): boolean | undefined {
  if (value.kind === "unknown") return undefined;
  return value.kind === "bool" && value.value;
}

/** Python truthiness (`not value`), undefined when unknown. */
export function truthy(value: PyValue): boolean | undefined {
  return pyTruthy(value);
}

/**
 * Python `item in container` for a string item, as the checks test MIDDLEWARE and
 * INSTALLED_APPS: exact string equality against list/tuple items (a string container
 * means a substring test). Undefined when an unknown item could be the one.
 */
export function containsString(container: PyValue, item: string): boolean | undefined {
  switch (container.kind) {
    case "list":
    case "tuple": {
      let uncertain = false;
      for (const element of container.items) {
        const eq = pyEquals(element, str(item));
        if (eq === true) return true;
        if (eq === undefined) uncertain = true;
      }
      return uncertain ? undefined : false;
    }
    case "str":
      return container.value.includes(item);
    case "dict": {
      let uncertain = false;
      for (const e of container.entries) {
        const eq = pyEquals(e.key, str(item));
        if (eq === true) return true;
        if (eq === undefined) uncertain = true;
      }
      return uncertain ? undefined : false;
    }
    default:
      // unknown, or a type `in` would raise on: Django would crash, not warn.
      return undefined;
  }
}

/**
 * Whether Django's checks see `middleware` installed: `"<middleware>" in settings.MIDDLEWARE`,
 * and before 2.0 `x in settings.MIDDLEWARE_CLASSES or settings.MIDDLEWARE and x in
 * settings.MIDDLEWARE` (the 1.10/1.11 checks test both, so 1.11's default MIDDLEWARE_CLASSES
 * counts CsrfViewMiddleware in even when MIDDLEWARE is set without it).
 */
export function hasMiddleware(app: DjangoApp, middleware: string): boolean | undefined {
  const modern = effectiveSetting(app, "MIDDLEWARE").value;
  if (atLeast(app.version.version, 2, 0)) return containsString(modern, middleware);
  const inClasses = containsString(effectiveSetting(app, "MIDDLEWARE_CLASSES").value, middleware);
  if (inClasses === true) return true;
  const modernSet = pyTruthy(modern);
  if (modernSet === false) return inClasses === undefined ? undefined : false;
  if (modernSet === undefined) return undefined;
  const inModern = containsString(modern, middleware);
  return inClasses === undefined ? (inModern === true ? true : undefined) : inModern;
}

/**
 * The middleware setting Django's messages name and a finding about a missing middleware points
 * at: MIDDLEWARE, or before 2.0 MIDDLEWARE_CLASSES while MIDDLEWARE is None (1.10/1.11's
 * patch_middleware_message rewrites the messages the same way).
 */
export function middlewareSetting(app: DjangoApp): { name: "MIDDLEWARE" | "MIDDLEWARE_CLASSES"; effective: EffectiveSetting } {
  const modern = effectiveSetting(app, "MIDDLEWARE");
  if (atLeast(app.version.version, 2, 0) || modern.value.kind !== "none") return { name: "MIDDLEWARE", effective: modern };
  return { name: "MIDDLEWARE_CLASSES", effective: effectiveSetting(app, "MIDDLEWARE_CLASSES") };
}

/** The settings' own MIDDLEWARE_CLASSES on Django 2.0 or newer, which ignores it (a project upgraded without renaming it). */
export function ignoredMiddlewareClasses(app: DjangoApp): SettingValue | undefined {
  if (!atLeast(app.version.version, 2, 0)) return undefined;
  return app.settings?.values.get("MIDDLEWARE_CLASSES");
}

/** `"<app>" in settings.INSTALLED_APPS`: the exact string, as Django's checks test it (an AppConfig path does not count). */
export function hasInstalledApp(app: DjangoApp, name: string): boolean | undefined {
  return containsString(effectiveSetting(app, "INSTALLED_APPS").value, name);
}

/** Python's `str.strip()` whitespace (JavaScript's trim() differs: it strips U+FEFF and keeps \x1c-\x1f, \x85). */
const PY_WHITESPACE = "\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP = new RegExp(`^[${PY_WHITESPACE}]+|[${PY_WHITESPACE}]+$`, "g");

export function pyStrip(s: string): string {
  return s.replace(STRIP, "");
}

/** Python `len(s)`: code points, not UTF-16 units. */
export function pyLen(s: string): number {
  return [...s].length;
}

/** Every Django service with evaluated settings, in every stack. */
export function djangoApps(model: DeploymentModel): { service: Service; app: DjangoApp }[] {
  const out: { service: Service; app: DjangoApp }[] = [];
  for (const stack of productionStacks(model)) {
    for (const service of djangoServices(stack)) {
      if (service.django) out.push({ service, app: service.django });
    }
  }
  return out;
}

/** True when the project's Django is `major.minor` or newer (a check or setting that version introduced applies). */
export function djangoAtLeast(app: DjangoApp, major: number, minor: number): boolean {
  return atLeast(app.version.version, major, minor);
}

/** "Django 4.2.16, pinned by Django==4.2.16 in requirements.txt" / "Django 5.2, assumed: no pinned Django version found", for messages. */
export function describeDjangoVersion(app: DjangoApp): string {
  const v = app.version;
  const name = `Django ${formatVersion(v.version)}`;
  switch (v.source) {
    case "cli":
      return `${name}, from --django-version`;
    case "assumed":
      return `${name}, assumed: no pinned Django version found`;
    default:
      return v.spec && v.range ? `${name}, pinned by ${v.spec} in ${v.range.file}` : name;
  }
}

/**
 * Whether a cookie flag passes Django's check: up to 4.0 the session and CSRF cookie checks
 * test truthiness (`SESSION_COOKIE_SECURE = 1` passes); from 4.1 they require `is True`
 * (Django ticket #33526). Undefined when the value is unknown.
 */
export function cookieFlagPasses(app: DjangoApp, value: PyValue): boolean | undefined {
  return djangoAtLeast(app, 4, 1) ? isTrue(value) : truthy(value);
}

/** A truthy value that is not `True` itself: passes up to 4.0, fails from 4.1. Worth saying in a message. */
export function truthyButNotTrue(value: PyValue): boolean {
  return truthy(value) === true && isTrue(value) === false;
}

export type SessionCookieSetting = "SESSION_COOKIE_SECURE" | "SESSION_COOKIE_HTTPONLY";

export interface SessionCookieVerdict {
  effective: EffectiveSetting;
  /** Which warning check_session_cookie_secure / _httponly returns: W010/W013 (app), W011/W014 (middleware), W012/W015 (both), or none. */
  warns: "app" | "middleware" | "both" | "none";
}

/**
 * Django's check_session_cookie_secure / check_session_cookie_httponly: when the flag does not
 * pass, one warning for the sessions app, one for the middleware, replaced by the combined
 * one when both are present. Undefined when anything it needs is unknown.
 */
export function sessionCookieVerdict(app: DjangoApp, setting: SessionCookieSetting): SessionCookieVerdict | undefined {
  const effective = effectiveSetting(app, setting);
  const passes = cookieFlagPasses(app, effective.value);
  if (passes === undefined) return undefined;
  if (passes) return { effective, warns: "none" };
  const sessionsApp = hasInstalledApp(app, SESSIONS_APP);
  const sessionMiddleware = hasMiddleware(app, SESSION_MIDDLEWARE);
  if (sessionsApp === undefined || sessionMiddleware === undefined) return undefined;
  const warns = sessionsApp && sessionMiddleware ? "both" : sessionsApp ? "app" : sessionMiddleware ? "middleware" : "none";
  return { effective, warns };
}

export const SECRET_KEY_MIN_LENGTH = 50;
export const SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5;
export const SECRET_KEY_INSECURE_PREFIX = "django-insecure-";

/**
 * Django's `_check_secret_key` on one key (a string): why it is weak, [] when it passes.
 * Length and unique characters count code points, as Python's len() and set() do; the
 * `django-insecure-` prefix counts from 3.2 (Django ticket #31757).
 */
export function secretKeyWeaknesses(app: DjangoApp, key: string): string[] {
  const reasons: string[] = [];
  const length = pyLen(key);
  const unique = new Set(key).size;
  if (length < SECRET_KEY_MIN_LENGTH) reasons.push(`it has ${length} characters, fewer than ${SECRET_KEY_MIN_LENGTH}`);
  if (unique < SECRET_KEY_MIN_UNIQUE_CHARACTERS) reasons.push(`it has ${unique} unique characters, fewer than ${SECRET_KEY_MIN_UNIQUE_CHARACTERS}`);
  if (djangoAtLeast(app, 3, 2) && key.startsWith(SECRET_KEY_INSECURE_PREFIX)) {
    reasons.push(`it starts with '${SECRET_KEY_INSECURE_PREFIX}', the prefix of keys startproject generates`);
  }
  return reasons;
}

export const REFERRER_POLICY_VALUES: ReadonlySet<string> = new Set([
  "no-referrer",
  "no-referrer-when-downgrade",
  "origin",
  "origin-when-cross-origin",
  "same-origin",
  "strict-origin",
  "strict-origin-when-cross-origin",
  "unsafe-url",
]);

export const CROSS_ORIGIN_OPENER_POLICY_VALUES: ReadonlySet<string> = new Set(["same-origin", "same-origin-allow-popups", "unsafe-none"]);

/** Whether `set(...)` / `in {...}` could hash the value (unhashable ones make Django's check crash, not warn). */
function hashable(v: PyValue): boolean | undefined {
  switch (v.kind) {
    case "unknown":
      return undefined;
    case "list":
    case "dict":
      return false;
    case "tuple": {
      let all: boolean | undefined = true;
      for (const item of v.items) {
        const h = hashable(item);
        if (h === false) return false;
        if (h === undefined) all = undefined;
      }
      return all;
    }
    default:
      return true;
  }
}

/**
 * check_referrer_policy's test of a non-None SECURE_REFERRER_POLICY: a string is split on
 * commas and each part stripped; any other iterable is taken item by item. Returns the
 * values outside Django's list (reprs, for the message), [] when all are valid, undefined
 * when unknown or when Django itself would crash on the value.
 */
export function invalidReferrerPolicies(value: PyValue): string[] | undefined {
  let items: PyValue[];
  if (value.kind === "str") items = value.value.split(",").map((part) => str(pyStrip(part)));
  else if (value.kind === "list" || value.kind === "tuple") items = value.items;
  else if (value.kind === "dict") items = value.entries.map((e) => e.key);
  else return undefined;
  const invalid: string[] = [];
  for (const item of items) {
    const h = hashable(item);
    if (h !== true) return undefined;
    if (item.kind === "str" && REFERRER_POLICY_VALUES.has(item.value)) continue;
    const shown = pyRepr(item);
    if (!invalid.includes(shown)) invalid.push(shown);
  }
  return invalid;
}

/** check_cross_origin_opener_policy's `value not in {...}` for a non-None value; undefined when unknown or unhashable. */
export function crossOriginOpenerPolicyValid(value: PyValue): boolean | undefined {
  if (hashable(value) !== true) return undefined;
  return value.kind === "str" && CROSS_ORIGIN_OPENER_POLICY_VALUES.has(value.value);
}

export const FILE_BASED_CACHE = "django.core.cache.backends.filebased.FileBasedCache";

/** Django's own cache backends: anything else may subclass FileBasedCache, so the check's verdict on it is unknown. */
const BUILTIN_CACHE_BACKENDS = new Set([
  FILE_BASED_CACHE,
  "django.core.cache.backends.locmem.LocMemCache",
  "django.core.cache.backends.db.DatabaseCache",
  "django.core.cache.backends.dummy.DummyCache",
  "django.core.cache.backends.memcached.PyMemcacheCache",
  "django.core.cache.backends.memcached.PyLibMCCache",
  "django.core.cache.backends.memcached.MemcachedCache",
  "django.core.cache.backends.redis.RedisCache",
]);

export interface FileCacheLocation {
  alias: string;
  /** The directory as FileBasedCache resolves it (`os.path.abspath(LOCATION)`). */
  dir: string;
}

/**
 * The FileBasedCache directories of CACHES, as `caches[alias]._dir` holds them (relative
 * LOCATIONs resolved against the process's working directory). Undefined when CACHES, a
 * BACKEND or a LOCATION is unknown, or a backend is not one of Django's own.
 */
export function fileBasedCaches(caches: PyValue, cwd: string | undefined): FileCacheLocation[] | undefined {
  if (caches.kind !== "dict") return undefined;
  const out: FileCacheLocation[] = [];
  for (const entry of caches.entries) {
    if (entry.key.kind !== "str" || entry.value.kind !== "dict") return undefined;
    const config = entry.value;
    const backend = config.entries.find((e) => e.key.kind === "str" && e.key.value === "BACKEND")?.value;
    if (backend?.kind !== "str" || !BUILTIN_CACHE_BACKENDS.has(backend.value)) return undefined;
    if (backend.value !== FILE_BASED_CACHE) continue;
    // A missing LOCATION is '' — the working directory.
    const location = config.entries.find((e) => e.key.kind === "str" && e.key.value === "LOCATION")?.value ?? str("");
    if (location.kind !== "str" && location.kind !== "path") return undefined;
    const dir = resolvePath(location.value, cwd);
    if (dir === undefined) return undefined;
    out.push({ alias: entry.key.value, dir });
  }
  return out;
}

/** Sentinel for an unknown working directory: relations between relative paths still hold under it. */
const UNKNOWN_CWD = "/\u0000cwd";

/**
 * `Path(p).resolve()` without the filesystem: absolute, `.` and `..` collapsed. Symlinks are
 * not followed (the container's are not known). A relative path under an unknown working
 * directory keeps a placeholder root, and is undefined when `..` climbs out of it.
 */
export function resolvePath(p: string, cwd: string | undefined): string | undefined {
  const base = cwd ?? UNKNOWN_CWD;
  const joined = p.startsWith("/") ? p : `${base}/${p}`;
  const parts: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  const resolved = `/${parts.join("/")}`;
  if (cwd === undefined && !p.startsWith("/") && resolved !== UNKNOWN_CWD && !resolved.startsWith(`${UNKNOWN_CWD}/`)) return undefined;
  return resolved;
}

/** How check_cache_location_not_exposed relates a cache directory to a served directory, if at all. */
export function cacheRelation(servedDirs: readonly string[], cacheDir: string): "matches" | "is inside" | "contains" | undefined {
  const isParent = (parent: string, child: string): boolean => child !== parent && (parent === "/" ? true : child.startsWith(`${parent}/`));
  if (servedDirs.some((d) => d === cacheDir)) return "matches";
  if (servedDirs.some((d) => isParent(d, cacheDir))) return "is inside";
  if (servedDirs.some((d) => isParent(cacheDir, d))) return "contains";
  return undefined;
}

/**
 * The directories one of MEDIA_ROOT / STATIC_ROOT / STATICFILES_DIRS names, resolved as the
 * check resolves them; [] when the setting is falsy (skipped); undefined when unknown or when
 * Django would crash on it.
 */
export function servedDirectories(name: "MEDIA_ROOT" | "STATIC_ROOT" | "STATICFILES_DIRS", value: PyValue, cwd: string | undefined): string[] | undefined {
  const isFalsy = truthy(value);
  if (isFalsy === undefined) return undefined;
  if (!isFalsy) return [];
  const one = (v: PyValue): string | undefined => (v.kind === "str" || v.kind === "path" ? resolvePath(v.value, cwd) : undefined);
  if (name !== "STATICFILES_DIRS") {
    const dir = one(value);
    return dir === undefined ? undefined : [dir];
  }
  if (value.kind !== "list" && value.kind !== "tuple") return undefined;
  const dirs: string[] = [];
  for (const item of value.items) {
    // ("prefix", "/path") entries: the check takes the second element.
    const target = item.kind === "list" || item.kind === "tuple" ? (item.items.length === 2 ? item.items[1] : undefined) : item;
    const dir = target === undefined ? undefined : one(target);
    if (dir === undefined) return undefined;
    dirs.push(dir);
  }
  return dirs;
}

/** A resolved path for messages: one under an unknown working directory is shown relative to it. */
export function displayPath(resolved: string): string {
  if (resolved === UNKNOWN_CWD) return "<working directory>";
  return resolved.startsWith(`${UNKNOWN_CWD}/`) ? `<working directory>/${resolved.slice(UNKNOWN_CWD.length + 1)}` : resolved;
}
