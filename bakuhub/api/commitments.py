"""The commitment tracker: who committed what, with evidence, and how far it got (announced → delivered)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from bakuhub.commitments import selectors, services
from bakuhub.commitments.models import Commitment
from bakuhub.commitments.selectors import Tally
from bakuhub.core.errors import NotFound, ValidationFailed
from bakuhub.partners.models import Organisation

from .auth import WRITE_AUTH, actor_of, writer
from .common import countries_by_iso3, country_by_iso3, paginate
from .errors import ErrorOut
from .etag import expected_version, respond, respond_record
from .jwg.common import Viewer, memorandum_for, organisation_for
from .schemas import PageOut
from .schemas_jwg import (
    CommitmentDetailOut,
    CommitmentEventOut,
    CommitmentIn,
    CommitmentOut,
    CommitmentTotalsOut,
    CommitmentTransitionIn,
)
from .types import Id, Limit, Offset

router = Router(tags=["commitments"])
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 412: ErrorOut}
READ_ERRORS = {304: None, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut}


class CommitmentFilters(Schema):
    status: str | None = None
    kind: str | None = None
    country: str | None = None
    organisation: str | None = None
    limit: Limit = 50
    offset: Offset = 0


def _choice(value: str | None, choices: Any, field: str) -> str | None:
    if value and value not in choices.values:
        msg = f"'{value[:40]}' is not one of: {', '.join(choices.values)}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return value


def _fields(c: Commitment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "description": c.description,
        "kind": c.kind,
        "status": c.status,
        "committer_country_iso3": c.committer_country.iso3 if c.committer_country is not None else None,
        "committer_organisation": c.committer_organisation.slug if c.committer_organisation is not None else None,
        "committer_name": str(c.committer),
        "beneficiary_country_iso3": c.beneficiary_country.iso3 if c.beneficiary_country is not None else None,
        "amount": str(c.amount) if c.amount is not None else None,
        "currency": c.currency,
        "announced_on": c.announced_on,
        "date_precision": c.date_precision,
        "memorandum_id": c.visible_memorandum_id,  # type: ignore[attr-defined]  # None if you may not see it
        "agreement_reference": c.agreement_reference,
        "is_public": c.is_public,
        "source_title": c.source_title,
        "source_publisher": c.source_publisher,
        "source_url": c.source_url,
    }


def _render(c: Commitment) -> dict[str, Any]:
    return CommitmentOut.model_validate(_fields(c)).model_dump(mode="json")


def _render_detail(c: Commitment) -> dict[str, Any]:
    data = _fields(c)
    data["source_quote"] = c.source_quote
    data["events"] = [
        CommitmentEventOut.model_validate(e).model_dump(mode="json") for e in selectors.commitment_events(commitment=c)
    ]
    return CommitmentDetailOut.model_validate(data).model_dump(mode="json")


def _get(actor: Viewer, pk: int) -> Commitment:
    commitment = selectors.commitment_list(user=actor).filter(pk=pk).first()
    if commitment is None:
        raise NotFound(f"No commitment {pk} that you can see.")
    return commitment


def _country(code: str | None, field: str) -> Any:
    return countries_by_iso3([code], field)[0] if code else None


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _tally(tally: Tally) -> dict[str, Any]:
    return {
        "counts": dict(tally.counts),
        "money": {cur: {st: _money(v) for st, v in stages.items()} for cur, stages in sorted(tally.money.items())},
    }


@router.get("", response={200: PageOut[CommitmentOut], **READ_ERRORS})
def commitment_list(request: HttpRequest, filters: Query[CommitmentFilters]) -> HttpResponse:
    """Commitments you may see: public ones, and the others of your countries or organisations."""
    actor = actor_of(request)
    country = country_by_iso3(filters.country) if filters.country else None
    organisation = None
    if filters.organisation:
        organisation = Organisation.objects.filter(slug=filters.organisation).first()
        if organisation is None:
            raise NotFound(f"No organisation '{filters.organisation[:60]}'.")
    qs = selectors.commitment_list(
        user=actor,
        status=_choice(filters.status, Commitment.Status, "status"),
        kind=_choice(filters.kind, Commitment.Kind, "kind"),
        country=country,
        organisation=organisation,
    )
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=_render))


@router.get("/totals", response={200: CommitmentTotalsOut, **READ_ERRORS})
def commitment_totals(request: HttpRequest) -> HttpResponse:
    """Pledged → formalised → funded → delivered: counts and money per currency (as strings) that reached each
    stage, overall, per partner and per country."""
    totals = selectors.commitment_totals(user=actor_of(request))
    payload = {
        "overall": _tally(totals["overall"]["all"]),
        "partners": {name: _tally(t) for name, t in sorted(totals["partners"].items())},
        "countries": {name: _tally(t) for name, t in sorted(totals["countries"].items())},
    }
    return respond(request, CommitmentTotalsOut.model_validate(payload).model_dump(mode="json"))


@router.post("", auth=WRITE_AUTH, response={201: CommitmentDetailOut, **WRITE_ERRORS})
def commitment_create(request: HttpRequest, payload: CommitmentIn) -> HttpResponse:
    """Record an announced commitment with its source (the secretariat; focal points and partner editors for their
    own countries and organisations)."""
    actor = writer(request)
    data = payload.model_dump()
    commitment = services.commitment_create(
        actor=actor,
        committer_country=_country(data.pop("committer_country_iso3"), "committer_country_iso3"),
        committer_organisation=organisation_for(data.pop("committer_organisation"), "committer_organisation"),
        beneficiary_country=_country(data.pop("beneficiary_country_iso3"), "beneficiary_country_iso3"),
        **data,
    )
    commitment = _get(actor, commitment.pk)
    return respond_record(request, _render_detail(commitment), commitment, status=201)


@router.get("/{pk}", response={200: CommitmentDetailOut, **READ_ERRORS})
def commitment_detail(request: HttpRequest, pk: Id) -> HttpResponse:
    commitment = _get(actor_of(request), pk)
    return respond_record(request, _render_detail(commitment), commitment)


@router.post("/{pk}/transitions", auth=WRITE_AUTH, response={201: CommitmentDetailOut, **WRITE_ERRORS})
def commitment_transition(request: HttpRequest, pk: Id, payload: CommitmentTransitionIn) -> HttpResponse:
    """Move a commitment forward with dated evidence. Send `If-Match` with the ETag you read: a stale one is refused
    with 412."""
    actor = writer(request)
    commitment = _get(actor, pk)
    data = payload.model_dump()
    services.commitment_advance(
        actor=actor,
        commitment=commitment,
        memorandum=memorandum_for(actor, data.pop("memorandum_id"), "memorandum_id"),
        expected_version=expected_version(request),
        **data,
    )
    commitment = _get(actor, pk)
    return respond_record(request, _render_detail(commitment), commitment, status=201)
