from __future__ import annotations

import importlib
import json
import logging
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from bakuhub.core.logging import JsonFormatter, RequestIdFilter
from bakuhub.core.request_context import request_id_var


def _load_prod(monkeypatch, **env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    sys.modules.pop("config.settings.prod", None)
    return importlib.import_module("config.settings.prod")


def test_prod_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        _load_prod(monkeypatch)


def test_prod_uses_secure_cookies_hsts_and_json_logs(monkeypatch):
    prod = _load_prod(monkeypatch, SECRET_KEY="x" * 50)
    assert prod.DEBUG is False
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SECURE_HSTS_SECONDS >= 31536000
    assert prod.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert prod.CONTENT_SECURITY_POLICY["DIRECTIVES"]["default-src"] == ["'self'"]


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord("bakuhub", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    token = request_id_var.set("req-42abcdef")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hello world"
    assert line["request_id"] == "req-42abcdef"
    assert line["level"] == "INFO"
