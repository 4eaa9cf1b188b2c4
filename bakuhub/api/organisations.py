from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from bakuhub.core.errors import NotFound
from bakuhub.partners import selectors, services
from bakuhub.partners.models import Organisation

from .auth import WRITE_AUTH, actor_of, writer
from .common import country_by_iso3, paginate, patch_changes
from .errors import ErrorOut
from .etag import IF_MATCH_HELP, expected_version, respond, respond_record
from .schemas import OrganisationIn, OrganisationOut, OrganisationPatch, PageOut
from .types import Limit, Offset, Slug

router = Router(tags=["organisations"])
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 412: ErrorOut}


class OrganisationFilters(Schema):
    search: str | None = None
    org_type: str | None = None
    limit: Limit = 50
    offset: Offset = 0


def _render(org: Organisation) -> dict[str, Any]:
    return OrganisationOut.model_validate(org).model_dump(mode="json")


def _get(slug: str) -> Organisation:
    org = selectors.organisation_list().filter(slug=slug).first()
    if org is None:
        raise NotFound(f"No organisation '{slug[:60]}'.")
    return org


def _country_field(data: dict[str, Any]) -> dict[str, Any]:
    if "country_iso3" in data:
        code = data.pop("country_iso3")
        data["country"] = country_by_iso3(code) if code else None
    return data


@router.get("", response={200: PageOut[OrganisationOut], 304: None, 400: ErrorOut, 401: ErrorOut})
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> HttpResponse:
    actor_of(request)
    qs = selectors.organisation_list(search=filters.search, org_type=filters.org_type)
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=_render))


@router.get("/{slug}", response={200: OrganisationOut, 304: None, 401: ErrorOut, 404: ErrorOut})
def organisation_detail(request: HttpRequest, slug: Slug) -> HttpResponse:
    actor_of(request)
    org = _get(slug)
    return respond_record(request, _render(org), org)


@router.post("", auth=WRITE_AUTH, response={201: OrganisationOut, **WRITE_ERRORS})
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> HttpResponse:
    data = _country_field(payload.model_dump())
    org = services.organisation_create(actor=writer(request), **data)
    return respond_record(request, _render(org), org, status=201)


@router.patch("/{slug}", auth=WRITE_AUTH, response={200: OrganisationOut, **WRITE_ERRORS}, description=IF_MATCH_HELP)
def organisation_update(request: HttpRequest, slug: Slug, payload: OrganisationPatch) -> HttpResponse:
    actor = writer(request)
    org = _get(slug)
    data = _country_field(patch_changes(payload, frozenset({"iati_identifier", "country_iso3"})))
    org = services.organisation_update(
        actor=actor, organisation=org, expected_version=expected_version(request), **data
    )
    return respond_record(request, _render(org), org)


@router.post("/{slug}/logo", auth=WRITE_AUTH, response={200: OrganisationOut, **WRITE_ERRORS})
def organisation_logo(request: HttpRequest, slug: Slug, file: File[UploadedFile]) -> HttpResponse:
    """Upload the logo (PNG, JPEG or WebP, at most 1 MB and 2000x2000 pixels; the type is read from the content).
    Send `If-Match` with the ETag you read: a stale one is refused with 412."""
    actor = writer(request)
    org = _get(slug)
    org = services.organisation_update(
        actor=actor, organisation=org, logo=file, expected_version=expected_version(request)
    )
    return respond_record(request, _render(org), org)
