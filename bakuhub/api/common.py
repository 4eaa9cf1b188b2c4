"""Helpers shared by the routers: pagination, country lookup by code."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Schema

from bakuhub.core.errors import NotFound, ValidationFailed
from bakuhub.core.models import Country

M = TypeVar("M", bound=Model)
MAX_LIMIT = 200
_ISO3 = re.compile(r"^[A-Za-z]{3}$")


def paginate(qs: QuerySet[M], *, limit: int, offset: int, render: Callable[[M], dict[str, Any]]) -> dict[str, Any]:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"limit must be between 1 and {MAX_LIMIT}.", errors={"limit": [f"1 to {MAX_LIMIT}."]})
    if offset < 0:
        raise ValidationFailed("offset must not be negative.", errors={"offset": ["0 or more."]})
    count = qs.count()
    items = [render(obj) for obj in qs[offset : offset + limit]]
    return {"count": count, "limit": limit, "offset": offset, "items": items}


def country_by_iso3(code: str) -> Country:
    if not _ISO3.match(code):
        raise ValidationFailed(
            f"'{code[:20]}' is not an ISO 3166-1 alpha-3 country code (three letters, e.g. TCD).",
            errors={"iso3": ["Three letters, e.g. TCD."]},
        )
    country = Country.objects.filter(iso3=code.upper()).first()
    if country is None:
        raise NotFound(f"No country with the code '{code.upper()}'.")
    return country


def countries_by_iso3(codes: Iterable[str], field: str) -> list[Country]:
    wanted = [c.upper() for c in codes]
    found = {c.iso3: c for c in Country.objects.filter(iso3__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        msg = f"Unknown country code(s): {', '.join(missing)}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return [found[c] for c in wanted]


def patch_changes(payload: Schema, nullable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields a PATCH sends; null is refused where the field cannot be empty."""
    data = payload.model_dump(exclude_unset=True)
    nulls = sorted(k for k, v in data.items() if v is None and k not in nullable)
    if nulls:
        raise ValidationFailed(
            f"These fields cannot be null: {', '.join(nulls)}.", errors={k: ["May not be null."] for k in nulls}
        )
    return data
