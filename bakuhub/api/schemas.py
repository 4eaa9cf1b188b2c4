"""Response and request schemas, per domain, kept together so the OpenAPI document reads in one place."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

from ninja import Field, Schema
from pydantic import ConfigDict

from bakuhub.core.downloads import download_url

from .types import DatePrecisionCode, Day, Flag, Iso3, MemorandumStatusCode, MilestoneCode, StageCode

T = TypeVar("T")


class PageOut(Schema, Generic[T]):
    count: int
    limit: int
    offset: int
    items: list[T]


class CountryOut(Schema):
    iso3: str
    iso2: str
    numeric: str
    name: str
    name_en: str
    name_fr: str
    name_pt: str
    name_ar: str
    region_name: str
    subregion_name: str
    is_ldc: bool
    is_lldc: bool
    is_sids: bool
    fragility: str


class AdminUnitOut(Schema):
    pcode: str
    iso_3166_2: str
    name: str
    level: int
    geometry_note: str
    geometry: dict[str, Any] | None = None


def _evidence_url(obj: Any, route: str) -> str | None:
    """The download address of a membership step's or milestone's evidence document, if it has one."""
    if isinstance(obj, dict):  # already rendered
        return obj.get("document_url")
    return download_url(route, obj.pk) if obj.evidence_document else None


class MilestoneOut(Schema):
    milestone: str = Field(..., description="One of the lifecycle milestones, recorded in any order")
    reached_on: dt.date
    date_precision: str = Field(..., description="day, month or year: how precisely the sources date it")
    inferred_from: str = Field(..., description="The fact id this milestone is inferred from; empty when stated")
    is_inferred: bool
    before: list[str] = Field(
        ..., description="Milestones earlier in the path that were reached later (this one came before them)"
    )
    source_title: str
    source_publisher: str
    source_url: str
    source_quote: str
    fact_id: str
    note: str
    has_document: bool
    document_url: str | None = Field(None, description="The evidence document's download address, if any")

    @staticmethod
    def resolve_is_inferred(obj: Any) -> bool:
        return bool(obj.inferred_from)

    @staticmethod
    def resolve_document_url(obj: Any) -> str | None:
        return _evidence_url(obj, "file_milestone_evidence")

    @staticmethod
    def resolve_has_document(obj: Any) -> bool:
        return bool(obj.evidence_document)

    @staticmethod
    def resolve_before(obj: Any) -> list[str]:
        return [str(s) for s in getattr(obj, "before", [])]


class MembershipOut(Schema):
    country_iso3: str = Field(..., alias="country.iso3")
    country_name: str = Field(..., alias="country.name")
    stage: str = Field(..., description="The furthest milestone reached, or paused / withdrawn")
    stage_since: dt.date
    stage_since_precision: str
    inferred_from: str = Field(
        ..., description="When the shown stage is inferred rather than stated: the fact id it is inferred from"
    )
    days_in_stage: int
    last_update_on: dt.date | None
    no_update_since: dt.date | None = Field(
        ...,
        description="Set when the stage expects a next step and nothing was recorded for BAKUHUB_STALLED_AFTER_DAYS",
    )
    is_stalled: bool = Field(..., description="Deprecated: true exactly when no_update_since is set")
    is_public: bool
    allowed_next: list[str] = Field(..., description="State changes open now (pause, resume, withdraw, restart)")
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_allowed_next(obj: Any) -> list[str]:
        from bakuhub.partners.lifecycle import Stage, allowed_next

        paused = Stage(obj.paused_from) if obj.paused_from else None
        return [s.value for s in allowed_next(Stage(obj.stage), paused)]

    @staticmethod
    def resolve_milestones(obj: Any) -> list[Any]:
        from bakuhub.partners.lifecycle import Stage, reached_before

        rows = sorted(obj.milestones.all(), key=lambda m: (m.reached_on, m.pk))
        before = reached_before({Stage(m.milestone): m.reached_on for m in rows})
        for row in rows:
            row.before = before.get(Stage(row.milestone), [])
        return rows

    @staticmethod
    def resolve_inferred_from(obj: Any) -> str:
        return next((m.inferred_from for m in obj.milestones.all() if m.milestone == obj.stage), "")


class CountryDetailOut(CountryOut):
    membership: MembershipOut | None = None
    admin_units: list[AdminUnitOut]


class MembershipEventOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    occurred_on: dt.date
    date_precision: str
    source_title: str
    source_publisher: str
    source_url: str
    source_quote: str
    fact_id: str
    note: str
    has_document: bool
    document_url: str | None = Field(None, description="The evidence document's download address, if any")
    recorded_at: dt.datetime

    @staticmethod
    def resolve_has_document(obj: Any) -> bool:
        return bool(obj.evidence_document)

    @staticmethod
    def resolve_document_url(obj: Any) -> str | None:
        return _evidence_url(obj, "file_membership_evidence")


class MembershipCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")
    country_iso3: Iso3
    stage: StageCode
    occurred_on: Day
    date_precision: DatePrecisionCode = "day"
    source_title: str
    source_url: str = ""
    note: str = ""
    is_public: Flag = True


class MilestoneIn(Schema):
    model_config = ConfigDict(extra="forbid")
    milestone: MilestoneCode
    reached_on: Day
    date_precision: DatePrecisionCode = "day"
    source_title: str
    source_url: str = ""
    source_publisher: str = ""
    source_quote: str = ""
    fact_id: str = ""
    inferred_from: str = Field("", description="The fact id the milestone is inferred from, when no source states it")
    note: str = ""


class MilestoneCorrectionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reached_on: Day | None = None
    date_precision: DatePrecisionCode | None = None
    source_title: str | None = None
    source_url: str | None = None
    source_publisher: str | None = None
    source_quote: str | None = None
    fact_id: str | None = None
    inferred_from: str | None = None
    note: str | None = None


class TransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    to_stage: StageCode
    occurred_on: Day
    date_precision: DatePrecisionCode = "day"
    source_title: str
    source_url: str = ""
    source_publisher: str = ""
    note: str = ""


class OrganisationOut(Schema):
    slug: str
    name: str
    acronym: str
    org_type: str
    org_type_name: str = Field(..., alias="get_org_type_display")
    iati_identifier: str | None
    country_iso3: str | None = Field(None, alias="country.iso3")
    website: str
    description: str
    logo_url: str | None = None

    @staticmethod
    def resolve_logo_url(obj: Any) -> str | None:
        if isinstance(obj, dict):  # already rendered
            return obj.get("logo_url")
        return download_url("file_logo", obj.pk) if obj.logo else None


class OrganisationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str
    org_type: str
    acronym: str = ""
    iati_identifier: str | None = None
    country_iso3: Iso3 | None = None
    website: str = ""
    description: str = ""


class OrganisationPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    org_type: str | None = None
    acronym: str | None = None
    iati_identifier: str | None = None
    country_iso3: Iso3 | None = None
    website: str | None = None
    description: str | None = None


class SignatoryOut(Schema):
    id: int
    name: str
    position: str
    on_behalf_of: str
    signed_on: dt.date | None


class SignatoryIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    on_behalf_of: str = Field(min_length=1, max_length=200)
    position: str = Field("", max_length=200)
    signed_on: Day | None = None


class VersionOut(Schema):
    number: int
    original_name: str
    mime_type: str
    size_bytes: int
    sha256: str
    uploaded_at: dt.datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj: Any) -> str:
        if isinstance(obj, dict):  # already rendered
            return str(obj["download_url"])
        return download_url("file_memorandum_version", obj.pk)


class MemorandumOut(Schema):
    id: int
    title: str
    purpose: str
    status: str
    hub_is_party: bool
    party_countries: list[str]
    party_organisations: list[str]
    establishes_jwg_for: list[str]
    approved_on: dt.date | None
    signed_on: dt.date | None
    expires_on: dt.date | None
    date_note: str
    source_title: str
    source_url: str
    fact_id: str

    @staticmethod
    def resolve_party_countries(obj: Any) -> list[str]:
        return sorted(c.iso3 for c in obj.party_countries.all())

    @staticmethod
    def resolve_party_organisations(obj: Any) -> list[str]:
        return sorted(o.slug for o in obj.party_organisations.all())

    @staticmethod
    def resolve_establishes_jwg_for(obj: Any) -> list[str]:
        return sorted(c.iso3 for c in obj.establishes_jwg_for.all())


class MemorandumDetailOut(MemorandumOut):
    signatories: list[SignatoryOut]
    versions: list[VersionOut]

    @staticmethod
    def resolve_signatories(obj: Any) -> list[Any]:
        return list(obj.signatories.all())

    @staticmethod
    def resolve_versions(obj: Any) -> list[Any]:
        return list(obj.versions.all())


class MemorandumIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str
    purpose: str = ""
    status: MemorandumStatusCode = "draft"
    party_countries: list[Iso3] = []
    party_organisations: list[str] = []
    establishes_jwg_for: list[Iso3] = []
    approved_on: Day | None = None
    signed_on: Day | None = None
    expires_on: Day | None = None
    source_title: str = ""
    source_url: str = ""


class MemorandumPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str | None = None
    purpose: str | None = None
    status: MemorandumStatusCode | None = None
    party_countries: list[Iso3] | None = None
    party_organisations: list[str] | None = None
    establishes_jwg_for: list[Iso3] | None = None
    approved_on: Day | None = None
    signed_on: Day | None = None
    expires_on: Day | None = None
