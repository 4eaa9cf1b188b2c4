"""Demo Joint Working Groups: Chad and Guinea-Bissau, as the Hub's sourced facts report them, plus clearly labelled
example rows for the Chad group so that the overdue board and "my actions" have something to show.

The two groups are sourced facts: the memorandum approved at the UNGA80 event (BH044/BH045) and the groups established
in the high-level week (BH046/BH047). No public source names members, co-chairs or terms of reference, or reports a
meeting, so the groups stay "forming" and their terms of reference say exactly that.

The example rows (members, one meeting, its agenda and attendance, a decision and three action items) are not
facts: each says "Example" in its text and the meeting is flagged `is_example`. One action is due 20 days after
the day the demo is loaded, so that part of the examples depends on the run date.

Everything is created through the services as the system (`actor=None`) and marked `is_demo`. Loading is idempotent;
`demo_remove` deletes the demo rows (actions, decisions, meetings, members, then groups), refusing, without deleting
anything, while real rows depend on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from django.apps import apps
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from bakuhub.core import audit
from bakuhub.core.errors import PreconditionFailed
from bakuhub.core.models import Country
from bakuhub.partners.demo import DemoRemovalBlocked, DemoResult, Progress, has_demo_flag, refusal_message
from bakuhub.partners.demo_facts import ORGANISATIONS, load_facts
from bakuhub.partners.models import Memorandum, Organisation

from .models import ActionItem, AgendaItem, Attendance, Decision, Meeting, MeetingAttachment, WorkingGroup
from .models import WorkingGroupMember as Member
from .services import (
    action_item_create,
    agenda_item_add,
    attendance_set,
    decision_create,
    meeting_create,
    member_add,
    working_group_create,
)
from .services.decisions import ACTION_FIELDS
from .timezones import zone_for_country

MEMORANDUM_FACT = "BH044"  # the memorandum that provides for both groups; the partners demo loads it


@dataclass(frozen=True)
class GroupSpec:
    iso3: str
    name: str
    memorandum_fact: str  # what the memorandum says about this country
    established_fact: str  # the group's establishment; the group cites it


GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec("TCD", "Joint Working Group between the Baku Hub and Chad", "BH044", "BH046"),
    GroupSpec("GNB", "Joint Working Group between the Baku Hub and Guinea-Bissau", "BH045", "BH047"),
)
EXAMPLE_COUNTRY = "TCD"  # only this group gets example rows

# --- The example rows (Chad only). Every text says "Example". -------------------------------------------------------

EXAMPLE_NOTE = "Example data for the demo: not a real record."
IOM_NAME = next(spec.name for spec in ORGANISATIONS if spec.key == "IOM")


@dataclass(frozen=True)
class ExampleMember:
    key: str
    person_name: str
    role: str
    organisation: str = ""  # an OrgSpec key of the partners demo


EXAMPLE_MEMBERS: tuple[ExampleMember, ...] = (
    ExampleMember("secretariat", "Example co-chair (Hub secretariat)", Member.Role.CO_CHAIR),
    ExampleMember("focal_point", "Example co-chair (Chad focal point)", Member.Role.CO_CHAIR),
    ExampleMember("iom", "Example representative", Member.Role.MEMBER, "IOM"),
)
ATTENDANCE = {"secretariat": "present", "focal_point": "present", "iom": "apologies"}

MEETING_TITLE = "Example meeting — first meeting of the Joint Working Group (illustration only)"
MEETING_STARTS = dt.datetime(2025, 10, 15, 10, 0)  # local time in the country's zone (Africa/Ndjamena)
MEETING_PLACE = "Online (example meeting; no real link)"
MEETING_MINUTES = (
    "<p><strong>Example minutes.</strong> This meeting is an illustration for the demo. No public source reports a "
    "meeting of this Joint Working Group.</p>"
    "<p>Example: the co-chairs opened the meeting; the members discussed an illustrative work plan and agreed on the "
    "example decision and action items recorded below.</p>"
)
AGENDA = (
    "Example agenda item: terms of reference and work plan",
    "Example agenda item: next steps and date of the next meeting",
)
DECISION_TEXT = (
    "Example decision: the Joint Working Group adopts an illustrative work plan. "
    "This is example data for the demo, not a real decision."
)
FUTURE_DUE_IN_DAYS = 20
EXAMPLE_TOR = (
    "<p><strong>Example data:</strong> the members, the meeting, the decision and the action items shown for this "
    "group are labelled examples for the demo, not real records.</p>"
)


@dataclass(frozen=True)
class ExampleAction:
    title: str
    owner: str  # an ExampleMember key
    due_on: dt.date | None  # None: FUTURE_DUE_IN_DAYS after the day the demo is loaded
    completed_on: dt.date | None = None  # set: the action is done


EXAMPLE_ACTIONS: tuple[ExampleAction, ...] = (
    ExampleAction("Example action: circulate the draft work plan to the members", "secretariat", dt.date(2025, 11, 30)),
    ExampleAction("Example action: send comments on the draft work plan", "iom", None),  # in IOM editors' "my actions"
    ExampleAction(
        "Example action: share the list of national focal persons",
        "focal_point",
        dt.date(2025, 10, 31),
        completed_on=dt.date(2025, 10, 28),
    ),
)


# --- Loading ------------------------------------------------------------------------------------------------------


def terms_of_reference(spec: GroupSpec) -> str:
    """Plain HTML: what the facts say about the group, and what is not public."""
    facts = load_facts()
    cited = [facts[spec.memorandum_fact], facts[spec.established_fact]]
    items = format_html_join(
        "", "<li>{} <em>Source: {}, {}.</em></li>", ((f.fact, f.source_publisher, f.fact_id) for f in cited)
    )
    html = format_html(
        "<h4>What public sources say</h4><ul>{}</ul>"
        "<p>No public source found gives the calendar day, names the members or co-chairs, publishes terms of "
        "reference or reports a meeting of this group, so it is recorded as forming; members and meetings are not "
        "public.</p>",
        items,
    )
    if spec.iso3 == EXAMPLE_COUNTRY:
        return f"{html}{EXAMPLE_TOR}"
    return str(html)


class _Loader:
    def __init__(self, countries: dict[str, Country], memorandum: Memorandum, iom: Organisation) -> None:
        self.countries = countries
        self.memorandum = memorandum
        self.orgs = {"IOM": iom}
        self.example_group: WorkingGroup | None = None
        self.members: dict[str, Member] = {}
        self.meeting: Meeting | None = None
        self.agenda: list[AgendaItem] = []
        self.decision: Decision | None = None
        self.result = DemoResult()

    def group(self, spec: GroupSpec) -> None:
        country = self.countries[spec.iso3]
        code = f"{spec.iso3}-JWG"
        found = (
            WorkingGroup.objects.filter(code=code).first()
            or WorkingGroup.objects.filter(country=country, memorandum=self.memorandum).first()
        )
        if found is not None and not found.is_demo:
            self.result.skipped.append(f"{found.code}: a real (non-demo) group exists; left as it is, no examples")
            return
        if found is None:
            fact = load_facts()[spec.established_fact]
            started_on, precision = fact.when
            found = working_group_create(
                actor=None, country=country, name=spec.name, memorandum=self.memorandum, code=code,
                terms_of_reference=terms_of_reference(spec), status=WorkingGroup.Status.FORMING,
                started_on=started_on, started_precision=precision, is_demo=True, **fact.source(),
            )  # fmt: skip
            self.result.add("working groups")
        if spec.iso3 == EXAMPLE_COUNTRY:
            self.example_group = found

    def member(self, spec: ExampleMember) -> None:
        group = self.example_group
        if group is None:
            return
        found = Member.objects.filter(working_group=group, person_name=spec.person_name, is_demo=True).first()
        if found is None:
            found = member_add(
                actor=None, working_group=group, role=spec.role, person_name=spec.person_name,
                organisation=self.orgs[spec.organisation] if spec.organisation else None, is_demo=True,
            )  # fmt: skip
            self.result.add("example members")
        self.members[spec.key] = found

    def example_meeting(self) -> None:
        group = self.example_group
        if group is None:
            return
        self.meeting = Meeting.objects.filter(working_group=group, title=MEETING_TITLE, is_demo=True).first()
        if self.meeting is None:
            self.meeting = meeting_create(
                actor=None, working_group=group, title=MEETING_TITLE, starts_at=MEETING_STARTS,
                timezone=zone_for_country(group.country.iso3), place=MEETING_PLACE, status=Meeting.Status.HELD,
                minutes=MEETING_MINUTES, language="en", is_example=True, is_demo=True,
            )  # fmt: skip
            self.result.add("example meetings")

    def agenda_item(self, title: str) -> None:
        meeting = self.meeting
        if meeting is None:
            return
        item = meeting.agenda_items.filter(title=title).first()
        if item is None:
            item = agenda_item_add(actor=None, meeting=meeting, title=title, description=EXAMPLE_NOTE)
            self.result.add("example agenda items")
        self.agenda.append(item)

    def attendance(self) -> None:
        meeting = self.meeting
        if meeting is None:
            return
        for key, status in ATTENDANCE.items():
            member = self.members[key]
            if not Attendance.objects.filter(meeting=meeting, member=member).exists():
                attendance_set(actor=None, meeting=meeting, member=member, status=status)
                self.result.add("example attendance")

    def example_decision(self) -> None:
        group, meeting = self.example_group, self.meeting
        if group is None or meeting is None:
            return
        self.decision = Decision.objects.filter(working_group=group, text=DECISION_TEXT, is_demo=True).first()
        if self.decision is None:
            self.decision = decision_create(
                actor=None, working_group=group, text=DECISION_TEXT, decided_on=MEETING_STARTS.date(),
                meeting=meeting, agenda_item=self.agenda[0] if self.agenda else None, is_demo=True,
            )  # fmt: skip
            self.result.add("example decisions")

    def action(self, spec: ExampleAction) -> None:
        group = self.example_group
        if group is None:
            return
        if ActionItem.objects.filter(working_group=group, title=spec.title, is_demo=True).exists():
            return
        due_on = spec.due_on or timezone.localdate() + dt.timedelta(days=FUTURE_DUE_IN_DAYS)
        action = action_item_create(
            actor=None, working_group=group, title=spec.title, owner=self.members[spec.owner], due_on=due_on,
            description=EXAMPLE_NOTE, decision=self.decision, meeting=self.meeting, is_demo=True,
        )  # fmt: skip
        if spec.completed_on is not None:
            _mark_done(action, spec.completed_on)
        self.result.add("example action items")


def _mark_done(action: ActionItem, completed_on: dt.date) -> None:
    """`action_item_update` needs a user (a person marks their action done); the system records it directly, with the
    same audit line."""
    before = audit.snapshot(action, ACTION_FIELDS)
    action.status, action.completed_on = ActionItem.Status.DONE, completed_on
    action.save(update_fields=["status", "completed_on", "updated_at"])
    changes = audit.diff(before, audit.snapshot(action, ACTION_FIELDS))
    audit.record(actor=None, action="actionitem.update", obj=action, changes=changes)


def demo_countries() -> set[str]:
    return {spec.iso3 for spec in GROUPS}


def _preconditions() -> tuple[dict[str, Country], Memorandum, Organisation]:
    codes = demo_countries()
    countries = {c.iso3: c for c in Country.objects.filter(iso3__in=codes)}
    missing = sorted(codes - set(countries))
    if missing:
        raise PreconditionFailed(
            f"The demo working groups need countries that are not in the database ({', '.join(missing)}): "
            "run `bakuhub load_reference` first."
        )
    memorandum = Memorandum.objects.filter(fact_id=MEMORANDUM_FACT, is_demo=True).first()
    iom = Organisation.objects.filter(name__iexact=IOM_NAME).first()
    if memorandum is None or iom is None:
        raise PreconditionFailed(
            f"The demo working groups need the partners demo (the memorandum {MEMORANDUM_FACT} and IOM): "
            "run `bakuhub load_demo`, which loads it first."
        )
    return countries, memorandum, iom


def demo_load(*, progress: Progress | None = None) -> DemoResult:
    """Load the two groups and the Chad examples as the system (`actor=None`); rows already there are left alone.
    Runs after the partners demo (it links the demo memorandum and IOM)."""
    countries, memorandum, iom = _preconditions()
    loader = _Loader(countries, memorandum, iom)
    steps: list[tuple[str, Callable[[], None]]] = [
        *((f"working group {spec.iso3}", partial(loader.group, spec)) for spec in GROUPS),
        *((f"example member {m.key}", partial(loader.member, m)) for m in EXAMPLE_MEMBERS),
        ("example meeting", loader.example_meeting),
        *((f"example agenda item {n}", partial(loader.agenda_item, t)) for n, t in enumerate(AGENDA, start=1)),
        ("example attendance", loader.attendance),
        ("example decision", loader.example_decision),
        *((f"example action {n}", partial(loader.action, a)) for n, a in enumerate(EXAMPLE_ACTIONS, start=1)),
    ]
    with transaction.atomic():
        for done, (label, step) in enumerate(steps, start=1):
            step()
            if progress is not None:
                progress(done, len(steps), label)
    return loader.result


# --- Removal ------------------------------------------------------------------------------------------------------

REMOVAL_ORDER: tuple[type[models.Model], ...] = (ActionItem, Decision, Meeting, Member, WorkingGroup)


def _blocking(obj: models.Model) -> list[models.Model]:
    """The real rows that deleting or changing `obj` would touch. A row without a demo flag (an agenda item,
    attendance, a reminder log) belongs to its parents: it blocks only when one of them is real. An attachment is
    always someone's upload (the demo uploads none), so it blocks."""
    model = type(obj)
    if has_demo_flag(model):
        return [] if getattr(obj, "is_demo", False) else [obj]
    if model is MeetingAttachment:
        return [obj]
    owner_model = model._meta.auto_created
    fields = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None]
    if owner_model:  # a many-to-many link belongs to the row that declares the field (a decision)
        fields = [f for f in fields if f.related_model is cast(Any, owner_model)]
    parents = [getattr(obj, f.name) for f in fields if has_demo_flag(cast(Any, f.related_model))]
    return [p for p in parents if p is not None and not p.is_demo]


def _delete_demo(model: type[models.Model]) -> int:
    collector = Collector(using=router.db_for_write(model))
    try:
        collector.collect(model._default_manager.filter(is_demo=True))
    except ProtectedError as error:
        raise DemoRemovalBlocked(refusal_message(error.protected_objects)) from None
    except RestrictedError as error:
        raise DemoRemovalBlocked(refusal_message(error.restricted_objects)) from None
    deleted: list[Any] = [obj for instances in collector.data.values() for obj in instances]
    deleted += [obj for qs in collector.fast_deletes for obj in qs]
    updates: Any = cast(Any, collector.field_updates).values()  # SET_NULL and the like
    updated: list[Any] = [obj for batches in updates for objs in batches for obj in objs]
    blockers = [row for obj in deleted + updated for row in _blocking(obj)]
    if blockers:
        raise DemoRemovalBlocked(refusal_message(blockers))
    for obj in {(o._meta.label, o.pk): o for o in deleted if not o._meta.auto_created}.values():
        changes = {"is_demo": [True, None]} if has_demo_flag(type(obj)) else {}
        audit.record(actor=None, action=f"{obj._meta.model_name}.delete", obj=obj, changes=changes)
    _, per_model = collector.delete()
    ours = {m._meta.label for m in apps.get_app_config("working_groups").get_models()}  # many-to-many links aside
    return sum(n for label, n in per_model.items() if label in ours)


def demo_remove() -> int:
    """Delete every demo row of the working groups app (and the rows they own: agenda items, attendance, reminder
    logs); refuse, deleting nothing, while real rows depend on them. Runs before the commitments and partners
    removals (the groups link the demo memorandum and organisations)."""
    with transaction.atomic():
        return sum(_delete_demo(model) for model in REMOVAL_ORDER)
