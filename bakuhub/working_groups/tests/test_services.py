from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.testing.factories import MemorandumFactory
from bakuhub.working_groups import services
from bakuhub.working_groups.models import ActionItem, Decision, Meeting, WorkingGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def jwg_memo(chad):
    memo = MemorandumFactory(party_countries=[chad])
    memo.establishes_jwg_for.add(chad)
    return memo


@pytest.fixture
def chad_jwg(chad, jwg_memo):
    return services.working_group_create(actor=None, country=chad, name="Chad JWG", memorandum=jwg_memo)


@pytest.fixture
def gnb_jwg(guinea_bissau):
    return services.working_group_create(actor=None, country=guinea_bissau, name="Guinea-Bissau JWG")


@pytest.fixture
def member(chad_jwg, iom):
    return services.member_add(actor=None, working_group=chad_jwg, organisation=iom, email="jwg@iom.int")


@pytest.fixture
def meeting(chad_jwg):
    return services.meeting_create(
        actor=None, working_group=chad_jwg, title="First meeting", starts_at=dt.datetime(2025, 10, 15, 10, 0),
        timezone="Africa/Ndjamena", place="N'Djamena",
    )  # fmt: skip


def test_it_codes_a_group_after_its_country(chad_jwg):
    assert chad_jwg.code == "TCD-JWG"


def test_it_refuses_a_memorandum_that_does_not_set_up_this_group(guinea_bissau, jwg_memo):
    with pytest.raises(ValidationFailed, match="does not set up a Joint Working Group"):
        services.working_group_create(actor=None, country=guinea_bissau, name="X", memorandum=jwg_memo)
    assert not WorkingGroup.objects.exists()


def test_only_the_secretariat_sets_up_a_group(chad, chad_focal_point):
    with pytest.raises(PermissionDenied):
        services.working_group_create(actor=chad_focal_point, country=chad, name="Chad JWG")


def test_terms_of_reference_with_script_are_refused(chad):
    with pytest.raises(ValidationFailed, match="Script"):
        services.working_group_create(
            actor=None, country=chad, name="X", terms_of_reference="<p>x</p><script>1</script>"
        )
    assert not WorkingGroup.objects.exists()


def test_terms_of_reference_are_sanitised(chad):
    group = services.working_group_create(
        actor=None,
        country=chad,
        name="X",
        terms_of_reference='<p class="x">Hi <a href="https://e.org">l</a><u>u</u></p>',
    )
    assert (
        group.terms_of_reference == '<p>Hi <a href="https://e.org" rel="noopener noreferrer nofollow">l</a><u>u</u></p>'
    )


def test_a_meeting_is_stored_in_utc_from_its_local_time(meeting):
    assert meeting.starts_at == dt.datetime(2025, 10, 15, 9, 0, tzinfo=dt.UTC)
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(hours=2)


def test_it_refuses_an_unknown_time_zone(chad_jwg):
    with pytest.raises(ValidationFailed, match="IANA time zone"):
        services.meeting_create(
            actor=None, working_group=chad_jwg, title="M", starts_at=dt.datetime(2025, 10, 1, 9), timezone="Mars/Base",
            place="x",
        )  # fmt: skip


def test_it_refuses_a_meeting_ending_before_it_starts(chad_jwg):
    with pytest.raises(ValidationFailed, match="end after it starts"):
        services.meeting_create(
            actor=None, working_group=chad_jwg, title="M", starts_at=dt.datetime(2025, 10, 1, 9),
            ends_at=dt.datetime(2025, 10, 1, 8), timezone="UTC", place="x",
        )  # fmt: skip
    assert not Meeting.objects.exists()


def test_minutes_with_script_are_refused_and_nothing_changes(meeting, secretariat):
    with pytest.raises(ValidationFailed, match="Script"):
        services.meeting_update(actor=secretariat, meeting=meeting, minutes='<img src=x onerror="alert(1)">')
    meeting.refresh_from_db()
    assert meeting.minutes == "" and meeting.sequence == 0


def test_a_meeting_update_bumps_the_calendar_sequence_and_is_audited(meeting, secretariat):
    services.meeting_update(actor=secretariat, meeting=meeting, place="Online")
    assert meeting.sequence == 1
    record = AuditRecord.objects.get(action="meeting.update")
    assert record.changes == {"place": ["N'Djamena", "Online"], "version": [1, 2]}


def test_decisions_are_numbered_per_group_and_year(chad_jwg, gnb_jwg):
    first = services.decision_create(actor=None, working_group=chad_jwg, text="A", decided_on=dt.date(2025, 10, 15))
    second = services.decision_create(actor=None, working_group=chad_jwg, text="B", decided_on=dt.date(2025, 11, 1))
    other = services.decision_create(actor=None, working_group=gnb_jwg, text="C", decided_on=dt.date(2025, 11, 1))
    assert [first.reference, second.reference, other.reference] == [
        "TCD-JWG/2025/01",
        "TCD-JWG/2025/02",
        "GNB-JWG/2025/01",
    ]


def test_a_foreign_focal_point_cannot_record_a_decision(gnb_jwg, chad_focal_point):
    with pytest.raises(PermissionDenied):
        services.decision_create(
            actor=chad_focal_point, working_group=gnb_jwg, text="A", decided_on=dt.date(2025, 1, 1)
        )
    assert not Decision.objects.exists()


def test_it_refuses_a_decision_dated_before_the_group_started(chad_jwg):
    WorkingGroup.objects.filter(pk=chad_jwg.pk).update(started_on=dt.date(2025, 9, 24))
    chad_jwg.refresh_from_db()
    with pytest.raises(ValidationFailed, match="before Chad JWG started \\(2025-09-24\\)") as refused:
        services.decision_create(actor=None, working_group=chad_jwg, text="A", decided_on=dt.date(2025, 9, 23))
    assert "2025-09-23" in refused.value.errors["decided_on"][0]
    assert not Decision.objects.exists()
    services.decision_create(actor=None, working_group=chad_jwg, text="A", decided_on=dt.date(2025, 9, 24))


def test_a_group_started_in_a_month_takes_decisions_from_the_first_of_that_month(chad_jwg):
    WorkingGroup.objects.filter(pk=chad_jwg.pk).update(started_on=dt.date(2025, 9, 15), started_precision="month")
    chad_jwg.refresh_from_db()
    services.decision_create(actor=None, working_group=chad_jwg, text="A", decided_on=dt.date(2025, 9, 1))
    with pytest.raises(ValidationFailed, match="2025-09-01"):
        services.decision_create(actor=None, working_group=chad_jwg, text="B", decided_on=dt.date(2025, 8, 31))


def test_it_refuses_a_decision_dated_after_its_meeting(chad_jwg, meeting):
    with pytest.raises(ValidationFailed, match="not the day of its meeting 'First meeting' \\(2025-10-15\\)"):
        services.decision_create(
            actor=None, working_group=chad_jwg, text="A", decided_on=dt.date(2025, 10, 16), meeting=meeting
        )
    with pytest.raises(ValidationFailed, match="not the day of its meeting"):
        services.decision_create(
            actor=None, working_group=chad_jwg, text="A", decided_on=dt.date(2025, 10, 14), meeting=meeting
        )
    assert not Decision.objects.exists()
    decision = services.decision_create(
        actor=None, working_group=chad_jwg, text="A", decided_on=dt.date(2025, 10, 15), meeting=meeting
    )
    assert decision.reference == "TCD-JWG/2025/01"


def test_it_refuses_an_owner_outside_the_group(gnb_jwg, member):
    with pytest.raises(ValidationFailed, match="not a member"):
        services.action_item_create(
            actor=None, working_group=gnb_jwg, title="T", owner=member, due_on=dt.date(2026, 1, 1)
        )
    assert not ActionItem.objects.exists()


def test_it_refuses_a_due_date_before_the_meeting(chad_jwg, member, meeting):
    with pytest.raises(ValidationFailed, match="before the meeting"):
        services.action_item_create(
            actor=None, working_group=chad_jwg, title="T", owner=member, due_on=dt.date(2025, 10, 14), meeting=meeting
        )
    assert not ActionItem.objects.exists()


def test_an_owner_changes_the_status_but_not_the_due_date(chad_jwg, member, iom_editor):
    action = services.action_item_create(
        actor=None, working_group=chad_jwg, title="T", owner=member, due_on=dt.date(2026, 1, 1)
    )
    services.action_item_update(actor=iom_editor, action=action, status="done")
    assert action.status == "done" and action.completed_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.action_item_update(actor=iom_editor, action=action, due_on=dt.date(2026, 2, 1))


def test_an_overdue_action_is_flagged(chad_jwg, member):
    action = services.action_item_create(
        actor=None, working_group=chad_jwg, title="T", owner=member, due_on=dt.date(2025, 1, 1)
    )
    assert action.is_overdue
    ActionItem.objects.filter(pk=action.pk).update(status="done")
    action.refresh_from_db()
    assert not action.is_overdue


def test_attendance_is_only_for_members_of_the_group(meeting, gnb_jwg):
    stranger = services.member_add(actor=None, working_group=gnb_jwg, person_name="Someone")
    with pytest.raises(ValidationFailed, match="not a member"):
        services.attendance_set(actor=None, meeting=meeting, member=stranger)


def test_agenda_items_are_numbered(meeting):
    first = services.agenda_item_add(actor=None, meeting=meeting, title="Opening")
    second = services.agenda_item_add(actor=None, meeting=meeting, title="Pilot")
    assert (first.number, second.number) == (1, 2)


def test_rotating_the_calendar_link_is_audited(chad_jwg, secretariat):
    services.calendar_rotate(actor=secretariat, working_group=chad_jwg)
    assert chad_jwg.calendar_version == 2
    assert AuditRecord.objects.filter(action="workinggroup.calendar_rotate").exists()
