"""Guessing API tokens: after N bad tokens from one address in a window, 429 with Retry-After, audited once."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from bakuhub.accounts.services import api_token_authenticate, api_token_create
from bakuhub.core.errors import Throttled
from bakuhub.core.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):  # type: ignore[no-untyped-def]
    settings.BAKUHUB_TOKEN_FAILURE_LIMIT = 5
    settings.BAKUHUB_TOKEN_FAILURE_WINDOW_SECONDS = 300


@pytest.fixture(autouse=True)
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    """The throttle's clock, fixed in the middle of a window so a slow test never crosses into the next one."""
    now = [1_000_050.0]
    monkeypatch.setattr("bakuhub.accounts.throttle._now", lambda: now[0])
    return now


def get(raw: str, address: str = "203.0.113.7", path: str = "/api/v1/memberships", **extra: str):  # type: ignore[no-untyped-def]
    return Client(REMOTE_ADDR=address).get(path, HTTP_AUTHORIZATION=f"Bearer {raw}", **extra)


def post(raw: str, address: str = "203.0.113.7"):  # type: ignore[no-untyped-def]
    body = json.dumps({"name": "Guessed org", "org_type": "21"})
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/organisations", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def test_it_answers_429_with_retry_after_after_too_many_bad_tokens(chad_membership):
    for i in range(5):
        assert get(f"bkh_guess-{i}").status_code == 401
    response = get("bkh_guess-5")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 150  # the window ends at 1_000_200 (a multiple of 300)
    body = response.json()
    assert body["code"] == "throttled"
    assert "try again after" in body["message"]
    assert body["errors"] == {}


def test_two_hundred_random_tokens_are_mostly_refused_with_429(chad_membership):
    statuses = [get(f"bkh_random-{i:03d}").status_code for i in range(200)]
    assert statuses.count(401) == 5
    assert statuses.count(429) == 195


def test_writes_are_throttled_too(secretariat):
    for i in range(5):
        assert post(f"bkh_guess-{i}").status_code == 401
    response = post("bkh_guess-5")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert "Retry-After" in response


def test_tokens_without_the_prefix_count_as_bad_tokens(chad_membership):
    for i in range(5):
        assert get(f"nothing-{i}").status_code == 401
    assert get("nothing-5").status_code == 429


def test_a_valid_token_is_not_slowed_by_the_throttle(chad_membership, chad_focal_point):
    _, raw = api_token_create(actor=chad_focal_point, name="laptop")
    for _ in range(30):
        assert get(raw).status_code == 200
    for i in range(6):
        get(f"bkh_guess-{i}")
    assert get("bkh_guess-again").status_code == 429
    assert get(raw).status_code == 200  # a real token still works from the same address


def test_other_addresses_are_not_throttled(chad_membership):
    for i in range(6):
        get(f"bkh_guess-{i}", address="203.0.113.7")
    assert get("bkh_guess-x", address="203.0.113.7").status_code == 429
    assert get("bkh_guess-x", address="198.51.100.2").status_code == 401


def test_the_window_ends_and_the_address_may_try_again(chad_membership, clock):
    for i in range(6):
        get(f"bkh_guess-{i}")
    assert get("bkh_guess-x").status_code == 429
    clock[0] += 300
    assert get("bkh_guess-y").status_code == 401


def test_a_throttle_is_audited_once_per_window(chad_membership, clock):
    for i in range(20):
        get(f"bkh_guess-{i}")
    records = AuditRecord.objects.filter(action="apitoken.throttle")
    assert records.count() == 1
    record = records.get()
    assert record.object_id == "203.0.113.7"
    assert record.changes["failures"] == [None, 6]
    clock[0] += 300
    for i in range(7):
        get(f"bkh_again-{i}")
    assert records.count() == 2


def test_a_forged_forwarded_header_does_not_escape_the_throttle(settings, chad_membership):
    settings.BAKUHUB_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    for i in range(6):
        get(f"bkh_guess-{i}", address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.7")
    response = get("bkh_guess-x", address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7")
    assert response.status_code == 429
    assert AuditRecord.objects.get(action="apitoken.throttle").object_id == "203.0.113.7"


def test_without_an_address_the_service_does_not_throttle(chad_focal_point):
    """Callers that pass only the raw token (e.g. a download link check) keep the old behaviour."""
    for i in range(50):
        assert api_token_authenticate(f"bkh_guess-{i}") is None
    with pytest.raises(Throttled):
        for i in range(6):
            api_token_authenticate(f"bkh_guess-{i}", address="203.0.113.9")


def test_the_throttle_works_on_the_shared_database_cache_of_production(settings, chad_membership):
    call_command("createcachetable", "bakuhub_test_cache", verbosity=0)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "bakuhub_test_cache"}
    }
    for i in range(5):
        assert get(f"bkh_guess-{i}").status_code == 401
    assert get("bkh_guess-5").status_code == 429
    assert get("bkh_guess-6").status_code == 429
    assert AuditRecord.objects.filter(action="apitoken.throttle").count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bakuhub_test_cache")
        assert cursor.fetchone()[0] >= 1  # the counters really are in the database
