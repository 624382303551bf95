"""
Runs Django's deploy checks on many generated projects, fast: Django is imported once and
every project is checked in a child forked from this process (a fresh interpreter state per
project, without paying Django's import each time).

usage:  python3 run_checks.py [OUT_FILE] < request.json
stdin:  {"jobs": 2, "tags": ["security", ...], "projects": [{"id": "p0001", "dir": "/abs/dir", "env": {"K": "V"}}]}
output: one JSON line per project, to OUT_FILE (default stdout):
        {"id": ..., "ids": ["security.W004", ...], "old": {"1.11": [...], ...}} or {"id": ..., "error": "traceback"}
        ("old": the ids Django 1.11 … 2.2 would report on the same settings, see old_deploy_checks.py)

What a child does is what `manage.py check --deploy --tag …` does, run in the project's
folder with exactly the given environment: put the folder first on sys.path, django.setup(),
run_checks(include_deployment_checks=True, tags=…), drop silenced messages.
"""
import json
import multiprocessing
import os
import sys
import traceback
import types

# Never leave __pycache__ folders in the projects we are given.
sys.dont_write_bytecode = True

import django  # noqa: E402
from django.core import checks  # noqa: F401,E402  (imported once, before forking)
from django.core.cache.backends.dummy import DummyCache  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import old_deploy_checks  # noqa: E402

# Settings written for newer Django may name cache backends that Django 3.2 cannot import
# (RedisCache is 4.0+). The deploy checks only ask whether a cache is a FileBasedCache, so a
# stand-in that is not one keeps the answer.
try:
    import django.core.cache.backends.redis  # noqa: F401
except ImportError:
    stub = types.ModuleType("django.core.cache.backends.redis")
    stub.RedisCache = type("RedisCache", (DummyCache,), {})
    sys.modules["django.core.cache.backends.redis"] = stub

# The env libraries settings may use: imported once too, when installed.
for name in ("environ", "decouple", "dotenv"):
    try:
        __import__(name)
    except ImportError:
        pass

# Modules every django.setup() of a contrib-only project imports and that read no setting at
# import time (settings are not configured here: one that did would raise, not cache a value).
for name in (
    "django.db.models",
    "django.forms",
    "django.template",
    "django.urls",
    "django.views.generic",
    "django.contrib.admin",
    "django.contrib.admin.sites",
    "django.core.cache.backends.filebased",
    "django.contrib.sessions.backends.db",
    "django.contrib.staticfiles.finders",
    "django.middleware.csrf",
    "django.core.mail",
):
    __import__(name)


def check_project(job):
    project_id, directory, env, tags = job["id"], job["dir"], job["env"], job["tags"]
    try:
        os.chdir(directory)
        os.environ.clear()
        os.environ.update(env)
        sys.path[:] = [directory] + [p for p in sys.path if p not in ("", os.path.dirname(os.path.abspath(__file__)))]
        django.setup()
        from django.conf import settings
        from django.core.checks import run_checks

        messages = run_checks(include_deployment_checks=True, tags=tags)
        silenced = set(getattr(settings, "SILENCED_SYSTEM_CHECKS", []))
        ids = sorted({m.id for m in messages if m.id not in silenced})
        old = {
            "%d.%d" % version: [i for i in old_deploy_checks.deploy_check_ids(settings, version) if i not in silenced]
            for version in old_deploy_checks.VERSIONS
        }
        return {"id": project_id, "ids": ids, "old": old}
    except BaseException:  # noqa: B902 — any failure is a finding about the generator
        return {"id": project_id, "error": traceback.format_exc(limit=6)}


def main():
    request = json.load(sys.stdin)
    tags = request.get("tags", ["security", "caches", "async_support"])
    jobs = [dict(p, tags=tags) for p in request["projects"]]
    # A file, not a pipe: the caller may be busy and not drain a pipe while we run.
    out = open(sys.argv[1], "w") if len(sys.argv) > 1 else sys.stdout
    context = multiprocessing.get_context("fork")
    # maxtasksperchild=1: every project gets a fresh fork of this process.
    with context.Pool(processes=max(1, int(request.get("jobs", 2))), maxtasksperchild=1) as pool:
        for result in pool.imap_unordered(check_project, jobs):
            out.write(json.dumps(result) + "\n")
            out.flush()
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
