"""The Joint Working Group endpoints: the calendar feed, and query counts of the lists."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from bakuhub.accounts.services import api_token_create
from bakuhub.api.tests.jwg_helpers import TODAY, W
from bakuhub.commitments.models import Commitment
from bakuhub.conftest import client_for
from bakuhub.testing.factories import CountryFactory, UserFactory
from bakuhub.working_groups.tests.factories import (
    ActionItemFactory,
    DecisionFactory,
    MeetingFactory,
    MemberFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


# --- The calendar ---------------------------------------------------------------------------------------------


def test_the_calendar_is_a_valid_icalendar_feed_for_insiders(tcd, meeting, chad_focal_point):
    client = client_for(chad_focal_point)
    response = client.get(f"{W}/{tcd.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["First meeting"]
    assert events[0].decoded("dtstart").astimezone(dt.UTC) == dt.datetime(2025, 11, 12, 9, 0, tzinfo=dt.UTC)
    assert client.get(f"{W}/{tcd.pk}/calendar.ics", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_calendar_accepts_a_personal_token(tcd, meeting, gcf_funder):
    _, raw = api_token_create(actor=gcf_funder, name="calendar")
    response = client_for(None).get(f"{W}/{tcd.pk}/calendar.ics", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert b"BEGIN:VCALENDAR" in response.content
    assert client_for(None).get(f"{W}/{tcd.pk}/calendar.ics", HTTP_AUTHORIZATION="Bearer bkh_nope").status_code == 401


# --- Query counts ---------------------------------------------------------------------------------------------


@pytest.fixture
def busy(chad, iom):
    """Twelve groups, each with two co-chairs, two meetings, two decisions and two actions."""
    groups = []
    for n in range(12):
        country = chad if n == 0 else CountryFactory()
        group = WorkingGroupFactory(country=country)
        chairs = [MemberFactory(working_group=group, role="co_chair") for _ in range(2)]
        MemberFactory(working_group=group, organisation=iom, person_name="", email="")
        commitment = Commitment.objects.create(
            committer_country=country, kind="policy", title=f"C{n}", announced_on=dt.date(2025, 9, 24)
        )
        for _ in range(2):
            meeting = MeetingFactory(working_group=group)
            DecisionFactory(working_group=group, meeting=meeting).commitments.set([commitment])
            ActionItemFactory(working_group=group, owner=chairs[0], due_on=TODAY - dt.timedelta(days=1))
        groups.append(group)
    first = groups[0]
    for _ in range(10):
        meeting = MeetingFactory(working_group=first)
        DecisionFactory(working_group=first, meeting=meeting)
        user_member = MemberFactory(working_group=first, user=UserFactory(), person_name="")
        ActionItemFactory(working_group=first, owner=user_member, due_on=TODAY - dt.timedelta(days=1))
    return groups


@pytest.mark.parametrize(
    "path",
    [W, "{g}/meetings", "{g}/decisions", "{g}/actions", "{g}/actions?overdue=true", f"{W}/actions/overdue", "{g}"],
)
def test_list_endpoints_stay_within_a_fixed_number_of_queries(busy, secretariat, django_assert_max_num_queries, path):
    client = client_for(secretariat)
    url = path.format(g=f"{W}/{busy[0].pk}")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    if "items" in body:
        assert len(body["items"]) >= 10


def test_my_actions_stay_within_a_fixed_number_of_queries(busy, iom_editor, django_assert_max_num_queries):
    group = busy[0]
    iom_member = group.members.get(organisation__slug="iom")
    for _ in range(12):
        ActionItemFactory(working_group=group, owner=iom_member)
    client = client_for(iom_editor)
    client.get(f"{W}/actions/mine")
    with django_assert_max_num_queries(8):
        response = client.get(f"{W}/actions/mine")
    assert response.json()["count"] == 12
