"""Decisions of a Joint Working Group, numbered by the server."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema

from bakuhub.commitments import selectors as commitment_selectors
from bakuhub.commitments.models import Commitment
from bakuhub.core.errors import NotFound, ValidationFailed
from bakuhub.working_groups import selectors, services
from bakuhub.working_groups.models import AgendaItem, Decision, WorkingGroup

from ..auth import WRITE_AUTH, actor_of, writer
from ..common import paginate, patch_changes
from ..etag import expected_version, respond, respond_record
from ..schemas import PageOut
from ..schemas_jwg import DecisionIn, DecisionOut, DecisionPatch
from ..types import Id, Limit, Offset
from .common import READ_ERRORS, WRITE_ERRORS, Viewer, _any_decision, _any_meeting, _choice, _group, router
from .rendering import _render_decision


class DecisionFilters(Schema):
    status: str | None = None
    limit: Limit = 50
    offset: Offset = 0


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
def decision_list(request: HttpRequest, pk: Id, filters: Query[DecisionFilters]) -> HttpResponse:
    actor = actor_of(request)
    group = _group(pk)
    status = _choice(filters.status, Decision.Status, "status")
    qs = selectors.decision_list(group=group, status=status)
    render = lambda d: _render_decision(d, actor)  # noqa: E731
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=render))


@router.post("/{pk}/decisions", auth=WRITE_AUTH, response={201: DecisionOut, **WRITE_ERRORS})
def decision_create(request: HttpRequest, pk: Id, payload: DecisionIn) -> HttpResponse:
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
    decision = _decision(group, decision.pk)
    return respond_record(request, _render_decision(decision, actor), decision, status=201)


@router.get("/{pk}/decisions/{decision_id}", response={200: DecisionOut, **READ_ERRORS})
def decision_detail(request: HttpRequest, pk: Id, decision_id: Id) -> HttpResponse:
    actor = actor_of(request)
    decision = _decision(_group(pk), decision_id)
    return respond_record(request, _render_decision(decision, actor), decision)


@router.patch("/{pk}/decisions/{decision_id}", auth=WRITE_AUTH, response={200: DecisionOut, **WRITE_ERRORS})
def decision_update(request: HttpRequest, pk: Id, decision_id: Id, payload: DecisionPatch) -> HttpResponse:
    """Change a decision's status (managers); `superseded` names the decision that supersedes it. Send `If-Match`
    with the ETag you read: a stale one is refused with 412."""
    actor = writer(request)
    group = _group(pk)
    decision = _decision(group, decision_id)
    data = patch_changes(payload, frozenset({"superseded_by"}))
    if "superseded_by" in data:
        superseded_by = _any_decision(data["superseded_by"], "superseded_by")
    else:
        superseded_by = decision.superseded_by
    services.decision_update(
        actor=actor,
        decision=decision,
        status=data.get("status", decision.status),
        superseded_by=superseded_by,
        expected_version=expected_version(request),
    )
    decision = _decision(group, decision_id)
    return respond_record(request, _render_decision(decision, actor), decision)
