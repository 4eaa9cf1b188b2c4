"""Action reminders: one e-mail N days before the due date and one on the due date, never twice.

Run once a day (`bakuhub send_reminders`, or the `send_action_reminders` task). Each reminder is written to
`ReminderLog` first, inside a savepoint, and only then sent: the unique key (action, kind, due date) stops a
second run, or a concurrent one, from sending it again, and a failed send rolls the row back so the next run
retries. A reminder is about one day: a run only sends what is due that day and never catches up on days it
missed (pass `today` to replay a day). Moving the due date makes new reminders due for the new date.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from bakuhub.core import audit

from .models import ActionItem, ReminderLog

logger = logging.getLogger(__name__)

SUBJECT_TEMPLATE = "working_groups/email/reminder_subject.txt"
BODY_TEMPLATE = "working_groups/email/reminder_body.txt"


@dataclass(frozen=True)
class ReminderOutcome:
    """What happened to one reminder that was due: `sent`, `already_sent`, `no_address` or `failed`."""

    action_id: int
    title: str
    kind: str
    due_on: dt.date
    result: str
    recipient: str = ""
    error: str = ""

    def describe(self) -> str:
        what = f"{self.kind} reminder for action #{self.action_id} '{self.title}' (due {self.due_on.isoformat()})"
        if self.result == "sent":
            return f"sent {what} to {self.recipient}"
        if self.result == "already_sent":
            return f"skipped {what}: already sent"
        if self.result == "no_address":
            return f"skipped {what}: the owner has no e-mail address"
        return f"FAILED {what} to {self.recipient}: {self.error}"


@dataclass
class ReminderRun:
    today: dt.date
    outcomes: list[ReminderOutcome] = field(default_factory=list)

    def _count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)

    @property
    def sent(self) -> int:
        return self._count("sent")

    @property
    def already_sent(self) -> int:
        return self._count("already_sent")

    @property
    def no_address(self) -> int:
        return self._count("no_address")

    @property
    def failed(self) -> int:
        return self._count("failed")

    def summary(self) -> str:
        return (
            f"Reminders for {self.today.isoformat()}: {self.sent} sent, {self.already_sent} already sent, "
            f"{self.no_address} without an e-mail address, {self.failed} failed."
        )


def _language(action: ActionItem) -> str:
    user = action.owner.user
    wanted = (user.preferred_language if user is not None else "") or "en"
    known = {code for code, _ in settings.LANGUAGES}
    wanted = wanted.lower()
    if wanted in known:
        return wanted
    base = wanted.split("-")[0]
    return base if base in known else "en"


def group_url(action: ActionItem) -> str:
    return f"{settings.BAKUHUB_SITE_URL.rstrip('/')}/working-groups/{action.working_group_id}/"


def reminder_message(action: ActionItem, *, kind: str, recipient: str) -> EmailMessage:
    """The plain-text e-mail, in the owner's preferred language (English if none or not offered)."""
    language = _language(action)
    context = {
        "action": action,
        "kind": kind,
        "days": settings.BAKUHUB_REMINDER_DAYS_BEFORE,
        "group": action.working_group,
        "decision": action.decision,
        "owner": action.owner,
        "url": group_url(action),
        "language": language,
    }
    with translation.override(language):
        subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
        body = render_to_string(BODY_TEMPLATE, context)
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[recipient])


def _due_kinds(today: dt.date) -> dict[dt.date, str]:
    """Which due date gets which kind of reminder today."""
    kinds = {today: ReminderLog.Kind.DUE.value}
    days = settings.BAKUHUB_REMINDER_DAYS_BEFORE
    if days > 0:
        kinds[today + dt.timedelta(days=days)] = ReminderLog.Kind.BEFORE.value
    return kinds


def _send_one(action: ActionItem, kind: str) -> ReminderOutcome:
    def outcome(result: str, recipient: str = "", error: str = "") -> ReminderOutcome:
        return ReminderOutcome(action.pk, action.title, kind, action.due_on, result, recipient, error)

    recipient = action.owner.reminder_email
    if not recipient:
        return outcome("no_address")
    try:
        with transaction.atomic():
            ReminderLog.objects.create(action=action, kind=kind, due_on=action.due_on, recipient=recipient)
            audit.record(
                actor=None,
                action="actionitem.reminder",
                obj=action,
                changes={
                    "kind": [None, kind],
                    "recipient": [None, recipient],
                    "due_on": [None, action.due_on.isoformat()],
                },
            )
            reminder_message(action, kind=kind, recipient=recipient).send(fail_silently=False)
    except IntegrityError:
        # Another run has the row: it sent this reminder (or is sending it right now).
        return outcome("already_sent", recipient)
    except Exception as exc:
        logger.exception("Reminder %s for action %s to %s failed; the next run retries", kind, action.pk, recipient)
        return outcome("failed", recipient, f"{type(exc).__name__}: {exc}")
    return outcome("sent", recipient)


def reminders_send(
    *, today: dt.date | None = None, progress: Callable[[ReminderOutcome], None] | None = None
) -> ReminderRun:
    """Send the reminders due on `today` (default: the local date) for open and in-progress actions.

    Before: only when `today` is exactly BAKUHUB_REMINDER_DAYS_BEFORE days before the due date; due: only on the
    due date. Done and dropped actions get nothing, and an action gets no reminder for a day before it existed
    (no late "due in 3 days" for an action created 2 days before its due date). Each reminder has its own
    savepoint, so one failure neither stops the run nor undoes the reminders already sent."""
    today = today or timezone.localdate()
    kinds = _due_kinds(today)
    run = ReminderRun(today=today)
    actions = (
        ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES, due_on__in=list(kinds))
        .select_related("working_group", "owner__user", "owner__organisation", "decision")
        .order_by("due_on", "id")
    )
    logged = set(
        ReminderLog.objects.filter(action__in=actions, due_on__in=list(kinds)).values_list(
            "action_id", "kind", "due_on"
        )
    )
    for action in actions:
        kind = kinds[action.due_on]
        if timezone.localdate(action.created_at) > today:
            continue
        if (action.pk, kind, action.due_on) in logged:
            result = ReminderOutcome(action.pk, action.title, kind, action.due_on, "already_sent")
        else:
            result = _send_one(action, kind)
        run.outcomes.append(result)
        if progress is not None:
            progress(result)
    return run
