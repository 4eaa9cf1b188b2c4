"""Test settings: fast hashing, in-memory mail, plain static storage."""

from __future__ import annotations

import atexit
import shutil
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

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the shared in-memory database: threads (the concurrent-write tests) then lock the way production
    # does (a waiting writer waits), instead of failing with "database table is locked" in shared-cache mode.
    # In memory-backed /dev/shm where there is one, so the suite stays as fast as with an in-memory database.
    _shm = "/dev/shm"  # noqa: S108 - mkdtemp makes a private directory with a random name
    _db_dir = tempfile.mkdtemp(prefix="bakuhub-test-db-", dir=_shm if Path(_shm).is_dir() else None)
    atexit.register(shutil.rmtree, _db_dir, True)
    DATABASES["default"]["TEST"] = {"NAME": str(Path(_db_dir) / "test.sqlite3")}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA synchronous=OFF;"  # noqa: F405
