from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from bakuhub.partners import selectors

from .auth import actor_of
from .common import country_by_iso3, paginate
from .errors import ErrorOut
from .etag import respond
from .schemas import AdminUnitOut, CountryDetailOut, CountryOut, MembershipOut, PageOut
from .types import Iso3, Limit, Offset

router = Router(tags=["countries"])


class CountryFilters(Schema):
    q: str | None = Field(
        None, max_length=100, description="Name in English, French, Portuguese or Arabic (accents ignored), or ISO code"
    )
    search: str | None = Field(None, max_length=100, description="The same as q")
    region: str | None = None
    member: bool | None = None
    limit: Limit = 50
    offset: Offset = 0


@router.get("", response={200: PageOut[CountryOut], 304: None, 400: ErrorOut, 401: ErrorOut})
def country_list(request: HttpRequest, filters: Query[CountryFilters]) -> HttpResponse:
    actor = actor_of(request)
    qs = selectors.country_list(
        search=filters.q or filters.search, region=filters.region, member=filters.member, user=actor
    )
    render = lambda c: CountryOut.model_validate(c).model_dump(mode="json")  # noqa: E731
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=render))


@router.get("/{iso3}", response={200: CountryDetailOut, 304: None, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut})
def country_detail(request: HttpRequest, iso3: Iso3, geometry: bool = False) -> HttpResponse:
    actor = actor_of(request)
    country = country_by_iso3(iso3)
    payload: dict[str, Any] = CountryOut.model_validate(country).model_dump(mode="json")
    membership = selectors.membership_for_country(user=actor, country=country)
    payload["membership"] = MembershipOut.model_validate(membership).model_dump(mode="json") if membership else None
    units = []
    for unit in country.admin_units.all():
        row = AdminUnitOut.model_validate(unit).model_dump(mode="json")
        if not geometry:
            row["geometry"] = None
        units.append(row)
    payload["admin_units"] = units
    return respond(request, payload)
