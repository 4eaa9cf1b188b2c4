"""Meetings of a Joint Working Group: agenda items, attendance and attachments."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Schema
from ninja.files import UploadedFile

from bakuhub.core.errors import NotFound
from bakuhub.working_groups import selectors, services
from bakuhub.working_groups.models import WorkingGroupMember
from bakuhub.working_groups.timezones import zone_for_country

from ..auth import WRITE_AUTH, actor_of, writer
from ..common import paginate, patch_changes
from ..etag import expected_version, respond, respond_record
from ..schemas import PageOut
from ..schemas_jwg import (
    AgendaItemIn,
    AgendaItemOut,
    AttachmentOut,
    AttendanceIn,
    AttendanceOut,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
)
from ..types import Id, Limit, Offset
from .common import READ_ERRORS, WRITE_ERRORS, _group, _meeting, router
from .rendering import _render_meeting, _render_meeting_detail, _viewer_zone


class MeetingFilters(Schema):
    tz: str | None = None
    limit: Limit = 50
    offset: Offset = 0


@router.get("/{pk}/meetings", response={200: PageOut[MeetingOut], **READ_ERRORS})
def meeting_list(request: HttpRequest, pk: Id, filters: Query[MeetingFilters]) -> HttpResponse:
    """Meetings, latest first. `?tz=Europe/Rome` adds `viewer_start` in that zone."""
    actor_of(request)
    group = _group(pk)
    viewer_zone = _viewer_zone(filters.tz)
    qs = selectors.meeting_list(group=group)
    render = lambda m: _render_meeting(m, viewer_zone)  # noqa: E731
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=render))


@router.post("/{pk}/meetings", auth=WRITE_AUTH, response={201: MeetingDetailOut, **WRITE_ERRORS})
def meeting_create(request: HttpRequest, pk: Id, payload: MeetingIn) -> HttpResponse:
    """Schedule a meeting. A time without an offset is local time in `timezone` (default: the country's zone)."""
    actor = writer(request)
    group = _group(pk)
    data = payload.model_dump()
    data["timezone"] = data["timezone"] or zone_for_country(group.country.iso3)
    meeting = _meeting(group, services.meeting_create(actor=actor, working_group=group, **data).pk)
    return respond_record(request, _render_meeting_detail(meeting, group, actor), meeting, status=201)


@router.get("/{pk}/meetings/{meeting_id}", response={200: MeetingDetailOut, **READ_ERRORS})
def meeting_detail(request: HttpRequest, pk: Id, meeting_id: Id, tz: str | None = None) -> HttpResponse:
    actor = actor_of(request)
    group = _group(pk)
    meeting = _meeting(group, meeting_id)
    return respond_record(request, _render_meeting_detail(meeting, group, actor, _viewer_zone(tz)), meeting)


@router.patch("/{pk}/meetings/{meeting_id}", auth=WRITE_AUTH, response={200: MeetingDetailOut, **WRITE_ERRORS})
def meeting_update(request: HttpRequest, pk: Id, meeting_id: Id, payload: MeetingPatch) -> HttpResponse:
    """Change a meeting (managers). Send `If-Match` with the ETag you read: a stale one is refused with 412."""
    actor = writer(request)
    group = _group(pk)
    meeting = _meeting(group, meeting_id)
    services.meeting_update(
        actor=actor,
        meeting=meeting,
        expected_version=expected_version(request),
        **patch_changes(payload, frozenset({"ends_at"})),
    )
    meeting = _meeting(group, meeting_id)
    return respond_record(request, _render_meeting_detail(meeting, group, actor), meeting)


@router.post("/{pk}/meetings/{meeting_id}/agenda-items", auth=WRITE_AUTH, response={201: AgendaItemOut, **WRITE_ERRORS})
def agenda_item_add(request: HttpRequest, pk: Id, meeting_id: Id, payload: AgendaItemIn) -> HttpResponse:
    actor = writer(request)
    meeting = _meeting(_group(pk), meeting_id)
    item = services.agenda_item_add(actor=actor, meeting=meeting, title=payload.title, description=payload.description)
    return respond(request, AgendaItemOut.model_validate(item).model_dump(mode="json"), status=201)


@router.put(
    "/{pk}/meetings/{meeting_id}/attendance/{member_id}",
    auth=WRITE_AUTH,
    response={200: AttendanceOut, **WRITE_ERRORS},
)
def attendance_set(request: HttpRequest, pk: Id, meeting_id: Id, member_id: Id, payload: AttendanceIn) -> HttpResponse:
    """Record whether a member attended (present, apologies, absent)."""
    actor = writer(request)
    meeting = _meeting(_group(pk), meeting_id)
    member = WorkingGroupMember.objects.select_related("user", "organisation").filter(pk=member_id).first()
    if member is None:
        raise NotFound(f"No Joint Working Group member {member_id}.")
    row = services.attendance_set(actor=actor, meeting=meeting, member=member, status=payload.status)
    data = {"member_id": member.pk, "member": str(member), "status": row.status}
    return respond(request, AttendanceOut.model_validate(data).model_dump(mode="json"))


@router.post("/{pk}/meetings/{meeting_id}/attachments", auth=WRITE_AUTH, response={201: AttachmentOut, **WRITE_ERRORS})
def meeting_attachment_add(request: HttpRequest, pk: Id, meeting_id: Id, file: File[UploadedFile]) -> HttpResponse:
    """Attach a document (PDF, DOCX or ODT, at most 20 MB; the type is read from the content)."""
    actor = writer(request)
    meeting = _meeting(_group(pk), meeting_id)
    attachment = services.meeting_attachment_add(actor=actor, meeting=meeting, upload=file)
    return respond(request, AttachmentOut.model_validate(attachment).model_dump(mode="json"), status=201)
