"""The client address: REMOTE_ADDR unless a trusted proxy header is configured; forged entries are ignored."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from bakuhub.accounts.addresses import client_address


def request(remote: str = "10.0.0.1", forwarded: str | None = None):  # type: ignore[no-untyped-def]
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_it_uses_remote_addr_by_default(settings):
    settings.BAKUHUB_CLIENT_ADDRESS_HEADER = ""
    assert client_address(request(forwarded="192.0.2.1")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("forwarded", "count", "expected"),
    [
        ("192.0.2.1", 1, "192.0.2.1"),
        ("6.6.6.6, 192.0.2.1", 1, "192.0.2.1"),
        ("6.6.6.6, 192.0.2.1, 10.0.0.9", 2, "192.0.2.1"),
        ("192.0.2.1", 2, "10.0.0.1"),
        ("not-an-address", 1, "10.0.0.1"),
        ("", 1, "10.0.0.1"),
        (" 2001:db8::1 ", 1, "2001:db8::1"),
    ],
    ids=["one-proxy", "forged-left-entry", "two-proxies", "too-few-entries", "garbage", "empty", "ipv6"],
)
def test_behind_trusted_proxies_it_takes_the_entry_they_appended(settings, forwarded, count, expected):
    settings.BAKUHUB_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    settings.BAKUHUB_TRUSTED_PROXY_COUNT = count
    assert client_address(request(forwarded=forwarded)) == expected


def test_without_the_header_it_falls_back_to_remote_addr(settings):
    settings.BAKUHUB_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    assert client_address(request()) == "10.0.0.1"
