from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from bakuhub.core.errors import NotFound
from bakuhub.partners import lifecycle, selectors, services
from bakuhub.partners.models import Membership

from .auth import WRITE_AUTH, actor_of, writer
from .common import country_by_iso3, paginate, patch_changes
from .errors import ErrorOut
from .etag import expected_version, respond, respond_record
from .schemas import (
    MembershipCreateIn,
    MembershipEventOut,
    MembershipOut,
    MilestoneCorrectionIn,
    MilestoneIn,
    PageOut,
    TransitionIn,
)
from .types import Iso3, Limit, MilestoneCode, Offset

router = Router(tags=["memberships"])
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 412: ErrorOut}


class MembershipFilters(Schema):
    stage: str | None = None
    stalled: bool | None = Field(None, description="Deprecated alias: true lists those with `no_update_since` set")
    no_update_since_days: int | None = Field(
        None,
        ge=0,
        le=36500,
        description="Only memberships that expect a next step and had no update for more than this many days",
    )
    limit: Limit = 50
    offset: Offset = 0


def _render(membership: Membership) -> dict[str, Any]:
    return MembershipOut.model_validate(membership).model_dump(mode="json")


def _awaits(membership: Membership) -> bool:
    return lifecycle.awaits_next_step(lifecycle.Stage(membership.stage))


def _visible(request: HttpRequest, iso3: str) -> Membership:
    country = country_by_iso3(iso3)
    membership = selectors.membership_for_country(user=actor_of(request), country=country)
    if membership is None:
        raise NotFound(f"{country.iso3} has no membership you can see.")
    return membership


@router.get("", response={200: PageOut[MembershipOut], 304: None, 400: ErrorOut, 401: ErrorOut})
def membership_list(request: HttpRequest, filters: Query[MembershipFilters]) -> HttpResponse:
    qs = selectors.membership_list(user=actor_of(request), stage=filters.stage)
    if filters.stalled is not None:
        ids = [m.pk for m in qs if m.is_stalled == filters.stalled]
        qs = qs.filter(pk__in=ids)
    if filters.no_update_since_days is not None:
        today, days = timezone.localdate(), filters.no_update_since_days
        ids = [m.pk for m in qs if _awaits(m) and (today - (m.last_update_on or m.stage_since)).days > days]
        qs = qs.filter(pk__in=ids)
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=_render))


@router.post("", auth=WRITE_AUTH, response={201: MembershipOut, **WRITE_ERRORS})
def membership_create(request: HttpRequest, payload: MembershipCreateIn) -> HttpResponse:
    country = country_by_iso3(payload.country_iso3)
    membership = services.membership_create(
        actor=writer(request),
        country=country,
        stage=payload.stage,
        occurred_on=payload.occurred_on,
        date_precision=payload.date_precision,
        source_title=payload.source_title,
        source_url=payload.source_url,
        note=payload.note,
        is_public=payload.is_public,
    )
    return respond_record(request, _render(membership), membership, status=201)


@router.get("/{iso3}", response={200: MembershipOut, 304: None, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut})
def membership_detail(request: HttpRequest, iso3: Iso3) -> HttpResponse:
    membership = _visible(request, iso3)
    return respond_record(request, _render(membership), membership)


@router.get("/{iso3}/events", response={200: list[MembershipEventOut], 304: None, 400: ErrorOut, 404: ErrorOut})
def membership_events(request: HttpRequest, iso3: Iso3) -> HttpResponse:
    membership = _visible(request, iso3)
    events = selectors.membership_events(membership=membership)
    return respond(request, [MembershipEventOut.model_validate(e).model_dump(mode="json") for e in events])


@router.post("/{iso3}/transitions", auth=WRITE_AUTH, response={201: MembershipOut, **WRITE_ERRORS})
def membership_transition(request: HttpRequest, iso3: Iso3, payload: TransitionIn) -> HttpResponse:
    """Pause, resume, withdraw or restart a membership, with evidence. A milestone as `to_stage` records that
    milestone, in any order (prefer `POST /memberships/{iso3}/milestones`).

    Send `If-Match` with the ETag you read to avoid lost updates: a stale one is refused with 412.
    """
    actor = writer(request)
    membership = _visible(request, iso3)
    services.membership_advance(
        expected_version=expected_version(request),
        actor=actor,
        membership=membership,
        to_stage=payload.to_stage,
        occurred_on=payload.occurred_on,
        date_precision=payload.date_precision,
        source_title=payload.source_title,
        source_url=payload.source_url,
        source_publisher=payload.source_publisher,
        note=payload.note,
    )
    membership = _visible(request, iso3)
    return respond_record(request, _render(membership), membership, status=201)


@router.post("/{iso3}/milestones", auth=WRITE_AUTH, response={201: MembershipOut, **WRITE_ERRORS})
def milestone_record(request: HttpRequest, iso3: Iso3, payload: MilestoneIn) -> HttpResponse:
    """Record a dated milestone with its evidence, in any order; each milestone once (correct it with PATCH).

    Secretariat and the country's focal points. Send `If-Match` with the ETag you read to avoid lost updates.
    """
    actor = writer(request)
    membership = _visible(request, iso3)
    data = payload.model_dump()
    services.membership_milestone_record(
        actor=actor,
        membership=membership,
        expected_version=expected_version(request),
        milestone=data.pop("milestone"),
        reached_on=data.pop("reached_on"),
        **data,
    )
    membership = _visible(request, iso3)
    return respond_record(request, _render(membership), membership, status=201)


@router.patch("/{iso3}/milestones/{milestone}", auth=WRITE_AUTH, response={200: MembershipOut, **WRITE_ERRORS})
def milestone_correct(
    request: HttpRequest, iso3: Iso3, milestone: MilestoneCode, payload: MilestoneCorrectionIn
) -> HttpResponse:
    """Correct a recorded milestone (date, precision, evidence, note, inference); audited."""
    actor = writer(request)
    membership = _visible(request, iso3)
    changes = patch_changes(payload, frozenset())
    services.membership_milestone_correct(
        actor=actor,
        membership=membership,
        milestone=milestone,
        expected_version=expected_version(request),
        **changes,
    )
    membership = _visible(request, iso3)
    return respond_record(request, _render(membership), membership)
