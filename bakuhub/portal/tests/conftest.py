"""Fixtures of the Joint Working Group page tests: the Chad group with its memorandum, a member who owns an overdue
action, a held meeting with its agenda, attendance and a decision."""

from __future__ import annotations

import datetime as dt

import pytest

from bakuhub.accounts.models import Role
from bakuhub.portal.tests.jwg_helpers import _today
from bakuhub.testing.factories import MemorandumFactory, UserFactory
from bakuhub.working_groups.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
    MemberFactory,
    WorkingGroupFactory,
)


@pytest.fixture
def member_user(db):
    return UserFactory(username="member_user", role=Role.VIEWER)


@pytest.fixture
def group(chad):
    memo = MemorandumFactory(
        title="Memorandum establishing Joint Working Groups",
        party_countries=[chad],
        source_url="https://example.org/mou-source",
        source_title="Hub press release",
        fact_id="BH045",
    )
    memo.establishes_jwg_for.add(chad)
    return WorkingGroupFactory(
        country=chad,
        memorandum=memo,
        name="JWG Hub-Chad",
        terms_of_reference="<p>The group <strong>steers</strong> pilots.</p>",
    )


@pytest.fixture
def owner(group, member_user):
    return MemberFactory(working_group=group, user=member_user, person_name="Owner Person", email="owner@example.org")


@pytest.fixture
def meeting(group, owner):
    """Held on 12 November 2025, 10:00 in N'Djamena (WAT, UTC+1), with minutes, attendance and an agenda."""
    meeting = MeetingFactory(
        working_group=group, title="First meeting", minutes="<p>Secret minutes text</p>", status="held"
    )
    AgendaItemFactory(meeting=meeting, title="Adopt the work plan")
    AttendanceFactory(meeting=meeting, member=owner)
    return meeting


@pytest.fixture
def decision(group, meeting):
    return DecisionFactory(working_group=group, meeting=meeting, text="Adopt the <b>work plan</b>.")


@pytest.fixture
def action(group, owner, meeting, decision):
    return ActionItemFactory(
        working_group=group,
        owner=owner,
        meeting=meeting,
        decision=decision,
        title="Draft the pilot concept note",
        due_on=_today() - dt.timedelta(days=5),
    )


@pytest.fixture
def full(group, owner, meeting, decision, action):
    MemberFactory(working_group=group, role="co_chair", person_name="Co Chair", email="cochair@example.org")
    return group
