from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from bakuhub.core.errors import NotFound, ValidationFailed
from bakuhub.partners import selectors, services
from bakuhub.partners.models import Memorandum, Organisation

from .auth import WRITE_AUTH, actor_of, writer
from .common import countries_by_iso3, country_by_iso3, paginate, patch_changes
from .errors import ErrorOut
from .etag import IF_MATCH_HELP, expected_version, respond, respond_record
from .schemas import (
    MemorandumDetailOut,
    MemorandumIn,
    MemorandumOut,
    MemorandumPatch,
    PageOut,
    SignatoryIn,
    SignatoryOut,
    VersionOut,
)
from .types import Id, Limit, Offset

router = Router(tags=["memoranda"])
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 412: ErrorOut}


class MemorandumFilters(Schema):
    country: str | None = None
    status: str | None = None
    limit: Limit = 50
    offset: Offset = 0


def _render(memo: Memorandum) -> dict[str, Any]:
    return MemorandumOut.model_validate(memo).model_dump(mode="json")


def _render_detail(memo: Memorandum) -> dict[str, Any]:
    return MemorandumDetailOut.model_validate(memo).model_dump(mode="json")


def _get(request: HttpRequest, pk: int) -> Memorandum:
    memo = selectors.memorandum_detail(user=actor_of(request), pk=pk)
    if memo is None:
        raise NotFound(f"No memorandum {pk} that you can see.")
    return memo


def _organisations(slugs: list[str]) -> list[Organisation]:
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        msg = f"Unknown organisation(s): {', '.join(missing)}."
        raise ValidationFailed(msg, errors={"party_organisations": [msg]})
    return [found[s] for s in slugs]


def _relations(data: dict[str, Any]) -> dict[str, Any]:
    for field in ("party_countries", "establishes_jwg_for"):
        if data.get(field) is not None:
            data[field] = countries_by_iso3(data[field], field)
    if data.get("party_organisations") is not None:
        data["party_organisations"] = _organisations(data["party_organisations"])
    return data


@router.get("", response={200: PageOut[MemorandumOut], 304: None, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut})
def memorandum_list(request: HttpRequest, filters: Query[MemorandumFilters]) -> HttpResponse:
    country = country_by_iso3(filters.country) if filters.country else None
    qs = selectors.memorandum_list(user=actor_of(request), country=country, status=filters.status)
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=_render))


@router.get("/{pk}", response={200: MemorandumDetailOut, 304: None, 401: ErrorOut, 404: ErrorOut})
def memorandum_detail(request: HttpRequest, pk: Id) -> HttpResponse:
    memo = _get(request, pk)
    return respond_record(request, _render_detail(memo), memo)


@router.post("", auth=WRITE_AUTH, response={201: MemorandumDetailOut, **WRITE_ERRORS})
def memorandum_create(request: HttpRequest, payload: MemorandumIn) -> HttpResponse:
    data = _relations(payload.model_dump())
    memo = services.memorandum_create(actor=writer(request), **data)
    memo = _get(request, memo.pk)
    return respond_record(request, _render_detail(memo), memo, status=201)


@router.patch("/{pk}", auth=WRITE_AUTH, response={200: MemorandumDetailOut, **WRITE_ERRORS}, description=IF_MATCH_HELP)
def memorandum_update(request: HttpRequest, pk: Id, payload: MemorandumPatch) -> HttpResponse:
    actor = writer(request)
    memo = _get(request, pk)
    data = _relations(patch_changes(payload, frozenset({"approved_on", "signed_on", "expires_on"})))
    services.memorandum_update(actor=actor, memorandum=memo, expected_version=expected_version(request), **data)
    memo = _get(request, pk)
    return respond_record(request, _render_detail(memo), memo)


@router.post("/{pk}/versions", auth=WRITE_AUTH, response={201: VersionOut, **WRITE_ERRORS})
def memorandum_version_add(
    request: HttpRequest, pk: Id, file: File[UploadedFile], note: Form[str] = ""
) -> HttpResponse:
    """Upload a new version (PDF, DOCX or ODT, at most 20 MB; the type is read from the content)."""
    actor = writer(request)
    memo = _get(request, pk)
    version = services.memorandum_version_add(actor=actor, memorandum=memo, upload=file, note=note)
    return respond(request, VersionOut.model_validate(version).model_dump(mode="json"), status=201)


@router.get("/{pk}/signatories", response={200: list[SignatoryOut], 304: None, 401: ErrorOut, 404: ErrorOut})
def memorandum_signatory_list(request: HttpRequest, pk: Id) -> HttpResponse:
    memo = _get(request, pk)
    return respond(request, [SignatoryOut.model_validate(s).model_dump(mode="json") for s in memo.signatories.all()])


@router.post("/{pk}/signatories", auth=WRITE_AUTH, response={201: SignatoryOut, **WRITE_ERRORS})
def memorandum_signatory_add(request: HttpRequest, pk: Id, payload: SignatoryIn) -> HttpResponse:
    """Add a signatory: the secretariat on any memorandum, a party on its own draft."""
    actor = writer(request)
    memo = _get(request, pk)
    signatory = services.memorandum_signatory_add(actor=actor, memorandum=memo, **payload.model_dump())
    return respond(request, SignatoryOut.model_validate(signatory).model_dump(mode="json"), status=201)


@router.delete("/{pk}/signatories/{signatory_id}", auth=WRITE_AUTH, response={204: None, **WRITE_ERRORS})
def memorandum_signatory_remove(request: HttpRequest, pk: Id, signatory_id: Id) -> HttpResponse:
    actor = writer(request)
    memo = _get(request, pk)
    signatory = memo.signatories.filter(pk=signatory_id).first()
    if signatory is None:
        raise NotFound(f"No signatory {signatory_id} on memorandum {pk}.")
    services.memorandum_signatory_remove(actor=actor, signatory=signatory)
    return HttpResponse(status=204)
