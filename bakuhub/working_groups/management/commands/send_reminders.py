"""`bakuhub send_reminders`: e-mail action owners N days before and on the due date. Run it once a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bakuhub.working_groups.reminders import ReminderOutcome, reminders_send
from bakuhub.working_groups.tasks import send_action_reminders


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date; use YYYY-MM-DD, e.g. 2026-03-31.") from None


class Command(BaseCommand):
    help = (
        "E-mail the owners of open and in-progress JWG action items BAKUHUB_REMINDER_DAYS_BEFORE days before the "
        "due date and on the due date. Meant for a daily cron job or systemd timer (there is no scheduler): "
        "'bakuhub send_reminders' sends now and prints each reminder; 'bakuhub send_reminders --enqueue' only "
        "queues the task for the worker started with 'bakuhub db_worker'. Re-running is safe: a reminder is "
        "never sent twice, and one that failed to send is retried by the next run. Exits with status 1 if a "
        "reminder failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="Send the reminders that were due on this day instead of today (e.g. to replay a missed run).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the task for the background worker ('bakuhub db_worker') instead of sending now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["date"]) if options["date"] else None
        quiet = options["verbosity"] == 0
        if options["enqueue"]:
            result = send_action_reminders.enqueue(today_iso=today.isoformat() if today else None)
            if not quiet:
                self.stdout.write(
                    f"Queued the reminders task {result.id} (backend '{result.backend}', status {result.status!s}); "
                    "the worker started with 'bakuhub db_worker' sends them."
                )
            return

        def progress(outcome: ReminderOutcome) -> None:
            if outcome.result == "failed":
                self.stderr.write(outcome.describe())
            elif not quiet:
                self.stdout.write(outcome.describe())

        if not quiet:
            days = settings.BAKUHUB_REMINDER_DAYS_BEFORE
            self.stdout.write(f"Sending reminders ({days} days before and on the due date)…")
        run = reminders_send(today=today, progress=progress)
        if run.failed:
            raise CommandError(f"{run.summary()} The next run retries the failed ones.")
        if not quiet:
            self.stdout.write(self.style.SUCCESS(run.summary()) if run.sent else run.summary())
