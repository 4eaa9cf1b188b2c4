"""Meeting writes: schedule and update meetings, agenda items, attendance, minutes and attachments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.concurrency import bump, lock_fresh
from bakuhub.core.dates import plausible_datetime
from bakuhub.core.errors import Conflict, PermissionDenied, ValidationFailed
from bakuhub.core.files import Upload, check_document, original_name, store_checked
from bakuhub.core.richtext import sanitise_html
from bakuhub.core.validation import boolean, optional_text, optional_url, required_text
from bakuhub.working_groups.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAttachment,
    WorkingGroup,
    WorkingGroupMember,
)
from bakuhub.working_groups.permissions import can
from bakuhub.working_groups.timezones import aware, zone

MEETING_FIELDS = ["working_group", "title", "starts_at", "ends_at", "timezone", "place", "online_url", "status",
                  "minutes", "language", "is_example"]  # fmt: skip
LANGUAGES = ("en", "fr", "pt", "ar")


def _check_manage(actor: User | None, group: WorkingGroup) -> None:
    if actor is not None and not can(actor, "manage_meetings", group):
        raise PermissionDenied(f"You may not manage the meetings of {group.name}.")


def _times(starts_at: dt.datetime, ends_at: dt.datetime | None, tz_name: str) -> tuple[dt.datetime, dt.datetime]:
    tz = zone(tz_name)
    plausible_datetime(starts_at, "starts_at")
    if ends_at is not None:
        plausible_datetime(ends_at, "ends_at")
    start = aware(starts_at, tz)
    end = aware(ends_at, tz) if ends_at is not None else start + dt.timedelta(hours=2)
    if end <= start:
        raise ValidationFailed("The meeting must end after it starts.", errors={"ends_at": ["Before the start."]})
    if end - start > dt.timedelta(days=7):
        raise ValidationFailed("A meeting lasts at most 7 days.", errors={"ends_at": ["More than 7 days."]})
    return start, end


def _language(value: str) -> str:
    if value not in LANGUAGES:
        msg = f"'{value}' is not a supported language ({', '.join(LANGUAGES)})."
        raise ValidationFailed(msg, errors={"language": [msg]})
    return value


@transaction.atomic
def meeting_create(
    *,
    actor: User | None,
    working_group: WorkingGroup,
    title: str,
    starts_at: dt.datetime,
    timezone: str,
    ends_at: dt.datetime | None = None,
    place: str = "",
    online_url: str = "",
    status: str = Meeting.Status.PLANNED,
    minutes: str = "",
    language: str = "en",
    is_example: bool = False,
    is_demo: bool = False,
) -> Meeting:
    _check_manage(actor, working_group)
    start, end = _times(starts_at, ends_at, timezone)
    if status not in Meeting.Status.values:
        raise ValidationFailed(f"'{status}' is not a meeting status.", errors={"status": ["Unknown status."]})
    place = optional_text(place, "place", max_length=300)
    online_url = optional_url(online_url, "online_url")
    if not place and not online_url:
        msg = "Give the place or the online link of the meeting."
        raise ValidationFailed(msg, errors={"place": [msg]})
    meeting = Meeting.objects.create(
        working_group=working_group,
        title=required_text(title, "title", max_length=300),
        starts_at=start,
        ends_at=end,
        timezone=timezone,
        place=place,
        online_url=online_url,
        status=status,
        minutes=sanitise_html(minutes, field="minutes"),
        language=_language(language),
        is_example=boolean(is_example, "is_example"),
        is_demo=is_demo,
    )
    audit.record_create(actor=actor, obj=meeting, fields=MEETING_FIELDS)
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, expected_version: int | None = None, **data: Any) -> Meeting:
    """Change the meeting. A stale `expected_version` (the version the client read) is refused with 412."""
    _check_manage(actor, meeting.working_group)
    lock_fresh(meeting, expected_version, what=gettext("meeting"))
    allowed = {"title", "starts_at", "ends_at", "timezone", "place", "online_url", "status", "minutes", "language"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationFailed(f"These fields cannot be changed here: {', '.join(unknown)}.")
    before = audit.snapshot(meeting, MEETING_FIELDS)
    if {"starts_at", "ends_at", "timezone"} & set(data):
        tz_name = data.get("timezone", meeting.timezone)
        ends_at = data.get("ends_at")
        if ends_at is None and "starts_at" in data:  # moving only the start keeps the meeting's length
            moved = aware(plausible_datetime(data["starts_at"], "starts_at"), zone(tz_name))
            ends_at = moved + (meeting.ends_at - meeting.starts_at)
        start, end = _times(data.get("starts_at", meeting.starts_at), ends_at or meeting.ends_at, tz_name)
        meeting.starts_at, meeting.ends_at, meeting.timezone = start, end, tz_name
    if "title" in data:
        meeting.title = required_text(data["title"], "title", max_length=300)
    if "place" in data:
        meeting.place = optional_text(data["place"], "place", max_length=300)
    if "online_url" in data:
        meeting.online_url = optional_url(data["online_url"], "online_url")
    if "status" in data:
        if data["status"] not in Meeting.Status.values:
            raise ValidationFailed(f"'{data['status']}' is not a meeting status.", errors={"status": ["Unknown."]})
        meeting.status = data["status"]
    if "minutes" in data:
        meeting.minutes = sanitise_html(data["minutes"], field="minutes")
    if "language" in data:
        meeting.language = _language(data["language"])
    if not meeting.place and not meeting.online_url:
        msg = "Give the place or the online link of the meeting."
        raise ValidationFailed(msg, errors={"place": [msg]})
    changes = audit.diff(before, audit.snapshot(meeting, MEETING_FIELDS))
    if changes:
        changes["version"] = bump(meeting)
        meeting.save()
        Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
        meeting.refresh_from_db(fields=["sequence"])
        audit.record(actor=actor, action="meeting.update", obj=meeting, changes=changes)
    return meeting


@transaction.atomic
def agenda_item_add(*, actor: User | None, meeting: Meeting, title: str, description: str = "") -> AgendaItem:
    _check_manage(actor, meeting.working_group)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    number = (meeting.agenda_items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        number=number,
        title=required_text(title, "title", max_length=300),
        description=optional_text(description, "description", max_length=5000),
    )
    audit.record_create(actor=actor, obj=item, fields=["meeting", "number", "title"])
    return item


@transaction.atomic
def attendance_set(
    *, actor: User | None, meeting: Meeting, member: WorkingGroupMember, status: str = Attendance.Status.PRESENT
) -> Attendance:
    _check_manage(actor, meeting.working_group)
    if member.working_group_id != meeting.working_group_id:
        msg = f"{member} is not a member of {meeting.working_group.name}."
        raise ValidationFailed(msg, errors={"member": [msg]})
    if status not in Attendance.Status.values:
        raise ValidationFailed(f"'{status}' is not an attendance status.", errors={"status": ["Unknown."]})
    row, created = Attendance.objects.get_or_create(meeting=meeting, member=member, defaults={"status": status})
    if created:
        audit.record_create(actor=actor, obj=row, fields=["meeting", "member", "status"])
    elif row.status != status:
        audit.record(actor=actor, action="attendance.update", obj=row, changes={"status": [row.status, status]})
        row.status = status
        row.save(update_fields=["status"])
    return row


@transaction.atomic
def meeting_attachment_add(*, actor: User, meeting: Meeting, upload: Upload) -> MeetingAttachment:
    """Attach a PDF/DOCX/ODT (type read from the content, size limited); nothing is kept on refusal."""
    _check_manage(actor, meeting.working_group)
    checked = check_document(upload, max_bytes=settings.BAKUHUB_DOCUMENT_MAX_BYTES)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if meeting.attachments.filter(sha256=checked.sha256).exists():
        msg = _("This file is already attached to the meeting; it was not stored again.")
        raise Conflict(msg, errors={"file": [msg]})
    attachment = MeetingAttachment(
        meeting=meeting,
        original_name=original_name(upload),
        mime_type=checked.mime,
        size_bytes=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    store_checked(attachment.file, upload, checked)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit.record_create(actor=actor, obj=attachment, fields=["meeting", "original_name", "mime_type", "size_bytes"])
    return attachment
