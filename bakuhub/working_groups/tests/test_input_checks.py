"""Joint Working Group services refuse implausible dates and hidden characters, and compare member names as a
reader would."""

from __future__ import annotations

import datetime as dt

import pytest

from bakuhub.core.errors import Conflict, ValidationFailed
from bakuhub.working_groups import services
from bakuhub.working_groups.models import ActionItem, Decision, Meeting, WorkingGroupMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(chad):
    return services.working_group_create(actor=None, country=chad, name="Chad JWG")


@pytest.fixture
def member(group, iom):
    return services.member_add(actor=None, working_group=group, organisation=iom, person_name="Amina Mahamat")


@pytest.mark.parametrize(
    "starts_at", [dt.datetime(1, 1, 1, 10, 0), dt.datetime(1989, 12, 31, 10, 0), dt.datetime(9999, 12, 31, 22, 30)]
)
def test_it_refuses_a_meeting_dated_implausibly(group, starts_at):
    with pytest.raises(ValidationFailed, match="not a plausible date") as refused:
        services.meeting_create(
            actor=None, working_group=group, title="Meeting", starts_at=starts_at, timezone="Africa/Ndjamena"
        )
    assert "starts_at" in refused.value.errors
    assert not Meeting.objects.exists()


def test_it_refuses_moving_a_meeting_to_year_one(group, secretariat):
    meeting = services.meeting_create(
        actor=None,
        working_group=group,
        title="Meeting",
        starts_at=dt.datetime(2025, 10, 15, 10),
        timezone="UTC",
        place="N'Djamena",
    )
    with pytest.raises(ValidationFailed, match="not a plausible date"):
        services.meeting_update(actor=secretariat, meeting=meeting, starts_at=dt.datetime(1, 1, 1, 10))
    meeting.refresh_from_db()
    assert meeting.starts_at.year == 2025


def test_it_refuses_a_decision_dated_in_year_one(group):
    with pytest.raises(ValidationFailed, match="not a plausible date") as refused:
        services.decision_create(actor=None, working_group=group, text="Adopt the plan", decided_on=dt.date(1, 1, 1))
    assert "decided_on" in refused.value.errors
    assert not Decision.objects.exists()


def test_it_refuses_an_action_due_in_year_9999(group, member):
    with pytest.raises(ValidationFailed, match="not a plausible date") as refused:
        services.action_item_create(
            actor=None, working_group=group, title="Send the plan", owner=member, due_on=dt.date(9999, 12, 31)
        )
    assert "due_on" in refused.value.errors
    assert not ActionItem.objects.exists()


def test_it_refuses_a_group_started_in_1900(guinea_bissau):
    with pytest.raises(ValidationFailed, match="not a plausible date"):
        services.working_group_create(
            actor=None, country=guinea_bissau, name="Guinea-Bissau JWG", started_on=dt.date(1900, 1, 1)
        )


def test_a_group_name_with_a_zero_width_space_is_refused(guinea_bissau):
    with pytest.raises(ValidationFailed, match=r"invisible character \(U\+200B\)"):
        services.working_group_create(actor=None, country=guinea_bissau, name="Guiné-Bissau\u200b JWG")


def test_a_group_keeps_its_portuguese_name(guinea_bissau):
    group = services.working_group_create(actor=None, country=guinea_bissau, name="Grupo de Trabalho Guiné-Bissau")
    assert group.name == "Grupo de Trabalho Guiné-Bissau"


def test_the_same_person_of_an_organisation_is_not_added_twice_under_another_case(group, iom, member):
    with pytest.raises(Conflict, match="already a member"):
        services.member_add(actor=None, working_group=group, organisation=iom, person_name="AMINA  mahamat")
    assert WorkingGroupMember.objects.filter(working_group=group).count() == 1


def test_a_group_code_with_a_trailing_newline_is_refused(guinea_bissau):
    with pytest.raises(ValidationFailed):
        services.working_group_create(actor=None, country=guinea_bissau, name="Guinea-Bissau JWG", code="GNB-JWG\n")


def test_an_example_meeting_is_flagged_by_a_boolean_not_a_number(group):
    with pytest.raises(ValidationFailed, match="must be true or false"):
        services.meeting_create(
            actor=None, working_group=group, title="Meeting", starts_at=dt.datetime(2025, 10, 15, 10),
            timezone="UTC", place="N'Djamena", is_example=1,
        )  # fmt: skip
    assert not Meeting.objects.exists()
