"""Settings for the test suite: the site's own settings, made fast and kept apart per test process.

pytest.ini points DJANGO_SETTINGS_MODULE here. Tests that start a server process of their own
(manage.py, `python -c`) use the site's settings, as a real server does.
"""

import os
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403
from .settings import DATABASES, STORAGES

# Hashing at full strength makes every test that signs someone in slow; no password here protects anything.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so the live-server concurrency test exercises real locking; one file per test
    # process (each pytest-xdist worker is one), so parallel runs never share, and lock, one database.
    # On PostgreSQL pytest-django already gives each xdist worker its own database (test_<name>_gw0, ...).
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"outsourcing-test-{os.getpid()}")}

# Each test process keeps its caches in its own memory (the empty_cache fixture clears them between
# tests): no page, content stamp or rate-limit count is shared with another worker or a running site.
CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"tests-{alias}"}
    for alias in ("default", "shared", "pages")
}

# Templates render without running collectstatic first; the production_static fixture swaps the
# manifest storage back in for the tests about hashed names and compression.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# A test's writes never commit, so no other connection sees them, and a process reading the content version
# from the database would take back the old one: tests read it once, and after that only their own edits
# change it (tests/test_content_version.py sets the interval it tests).
CONTENT_VERSION_SECONDS = 3600
