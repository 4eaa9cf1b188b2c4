"""The client's network address, for sign-in lockouts and the API-token throttle."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or, behind trusted proxies, the address the outermost trusted proxy saw.

    With `BAKUHUB_CLIENT_ADDRESS_HEADER` (e.g. `X-Forwarded-For`) each of the `BAKUHUB_TRUSTED_PROXY_COUNT` proxies
    appends the address it saw, so the entry that many places from the right is the client; entries further left are
    whatever the client sent and are never trusted. A missing or malformed header falls back to REMOTE_ADDR.
    """
    remote = _address(str(request.META.get("REMOTE_ADDR", ""))) or "0.0.0.0"  # noqa: S104 — a label, not a bind
    header = settings.BAKUHUB_CLIENT_ADDRESS_HEADER
    if not header:
        return remote
    raw = str(request.META.get("HTTP_" + header.upper().replace("-", "_"), ""))
    entries = [entry for entry in raw.split(",") if entry.strip()]
    count = max(settings.BAKUHUB_TRUSTED_PROXY_COUNT, 1)
    if len(entries) < count:
        return remote
    return _address(entries[-count]) or remote
