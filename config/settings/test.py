"""Test settings: fast hashing, in-memory mail, plain static storage."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bakuhub-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="bakuhub-test-static-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bakuhub-test"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the shared in-memory database: threads (the concurrent-write tests) then lock the way production
    # does (a waiting writer waits), instead of failing with "database table is locked" in shared-cache mode.
    # In memory-backed /dev/shm where there is one, so the suite stays as fast as with an in-memory database.
    # The name is only a name: the file exists while the tests run (Django creates and deletes it).
    _shm = Path("/dev/shm")  # noqa: S108 - a random, unguessable file name; nothing is created here
    _db_dir = _shm if _shm.is_dir() else Path(tempfile.gettempdir())
    DATABASES["default"]["TEST"] = {"NAME": str(_db_dir / f"bakuhub-test-{secrets.token_hex(8)}.sqlite3")}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA synchronous=OFF;"  # noqa: F405
