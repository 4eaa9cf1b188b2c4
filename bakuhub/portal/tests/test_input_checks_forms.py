"""Portal forms show the services' input checks as a clear message and write nothing."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from bakuhub.conftest import client_for
from bakuhub.working_groups.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db

MEETING = {
    "title": "Second meeting",
    "starts_at": "2026-12-03T10:00",
    "ends_at": "2026-12-03T12:30",
    "timezone": "Africa/Ndjamena",
    "place": "N'Djamena",
    "language": "fr",
    "agenda": "Opening\n\nPilot sites\n",
}


def test_the_meeting_form_refuses_a_meeting_in_year_one(group, secretariat):
    data = {**MEETING, "starts_at": "0001-01-01T10:00", "ends_at": "0001-01-01T12:00"}
    response = client_for(secretariat).post(f"/working-groups/{group.pk}/meetings/new/", data)
    assert response.status_code == 400
    assert "0001-01-01 is not a plausible date; give a date between 1990-01-01 and" in response.content.decode()
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()


def test_the_meeting_form_refuses_a_title_with_a_bidi_override(group, secretariat):
    data = {**MEETING, "title": "Second \u202emeeting"}
    response = client_for(secretariat).post(f"/working-groups/{group.pk}/meetings/new/", data)
    assert response.status_code == 400
    assert "The title contains an invisible character (U+202E); remove it." in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_meeting_form_refuses_bytes_that_are_not_utf_8(group, secretariat):
    body = urlencode({**MEETING, "title": "PLACEHOLDER"}).replace("PLACEHOLDER", "Bad%ED%B2%80x")
    response = client_for(secretariat).post(
        f"/working-groups/{group.pk}/meetings/new/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "broken character (U+FFFD)" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_meeting_form_keeps_a_portuguese_place(group, secretariat):
    data = {**MEETING, "place": "Ministério do Ambiente, Bissau"}
    response = client_for(secretariat).post(f"/working-groups/{group.pk}/meetings/new/", data)
    assert response.status_code == 302, response.content.decode()
    assert Meeting.objects.get().place == "Ministério do Ambiente, Bissau"
