"""Guessing passwords: after N failures for one username or from one address, sign-in is refused with 429 and a
time to try again; lockouts and sign-ins after failures are in the audit trail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from bakuhub.core.models import AuditRecord

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery staple"
FULL_WIDTH_SECRETARIAT = "".join(chr(ord(c) + 0xFEE0) for c in "secretariat")  # U+FF53 …


@pytest.fixture(autouse=True)
def _limits(settings):  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)


def sign_in(username: str, password: str, address: str = "203.0.113.7", path: str = "/accounts/login/", **extra: str):  # type: ignore[no-untyped-def]
    client = Client(REMOTE_ADDR=address)
    response = client.post(path, {"username": username, "password": password}, **extra)
    return client, response


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_after_five_wrong_ones_is_refused(secretariat):
    for i in range(4):
        _, response = sign_in("secretariat", f"wrong-{i}")
        assert response.status_code == 200  # the form again, with its error
    _, response = sign_in("secretariat", "wrong-4")
    assert response.status_code == 429
    client, response = sign_in("secretariat", RIGHT)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_lockout_page_says_when_to_try_again(secretariat):
    for i in range(5):
        _, response = sign_in("secretariat", f"wrong-{i}")
    before = timezone.now()
    _, response = sign_in("secretariat", RIGHT)
    assert response.status_code == 429
    text = response.content.decode()
    match = re.search(r"Too many failed sign-ins. Try again after (\d\d):(\d\d) UTC.", text)
    assert match is not None
    shown = (int(match[1]), int(match[2]))
    expected = [before + dt.timedelta(minutes=15 + extra) for extra in (-1, 0, 1)]
    assert shown in {(moment.hour, moment.minute) for moment in expected}
    assert 14 * 60 <= int(response["Retry-After"]) <= 15 * 60


def test_an_account_is_locked_whatever_the_address(secretariat):
    for i in range(5):
        sign_in("secretariat", f"wrong-{i}", address=f"198.51.100.{i + 1}")
    client, response = sign_in("secretariat", RIGHT, address="192.0.2.200")
    assert response.status_code == 429
    assert not signed_in(client)


def test_an_address_is_locked_whatever_the_account(secretariat):
    for i in range(5):
        sign_in(f"someone-{i}", "wrong", address="203.0.113.7")
    client, response = sign_in("secretariat", RIGHT, address="203.0.113.7")
    assert response.status_code == 429
    assert not signed_in(client)
    client, response = sign_in("secretariat", RIGHT, address="192.0.2.200")
    assert response.status_code == 302
    assert signed_in(client)


def test_after_the_cool_off_the_user_may_sign_in_again(secretariat):
    for i in range(5):
        sign_in("secretariat", f"wrong-{i}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    client, response = sign_in("secretariat", RIGHT)
    assert response.status_code == 302
    assert signed_in(client)
    assert signed_in(client)


def test_failures_during_a_lockout_do_not_push_the_time_back(secretariat):
    for i in range(5):
        sign_in("secretariat", f"wrong-{i}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=14))
    for i in range(10):
        sign_in("secretariat", f"again-{i}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    client, response = sign_in("secretariat", RIGHT)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_admin_sign_in_is_locked_too(secretariat):
    for i in range(5):
        sign_in("secretariat", f"wrong-{i}", path="/admin/login/")
    client, response = sign_in("secretariat", RIGHT, path="/admin/login/")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert not signed_in(client)


def test_a_lockout_is_audited_once_on_the_account(secretariat):
    for i in range(9):
        sign_in("secretariat", f"wrong-{i}")
    record = AuditRecord.objects.get(action="signin.lockout")
    assert record.object_type == "accounts.user"
    assert record.object_id == str(secretariat.pk)
    assert record.changes["address"] == [None, "203.0.113.7"]
    assert record.changes["failures"] == [None, 5]
    assert "locked_until" in record.changes
    assert "wrong" not in str(record.changes)  # never a tried password


def test_a_lockout_of_an_unknown_username_is_audited_by_name(db):
    for i in range(5):
        sign_in("nobody-here", f"wrong-{i}")
    record = AuditRecord.objects.get(action="signin.lockout")
    assert record.object_type == "accounts.signin"
    assert record.changes["username"] == [None, "nobody-here"]


def test_a_sign_in_after_failures_leaves_a_trace(secretariat):
    sign_in("secretariat", "wrong-1")
    sign_in("secretariat", "wrong-2")
    client, response = sign_in("secretariat", RIGHT)
    assert response.status_code == 302
    assert signed_in(client)
    record = AuditRecord.objects.get(action="signin.after_failures")
    assert record.actor == secretariat
    assert record.changes["failures"] == [None, 2]


def test_a_clean_sign_in_is_not_flagged(secretariat):
    _, response = sign_in("secretariat", RIGHT)
    assert response.status_code == 302
    assert not AuditRecord.objects.filter(action__startswith="signin.").exists()


def test_password_reset_still_works_for_a_locked_account(secretariat, mailoutbox):
    for i in range(5):
        sign_in("secretariat", f"wrong-{i}")
    response = Client(REMOTE_ADDR="203.0.113.7").post("/accounts/password-reset/", {"email": secretariat.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1


def test_a_forwarded_header_is_ignored_unless_configured(secretariat):
    for i in range(5):
        sign_in(f"someone-{i}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    _, response = sign_in("secretariat", RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429  # all came from 203.0.113.7


def test_behind_a_trusted_proxy_the_forwarded_address_counts_and_cannot_be_forged(settings, secretariat):
    settings.BAKUHUB_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    for i in range(5):  # the attacker varies the entry it controls; the proxy appends the real address
        sign_in(f"someone-{i}", "wrong", address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.7")
    _, response = sign_in("secretariat", RIGHT, address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7")
    assert response.status_code == 429
    client, response = sign_in("secretariat", RIGHT, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert response.status_code == 302  # another client behind the same proxy
    assert signed_in(client)


def test_the_secretariat_sees_the_attempts_and_the_lockout_in_the_admin(secretariat):
    for i in range(5):
        sign_in("secretariat", f"wrong-{i}")
    client = Client(REMOTE_ADDR="192.0.2.50")
    client.force_login(secretariat)
    attempts = client.get("/admin/axes/accessattempt/")
    assert attempts.status_code == 200
    assert "203.0.113.7" in attempts.content.decode()
    trail = client.get("/admin/core/auditrecord/?action=signin.lockout")
    assert trail.status_code == 200
    assert "signin.lockout" in trail.content.decode()


def test_a_compatibility_spelling_of_the_username_counts_against_the_same_account(secretariat):
    for i in range(5):  # full-width letters normalise (NFKC) to the same username, from different addresses
        sign_in(FULL_WIDTH_SECRETARIAT, f"wrong-{i}", address=f"198.51.100.{i + 1}")
    client, response = sign_in("secretariat", RIGHT, address="192.0.2.200")
    assert response.status_code == 429
    assert not signed_in(client)


def test_a_finished_password_reset_ends_the_accounts_lockout(secretariat, mailoutbox):
    for i in range(5):
        sign_in("secretariat", f"wrong-{i}")
    assert sign_in("secretariat", RIGHT, address="198.51.100.9")[1].status_code == 429
    browser = Client(REMOTE_ADDR="198.51.100.9")
    browser.post("/accounts/password-reset/", {"email": secretariat.email})
    link = re.search(r"/accounts/reset/[^/\s]+/[^/\s]+/", mailoutbox[0].body).group(0)
    form_url = browser.get(link)["Location"]  # Django moves the token into the session, then shows the form
    new = "a brand new passphrase for 2026"
    response = browser.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302, response.content.decode()
    assert sign_in("secretariat", new, address="198.51.100.9")[1].status_code == 302
    assert AuditRecord.objects.filter(action="signin.lockout_cleared").count() == 1
