"""`manage.py check --deploy` with the production settings and the environment a real deployment sets is clean."""

from __future__ import annotations

import importlib
import os
import secrets
import subprocess
import sys

from django.conf import settings

PROBE = """
import django
from django.core.management import call_command

django.setup()
call_command("check", "--deploy", fail_level="WARNING")
"""


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "BAKUHUB_", "CACHE_")) and key != "DEBUG"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="hub.example.org",
        CSRF_TRUSTED_ORIGINS="https://hub.example.org",
        BAKUHUB_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(  # noqa: S603 — our own interpreter and a fixed script
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=180
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)" in output


def _load_prod(monkeypatch, **env):  # type: ignore[no-untyped-def]
    for key in ("SECURE_HSTS_PRELOAD", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "CACHE_BACKEND"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    sys.modules.pop("config.settings.prod", None)
    return importlib.import_module("config.settings.prod")


def test_prod_sends_hsts_for_subdomains_with_preload_by_default(monkeypatch):
    prod = _load_prod(monkeypatch)
    assert prod.SECURE_HSTS_SECONDS >= 31536000
    assert prod.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert prod.SECURE_HSTS_PRELOAD is True
    assert prod.SECURE_SSL_REDIRECT is True
    assert prod.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_preload_and_the_proxy_header_are_settings(monkeypatch):
    prod = _load_prod(monkeypatch, SECURE_HSTS_PRELOAD="off", SECURE_PROXY_SSL_HEADER="X-Scheme")
    assert prod.SECURE_HSTS_PRELOAD is False
    assert prod.SECURE_PROXY_SSL_HEADER == ("HTTP_X_SCHEME", "https")
    assert _load_prod(monkeypatch, SECURE_PROXY_SSL_HEADER="").SECURE_PROXY_SSL_HEADER is None


def test_prod_shares_the_throttle_counters_between_processes(monkeypatch):
    prod = _load_prod(monkeypatch)
    assert prod.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert prod.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert prod.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
