"""Joint Working Groups: groups and members, meetings, decisions, action items and the group calendar.

The public sees groups, members (without e-mail addresses), meetings' dates and places, and decisions. Insiders
(the secretariat, funders, the country's focal points and the group's own members) also see minutes, agenda,
attendance, attachments, action items and members' e-mail addresses."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile

from bakuhub.accounts.models import User
from bakuhub.commitments import selectors as commitment_selectors
from bakuhub.commitments.models import Commitment
from bakuhub.commitments.permissions import can as can_commitment
from bakuhub.core.errors import NotFound, PermissionDenied, ValidationFailed
from bakuhub.partners import selectors as partner_selectors
from bakuhub.partners.models import Memorandum, Organisation
from bakuhub.working_groups import selectors, services
from bakuhub.working_groups.calendar import group_calendar_ics
from bakuhub.working_groups.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    WorkingGroup,
    WorkingGroupMember,
)
from bakuhub.working_groups.permissions import can
from bakuhub.working_groups.timezones import zone, zone_for_country

from .auth import WRITE_AUTH, actor_of, writer
from .common import countries_by_iso3, country_by_iso3, paginate
from .errors import ErrorOut
from .etag import require_fresh, respond
from .schemas import PageOut
from .schemas_jwg import (
    ActionIn,
    ActionOut,
    ActionPatch,
    AgendaItemIn,
    AgendaItemOut,
    AttachmentOut,
    AttendanceIn,
    AttendanceOut,
    DecisionIn,
    DecisionOut,
    DecisionPatch,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MemberIn,
    MemberOut,
    WorkingGroupDetailOut,
    WorkingGroupIn,
    WorkingGroupOut,
    WorkingGroupPatch,
)

router = Router(tags=["working groups"])
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 412: ErrorOut}
READ_ERRORS = {304: None, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut}
INSIDER_READ_ERRORS = {**READ_ERRORS, 403: ErrorOut}
Viewer = User | AnonymousUser


# --- Lookups and checks ---------------------------------------------------------------------------------------


def _choice(value: str | None, choices: Any, field: str) -> str | None:
    """A filter value must be one of the model's choices (an unknown one is a typo, not an empty result)."""
    if value and value not in choices.values:
        msg = f"'{value[:40]}' is not one of: {', '.join(choices.values)}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return value


def _groups() -> QuerySet[WorkingGroup]:
    co_chairs = WorkingGroupMember.objects.filter(role=WorkingGroupMember.Role.CO_CHAIR).select_related(
        "user", "organisation"
    )
    return selectors.working_group_list().prefetch_related(
        Prefetch("members", queryset=co_chairs.order_by("id"), to_attr="co_chair_rows")
    )


def _group(pk: int) -> WorkingGroup:
    group = _groups().filter(pk=pk).first()
    if group is None:
        raise NotFound(f"No Joint Working Group {pk}.")
    return group


def _insider(actor: Viewer, group: WorkingGroup) -> None:
    """Action items and the calendar are for the group's insiders: anonymous callers sign in, others are refused."""
    if not actor.is_authenticated:
        raise AuthenticationError()
    if not selectors.sees_internals(actor, group):
        raise PermissionDenied(f"Only the members, focal points, funders and secretariat of {group.name} see this.")


def _member(pk: int, field: str) -> WorkingGroupMember:
    """Any member by id; the services refuse a member of another group with a clear message."""
    member = WorkingGroupMember.objects.select_related("user", "organisation").filter(pk=pk).first()
    if member is None:
        msg = f"No Joint Working Group member {pk}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return member


def _meeting(group: WorkingGroup, pk: int) -> Meeting:
    meeting = selectors.meeting_detail(group=group, pk=pk)
    if meeting is None:
        raise NotFound(f"No meeting {pk} in {group.name}.")
    return meeting


def _any_meeting(pk: int | None, field: str) -> Meeting | None:
    if pk is None:
        return None
    meeting = Meeting.objects.select_related("working_group").filter(pk=pk).first()
    if meeting is None:
        msg = f"No meeting {pk}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return meeting


def _any_decision(pk: int | None, field: str) -> Decision | None:
    if pk is None:
        return None
    decision = Decision.objects.select_related("working_group").filter(pk=pk).first()
    if decision is None:
        msg = f"No decision {pk}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return decision


def memorandum_for(actor: Viewer, pk: int | None, field: str) -> Memorandum | None:
    """A memorandum the caller may see, by id (a body field, so an unknown one is a 400)."""
    if pk is None:
        return None
    memo = partner_selectors.memorandum_list(user=actor).filter(pk=pk).first()
    if memo is None:
        msg = f"No memorandum {pk} that you can see."
        raise ValidationFailed(msg, errors={field: [msg]})
    return memo


def organisation_for(slug: str | None, field: str) -> Organisation | None:
    if not slug:
        return None
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        msg = f"Unknown organisation '{slug[:60]}'."
        raise ValidationFailed(msg, errors={field: [msg]})
    return org


def _changes(payload: Schema, nullable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields a PATCH sends; null is refused where the field cannot be empty."""
    data = payload.model_dump(exclude_unset=True)
    nulls = sorted(k for k, v in data.items() if v is None and k not in nullable)
    if nulls:
        raise ValidationFailed(
            f"These fields cannot be null: {', '.join(nulls)}.", errors={k: ["May not be null."] for k in nulls}
        )
    return data


# --- Rendering ------------------------------------------------------------------------------------------------


def _render_member(member: WorkingGroupMember, *, insider: bool) -> dict[str, Any]:
    return {
        "id": member.pk,
        "name": str(member),
        "person_name": member.person_name,
        "role": member.role,
        "organisation": member.organisation.slug if member.organisation is not None else None,
        "is_platform_user": member.user_id is not None,
        "email": (member.reminder_email or None) if insider else None,
    }


def _group_fields(group: WorkingGroup, co_chairs: list[WorkingGroupMember], *, insider: bool) -> dict[str, Any]:
    return {
        "id": group.pk,
        "code": group.code,
        "name": group.name,
        "country_iso3": group.country.iso3,
        "country_name": group.country.name,
        "status": group.status,
        "started_on": group.started_on,
        "started_precision": group.started_precision,
        "memorandum_id": group.memorandum_id,
        "meeting_count": getattr(group, "meeting_count", 0),
        "decision_count": getattr(group, "decision_count", 0),
        "co_chairs": [_render_member(m, insider=insider) for m in co_chairs],
    }


def _render_group(group: WorkingGroup) -> dict[str, Any]:
    co_chairs: list[WorkingGroupMember] = getattr(group, "co_chair_rows", [])
    return WorkingGroupOut.model_validate(_group_fields(group, co_chairs, insider=False)).model_dump(mode="json")


def _render_group_detail(group: WorkingGroup, actor: Viewer) -> dict[str, Any]:
    insider = selectors.sees_internals(actor, group)
    members = list(selectors.working_group_members(group=group))
    co_chairs = [m for m in members if m.role == WorkingGroupMember.Role.CO_CHAIR]
    data = _group_fields(group, co_chairs, insider=insider)
    data.update(
        terms_of_reference=group.terms_of_reference,
        source_title=group.source_title,
        source_publisher=group.source_publisher,
        source_url=group.source_url,
        source_quote=group.source_quote,
        is_demo=group.is_demo,
        viewer_is_insider=insider,
        members=[_render_member(m, insider=insider) for m in members],
    )
    return WorkingGroupDetailOut.model_validate(data).model_dump(mode="json")


def _meeting_fields(meeting: Meeting, viewer_zone: ZoneInfo | None) -> dict[str, Any]:
    local = zone(meeting.timezone)
    return {
        "id": meeting.pk,
        "working_group_id": meeting.working_group_id,
        "title": meeting.title,
        "starts_at": meeting.starts_at.astimezone(dt.UTC),
        "ends_at": meeting.ends_at.astimezone(dt.UTC),
        "timezone": meeting.timezone,
        "local_start": meeting.starts_at.astimezone(local),
        "local_end": meeting.ends_at.astimezone(local),
        "viewer_start": meeting.starts_at.astimezone(viewer_zone) if viewer_zone is not None else None,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "status": meeting.status,
        "language": meeting.language,
        "is_example": meeting.is_example,
        "sequence": meeting.sequence,
    }


def _render_meeting(meeting: Meeting, viewer_zone: ZoneInfo | None = None) -> dict[str, Any]:
    return MeetingOut.model_validate(_meeting_fields(meeting, viewer_zone)).model_dump(mode="json")


def _render_meeting_detail(
    meeting: Meeting, group: WorkingGroup, actor: Viewer, viewer_zone: ZoneInfo | None = None
) -> dict[str, Any]:
    data = _meeting_fields(meeting, viewer_zone)
    data["decisions"] = [{"id": d.pk, "reference": d.reference, "status": d.status} for d in meeting.decisions.all()]
    if selectors.sees_internals(actor, group):
        names = {m.pk: str(m) for m in selectors.working_group_members(group=group)}
        data.update(
            minutes=meeting.minutes,
            agenda_items=list(meeting.agenda_items.all()),
            attendance=[
                {"member_id": a.member_id, "member": names.get(a.member_id, ""), "status": a.status}
                for a in meeting.attendance.all()
            ],
            attachments=list(meeting.attachments.all()),
            actions=list(meeting.actions.all()),
        )
    return MeetingDetailOut.model_validate(data).model_dump(mode="json")


def _render_decision(decision: Decision, actor: Viewer) -> dict[str, Any]:
    visible = [c.pk for c in decision.commitments.all() if can_commitment(actor, "view_commitment", c)]
    data = {
        "id": decision.pk,
        "working_group_id": decision.working_group_id,
        "reference": decision.reference,
        "year": decision.year,
        "number": decision.number,
        "text": decision.text,
        "decided_on": decision.decided_on,
        "status": decision.status,
        "meeting_id": decision.meeting_id,
        "agenda_item_id": decision.agenda_item_id,
        "superseded_by_id": decision.superseded_by_id,
        "commitment_ids": sorted(visible),
    }
    return DecisionOut.model_validate(data).model_dump(mode="json")


def _render_action(action: ActionItem) -> dict[str, Any]:
    data = {
        "id": action.pk,
        "working_group_id": action.working_group_id,
        "working_group_code": action.working_group.code,
        "country_iso3": action.working_group.country.iso3,
        "title": action.title,
        "description": action.description,
        "owner_id": action.owner_id,
        "owner": str(action.owner),
        "due_on": action.due_on,
        "status": action.status,
        "is_overdue": action.is_overdue,
        "completed_on": action.completed_on,
        "decision_id": action.decision_id,
        "decision_reference": action.decision.reference if action.decision is not None else None,
        "meeting_id": action.meeting_id,
    }
    return ActionOut.model_validate(data).model_dump(mode="json")


def _viewer_zone(tz: str | None) -> ZoneInfo | None:
    return zone(tz, field="tz") if tz else None


# --- Cross-group action boards (declared before the /{pk} routes) ---------------------------------------------


class BoardFilters(Schema):
    limit: int = 50
    offset: int = 0


@router.get("/actions/mine", auth=WRITE_AUTH, response={200: PageOut[ActionOut], **READ_ERRORS})
def my_actions(request: HttpRequest, filters: Query[BoardFilters]) -> HttpResponse:
    """Your open action items across every group: yours as a person or through an organisation you edit."""
    qs = selectors.my_actions(user=writer(request)).select_related("owner__user")
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=_render_action))


@router.get("/actions/overdue", auth=WRITE_AUTH, response={200: PageOut[ActionOut], **READ_ERRORS})
def overdue_actions(request: HttpRequest, filters: Query[BoardFilters]) -> HttpResponse:
    """The overdue board: open action items past their due date, in every group whose internals you see."""
    qs = selectors.overdue_board(user=writer(request))
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=_render_action))


# --- Groups and members ---------------------------------------------------------------------------------------


class GroupFilters(Schema):
    country: str | None = None
    status: str | None = None
    limit: int = 50
    offset: int = 0


@router.get("", response={200: PageOut[WorkingGroupOut], **READ_ERRORS})
def working_group_list(request: HttpRequest, filters: Query[GroupFilters]) -> HttpResponse:
    actor_of(request)
    country = country_by_iso3(filters.country) if filters.country else None
    status = _choice(filters.status, WorkingGroup.Status, "status")
    qs = _groups()
    if country is not None:
        qs = qs.filter(country=country)
    if status:
        qs = qs.filter(status=status)
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=_render_group))


@router.post("", auth=WRITE_AUTH, response={201: WorkingGroupDetailOut, **WRITE_ERRORS})
def working_group_create(request: HttpRequest, payload: WorkingGroupIn) -> HttpResponse:
    """Set up a Joint Working Group (the secretariat)."""
    actor = writer(request)
    data = payload.model_dump()
    (country,) = countries_by_iso3([data.pop("country_iso3")], "country_iso3")
    memorandum = memorandum_for(actor, data.pop("memorandum_id"), "memorandum_id")
    group = services.working_group_create(actor=actor, country=country, memorandum=memorandum, **data)
    return respond(request, _render_group_detail(_group(group.pk), actor), status=201)


@router.get("/{pk}", response={200: WorkingGroupDetailOut, **READ_ERRORS})
def working_group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    return respond(request, _render_group_detail(_group(pk), actor))


@router.patch("/{pk}", auth=WRITE_AUTH, response={200: WorkingGroupDetailOut, **WRITE_ERRORS})
def working_group_update(request: HttpRequest, pk: int, payload: WorkingGroupPatch) -> HttpResponse:
    """Edit a group (the secretariat and the country's focal points). Send `If-Match` with the ETag you read."""
    actor = writer(request)
    group = _group(pk)
    require_fresh(request, _render_group_detail(group, actor))
    services.working_group_update(actor=actor, working_group=group, **_changes(payload, frozenset({"started_on"})))
    return respond(request, _render_group_detail(_group(pk), actor))


@router.post("/{pk}/members", auth=WRITE_AUTH, response={201: MemberOut, **WRITE_ERRORS})
def member_add(request: HttpRequest, pk: int, payload: MemberIn) -> HttpResponse:
    """Add a person (a name, or a platform user by username) or an organisation to the group."""
    actor = writer(request)
    group = _group(pk)
    if not can(actor, "change_workinggroup", group):  # before the lookups, so usernames cannot be probed
        raise PermissionDenied(f"You may not change the members of {group.name}.")
    user = None
    if payload.username:
        user = User.objects.filter(username=payload.username, is_active=True).first()
        if user is None:
            msg = f"No active platform user '{payload.username[:60]}'."
            raise ValidationFailed(msg, errors={"username": [msg]})
    member = services.member_add(
        actor=actor,
        working_group=group,
        role=payload.role,
        user=user,
        organisation=organisation_for(payload.organisation, "organisation"),
        person_name=payload.person_name,
        email=payload.email,
    )
    member = WorkingGroupMember.objects.select_related("user", "organisation").get(pk=member.pk)
    data = MemberOut.model_validate(_render_member(member, insider=True)).model_dump(mode="json")
    return respond(request, data, status=201)


@router.get(
    "/{pk}/calendar.ics",
    auth=WRITE_AUTH,
    response={200: None, 304: None, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra={
        "responses": {
            200: {
                "description": "The group's meetings as an iCalendar (RFC 5545) feed",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def working_group_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's meetings as `text/calendar`, for insiders signed in or sending a personal token."""
    actor = writer(request)
    group = _group(pk)
    _insider(actor, group)
    body = group_calendar_ics(group, insider=True)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in {part.strip().removeprefix("W/") for part in request.headers.get("If-None-Match", "").split(",")}:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{group.code.lower()}.ics"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Cookie"
    return response


# --- Meetings -------------------------------------------------------------------------------------------------


class MeetingFilters(Schema):
    tz: str | None = None
    limit: int = 50
    offset: int = 0


@router.get("/{pk}/meetings", response={200: PageOut[MeetingOut], **READ_ERRORS})
def meeting_list(request: HttpRequest, pk: int, filters: Query[MeetingFilters]) -> HttpResponse:
    """Meetings, latest first. `?tz=Europe/Rome` adds `viewer_start` in that zone."""
    actor_of(request)
    group = _group(pk)
    viewer_zone = _viewer_zone(filters.tz)
    qs = selectors.meeting_list(group=group)
    render = lambda m: _render_meeting(m, viewer_zone)  # noqa: E731
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=render))


@router.post("/{pk}/meetings", auth=WRITE_AUTH, response={201: MeetingDetailOut, **WRITE_ERRORS})
def meeting_create(request: HttpRequest, pk: int, payload: MeetingIn) -> HttpResponse:
    """Schedule a meeting. A time without an offset is local time in `timezone` (default: the country's zone)."""
    actor = writer(request)
    group = _group(pk)
    data = payload.model_dump()
    data["timezone"] = data["timezone"] or zone_for_country(group.country.iso3)
    meeting = services.meeting_create(actor=actor, working_group=group, **data)
    return respond(request, _render_meeting_detail(_meeting(group, meeting.pk), group, actor), status=201)


@router.get("/{pk}/meetings/{meeting_id}", response={200: MeetingDetailOut, **READ_ERRORS})
def meeting_detail(request: HttpRequest, pk: int, meeting_id: int, tz: str | None = None) -> HttpResponse:
    actor = actor_of(request)
    group = _group(pk)
    return respond(request, _render_meeting_detail(_meeting(group, meeting_id), group, actor, _viewer_zone(tz)))


@router.patch("/{pk}/meetings/{meeting_id}", auth=WRITE_AUTH, response={200: MeetingDetailOut, **WRITE_ERRORS})
def meeting_update(request: HttpRequest, pk: int, meeting_id: int, payload: MeetingPatch) -> HttpResponse:
    """Change a meeting (managers). Send `If-Match` with the ETag you read (without `?tz=`)."""
    actor = writer(request)
    group = _group(pk)
    meeting = _meeting(group, meeting_id)
    require_fresh(request, _render_meeting_detail(meeting, group, actor))
    services.meeting_update(actor=actor, meeting=meeting, **_changes(payload, frozenset({"ends_at"})))
    return respond(request, _render_meeting_detail(_meeting(group, meeting_id), group, actor))


@router.post("/{pk}/meetings/{meeting_id}/agenda-items", auth=WRITE_AUTH, response={201: AgendaItemOut, **WRITE_ERRORS})
def agenda_item_add(request: HttpRequest, pk: int, meeting_id: int, payload: AgendaItemIn) -> HttpResponse:
    actor = writer(request)
    meeting = _meeting(_group(pk), meeting_id)
    item = services.agenda_item_add(actor=actor, meeting=meeting, title=payload.title, description=payload.description)
    return respond(request, AgendaItemOut.model_validate(item).model_dump(mode="json"), status=201)


@router.put(
    "/{pk}/meetings/{meeting_id}/attendance/{member_id}",
    auth=WRITE_AUTH,
    response={200: AttendanceOut, **WRITE_ERRORS},
)
def attendance_set(
    request: HttpRequest, pk: int, meeting_id: int, member_id: int, payload: AttendanceIn
) -> HttpResponse:
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
def meeting_attachment_add(request: HttpRequest, pk: int, meeting_id: int, file: File[UploadedFile]) -> HttpResponse:
    """Attach a document (PDF, DOCX or ODT, at most 20 MB; the type is read from the content)."""
    actor = writer(request)
    meeting = _meeting(_group(pk), meeting_id)
    attachment = services.meeting_attachment_add(actor=actor, meeting=meeting, upload=file)
    return respond(request, AttachmentOut.model_validate(attachment).model_dump(mode="json"), status=201)


# --- Decisions ------------------------------------------------------------------------------------------------


class DecisionFilters(Schema):
    status: str | None = None
    limit: int = 50
    offset: int = 0


def _decision(group: WorkingGroup, pk: int) -> Decision:
    decision = selectors.decision_list(group=group).filter(pk=pk).first()
    if decision is None:
        raise NotFound(f"No decision {pk} in {group.name}.")
    return decision


def _commitments(actor: Viewer, ids: list[int]) -> list[Commitment]:
    found = {c.pk: c for c in commitment_selectors.commitment_list(user=actor).filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        msg = f"No commitment(s) {', '.join(missing)} that you can see."
        raise ValidationFailed(msg, errors={"commitment_ids": [msg]})
    return [found[i] for i in dict.fromkeys(ids)]


@router.get("/{pk}/decisions", response={200: PageOut[DecisionOut], **READ_ERRORS})
def decision_list(request: HttpRequest, pk: int, filters: Query[DecisionFilters]) -> HttpResponse:
    actor = actor_of(request)
    group = _group(pk)
    status = _choice(filters.status, Decision.Status, "status")
    qs = selectors.decision_list(group=group, status=status)
    render = lambda d: _render_decision(d, actor)  # noqa: E731
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=render))


@router.post("/{pk}/decisions", auth=WRITE_AUTH, response={201: DecisionOut, **WRITE_ERRORS})
def decision_create(request: HttpRequest, pk: int, payload: DecisionIn) -> HttpResponse:
    """Record a decision (managers); its number, e.g. TCD-JWG/2025/03, is given by the server. An agenda item
    implies its meeting."""
    actor = writer(request)
    group = _group(pk)
    agenda_item = None
    meeting = _any_meeting(payload.meeting_id, "meeting_id")
    if payload.agenda_item_id is not None:
        agenda_item = AgendaItem.objects.select_related("meeting").filter(pk=payload.agenda_item_id).first()
        if agenda_item is None:
            msg = f"No agenda item {payload.agenda_item_id}."
            raise ValidationFailed(msg, errors={"agenda_item_id": [msg]})
        meeting = meeting or agenda_item.meeting  # the item names its meeting; the service checks they agree
    decision = services.decision_create(
        actor=actor,
        working_group=group,
        text=payload.text,
        decided_on=payload.decided_on,
        meeting=meeting,
        agenda_item=agenda_item,
        status=payload.status,
        commitments=_commitments(actor, payload.commitment_ids),
    )
    return respond(request, _render_decision(_decision(group, decision.pk), actor), status=201)


@router.get("/{pk}/decisions/{decision_id}", response={200: DecisionOut, **READ_ERRORS})
def decision_detail(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    actor = actor_of(request)
    return respond(request, _render_decision(_decision(_group(pk), decision_id), actor))


@router.patch("/{pk}/decisions/{decision_id}", auth=WRITE_AUTH, response={200: DecisionOut, **WRITE_ERRORS})
def decision_update(request: HttpRequest, pk: int, decision_id: int, payload: DecisionPatch) -> HttpResponse:
    """Change a decision's status (managers); `superseded` names the decision that supersedes it."""
    actor = writer(request)
    group = _group(pk)
    decision = _decision(group, decision_id)
    require_fresh(request, _render_decision(decision, actor))
    data = _changes(payload, frozenset({"superseded_by"}))
    if "superseded_by" in data:
        superseded_by = _any_decision(data["superseded_by"], "superseded_by")
    else:
        superseded_by = decision.superseded_by
    services.decision_update(
        actor=actor, decision=decision, status=data.get("status", decision.status), superseded_by=superseded_by
    )
    return respond(request, _render_decision(_decision(group, decision_id), actor))


# --- Action items ---------------------------------------------------------------------------------------------


class ActionFilters(Schema):
    owner: int | None = None
    status: str | None = None
    overdue: bool | None = None
    limit: int = 50
    offset: int = 0


def _action(actor: Viewer, group: WorkingGroup, pk: int) -> ActionItem:
    action = selectors.action_list(user=actor, group=group).filter(pk=pk).first()
    if action is None:
        raise NotFound(f"No action item {pk} in {group.name}.")
    return action


@router.get("/{pk}/actions", response={200: PageOut[ActionOut], **INSIDER_READ_ERRORS})
def action_list(request: HttpRequest, pk: int, filters: Query[ActionFilters]) -> HttpResponse:
    """Action items of the group (insiders only); `overdue=true` keeps the open ones past their due date."""
    actor = actor_of(request)
    group = _group(pk)
    _insider(actor, group)
    owner = None
    if filters.owner is not None:
        owner = group.members.filter(pk=filters.owner).first()
        if owner is None:
            msg = f"No member {filters.owner} in {group.name}."
            raise ValidationFailed(msg, errors={"owner": [msg]})
    status = _choice(filters.status, ActionItem.Status, "status")
    qs = selectors.action_list(user=actor, group=group, status=status, overdue=filters.overdue, owner=owner)
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=_render_action))


@router.post("/{pk}/actions", auth=WRITE_AUTH, response={201: ActionOut, **WRITE_ERRORS})
def action_create(request: HttpRequest, pk: int, payload: ActionIn) -> HttpResponse:
    """Assign an action item to a member of the group (managers)."""
    actor = writer(request)
    group = _group(pk)
    action = services.action_item_create(
        actor=actor,
        working_group=group,
        title=payload.title,
        owner=_member(payload.owner_id, "owner_id"),
        due_on=payload.due_on,
        description=payload.description,
        decision=_any_decision(payload.decision_id, "decision_id"),
        meeting=_any_meeting(payload.meeting_id, "meeting_id"),
    )
    return respond(request, _render_action(_action(actor, group, action.pk)), status=201)


@router.get("/{pk}/actions/{action_id}", response={200: ActionOut, **INSIDER_READ_ERRORS})
def action_detail(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    actor = actor_of(request)
    group = _group(pk)
    _insider(actor, group)
    return respond(request, _render_action(_action(actor, group, action_id)))


@router.patch("/{pk}/actions/{action_id}", auth=WRITE_AUTH, response={200: ActionOut, **WRITE_ERRORS})
def action_update(request: HttpRequest, pk: int, action_id: int, payload: ActionPatch) -> HttpResponse:
    """Owners may change the status of their actions; managers anything. Send `If-Match` with the ETag you read."""
    actor = writer(request)
    group = _group(pk)
    _insider(actor, group)
    action = _action(actor, group, action_id)
    require_fresh(request, _render_action(action))
    data = _changes(payload)
    if "owner_id" in data:
        data["owner"] = _member(data.pop("owner_id"), "owner_id")
    services.action_item_update(actor=actor, action=action, **data)
    return respond(request, _render_action(_action(actor, group, action_id)))
