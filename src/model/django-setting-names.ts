import type { DjangoVersion } from "./django-version.js";
import { compareVersions } from "./django-version.js";

/**
 * Django's own setting names, per release line: the module-level names of
 * `django/conf/global_settings.py` (plus the settings django.contrib reads that global_settings
 * does not define), and the keys Django reads in a DATABASES / CACHES entry. Data only.
 *
 * 3.2 (3.2.25) and 5.2 (5.2.17) were read from Django's source; the other lines apply the
 * additions and removals the release notes list (each checked to lead from 3.2 to 5.2).
 */

/** `global_settings.py` of Django 3.2.25. */
const GLOBAL_3_2: readonly string[] = [
  "ABSOLUTE_URL_OVERRIDES", "ADMINS", "ALLOWED_HOSTS", "APPEND_SLASH", "AUTHENTICATION_BACKENDS",
  "AUTH_PASSWORD_VALIDATORS", "AUTH_USER_MODEL", "CACHES", "CACHE_MIDDLEWARE_ALIAS", "CACHE_MIDDLEWARE_KEY_PREFIX",
  "CACHE_MIDDLEWARE_SECONDS", "CSRF_COOKIE_AGE", "CSRF_COOKIE_DOMAIN", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_NAME",
  "CSRF_COOKIE_PATH", "CSRF_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE", "CSRF_FAILURE_VIEW", "CSRF_HEADER_NAME",
  "CSRF_TRUSTED_ORIGINS", "CSRF_USE_SESSIONS", "DATABASES", "DATABASE_ROUTERS", "DATA_UPLOAD_MAX_MEMORY_SIZE",
  "DATA_UPLOAD_MAX_NUMBER_FIELDS", "DATA_UPLOAD_MAX_NUMBER_FILES", "DATETIME_FORMAT", "DATETIME_INPUT_FORMATS",
  "DATE_FORMAT", "DATE_INPUT_FORMATS", "DEBUG", "DEBUG_PROPAGATE_EXCEPTIONS", "DECIMAL_SEPARATOR",
  "DEFAULT_AUTO_FIELD", "DEFAULT_CHARSET", "DEFAULT_EXCEPTION_REPORTER", "DEFAULT_EXCEPTION_REPORTER_FILTER",
  "DEFAULT_FILE_STORAGE", "DEFAULT_FROM_EMAIL", "DEFAULT_HASHING_ALGORITHM", "DEFAULT_INDEX_TABLESPACE",
  "DEFAULT_TABLESPACE", "DISALLOWED_USER_AGENTS", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_HOST_PASSWORD",
  "EMAIL_HOST_USER", "EMAIL_PORT", "EMAIL_SSL_CERTFILE", "EMAIL_SSL_KEYFILE", "EMAIL_SUBJECT_PREFIX",
  "EMAIL_TIMEOUT", "EMAIL_USE_LOCALTIME", "EMAIL_USE_SSL", "EMAIL_USE_TLS", "FILE_UPLOAD_DIRECTORY_PERMISSIONS",
  "FILE_UPLOAD_HANDLERS", "FILE_UPLOAD_MAX_MEMORY_SIZE", "FILE_UPLOAD_PERMISSIONS", "FILE_UPLOAD_TEMP_DIR",
  "FIRST_DAY_OF_WEEK", "FIXTURE_DIRS", "FORCE_SCRIPT_NAME", "FORMAT_MODULE_PATH", "FORM_RENDERER",
  "IGNORABLE_404_URLS", "INSTALLED_APPS", "INTERNAL_IPS", "LANGUAGES", "LANGUAGES_BIDI", "LANGUAGE_CODE",
  "LANGUAGE_COOKIE_AGE", "LANGUAGE_COOKIE_DOMAIN", "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_NAME",
  "LANGUAGE_COOKIE_PATH", "LANGUAGE_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SECURE", "LOCALE_PATHS", "LOGGING",
  "LOGGING_CONFIG", "LOGIN_REDIRECT_URL", "LOGIN_URL", "LOGOUT_REDIRECT_URL", "MANAGERS", "MEDIA_ROOT", "MEDIA_URL",
  "MESSAGE_STORAGE", "MIDDLEWARE", "MIGRATION_MODULES", "MONTH_DAY_FORMAT", "NUMBER_GROUPING", "PASSWORD_HASHERS",
  "PASSWORD_RESET_TIMEOUT", "PASSWORD_RESET_TIMEOUT_DAYS", "PREPEND_WWW", "SECRET_KEY", "SECURE_BROWSER_XSS_FILTER",
  "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_HSTS_SECONDS",
  "SECURE_PROXY_SSL_HEADER", "SECURE_REDIRECT_EXEMPT", "SECURE_REFERRER_POLICY", "SECURE_SSL_HOST",
  "SECURE_SSL_REDIRECT", "SERVER_EMAIL", "SESSION_CACHE_ALIAS", "SESSION_COOKIE_AGE", "SESSION_COOKIE_DOMAIN",
  "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_NAME", "SESSION_COOKIE_PATH", "SESSION_COOKIE_SAMESITE",
  "SESSION_COOKIE_SECURE", "SESSION_ENGINE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SESSION_FILE_PATH",
  "SESSION_SAVE_EVERY_REQUEST", "SESSION_SERIALIZER", "SHORT_DATETIME_FORMAT", "SHORT_DATE_FORMAT",
  "SIGNING_BACKEND", "SILENCED_SYSTEM_CHECKS", "STATICFILES_DIRS", "STATICFILES_FINDERS", "STATICFILES_STORAGE",
  "STATIC_ROOT", "STATIC_URL", "TEMPLATES", "TEST_NON_SERIALIZED_APPS", "TEST_RUNNER", "THOUSAND_SEPARATOR",
  "TIME_FORMAT", "TIME_INPUT_FORMATS", "TIME_ZONE", "USE_I18N", "USE_L10N", "USE_THOUSAND_SEPARATOR", "USE_TZ",
  "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT", "WSGI_APPLICATION", "X_FRAME_OPTIONS", "YEAR_MONTH_FORMAT",
];

/** Changes to global_settings.py from one release line to the next: [line, added, removed]. */
const CHANGES: readonly [string, readonly string[], readonly string[]][] = [
  ["1.11", [], []],
  // MIDDLEWARE_CLASSES removed (old-style middleware).
  ["2.0", [], ["MIDDLEWARE_CLASSES"]],
  ["2.1", ["CSRF_COOKIE_SAMESITE", "SESSION_COOKIE_SAMESITE"], []],
  ["2.2", [], []],
  ["3.0", ["SECURE_REFERRER_POLICY", "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SECURE"], ["DEFAULT_CONTENT_TYPE"]],
  ["3.1", ["PASSWORD_RESET_TIMEOUT", "DEFAULT_HASHING_ALGORITHM"], ["FILE_CHARSET"]],
  ["3.2", ["DEFAULT_AUTO_FIELD"], []],
  ["4.0", ["SECURE_CROSS_ORIGIN_OPENER_POLICY", "USE_DEPRECATED_PYTZ"], ["DEFAULT_HASHING_ALGORITHM", "PASSWORD_RESET_TIMEOUT_DAYS", "SECURE_BROWSER_XSS_FILTER"]],
  ["4.1", ["SECRET_KEY_FALLBACKS", "CSRF_COOKIE_MASKED"], []],
  ["4.2", ["STORAGES"], []],
  ["5.0", ["FORMS_URLFIELD_ASSUME_HTTPS"], ["USE_L10N", "USE_DEPRECATED_PYTZ", "CSRF_COOKIE_MASKED"]],
  ["5.1", [], ["DEFAULT_FILE_STORAGE", "STATICFILES_STORAGE"]],
  ["5.2", ["SIGNED_COOKIE_LEGACY_SALT_FALLBACK"], []],
];

/** Settings Django reads without a global_settings.py default (`settings.X` in django/, 3.2 and 5.2: urls, mail, sites, messages, gis). */
const CONTRIB: readonly string[] = [
  "ROOT_URLCONF", "EMAIL_FILE_PATH", "SITE_ID", "MESSAGE_LEVEL", "MESSAGE_TAGS", "GEOIP_PATH", "GEOIP_CITY", "GEOIP_COUNTRY", "GDAL_LIBRARY_PATH",
  "GEOS_LIBRARY_PATH", "SPATIALITE_LIBRARY_PATH", "POSTGIS_VERSION", "POSTGIS_TEMPLATE", "SERIALIZATION_MODULES",
];

/** Settings of Django releases before 1.11 (removed since): real names, never misspellings of another. */
const LEGACY: readonly string[] = [
  "MIDDLEWARE_CLASSES", "DEFAULT_CONTENT_TYPE", "FILE_CHARSET", "TEMPLATE_DIRS", "TEMPLATE_DEBUG", "TEMPLATE_LOADERS",
  "TEMPLATE_CONTEXT_PROCESSORS", "TEMPLATE_STRING_IF_INVALID", "SEND_BROKEN_LINK_EMAILS", "TRANSACTIONS_MANAGED",
  "CACHE_BACKEND", "DATABASE_ENGINE", "DATABASE_NAME", "DATABASE_USER", "DATABASE_PASSWORD", "DATABASE_HOST",
  "DATABASE_PORT", "DATABASE_OPTIONS", "CACHE_MIDDLEWARE_ANONYMOUS_ONLY", "ADMIN_MEDIA_PREFIX", "ADMIN_FOR",
  "LOGOUT_URL", "URL_VALIDATOR_USER_AGENT", "IGNORABLE_404_STARTS", "IGNORABLE_404_ENDS", "PROFANITIES_LIST",
  "COMMENTS_ALLOW_PROFANITIES", "BANNED_IPS", "TEST_DATABASE_NAME",
  "DEFAULT_HASHING_ALGORITHM", "PASSWORD_RESET_TIMEOUT_DAYS", "SECURE_BROWSER_XSS_FILTER", "USE_L10N",
  "USE_DEPRECATED_PYTZ", "CSRF_COOKIE_MASKED", "USE_ETAGS",
];

/** Settings of widely used packages one edit from a Django name (Channels / Daphne's ASGI_APPLICATION): never misspellings. */
const PACKAGES: readonly string[] = ["ASGI_APPLICATION"];

/** Keys Django reads in a DATABASES entry (django/db/utils.py ensure_defaults / prepare_test_settings). */
const DATABASE_KEYS: readonly string[] = [
  "ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS", "ATOMIC_REQUESTS", "AUTOCOMMIT", "CONN_MAX_AGE",
  "TIME_ZONE", "TEST", "DISABLE_SERVER_SIDE_CURSORS",
];
/** Added in 4.1. */
const DATABASE_KEYS_4_1: readonly string[] = ["CONN_HEALTH_CHECKS"];

/** Keys Django reads in a CACHES entry (django/core/cache/backends/base.py BaseCache and caches' handler). */
const CACHE_KEYS: readonly string[] = ["BACKEND", "LOCATION", "TIMEOUT", "OPTIONS", "KEY_PREFIX", "VERSION", "KEY_FUNCTION"];

function lineOf(v: DjangoVersion): string {
  return `${v.major}.${v.minor}`;
}

const cache = new Map<string, ReadonlySet<string>>();

/** Django's setting names for a release line (the nearest modelled line for others). */
export function djangoSettingNames(v: DjangoVersion): ReadonlySet<string> {
  const lines = CHANGES.map(([line]) => line);
  const wanted = lineOf(v);
  const parse = (line: string): DjangoVersion => {
    const [major, minor] = line.split(".").map(Number) as [number, number];
    return { major, minor };
  };
  // The newest modelled line not newer than v (the oldest when v is older than all).
  let target = lines[0] as string;
  for (const line of lines) if (compareVersions(parse(line), { major: v.major, minor: v.minor }) <= 0) target = line;
  const key = lines.includes(wanted) ? wanted : target;
  const known = cache.get(key);
  if (known) return known;
  // Walk from 3.2 forwards or backwards.
  const names = new Set(GLOBAL_3_2);
  const at = lines.indexOf(key);
  const base = lines.indexOf("3.2");
  if (at > base) {
    for (let i = base + 1; i <= at; i++) {
      const [, added, removed] = CHANGES[i] as (typeof CHANGES)[number];
      for (const n of added) names.add(n);
      for (const n of removed) names.delete(n);
    }
  } else {
    for (let i = base; i > at; i--) {
      const [, added, removed] = CHANGES[i] as (typeof CHANGES)[number];
      for (const n of added) names.delete(n);
      for (const n of removed) names.add(n);
    }
  }
  for (const n of CONTRIB) names.add(n);
  cache.set(key, names);
  return names;
}

/** Every setting name any Django release reads or read: such a name is never a misspelling. */
export const ALL_DJANGO_SETTING_NAMES: ReadonlySet<string> = new Set([
  ...GLOBAL_3_2,
  ...CHANGES.flatMap(([, added, removed]) => [...added, ...removed]),
  ...CONTRIB,
  ...LEGACY,
  ...PACKAGES,
]);

export function databaseKeys(v: DjangoVersion): readonly string[] {
  return compareVersions(v, { major: 4, minor: 1 }) >= 0 ? [...DATABASE_KEYS, ...DATABASE_KEYS_4_1] : DATABASE_KEYS;
}

export const ALL_DATABASE_KEYS: ReadonlySet<string> = new Set([...DATABASE_KEYS, ...DATABASE_KEYS_4_1]);

export function cacheKeys(_v: DjangoVersion): readonly string[] {
  return CACHE_KEYS;
}

export const ALL_CACHE_KEYS: ReadonlySet<string> = new Set(CACHE_KEYS);
