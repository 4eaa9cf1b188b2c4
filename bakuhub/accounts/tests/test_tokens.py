"""Personal API tokens: stored hashed, shown once, refused when expired, revoked or the user is deactivated."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone

from bakuhub.accounts.models import ApiToken
from bakuhub.accounts.selectors import api_token_list
from bakuhub.accounts.services import (
    TOKEN_PREFIX,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    hash_token,
)
from bakuhub.conftest import client_for
from bakuhub.core.errors import PermissionDenied
from bakuhub.core.models import AuditRecord
from bakuhub.partners.models import Memorandum, Organisation

pytestmark = pytest.mark.django_db

TRANSITION = {
    "to_stage": "pilot_underway",
    "occurred_on": "2025-11-12",
    "source_title": "Signed memorandum",
    "source_url": "https://example.org/mou",
}


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def read(raw):
    return client_for(None).get("/api/v1/memberships", **bearer(raw))


def write(raw):
    return client_for(None).post(
        "/api/v1/memberships/TCD/transitions", json.dumps(TRANSITION), content_type="application/json", **bearer(raw)
    )


def all_database_text():
    """Every value in every table, as text: the raw token must appear nowhere."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 — table names come from introspection
            chunks.extend(str(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_it_stores_only_the_hash_of_the_token(chad_focal_point):
    token, raw = api_token_create(actor=chad_focal_point, name="laptop")
    assert raw.startswith(TOKEN_PREFIX)
    assert len(raw) > 40
    token.refresh_from_db()
    assert token.token_hash == hash_token(raw)
    assert token.token_hash != raw
    assert token.prefix == raw[:12]
    assert raw not in all_database_text()


def test_it_shows_the_token_once(chad_focal_point):
    _, raw = api_token_create(actor=chad_focal_point, name="laptop")
    reloaded = api_token_list(user=chad_focal_point).get()
    assert raw not in {str(getattr(reloaded, f.attname)) for f in ApiToken._meta.concrete_fields}
    assert raw not in str(reloaded)
    assert str(reloaded) == f"laptop ({raw[:12]}…)"


def test_it_makes_a_different_token_each_time(chad_focal_point):
    raws = {api_token_create(actor=chad_focal_point, name=f"t{i}")[1] for i in range(5)}
    assert len(raws) == 5


def test_it_expires_after_the_configured_days(settings, chad_focal_point):
    settings.BAKUHUB_API_TOKEN_DAYS = 7
    before = timezone.now()
    token, _ = api_token_create(actor=chad_focal_point, name="laptop")
    assert before + dt.timedelta(days=7) <= token.expires_at <= timezone.now() + dt.timedelta(days=7)


def test_a_valid_token_authenticates_reads_and_writes(chad_membership, chad_focal_point):
    _, raw = api_token_create(actor=chad_focal_point, name="laptop")
    assert api_token_authenticate(raw) == chad_focal_point
    assert read(raw).status_code == 200
    assert write(raw).status_code == 201


@pytest.mark.parametrize(
    "raw",
    ["bkh_not-a-real-token", "not-even-prefixed", "", "bkh_"],
    ids=["unknown", "no-prefix", "empty", "prefix-only"],
)
def test_an_unknown_token_is_refused(chad_membership, raw):
    assert api_token_authenticate(raw) is None
    assert read(raw).status_code == 401
    assert write(raw).status_code == 401


def test_an_expired_token_is_refused(chad_membership, chad_focal_point):
    token, raw = api_token_create(actor=chad_focal_point, name="laptop")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api_token_authenticate(raw) is None
    assert read(raw).status_code == 401
    response = write(raw)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    chad_membership.refresh_from_db()
    assert chad_membership.stage == "memorandum_approved"


def test_a_revoked_token_is_refused(chad_membership, chad_focal_point):
    token, raw = api_token_create(actor=chad_focal_point, name="laptop")
    assert read(raw).status_code == 200
    api_token_revoke(actor=chad_focal_point, token=token)
    assert api_token_authenticate(raw) is None
    assert read(raw).status_code == 401
    assert write(raw).status_code == 401


def test_a_deactivated_users_token_is_refused(chad_membership, chad_focal_point):
    _, raw = api_token_create(actor=chad_focal_point, name="laptop")
    chad_focal_point.is_active = False
    chad_focal_point.save()
    assert api_token_authenticate(raw) is None
    assert read(raw).status_code == 401
    assert write(raw).status_code == 401


def test_a_token_sent_with_another_scheme_is_refused(chad_membership, chad_focal_point):
    _, raw = api_token_create(actor=chad_focal_point, name="laptop")
    response = client_for(None).get("/api/v1/memberships", HTTP_AUTHORIZATION=f"Token {raw}")
    assert response.status_code == 401


def test_it_records_the_last_use_at_most_once_a_minute(chad_membership, chad_focal_point):
    token, raw = api_token_create(actor=chad_focal_point, name="laptop")
    assert token.last_used_at is None
    assert read(raw).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert timezone.now() - first < dt.timedelta(seconds=30)
    read(raw)
    token.refresh_from_db()
    assert token.last_used_at == first  # used again within the minute: not rewritten
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=5))
    read(raw)
    token.refresh_from_db()
    assert token.last_used_at > first - dt.timedelta(minutes=5)


def test_a_refused_token_does_not_record_a_use(chad_membership, chad_focal_point):
    token, raw = api_token_create(actor=chad_focal_point, name="laptop")
    api_token_revoke(actor=chad_focal_point, token=token)
    read(raw)
    token.refresh_from_db()
    assert token.last_used_at is None


def test_only_the_owner_or_the_secretariat_may_revoke(chad_focal_point, iom_editor, secretariat):
    token, raw = api_token_create(actor=chad_focal_point, name="laptop")
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=iom_editor, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_token_authenticate(raw) == chad_focal_point
    api_token_revoke(actor=secretariat, token=token)
    assert api_token_authenticate(raw) is None
    assert AuditRecord.objects.get(action="apitoken.revoke").actor == secretariat


def test_revoking_one_token_leaves_the_others_working(chad_focal_point):
    first, first_raw = api_token_create(actor=chad_focal_point, name="laptop")
    _, second_raw = api_token_create(actor=chad_focal_point, name="server")
    api_token_revoke(actor=chad_focal_point, token=first)
    assert api_token_authenticate(first_raw) is None
    assert api_token_authenticate(second_raw) == chad_focal_point


@pytest.mark.parametrize(
    ("path", "body"),
    [("/api/v1/organisations", {"name": "New org", "org_type": "21"}), ("/api/v1/memoranda", {"title": "New memo"})],
    ids=["organisation", "memorandum"],
)
def test_a_revoked_token_is_refused_on_writes_even_with_a_session(secretariat, path, body):
    token, raw = api_token_create(actor=secretariat, name="laptop")
    api_token_revoke(actor=secretariat, token=token)
    audits = AuditRecord.objects.count()
    response = client_for(secretariat).post(path, json.dumps(body), content_type="application/json", **bearer(raw))
    assert response.status_code == 401
    assert not Organisation.objects.filter(name="New org").exists()
    assert not Memorandum.objects.filter(title="New memo").exists()
    assert AuditRecord.objects.count() == audits
