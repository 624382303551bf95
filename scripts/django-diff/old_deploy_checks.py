"""
The deploy checks of Django 1.11, 2.0, 2.1 and 2.2, restated (not imported: Debian ships only
3.2, and PyPI is out of reach here) so the differential test can compare our verdicts on those
releases too. Real Django 3.2 still evaluates the settings module; only the checks and the
defaults that differ from 3.2 are restated.

Sources, read line by line (docs/django-versions.md has the details):
- django/core/checks/security/{base,csrf,sessions}.py of the 1.10/1.11 line (MIDDLEWARE_CLASSES
  or MIDDLEWARE, patch_middleware_message) and of the 2.x line (MIDDLEWARE only);
- Django's check reference (docs/ref/checks.txt, shipped by Debian's python-django-doc):
  W017 "removed in Django 1.11", W007 "removed in Django 3.0"; W021 came with
  SECURE_HSTS_PRELOAD in 1.11, W022/E023 with SECURE_REFERRER_POLICY in 3.0;
- the release notes 1.11 (SECURE_HSTS_PRELOAD, CSRF_USE_SESSIONS), 2.0 (MIDDLEWARE_CLASSES
  removed) and 3.0 (X_FRAME_OPTIONS 'DENY', SECURE_CONTENT_TYPE_NOSNIFF True by default).
"""
from django.conf import global_settings

SECURITY = "django.middleware.security.SecurityMiddleware"
XFRAME = "django.middleware.clickjacking.XFrameOptionsMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"
SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
SESSIONS_APP = "django.contrib.sessions"

VERSIONS = [(1, 11), (2, 0), (2, 1), (2, 2)]


def old_defaults(version):
    """global_settings values of `version` that differ from 3.2's (the rest are the same)."""
    defaults = {
        "X_FRAME_OPTIONS": "SAMEORIGIN",
        "SECURE_CONTENT_TYPE_NOSNIFF": False,
        "SECURE_BROWSER_XSS_FILTER": False,
    }
    if version < (2, 0):
        defaults["MIDDLEWARE"] = None
        defaults["MIDDLEWARE_CLASSES"] = ["django.middleware.common.CommonMiddleware", CSRF]
    return defaults


def deploy_check_ids(settings, version):
    """The security.* ids `check --deploy` of Django `version` (1.11 … 2.2) reports."""
    defaults = old_defaults(version)

    def get(name):
        if settings.is_overridden(name):
            return getattr(settings, name)
        if name in defaults:
            return defaults[name]
        return getattr(global_settings, name)

    def has(middleware):
        if version < (2, 0):
            return middleware in get("MIDDLEWARE_CLASSES") or bool(get("MIDDLEWARE") and middleware in get("MIDDLEWARE"))
        return middleware in get("MIDDLEWARE")

    ids = []
    security, xframe, csrf = has(SECURITY), has(XFRAME), has(CSRF)
    if not security:
        ids.append("security.W001")
    if not xframe:
        ids.append("security.W002")
    if not csrf:
        ids.append("security.W003")
    hsts = get("SECURE_HSTS_SECONDS")
    if security and not hsts:
        ids.append("security.W004")
    if security and hsts and get("SECURE_HSTS_INCLUDE_SUBDOMAINS") is not True:
        ids.append("security.W005")
    if security and hsts and get("SECURE_HSTS_PRELOAD") is not True:
        ids.append("security.W021")
    if security and get("SECURE_CONTENT_TYPE_NOSNIFF") is not True:
        ids.append("security.W006")
    if security and get("SECURE_BROWSER_XSS_FILTER") is not True:
        ids.append("security.W007")
    if security and get("SECURE_SSL_REDIRECT") is not True:
        ids.append("security.W008")
    key = get("SECRET_KEY")
    if not (key and len(set(key)) >= 5 and len(key) >= 50):
        ids.append("security.W009")
    sessions_app, session_mw = SESSIONS_APP in get("INSTALLED_APPS"), has(SESSION)
    for setting, app_id, mw_id, both_id in (
        ("SESSION_COOKIE_SECURE", "security.W010", "security.W011", "security.W012"),
        ("SESSION_COOKIE_HTTPONLY", "security.W013", "security.W014", "security.W015"),
    ):
        if not get(setting):
            found = ([app_id] if sessions_app else []) + ([mw_id] if session_mw else [])
            ids.extend([both_id] if len(found) > 1 else found)
    if not (get("CSRF_USE_SESSIONS") or not csrf or get("CSRF_COOKIE_SECURE")):
        ids.append("security.W016")
    if get("DEBUG"):
        ids.append("security.W018")
    if xframe and get("X_FRAME_OPTIONS") != "DENY":
        ids.append("security.W019")
    if not get("ALLOWED_HOSTS"):
        ids.append("security.W020")
    return sorted(ids)
