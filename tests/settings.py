"""Settings for the test suite: the production settings (``config.settings``), with the few
changes tests need. The test client speaks plain HTTP, so no HTTPS redirect; login throttling
is off except in the tests that switch it on (the test client's ``login()`` passes no request,
which django-axes requires); a fast password hasher; a per-process cache cleared by
``tests/conftest.py`` before each test."""

import os
import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
AXES_ENABLED = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages render {% static %} without running collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# whitenoise serves from the finders (no collectstatic), also for browser tests' live server.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploads (personal data) go to a folder of this run, never the checkout's media/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ishc-test-media-"))
FILE_UPLOAD_TEMP_DIR = str(MEDIA_ROOT / "uploads-tmp")

# SQLite's in-memory test database shares one cache between connections, where a reader meets a
# writer's table lock; a file lets another connection read the last committed data while a
# write is open, as PostgreSQL does (the concurrency tests use two connections).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"ishc-test-{os.getpid()}.sqlite3")
    }
