"""The managers' forms: schedule a meeting, record a decision, assign an action."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.portal.tests.jwg_helpers import _today
from bakuhub.working_groups.models import ActionItem, AgendaItem, Decision, Meeting
from bakuhub.working_groups.tests.factories import MemberFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


# --- Managers' forms --------------------------------------------------------------------------------------------

MEETING = {
    "title": "Second meeting",
    "starts_at": "2026-12-03T10:00",
    "ends_at": "2026-12-03T12:30",
    "timezone": "Africa/Ndjamena",
    "place": "N'Djamena",
    "language": "fr",
    "agenda": "Opening\n\nPilot sites\n",
}


def test_the_meeting_form_defaults_to_the_countrys_zone(group, chad_focal_point):
    html = client_for(chad_focal_point).get(f"/working-groups/{group.pk}/meetings/new/").content.decode()
    assert 'value="Africa/Ndjamena"' in html


def test_a_focal_point_schedules_a_meeting_in_local_time(group, chad_focal_point):
    response = client_for(chad_focal_point).post(f"/working-groups/{group.pk}/meetings/new/", MEETING)
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get(title="Second meeting")
    assert meeting.starts_at == dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
    assert meeting.starts_at.astimezone(ZoneInfo("Africa/Ndjamena")).hour == 10
    assert list(meeting.agenda_items.values_list("number", "title")) == [(1, "Opening"), (2, "Pilot sites")]
    assert response["Location"] == f"/working-groups/{group.pk}/meetings/{meeting.pk}/"
    assert AuditRecord.objects.filter(action__startswith="meeting.", object_id=str(meeting.pk)).exists()


def test_the_meeting_form_refuses_an_unknown_time_zone(group, secretariat):
    response = client_for(secretariat).post(
        f"/working-groups/{group.pk}/meetings/new/", {**MEETING, "timezone": "Africa/Atlantis"}
    )
    assert response.status_code == 400
    assert "&#x27;Africa/Atlantis&#x27; is not a known time zone" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_meeting_form_refuses_an_end_before_the_start(group, secretariat):
    response = client_for(secretariat).post(
        f"/working-groups/{group.pk}/meetings/new/", {**MEETING, "ends_at": "2026-12-03T09:00"}
    )
    assert response.status_code == 400
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()


def test_a_too_long_agenda_item_writes_nothing(group, secretariat):
    response = client_for(secretariat).post(
        f"/working-groups/{group.pk}/meetings/new/", {**MEETING, "agenda": "x" * 301}
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("path", ["meetings/new/", "decisions/new/", "actions/new/"])
def test_only_managers_open_the_forms(path, group, iom_editor, gcf_funder, member_user):
    for user in (iom_editor, gcf_funder, member_user):
        assert client_for(user).get(f"/working-groups/{group.pk}/{path}").status_code == 403
    response = client_for(None).get(f"/working-groups/{group.pk}/{path}")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_focal_point_records_a_numbered_decision(group, meeting, decision, chad_focal_point):
    item = meeting.agenda_items.get()
    data = {"text": "Approve the pilot sites.", "decided_on": "2025-11-12", "status": "adopted", "meeting": meeting.pk,
            "agenda_item": item.pk}  # fmt: skip
    response = client_for(chad_focal_point).post(f"/working-groups/{group.pk}/decisions/new/", data)
    assert response.status_code == 302, response.content.decode()
    assert Decision.objects.get(text="Approve the pilot sites.").reference == "TCD-JWG/2025/02"
    assert AuditRecord.objects.filter(object_type="working_groups.decision").exists()


def test_a_decision_in_the_future_is_refused(group, secretariat):
    future = (_today() + dt.timedelta(days=2)).isoformat()
    response = client_for(secretariat).post(
        f"/working-groups/{group.pk}/decisions/new/", {"text": "Later", "decided_on": future, "status": "adopted"}
    )
    assert response.status_code == 400
    assert "A decision cannot be dated in the future." in response.content.decode()


def test_a_manager_assigns_an_action_to_a_member(group, owner, meeting, secretariat):
    data = {"title": "Map the pilot sites", "owner": owner.pk, "due_on": "2026-12-31", "meeting": meeting.pk}
    response = client_for(secretariat).post(f"/working-groups/{group.pk}/actions/new/", data)
    assert response.status_code == 302, response.content.decode()
    assert ActionItem.objects.get(title="Map the pilot sites").owner == owner


def test_the_owner_must_be_a_member_of_the_group(group, guinea_bissau, secretariat):
    outsider = MemberFactory(working_group=WorkingGroupFactory(country=guinea_bissau))
    data = {"title": "Map the pilot sites", "owner": outsider.pk, "due_on": "2026-12-31"}
    response = client_for(secretariat).post(f"/working-groups/{group.pk}/actions/new/", data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ActionItem.objects.exists()
    html = client_for(secretariat).get(f"/working-groups/{group.pk}/actions/new/").content.decode()
    assert f'value="{outsider.pk}"' not in html


def test_an_action_due_before_its_meeting_is_refused(group, owner, meeting, secretariat):
    data = {"title": "Too early", "owner": owner.pk, "due_on": "2025-11-01", "meeting": meeting.pk}
    response = client_for(secretariat).post(f"/working-groups/{group.pk}/actions/new/", data)
    assert response.status_code == 400
    assert "is before the meeting that set the action" in response.content.decode()


def test_the_decision_form_does_not_offer_superseded_for_a_new_decision():
    from bakuhub.portal.forms_jwg import DecisionForm

    choices = [value for value, _ in DecisionForm.base_fields["status"].choices]
    assert "superseded" not in choices and "adopted" in choices


def test_a_decision_without_a_date_takes_the_day_of_its_meeting(group, meeting, secretariat):
    data = {"text": "Approve the pilot sites.", "decided_on": "", "status": "adopted", "meeting": meeting.pk}
    response = client_for(secretariat).post(f"/working-groups/{group.pk}/decisions/new/", data)
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get(text="Approve the pilot sites.")
    assert decision.decided_on == meeting.starts_at.astimezone(ZoneInfo(meeting.timezone)).date()


def test_the_decision_form_does_not_prefill_a_date_that_its_meeting_would_refuse(group, secretariat):
    html = client_for(secretariat).get(f"/working-groups/{group.pk}/decisions/new/").content.decode()
    assert f'value="{_today().isoformat()}"' not in html
