"""Background tasks of the JWG module (django-tasks; the worker is `bakuhub db_worker`)."""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

from .reminders import reminders_send

logger = logging.getLogger(__name__)


@task()
def send_action_reminders(today_iso: str | None = None) -> int:
    """Send the action reminders due on `today_iso` (YYYY-MM-DD; default: today) and return how many were sent.

    Safe to run more than once a day: a reminder already sent is never sent again, a failed one is retried."""
    today = dt.date.fromisoformat(today_iso) if today_iso else None
    run = reminders_send(today=today)
    log = logger.warning if run.failed else logger.info
    log("%s", run.summary())
    return run.sent
