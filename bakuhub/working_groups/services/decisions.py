"""Decisions (numbered per JWG and year, safely under concurrency) and action items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.concurrency import bump_saved, lock_fresh
from bakuhub.core.dates import plausible_date
from bakuhub.core.errors import Conflict, PermissionDenied, ValidationFailed
from bakuhub.core.validation import optional_text, required_text
from bakuhub.working_groups.models import ActionItem, AgendaItem, Decision, Meeting, WorkingGroup, WorkingGroupMember
from bakuhub.working_groups.permissions import can

DECISION_FIELDS = ["working_group", "reference", "text", "meeting", "agenda_item", "decided_on", "status"]
ACTION_FIELDS = ["working_group", "title", "description", "owner", "due_on", "status", "decision", "meeting",
                 "completed_on"]  # fmt: skip


def _group_start(group: WorkingGroup) -> dt.date | None:
    """The earliest day the group may have decided anything: its start date, widened to the first day of the month
    or year when only that much of the date is known."""
    started = group.started_on
    if started is None:
        return None
    if group.started_precision == "year":
        return started.replace(month=1, day=1)
    if group.started_precision == "month":
        return started.replace(day=1)
    return started


def _check_decided_on(decided_on: dt.date, group: WorkingGroup, meeting: Meeting | None) -> None:
    """A decision is dated between the group's start and today, and on the day(s) of its meeting if it names one."""
    if decided_on > timezone.localdate():
        msg = _("A decision cannot be dated in the future.")
        raise ValidationFailed(msg, errors={"decided_on": [msg]})
    start = _group_start(group)
    if start is not None and decided_on < start:
        msg = _("The decision date %(date)s is before %(group)s started (%(start)s).") % {
            "date": decided_on.isoformat(),
            "group": group.name,
            "start": start.isoformat(),
        }
        raise ValidationFailed(msg, errors={"decided_on": [msg]})
    if meeting is not None:
        tz = _tz(meeting)
        first = timezone.localtime(meeting.starts_at, timezone=tz).date()
        last = max(first, timezone.localtime(meeting.ends_at, timezone=tz).date())
        if not first <= decided_on <= last:
            days = first.isoformat() if first == last else f"{first.isoformat()}\u2013{last.isoformat()}"
            msg = _(
                "The decision date %(date)s is not the day of its meeting '%(meeting)s' (%(days)s); "
                "date it on the meeting day or record it without the meeting."
            ) % {"date": decided_on.isoformat(), "meeting": meeting.title, "days": days}
            raise ValidationFailed(msg, errors={"decided_on": [msg]})


def _same_group(obj: Any, group: WorkingGroup, field: str) -> None:
    if obj is not None and obj.working_group_id != group.pk:
        msg = f"{obj} belongs to another Joint Working Group than {group.name}."
        raise ValidationFailed(msg, errors={field: [msg]})


@transaction.atomic
def decision_create(
    *,
    actor: User | None,
    working_group: WorkingGroup,
    text: str,
    decided_on: dt.date | None,
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
    status: str = Decision.Status.ADOPTED,
    commitments: list[Any] | None = None,
    is_demo: bool = False,
) -> Decision:
    """Record a decision with the next number of its group and year, e.g. TCD-JWG/2025/03.

    The group row is locked for the rest of the transaction, so two clerks recording decisions at once get
    consecutive numbers (PostgreSQL: row lock; SQLite: the write transaction is exclusive). The unique constraint
    stays as the last guard and turns into a clear conflict."""
    if actor is not None and not can(actor, "manage_decisions", working_group):
        raise PermissionDenied(f"You may not record decisions of {working_group.name}.")
    _same_group(meeting, working_group, "meeting")
    if agenda_item is not None and (meeting is None or agenda_item.meeting_id != meeting.pk):
        msg = "The agenda item must belong to the decision's meeting."
        raise ValidationFailed(msg, errors={"agenda_item": [msg]})
    if decided_on is None:  # not given: the day of its meeting, else today
        decided_on = (
            timezone.localtime(meeting.starts_at, timezone=_tz(meeting)).date()
            if meeting is not None
            else timezone.localdate()
        )
    decided_on = plausible_date(decided_on, "decided_on")
    _check_decided_on(decided_on, working_group, meeting)
    if status not in (Decision.Status.ADOPTED, Decision.Status.IMPLEMENTED):
        msg = (
            "A new decision is adopted or implemented; mark it superseded later, naming the decision that replaces it."
        )
        raise ValidationFailed(msg, errors={"status": [msg]})
    text = required_text(text, "text", max_length=10000)
    locked = WorkingGroup.objects.select_for_update().get(pk=working_group.pk)
    year = decided_on.year
    number = (Decision.objects.filter(working_group=locked, year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                working_group=locked,
                year=year,
                number=number,
                reference=f"{locked.code}/{year}/{number:02d}",
                text=text,
                meeting=meeting,
                agenda_item=agenda_item,
                decided_on=decided_on,
                status=status,
                is_demo=is_demo,
            )
    except IntegrityError:
        raise Conflict("Another decision took this number at the same moment; submit again.") from None
    if commitments:
        decision.commitments.set(commitments)
    created = {k: [None, v] for k, v in audit.snapshot(decision, DECISION_FIELDS).items() if v not in (None, "")}
    if commitments:
        created["commitments"] = [[], sorted(c.pk for c in commitments)]
    audit.record(actor=actor, action="decision.create", obj=decision, changes=created)
    return decision


@transaction.atomic
def decision_update(
    *,
    actor: User,
    decision: Decision,
    status: str,
    superseded_by: Decision | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Change the status. A stale `expected_version` (the version the client read) is refused with 412."""
    if not can(actor, "manage_decisions", decision.working_group):
        raise PermissionDenied(f"You may not change decisions of {decision.working_group.name}.")
    lock_fresh(decision, expected_version, what=gettext("decision"))
    if status not in Decision.Status.values:
        raise ValidationFailed(f"'{status}' is not a decision status.", errors={"status": ["Unknown status."]})
    if status == Decision.Status.SUPERSEDED:
        if superseded_by is None or superseded_by.pk == decision.pk:
            msg = "Name the decision that supersedes this one."
            raise ValidationFailed(msg, errors={"superseded_by": [msg]})
        _same_group(superseded_by, decision.working_group, "superseded_by")
    before = audit.snapshot(decision, ["status", "superseded_by"])
    decision.status = status
    decision.superseded_by = superseded_by if status == Decision.Status.SUPERSEDED else None
    decision.save(update_fields=["status", "superseded_by"])
    changes = bump_saved(decision, audit.diff(before, audit.snapshot(decision, ["status", "superseded_by"])))
    if changes:
        audit.record(actor=actor, action="decision.update", obj=decision, changes=changes)
    return decision


def _check_owner(owner: WorkingGroupMember, group: WorkingGroup) -> None:
    if owner.working_group_id != group.pk:
        msg = f"The owner {owner} is not a member of {group.name}; add them to the group first."
        raise ValidationFailed(msg, errors={"owner": [msg]})


def _check_due(due_on: dt.date, meeting: Meeting | None) -> None:
    plausible_date(due_on, "due_on")
    if meeting is not None:
        meeting_day = timezone.localtime(meeting.starts_at, timezone=_tz(meeting)).date()
        if due_on < meeting_day:
            msg = f"The due date {due_on} is before the meeting that set the action ({meeting_day})."
            raise ValidationFailed(msg, errors={"due_on": [msg]})


def _tz(meeting: Meeting) -> Any:
    from bakuhub.working_groups.timezones import zone

    return zone(meeting.timezone)


@transaction.atomic
def action_item_create(
    *,
    actor: User | None,
    working_group: WorkingGroup,
    title: str,
    owner: WorkingGroupMember,
    due_on: dt.date,
    description: str = "",
    decision: Decision | None = None,
    meeting: Meeting | None = None,
    is_demo: bool = False,
) -> ActionItem:
    if actor is not None and not can(actor, "manage_actions", working_group):
        raise PermissionDenied(f"You may not assign actions in {working_group.name}.")
    _check_owner(owner, working_group)
    _same_group(decision, working_group, "decision")
    _same_group(meeting, working_group, "meeting")
    _check_due(due_on, meeting)
    action = ActionItem.objects.create(
        working_group=working_group,
        title=required_text(title, "title", max_length=300),
        description=optional_text(description, "description", max_length=5000),
        owner=owner,
        due_on=due_on,
        decision=decision,
        meeting=meeting,
        is_demo=is_demo,
    )
    audit.record_create(actor=actor, obj=action, fields=ACTION_FIELDS)
    return action


@transaction.atomic
def action_item_update(
    *, actor: User, action: ActionItem, expected_version: int | None = None, **data: Any
) -> ActionItem:
    """Owners may change the status of their own actions; managers may change everything. A stale
    `expected_version` (the version the client read) is refused with 412."""
    only_status = set(data) <= {"status"}
    rule = "update_action_status" if only_status else "manage_actions"
    if not can(actor, rule, action if only_status else action.working_group):
        raise PermissionDenied(f"You may not change the action '{action.title}'.")
    lock_fresh(action, expected_version, what=gettext("action item"))
    unknown = sorted(set(data) - {"status", "title", "description", "owner", "due_on"})
    if unknown:
        raise ValidationFailed(f"These fields cannot be changed here: {', '.join(unknown)}.")
    before = audit.snapshot(action, ACTION_FIELDS)
    if "status" in data:
        if data["status"] not in ActionItem.Status.values:
            msg = f"'{data['status']}' is not an action status ({', '.join(ActionItem.Status.values)})."
            raise ValidationFailed(msg, errors={"status": [msg]})
        if data["status"] != action.status:
            action.status = data["status"]
            action.completed_on = timezone.localdate() if action.status == ActionItem.Status.DONE else None
    if "title" in data:
        action.title = required_text(data["title"], "title", max_length=300)
    if "description" in data:
        action.description = optional_text(data["description"], "description", max_length=5000)
    if "owner" in data:
        _check_owner(data["owner"], action.working_group)
        action.owner = data["owner"]
    if "due_on" in data:
        _check_due(data["due_on"], action.meeting)
        action.due_on = data["due_on"]
    action.save()
    changes = bump_saved(action, audit.diff(before, audit.snapshot(action, ACTION_FIELDS)))
    if changes:
        audit.record(actor=actor, action="actionitem.update", obj=action, changes=changes)
    return action
