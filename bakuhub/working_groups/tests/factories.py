"""factory_boy factories for Joint Working Groups (direct model writes: fast, no audit, no permission checks).

Pass the conftest's countries and users, e.g. ``WorkingGroupFactory(country=chad)``; the group's code defaults to
``{ISO3}-JWG`` (``TCD-JWG``), with a numeric suffix only if that code is already taken.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import factory
from django.db.models import Max
from django.utils import timezone as dj_timezone

from bakuhub.testing.factories import CountryFactory
from bakuhub.working_groups.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    WorkingGroup,
    WorkingGroupMember,
)
from bakuhub.working_groups.timezones import zone_for_country

__all__ = [
    "ActionItemFactory",
    "AgendaItemFactory",
    "AttendanceFactory",
    "DecisionFactory",
    "MeetingFactory",
    "MemberFactory",
    "WorkingGroupFactory",
]


def _group_code(o: Any, n: int) -> str:
    base = f"{o.country.iso3}-JWG"
    if not WorkingGroup.objects.filter(code=base).exists():
        return base
    return f"{base}-{n % 1000000}"


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    country = factory.SubFactory(CountryFactory)
    name = factory.LazyAttribute(lambda o: f"Joint Working Group Hub - {o.country.name_en}")
    code = factory.LazyAttributeSequence(_group_code)
    status = WorkingGroup.Status.ACTIVE
    started_on = dt.date(2025, 9, 24)


class MemberFactory(factory.django.DjangoModelFactory):
    """A person member by default; pass ``user=`` or ``organisation=`` (and ``person_name=""``) for others."""

    class Meta:
        model = WorkingGroupMember

    working_group = factory.SubFactory(WorkingGroupFactory)
    person_name = factory.Sequence(lambda n: f"Member {n}")
    email = factory.LazyAttributeSequence(
        lambda o, n: (
            f"member-{o.person_name.split()[-1].lower()}@example.org"
            if o.person_name.strip()
            else f"member{n}@example.org"
        )
    )
    role = WorkingGroupMember.Role.MEMBER


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planned 2-hour meeting at 10:00 local time in the country's zone (stored in UTC)."""

    class Meta:
        model = Meeting

    working_group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    timezone = factory.LazyAttribute(lambda o: zone_for_country(o.working_group.country.iso3))
    starts_at = factory.LazyAttribute(
        lambda o: dt.datetime(2025, 11, 12, 10, 0, tzinfo=ZoneInfo(o.timezone)).astimezone(dt.UTC)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place = "Ministry of Environment"
    status = Meeting.Status.PLANNED
    language = "en"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.LazyAttribute(lambda o: (o.meeting.agenda_items.aggregate(n=Max("number"))["n"] or 0) + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(MemberFactory, working_group=factory.SelfAttribute("..meeting.working_group"))
    status = Attendance.Status.PRESENT


def _next_decision_number(o: Any) -> int:
    existing = Decision.objects.filter(working_group=o.working_group, year=o.decided_on.year)
    return int(existing.aggregate(n=Max("number"))["n"] or 0) + 1


class DecisionFactory(factory.django.DjangoModelFactory):
    """Numbered like the service does (next number of the group and year); not concurrency-safe, tests only."""

    class Meta:
        model = Decision

    working_group = factory.SubFactory(WorkingGroupFactory)
    decided_on = dt.date(2025, 11, 12)
    year = factory.LazyAttribute(lambda o: o.decided_on.year)
    number = factory.LazyAttribute(_next_decision_number)
    reference = factory.LazyAttribute(lambda o: f"{o.working_group.code}/{o.year}/{o.number:02d}")
    text = factory.Sequence(lambda n: f"The group decides item {n}.")
    status = Decision.Status.ADOPTED


class ActionItemFactory(factory.django.DjangoModelFactory):
    """An open action due 30 days from today, owned by a new member of the same group unless ``owner=`` is given."""

    class Meta:
        model = ActionItem

    working_group = factory.SubFactory(WorkingGroupFactory)
    owner = factory.SubFactory(MemberFactory, working_group=factory.SelfAttribute("..working_group"))
    title = factory.Sequence(lambda n: f"Action {n}")
    due_on = factory.LazyFunction(lambda: dj_timezone.localdate() + dt.timedelta(days=30))
    status = ActionItem.Status.OPEN
