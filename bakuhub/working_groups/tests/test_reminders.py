from __future__ import annotations

import datetime as dt
import io
import smtplib
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bakuhub.core.models import AuditRecord
from bakuhub.testing.factories import UserFactory
from bakuhub.working_groups import services
from bakuhub.working_groups.models import ActionItem, ReminderLog
from bakuhub.working_groups.reminders import reminders_send
from bakuhub.working_groups.tasks import send_action_reminders

from .factories import ActionItemFactory, DecisionFactory, MemberFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture(autouse=True)
def _reminder_settings(settings):
    settings.BAKUHUB_REMINDER_DAYS_BEFORE = 3
    settings.BAKUHUB_SITE_URL = "https://hub.example.org/"
    settings.DEFAULT_FROM_EMAIL = "hub@example.org"


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def group(chad):
    return WorkingGroupFactory(country=chad, name="Chad JWG")


@pytest.fixture
def owner(group):
    return MemberFactory(working_group=group, person_name="Amina Mahamat", email="amina@example.org")


@pytest.fixture
def make_action(group, owner, today):
    def make(due_in: int, **kwargs):
        kwargs.setdefault("owner", owner)
        return ActionItemFactory(working_group=group, due_on=today + due_in * DAY, **kwargs)

    return make


def test_it_sends_a_reminder_three_days_before(make_action, group, today, mailoutbox):
    decision = DecisionFactory(working_group=group)
    action = make_action(3, title="Send the list of sites", decision=decision)

    run = reminders_send(today=today)

    assert run.sent == 1
    [mail] = mailoutbox
    assert mail.subject == "[Baku Hub] Action due in 3 days: Send the list of sites"
    assert mail.to == ["amina@example.org"]
    assert mail.from_email == "hub@example.org"
    assert "Chad JWG" in mail.body
    assert decision.reference in mail.body
    assert f"{action.due_on.day} " in mail.body
    assert f"https://hub.example.org/working-groups/{group.pk}/" in mail.body
    assert reverse("portal:working_group", kwargs={"pk": group.pk}) == f"/working-groups/{group.pk}/"
    log = ReminderLog.objects.get(action=action)
    assert (log.kind, log.due_on, log.recipient) == ("before", action.due_on, "amina@example.org")
    record = AuditRecord.objects.get(action="actionitem.reminder", object_id=str(action.pk))
    assert record.actor_label == "system"
    assert record.changes["kind"] == [None, "before"]
    assert record.changes["recipient"] == [None, "amina@example.org"]


def test_it_sends_on_the_due_date(make_action, today, mailoutbox):
    action = make_action(0, title="Sign the ToR", status=ActionItem.Status.IN_PROGRESS)

    reminders_send(today=today)

    [mail] = mailoutbox
    assert mail.subject == "[Baku Hub] Action due today: Sign the ToR"
    assert "in progress" in mail.body
    assert ReminderLog.objects.get(action=action).kind == "due"


def test_it_sends_nothing_on_other_days(make_action, today, mailoutbox):
    for due_in in (1, 2, 4, 30):
        make_action(due_in)

    assert reminders_send(today=today).outcomes == []
    assert mailoutbox == []


def test_it_does_not_nag_about_an_overdue_action_every_day(make_action, today, mailoutbox):
    make_action(-1)
    make_action(-3)

    reminders_send(today=today)

    assert mailoutbox == []


def test_it_sends_nothing_for_a_done_action(make_action, today, mailoutbox):
    make_action(0, status=ActionItem.Status.DONE, completed_on=today - DAY)
    make_action(3, status=ActionItem.Status.DONE, completed_on=today)
    make_action(0, status=ActionItem.Status.DROPPED)

    reminders_send(today=today)

    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


def test_an_action_done_before_its_due_date_gets_no_due_reminder(make_action, today, secretariat, mailoutbox):
    action = make_action(3)
    reminders_send(today=today)
    services.action_item_update(actor=secretariat, action=action, status=ActionItem.Status.DONE)

    reminders_send(today=today + 3 * DAY)

    assert [m.subject.split(":")[0] for m in mailoutbox] == ["[Baku Hub] Action due in 3 days"]


def test_a_rerun_sends_no_duplicate(make_action, today, mailoutbox):
    make_action(3)
    make_action(0)

    first = reminders_send(today=today)
    second = reminders_send(today=today)

    assert first.sent == 2
    assert (second.sent, second.already_sent) == (0, 2)
    assert len(mailoutbox) == 2
    assert ReminderLog.objects.count() == 2


def test_a_moved_due_date_gets_new_reminders(make_action, today, secretariat, mailoutbox):
    action = make_action(3)
    reminders_send(today=today)
    services.action_item_update(actor=secretariat, action=action, due_on=today + 10 * DAY)

    reminders_send(today=today + 7 * DAY)
    reminders_send(today=today + 10 * DAY)
    reminders_send(today=today + 10 * DAY)

    logged = set(ReminderLog.objects.filter(action=action).values_list("kind", "due_on"))
    assert logged == {("before", today + 3 * DAY), ("before", today + 10 * DAY), ("due", today + 10 * DAY)}
    assert len(mailoutbox) == 3


def test_a_failed_send_is_retried_next_run(make_action, today, mailoutbox):
    action = make_action(0)

    with mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("connection lost")):
        failed = reminders_send(today=today)

    assert (failed.sent, failed.failed) == (0, 1)
    assert "SMTPServerDisconnected" in failed.outcomes[0].error
    assert not ReminderLog.objects.exists()
    assert not AuditRecord.objects.filter(action="actionitem.reminder").exists()
    assert mailoutbox == []

    retried = reminders_send(today=today)

    assert retried.sent == 1
    assert len(mailoutbox) == 1
    assert ReminderLog.objects.filter(action=action, kind="due").exists()


def test_one_failure_does_not_stop_the_others(make_action, today, mailoutbox):
    make_action(0, title="First")
    make_action(0, title="Second")
    sent = []

    def flaky(self, messages):
        if "First" in messages[0].subject:
            raise ConnectionRefusedError("no mail server")
        sent.extend(messages)
        return len(messages)

    with mock.patch(LOCMEM_SEND, flaky):
        run = reminders_send(today=today)

    assert (run.sent, run.failed) == (1, 1)
    assert [m.subject for m in sent] == ["[Baku Hub] Action due today: Second"]


def test_it_sends_no_late_before_reminder_for_an_action_created_after_that_day(make_action, today, mailoutbox):
    make_action(2)  # created today; its "3 days before" was yesterday

    replay_yesterday = reminders_send(today=today - DAY)
    run_today = reminders_send(today=today)

    assert replay_yesterday.outcomes == run_today.outcomes == []
    assert mailoutbox == []
    reminders_send(today=today + 2 * DAY)
    assert len(mailoutbox) == 1


def test_it_writes_in_the_owners_language(group, make_action, today, mailoutbox):
    user = UserFactory(email="fatime@example.org", preferred_language="fr")
    french = MemberFactory(working_group=group, user=user, person_name="Fatimé", email="")
    make_action(3, owner=french, title="Envoyer la liste")

    reminders_send(today=today)

    [mail] = mailoutbox
    assert mail.to == ["fatime@example.org"]
    assert mail.subject == "[Baku Hub] Action à échéance dans 3 jours : Envoyer la liste"
    assert "Groupe de travail conjoint : Chad JWG" in mail.body
    assert "Décision : aucune" in mail.body


def test_it_falls_back_to_english_for_a_language_it_does_not_offer(group, make_action, today, mailoutbox):
    user = UserFactory(preferred_language="de")
    make_action(0, owner=MemberFactory(working_group=group, user=user, email=""), title="Report")

    reminders_send(today=today)

    assert mailoutbox[0].subject == "[Baku Hub] Action due today: Report"


def test_it_does_not_escape_the_plain_text(make_action, today, mailoutbox):
    make_action(0, title='Q&A <draft> with "partners"')

    reminders_send(today=today)

    assert mailoutbox[0].subject == '[Baku Hub] Action due today: Q&A <draft> with "partners"'
    assert "Q&A <draft>" in mailoutbox[0].body


def test_it_skips_an_owner_without_an_address(group, make_action, iom, today, mailoutbox):
    organisation = MemberFactory(working_group=group, organisation=iom, person_name="", email="")
    make_action(0, owner=organisation)

    run = reminders_send(today=today)

    assert run.no_address == 1
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


def test_the_task_runs_through_the_immediate_backend(make_action, today, mailoutbox):
    make_action(3)

    result = send_action_reminders.enqueue(today_iso=today.isoformat())

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections, as in production
def test_the_command_enqueues_with_the_database_backend(make_action, today, settings, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_action(3)
    out = io.StringIO()

    call_command("send_reminders", "--enqueue", "--date", today.isoformat(), stdout=out)

    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.READY
    assert task.task_path == "bakuhub.working_groups.tasks.send_action_reminders"
    assert task.args_kwargs["kwargs"] == {"today_iso": today.isoformat()}
    assert "db_worker" in out.getvalue()
    assert mailoutbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(mailoutbox) == 1


def test_the_command_sends_now_and_reports_each_reminder(make_action, today, mailoutbox):
    make_action(0, title="Sign the ToR")
    out = io.StringIO()

    call_command("send_reminders", "--date", today.isoformat(), stdout=out)

    assert len(mailoutbox) == 1
    text = out.getvalue()
    assert "sent due reminder" in text
    assert "'Sign the ToR'" in text
    assert "1 sent, 0 already sent" in text


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="not a date"):
        call_command("send_reminders", "--date", "31/03/2026")


def test_the_command_fails_when_a_reminder_fails(make_action, today):
    make_action(0)

    with (
        mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPException("down")),
        pytest.raises(CommandError, match="1 failed"),
    ):
        call_command("send_reminders", stdout=io.StringIO(), stderr=io.StringIO())
