"""Joint Working Groups and their members, and each group's calendar feed."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Schema

from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.working_groups import selectors, services
from bakuhub.working_groups.calendar import group_calendar_ics
from bakuhub.working_groups.models import WorkingGroup, WorkingGroupMember
from bakuhub.working_groups.permissions import can

from ..auth import WRITE_AUTH, actor_of, writer
from ..common import countries_by_iso3, country_by_iso3, paginate, patch_changes
from ..errors import ErrorOut
from ..etag import expected_version, respond, respond_record
from ..schemas import PageOut
from ..schemas_jwg import MemberIn, MemberOut, WorkingGroupDetailOut, WorkingGroupIn, WorkingGroupOut, WorkingGroupPatch
from ..types import Id, Limit, Offset
from .common import (
    READ_ERRORS,
    WRITE_ERRORS,
    _choice,
    _group,
    _groups,
    _insider,
    memorandum_for,
    organisation_for,
    router,
)
from .rendering import _render_group, _render_group_detail, _render_member


class GroupFilters(Schema):
    country: str | None = None
    status: str | None = None
    limit: Limit = 50
    offset: Offset = 0


@router.get("", response={200: PageOut[WorkingGroupOut], **READ_ERRORS})
def working_group_list(request: HttpRequest, filters: Query[GroupFilters]) -> HttpResponse:
    actor = actor_of(request)
    country = country_by_iso3(filters.country) if filters.country else None
    status = _choice(filters.status, WorkingGroup.Status, "status")
    qs = _groups()
    if country is not None:
        qs = qs.filter(country=country)
    if status:
        qs = qs.filter(status=status)
    return respond(
        request, paginate(qs, limit=filters.limit, offset=filters.offset, render=lambda g: _render_group(g, actor))
    )


@router.post("", auth=WRITE_AUTH, response={201: WorkingGroupDetailOut, **WRITE_ERRORS})
def working_group_create(request: HttpRequest, payload: WorkingGroupIn) -> HttpResponse:
    """Set up a Joint Working Group (the secretariat)."""
    actor = writer(request)
    data = payload.model_dump()
    (country,) = countries_by_iso3([data.pop("country_iso3")], "country_iso3")
    memorandum = memorandum_for(actor, data.pop("memorandum_id"), "memorandum_id")
    group = services.working_group_create(actor=actor, country=country, memorandum=memorandum, **data)
    group = _group(group.pk)
    return respond_record(request, _render_group_detail(group, actor), group, status=201)


@router.get("/{pk}", response={200: WorkingGroupDetailOut, **READ_ERRORS})
def working_group_detail(request: HttpRequest, pk: Id) -> HttpResponse:
    actor = actor_of(request)
    group = _group(pk)
    return respond_record(request, _render_group_detail(group, actor), group)


@router.patch("/{pk}", auth=WRITE_AUTH, response={200: WorkingGroupDetailOut, **WRITE_ERRORS})
def working_group_update(request: HttpRequest, pk: Id, payload: WorkingGroupPatch) -> HttpResponse:
    """Edit a group (the secretariat and the country's focal points). Send `If-Match` with the ETag you read: a
    stale one is refused with 412."""
    actor = writer(request)
    group = _group(pk)
    services.working_group_update(
        actor=actor,
        working_group=group,
        expected_version=expected_version(request),
        **patch_changes(payload, frozenset({"started_on"})),
    )
    group = _group(pk)
    return respond_record(request, _render_group_detail(group, actor), group)


@router.post("/{pk}/members", auth=WRITE_AUTH, response={201: MemberOut, **WRITE_ERRORS})
def member_add(request: HttpRequest, pk: Id, payload: MemberIn) -> HttpResponse:
    """Add a person (a name, or a platform user by username) or an organisation to the group."""
    actor = writer(request)
    group = _group(pk)
    if not can(actor, "change_workinggroup", group):  # before the lookups, so usernames cannot be probed
        raise PermissionDenied(f"You may not change the members of {group.name}.")
    user = None
    if payload.username:
        user = selectors.addable_user(user=actor, group=group, username=payload.username)
        if user is None:
            msg = _("No platform user '%(username)s' that you may add to this group.") % {
                "username": payload.username[:60]
            }
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
    view = next(v for v in selectors.member_views(user=actor, group=group, members=[member]))
    data = MemberOut.model_validate(_render_member(view)).model_dump(mode="json")
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
def working_group_calendar(request: HttpRequest, pk: Id) -> HttpResponse:
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
