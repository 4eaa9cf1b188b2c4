"""Action items of a Joint Working Group."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema

from bakuhub.core.errors import NotFound, ValidationFailed
from bakuhub.working_groups import selectors, services
from bakuhub.working_groups.models import ActionItem, WorkingGroup

from ..auth import WRITE_AUTH, actor_of, writer
from ..common import paginate, patch_changes
from ..etag import expected_version, respond, respond_record
from ..schemas import PageOut
from ..schemas_jwg import ActionIn, ActionOut, ActionPatch
from ..types import Id, Limit, Offset
from .common import (
    INSIDER_READ_ERRORS,
    WRITE_ERRORS,
    Viewer,
    _any_decision,
    _any_meeting,
    _choice,
    _group,
    _insider,
    _member,
    router,
)
from .rendering import _render_action


class ActionFilters(Schema):
    owner: Id | None = None
    status: str | None = None
    overdue: bool | None = None
    limit: Limit = 50
    offset: Offset = 0


def _action(actor: Viewer, group: WorkingGroup, pk: int) -> ActionItem:
    action = selectors.action_list(user=actor, group=group).filter(pk=pk).first()
    if action is None:
        raise NotFound(f"No action item {pk} in {group.name}.")
    return action


@router.get("/{pk}/actions", response={200: PageOut[ActionOut], **INSIDER_READ_ERRORS})
def action_list(request: HttpRequest, pk: Id, filters: Query[ActionFilters]) -> HttpResponse:
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
def action_create(request: HttpRequest, pk: Id, payload: ActionIn) -> HttpResponse:
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
    action = _action(actor, group, action.pk)
    return respond_record(request, _render_action(action), action, status=201)


@router.get("/{pk}/actions/{action_id}", response={200: ActionOut, **INSIDER_READ_ERRORS})
def action_detail(request: HttpRequest, pk: Id, action_id: Id) -> HttpResponse:
    actor = actor_of(request)
    group = _group(pk)
    _insider(actor, group)
    action = _action(actor, group, action_id)
    return respond_record(request, _render_action(action), action)


@router.patch("/{pk}/actions/{action_id}", auth=WRITE_AUTH, response={200: ActionOut, **WRITE_ERRORS})
def action_update(request: HttpRequest, pk: Id, action_id: Id, payload: ActionPatch) -> HttpResponse:
    """Owners may change the status of their actions; managers anything. Send `If-Match` with the ETag you read: a
    stale one is refused with 412."""
    actor = writer(request)
    group = _group(pk)
    _insider(actor, group)
    action = _action(actor, group, action_id)
    data = patch_changes(payload)
    if "owner_id" in data:
        data["owner"] = _member(data.pop("owner_id"), "owner_id")
    services.action_item_update(actor=actor, action=action, expected_version=expected_version(request), **data)
    action = _action(actor, group, action_id)
    return respond_record(request, _render_action(action), action)
