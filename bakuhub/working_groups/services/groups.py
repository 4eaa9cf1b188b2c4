"""JWG writes: create and update a group, add members, rotate calendar links."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from bakuhub.accounts.models import User
from bakuhub.accounts.permissions import is_secretariat
from bakuhub.core import audit
from bakuhub.core.concurrency import bump_saved, lock_fresh
from bakuhub.core.dates import plausible_date
from bakuhub.core.errors import Conflict, PermissionDenied, ValidationFailed
from bakuhub.core.models import Country
from bakuhub.core.richtext import sanitise_html
from bakuhub.core.validation import date_precision as checked_precision
from bakuhub.core.validation import name_key, optional_text, optional_url, required_text
from bakuhub.partners.lifecycle import Stage
from bakuhub.partners.models import Memorandum, Organisation
from bakuhub.partners.services import milestone_follow_record, milestone_for_record
from bakuhub.working_groups.models import Decision, Meeting, PersonalCalendar, WorkingGroup, WorkingGroupMember
from bakuhub.working_groups.permissions import can

GROUP_FIELDS = ["country", "memorandum", "name", "code", "terms_of_reference", "status", "started_on"]
MEMBER_FIELDS = ["working_group", "user", "organisation", "person_name", "email", "role"]
SOURCE_LIMITS = {"source_title": 300, "source_publisher": 200, "source_quote": 5000, "fact_id": 10}
JWG_NOTE = "Recorded with the Joint Working Group"
_CODE = re.compile(r"^[A-Z]{3}-JWG(-[A-Z0-9]{1,6})?\Z")


def _choice(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        msg = f"'{value}' is not one of: {', '.join(choices.values)}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return value


def _sources(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {k: optional_text(data.get(k), k, max_length=n) for k, n in SOURCE_LIMITS.items()}
    clean["source_url"] = optional_url(data.get("source_url"), "source_url")
    return clean


@transaction.atomic
def working_group_create(
    *,
    actor: User | None,
    country: Country,
    name: str,
    memorandum: Memorandum | None = None,
    code: str = "",
    terms_of_reference: str = "",
    status: str = WorkingGroup.Status.FORMING,
    started_on: dt.date | None = None,
    started_precision: str = "day",
    is_demo: bool = False,
    **source: str,
) -> WorkingGroup:
    if actor is not None and not can(actor, "create_workinggroup"):
        raise PermissionDenied("Only the Hub secretariat may set up a Joint Working Group.")
    code = (code or f"{country.iso3}-JWG").upper()
    if not _CODE.match(code):
        msg = f"'{code}' is not a JWG code; use the country's ISO3 code and '-JWG', e.g. TCD-JWG."
        raise ValidationFailed(msg, errors={"code": [msg]})
    if not code.startswith(country.iso3):
        raise ValidationFailed(f"The code {code} must start with {country.iso3}.", errors={"code": ["Wrong country."]})
    if WorkingGroup.objects.filter(code=code).exists():
        raise Conflict(f"A Joint Working Group with the code {code} already exists.", errors={"code": ["Taken."]})
    if memorandum is not None and not memorandum.establishes_jwg_for.filter(pk=country.pk).exists():
        msg = f"The memorandum '{memorandum.title}' does not set up a Joint Working Group with {country.name_en}."
        raise ValidationFailed(msg, errors={"memorandum": [msg]})
    unknown = sorted(set(source) - set(SOURCE_LIMITS) - {"source_url"})
    if unknown:
        raise ValidationFailed(f"Unknown field(s): {', '.join(unknown)}.")
    group = WorkingGroup.objects.create(
        country=country,
        memorandum=memorandum,
        name=required_text(name, "name", max_length=200),
        code=code,
        terms_of_reference=sanitise_html(terms_of_reference, field="terms_of_reference"),
        status=_choice(status, WorkingGroup.Status, "status"),
        started_on=None if started_on is None else plausible_date(started_on, "started_on"),
        started_precision=checked_precision(started_precision, "started_precision"),
        is_demo=is_demo,
        **_sources(source),
    )
    audit.record_create(actor=actor, obj=group, fields=GROUP_FIELDS)
    _record_jwg_milestone(actor=actor, group=group)
    return group


def _record_jwg_milestone(*, actor: User | None, group: WorkingGroup) -> None:
    """The group is the evidence that the country reached `jwg_established`: the pipeline and the group list agree.
    Dated by the group's start (today when it has none), citing the group's source."""
    started = group.started_on or timezone.localdate()
    milestone_for_record(
        actor=actor,
        country=group.country,
        milestone=Stage.JWG_ESTABLISHED,
        reached_on=started,
        date_precision=group.started_precision if group.started_on else "day",
        evidence_title=group.name,
        note=f"{JWG_NOTE} {group.code}.",
        is_demo=group.is_demo,
        **{k: getattr(group, k) for k in ("source_title", "source_url", "source_publisher", "source_quote", "fact_id")},
    )


@transaction.atomic
def working_group_update(
    *, actor: User, working_group: WorkingGroup, expected_version: int | None = None, **data: Any
) -> WorkingGroup:
    """Edit the group. A stale `expected_version` (the version the client read) is refused with 412."""
    if not can(actor, "change_workinggroup", working_group):
        raise PermissionDenied(f"You may not edit {working_group.name}.")
    lock_fresh(working_group, expected_version, what=gettext("Joint Working Group"))
    before = audit.snapshot(working_group, GROUP_FIELDS)
    if "name" in data:
        working_group.name = required_text(data["name"], "name", max_length=200)
    if "terms_of_reference" in data:
        working_group.terms_of_reference = sanitise_html(data["terms_of_reference"], field="terms_of_reference")
    started_before = working_group.started_on
    if "status" in data:
        working_group.status = _choice(data["status"], WorkingGroup.Status, "status")
    if "started_on" in data:
        started = data["started_on"]
        working_group.started_on = None if started is None else plausible_date(started, "started_on")
    unknown = sorted(set(data) - {"name", "terms_of_reference", "status", "started_on"})
    if unknown:
        raise ValidationFailed(f"These fields cannot be changed here: {', '.join(unknown)}.")
    moved = working_group.started_on != started_before
    sourced = bool(working_group.fact_id or working_group.source_url)
    if sourced and (moved or working_group.status != before["status"]) and not is_secretariat(actor):
        msg = _("%(name)s is sourced, so only the Hub secretariat may change its start date or status.") % {
            "name": working_group.name
        }
        raise PermissionDenied(msg)
    if moved and working_group.started_on is not None:
        _check_start(working_group, working_group.started_on)
    working_group.save()
    changes = bump_saved(working_group, audit.diff(before, audit.snapshot(working_group, GROUP_FIELDS)))
    if changes:
        audit.record(actor=actor, action="workinggroup.update", obj=working_group, changes=changes)
    if moved and working_group.started_on is not None:
        # the milestone recorded with the group follows its start, so the group and the stage never disagree
        milestone_follow_record(
            actor=actor,
            country=working_group.country,
            milestone=Stage.JWG_ESTABLISHED,
            note_prefix=f"{JWG_NOTE} {working_group.code}.",
            reached_on=working_group.started_on,
            date_precision=working_group.started_precision,
        )
    return working_group


def _check_start(group: WorkingGroup, started_on: dt.date) -> None:
    """A group cannot start after its first meeting or decision."""
    first_meeting = Meeting.objects.filter(working_group=group).aggregate(first=Min("starts_at"))["first"]
    first_decision = Decision.objects.filter(working_group=group).aggregate(first=Min("decided_on"))["first"]
    dates = [d for d in (first_meeting and timezone.localdate(first_meeting), first_decision) if d is not None]
    if dates and started_on > min(dates):
        msg = _("%(name)s cannot start on %(started)s: its first meeting or decision is dated %(first)s.") % {
            "name": group.name,
            "started": started_on.isoformat(),
            "first": min(dates).isoformat(),
        }
        raise ValidationFailed(msg, errors={"started_on": [msg]})


@transaction.atomic
def member_add(
    *,
    actor: User | None,
    working_group: WorkingGroup,
    role: str = WorkingGroupMember.Role.MEMBER,
    user: User | None = None,
    organisation: Organisation | None = None,
    person_name: str = "",
    email: str = "",
    is_demo: bool = False,
) -> WorkingGroupMember:
    if actor is not None and not can(actor, "change_workinggroup", working_group):
        raise PermissionDenied(f"You may not change the members of {working_group.name}.")
    person_name = optional_text(person_name, "person_name", max_length=200)
    if not person_name and organisation is None and user is None:
        msg = "A member is a person (a name or a platform user) or an organisation."
        raise ValidationFailed(msg, errors={"person_name": [msg]})
    email = optional_text(email, "email", max_length=254)
    if email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise ValidationFailed(
                f"'{email[:100]}' is not an e-mail address.", errors={"email": ["Invalid."]}
            ) from None
    twin = WorkingGroupMember.objects.filter(working_group=working_group)
    if user is not None and twin.filter(user=user).exists():
        raise Conflict(f"{user.get_username()} is already a member of {working_group.name}.")
    if (
        user is None
        and organisation is not None
        and any(
            name_key(name) == name_key(person_name)
            for name in twin.filter(organisation=organisation).values_list("person_name", flat=True)
        )
    ):
        raise Conflict(f"{person_name or organisation} is already a member of {working_group.name}.")
    member = WorkingGroupMember.objects.create(
        working_group=working_group,
        role=_choice(role, WorkingGroupMember.Role, "role"),
        user=user,
        organisation=organisation,
        person_name=person_name,
        email=email,
        is_demo=is_demo,
    )
    audit.record_create(actor=actor, obj=member, fields=MEMBER_FIELDS)
    return member


@transaction.atomic
def calendar_rotate(*, actor: User, working_group: WorkingGroup) -> WorkingGroup:
    """Revoke the group's calendar link; the next link carries a new version."""
    if not can(actor, "rotate_calendar", working_group):
        raise PermissionDenied(f"You may not change the calendar link of {working_group.name}.")
    before = working_group.calendar_version
    WorkingGroup.objects.filter(pk=working_group.pk).update(calendar_version=F("calendar_version") + 1)
    working_group.refresh_from_db(fields=["calendar_version"])
    changes = {"calendar_version": [before, working_group.calendar_version]}
    audit.record(actor=actor, action="workinggroup.calendar_rotate", obj=working_group, changes=changes)
    return working_group


@transaction.atomic
def personal_calendar_rotate(*, actor: User) -> PersonalCalendar:
    # A link handed out before the row existed carried version 1, so even a first rotation moves to version 2.
    calendar, created = PersonalCalendar.objects.get_or_create(user=actor, defaults={"version": 2})
    before = 1 if created else calendar.version
    if not created:
        PersonalCalendar.objects.filter(pk=calendar.pk).update(version=F("version") + 1)
        calendar.refresh_from_db()
    audit.record(
        actor=actor, action="personalcalendar.rotate", obj=calendar, changes={"version": [before, calendar.version]}
    )
    return calendar
