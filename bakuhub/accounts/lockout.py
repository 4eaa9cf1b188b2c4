"""Sign-in lockouts (django-axes): when a locked-out client may try again, and the audit trail of lockouts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from bakuhub.core import audit

from .models import User


def _cool_off() -> dt.timedelta:
    cool_off: dt.timedelta = settings.AXES_COOLOFF_TIME
    return cool_off


def _recent(**lookup: Any) -> QuerySet[AccessAttempt]:
    attempts: QuerySet[AccessAttempt] = AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - _cool_off(), **lookup
    )
    return attempts


def retry_at(*, username: str | None, address: str | None) -> dt.datetime:
    """The moment the lockout on this username or address ends (the latest of the groups that are locked)."""
    ends: list[dt.datetime] = []
    groups = [{"username": username}] if username else []
    groups += [{"ip_address": address}] if address else []
    for lookup in groups:
        totals = _recent(**lookup).aggregate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
        if (totals["failures"] or 0) >= settings.AXES_FAILURE_LIMIT and totals["latest"] is not None:
            ends.append(totals["latest"] + _cool_off())
    return max(ends, default=timezone.now() + _cool_off())


def minute_label(moment: dt.datetime) -> str:
    """`HH:MM` in UTC, rounded up so the time shown is never before the real end."""
    moment = moment.astimezone(dt.UTC)
    rounded = moment.replace(second=0, microsecond=0)
    if rounded < moment:
        rounded += dt.timedelta(minutes=1)
    return rounded.strftime("%H:%M")


def record_lockout(request: HttpRequest, username: str | None, address: str | None) -> None:
    """Audit the failure that starts a lockout (not every refused attempt during it)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures != settings.AXES_FAILURE_LIMIT:
        return
    until = retry_at(username=username, address=address).isoformat()
    changes: dict[str, list[Any]] = {
        "address": [None, address],
        "failures": [None, failures],
        "locked_until": [None, until],
    }
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        audit.record(actor=None, action="signin.lockout", obj=user, changes=changes)
        return
    changes["username"] = [None, username]
    audit.record_event(
        action="signin.lockout",
        object_type="accounts.signin",
        object_id=username or address or "",
        object_repr=f"Sign-in as '{username or ''}' from {address or 'unknown address'}",
        changes=changes,
    )


def record_sign_in_after_failures(request: HttpRequest | None, user: User) -> None:
    """A successful sign-in that follows recent failures for the same username leaves a trace."""
    if request is None or not isinstance(user, User):
        return
    failures = _recent(username=user.get_username()).aggregate(n=Sum("failures_since_start"))["n"] or 0
    if failures:
        audit.record(
            actor=user,
            action="signin.after_failures",
            obj=user,
            changes={"address": [None, getattr(request, "axes_ip_address", None)], "failures": [None, failures]},
        )


def clear_after_password_reset(user: User) -> int:
    """A finished password reset proves the owner holds the account's e-mail: the account's own lockout ends (an
    address that is locked stays locked). Returns the number of cleared attempt records; audited when any."""
    attempts = AccessAttempt.objects.filter(username=user.get_username())
    cleared: int = attempts.count()
    if cleared:
        attempts.delete()
        audit.record(
            actor=user, action="signin.lockout_cleared", obj=user, changes={"reason": [None, "password reset"]}
        )
    return cleared
