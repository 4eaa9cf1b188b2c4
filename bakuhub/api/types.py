"""Input types with their bounds in the OpenAPI document, so a client reads them and the API refuses what is out of
bounds with a 400 naming the field (instead of a database error): page limits and offsets, record ids, ISO codes,
currencies, plausible dates and strict booleans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StrictBool, WithJsonSchema

from bakuhub.commitments.models import Commitment
from bakuhub.core.dates import plausible_range
from bakuhub.core.models import DatePrecision
from bakuhub.finance.currencies import currencies
from bakuhub.partners.lifecycle import MILESTONES, Stage
from bakuhub.partners.models import Memorandum
from bakuhub.projects.models import Project, ProjectParticipant
from bakuhub.results.models import Result

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
MAX_ID = 2**63 - 1  # a 64-bit primary key; larger numbers cannot name a record

Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}.")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Flag = StrictBool


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


Iso3 = Annotated[
    str,
    BeforeValidator(_upper),
    Field(pattern=r"^[A-Z]{3}$"),
    WithJsonSchema(
        {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 3166-1 alpha-3 country code, e.g. TCD."}
    ),
]


def _known_currency(value: str) -> str:
    if value and value not in currencies():
        raise ValueError(f"'{value[:20]}' is not an ISO 4217 currency code (e.g. USD, EUR, XAF, XOF).")
    return value


Currency = Annotated[
    str,
    BeforeValidator(_upper),
    AfterValidator(_known_currency),
    WithJsonSchema({"type": "string", "enum": sorted(currencies()), "description": "ISO 4217 code, e.g. USD."}),
]
# A currency or nothing (a commitment without an amount has no currency).
OptionalCurrency = Annotated[
    str,
    BeforeValidator(_upper),
    AfterValidator(_known_currency),
    WithJsonSchema({"type": "string", "enum": ["", *sorted(currencies())], "description": "ISO 4217 code or ''."}),
]


def _text_date(value: Any) -> Any:
    if not isinstance(value, str | dt.date):
        raise ValueError("Give a date as text, YYYY-MM-DD.")
    return value


def _plausible(value: dt.date | dt.datetime) -> Any:
    earliest, latest = plausible_range()
    day = value.date() if isinstance(value, dt.datetime) else value
    if not earliest <= day <= latest:
        raise ValueError(f"Give a date between {earliest.isoformat()} and {latest.isoformat()}.")
    return value


_DATE_NOTE = "From 1990-01-01 (BAKUHUB_DATE_MIN) to ten years ahead (BAKUHUB_DATE_MAX_YEARS_AHEAD)."

Day = Annotated[
    dt.date,
    BeforeValidator(_text_date),
    AfterValidator(_plausible),
    WithJsonSchema({"type": "string", "format": "date", "description": _DATE_NOTE}),
]
Moment = Annotated[
    dt.datetime,
    BeforeValidator(_text_date),
    AfterValidator(_plausible),
    WithJsonSchema({"type": "string", "format": "date-time", "description": _DATE_NOTE}),
]

Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=100, description="e.g. iom")]


def code(values: Iterable[str], description: str = "") -> Any:
    """A code from a closed list, declared as an enum in the OpenAPI document (the service still names the field in
    its refusal, with the allowed values)."""
    extra: dict[str, Any] = {"type": "string", "enum": list(values)}
    if description:
        extra["description"] = description
    return Annotated[str, WithJsonSchema(extra)]


DatePrecisionCode = code(DatePrecision.values, "How precisely the date is known.")
StageCode = code([s.value for s in Stage], "A membership stage.")
MilestoneCode = code([s.value for s in MILESTONES], "A milestone of joining the Hub (recorded in any order).")
MemorandumStatusCode = code(Memorandum.Status.values)
ParticipantRoleCode = code(
    ProjectParticipant.Role.values, "IATI OrganisationRole: 1 funding, 2 accountable, 3 extending, 4 implementing"
)
ResultKindCode = code(Result.Kind.values, "1 output, 2 outcome, 3 impact")
PhaseCode = code(Project.Phase.values)
CommitmentKindCode = code(Commitment.Kind.values)
