"""Request and response schemas of the project portfolio's projects and finance (results and funder matching are in
`schemas_results`).

Money is given as decimal strings ("1250000.50"); amounts carry their own currency and their value in
USD and EUR at the value date. Organisations are named by their slug, countries by ISO 3166-1 alpha-3 codes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool

from bakuhub.core.downloads import download_url

from ..types import Currency, Day, Flag, Id, Iso3, ParticipantRoleCode, PhaseCode

# --- Projects -------------------------------------------------------------------------------------------------


class NexusOut(Schema):
    climate: int = Field(..., description="0 not targeted, 1 significant, 2 principal")
    peace: int
    migration: int
    triple: bool = Field(..., description="All three scores are at least 1")


class ProjectOut(Schema):
    id: int
    identifier: str = Field(..., description="IATI activity identifier {org-id}-{local}")
    title: str = Field(..., description="In the request's language, else English")
    titles: dict[str, str]
    country_iso3: str
    country_name: str
    phase: str
    nexus: NexusOut
    lead_organisation: str | None = Field(None, description="The lead organisation's slug")
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    is_public: bool
    version: int | None = Field(
        ...,
        description="Bumped on every change; send it back (or If-Match with the ETag you read) when editing. "
        "Null for viewers who do not see the project's internals (it moves with hidden changes too).",
    )


class NexusDetailOut(NexusOut):
    climate_justification: str
    peace_justification: str
    migration_justification: str
    assessed_on: dt.date | None
    method: str


class SectorOut(Schema):
    code: str = Field(..., description="DAC 5-digit sector")
    name: str
    percentage: str


class MarkerOut(Schema):
    code: str = Field(..., description="OECD DAC policy marker (IATI vocabulary 1)")
    name: str
    significance: int


class ParticipantOut(Schema):
    organisation: str
    organisation_name: str
    role: str = Field(..., description="IATI OrganisationRole: 1 funding, 2 accountable, 3 extending, 4 implementing")
    role_name: str


class LocationOut(Schema):
    id: int | None = Field(None, description="Only for the project's insiders")
    admin1_pcode: str
    admin1_name: str
    admin1_iso_3166_2: str
    admin2_pcode: str
    name: str
    latitude: str | None
    longitude: str | None
    location_class: str
    exactness: str
    precision: str
    coarsened: bool = Field(..., description="A sensitive site shown only as its admin-1 unit")
    sensitivity: str = Field(..., description="public, coarsen or hidden (outsiders only ever see public)")


class DocumentOut(Schema):
    id: int
    title: str
    category: str
    mime_type: str
    size_bytes: int
    sha256: str
    is_public: bool
    uploaded_at: dt.datetime
    original_name: str
    download_url: str

    @staticmethod
    def resolve_download_url(obj: Any) -> str:
        if isinstance(obj, dict):  # already rendered
            return str(obj["download_url"])
        return download_url("file_project_document", obj.pk)


class FinanceSummaryOut(Schema):
    budget_usd: str
    budget_eur: str
    committed_usd: str
    committed_eur: str
    disbursed_usd: str
    disbursed_eur: str
    spent_usd: str
    spent_eur: str
    incoming_usd: str
    incoming_eur: str
    funding_gap_usd: str = Field(..., description="Budget minus committed; negative when over-committed")
    funding_gap_eur: str
    over_committed: bool
    gap_label: str


class ScreeningOut(Schema):
    is_complete: bool
    reviewed_on: dt.date | None
    reviewer: str | None
    answers: dict[str, dict[str, str]]


class HumanitarianOut(Schema):
    humanitarian: bool | None
    scope_type: str
    scope_vocabulary: str
    scope_code: str


class ProjectDetailOut(ProjectOut):
    description: str
    descriptions: dict[str, str]
    working_group_id: int | None
    decision_ids: list[int]
    commitment_ids: list[int] = Field(..., description="The linked commitments you may see")
    humanitarian: HumanitarianOut
    nexus: NexusDetailOut
    sectors: list[SectorOut]
    policy_markers: list[MarkerOut]
    warnings: list[str] = Field(..., description="Consistency warnings between the policy markers and the nexus")
    participants: list[ParticipantOut]
    locations: list[LocationOut] = Field(..., description="Hidden sites and coordinates of sensitive ones are left "
                                         "out for outsiders")  # fmt: skip
    documents: list[DocumentOut] = Field(..., description="Public documents; insiders see all")
    finance: FinanceSummaryOut
    screening: ScreeningOut | None = Field(None, description="Only for the project's insiders")
    allowed_next_phases: list[str]
    viewer_is_insider: bool
    is_demo: bool
    source_title: str
    source_publisher: str
    source_url: str
    source_quote: str


class HumanitarianIn(Schema):
    """The IATI @humanitarian flag (null = not stated) and at most one humanitarian scope: type 1 Emergency with a
    GLIDE number (vocabulary 1-2), type 2 Appeal with an OCHA FTS plan code (2-1), or vocabulary 99."""

    model_config = ConfigDict(extra="forbid")
    humanitarian: StrictBool | None = Field(..., description="true, false or null (not stated)")
    scope_type: Literal["", "1", "2"] = Field("", description="HumanitarianScopeType: 1 Emergency, 2 Appeal")
    scope_vocabulary: Literal["", "1-2", "2-1", "99"] = Field(
        "", description="HumanitarianScopeVocabulary: 1-2 Glide, 2-1 Humanitarian Plan, 99 Reporting Organisation"
    )
    scope_code: str = Field("", max_length=100, description="e.g. EQ-2015-000048-NPL (GLIDE) or HTCD25 (plan)")


class ProjectIn(Schema):
    model_config = ConfigDict(extra="forbid")
    country_iso3: Iso3
    identifier: str = Field(..., description="{lead organisation's IATI identifier}-{local id}")
    titles: dict[str, str] = Field(..., description='{"en": "...", "fr": "..."} (en, fr, pt, ar)')
    lead_organisation: str | None = Field(None, description="Slug; becomes the accountable participant")
    descriptions: dict[str, str] = {}
    phase: PhaseCode = Field("concept", description="concept or appraisal")
    planned_start: Day | None = None
    planned_end: Day | None = None
    working_group_id: Id | None = None
    is_public: Flag = True
    source_title: str = ""
    source_publisher: str = ""
    source_url: str = ""
    source_quote: str = ""
    humanitarian: HumanitarianIn | None = Field(None, description="The humanitarian flag and scope (default: unknown)")


class ProjectPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    version: int | None = Field(None, description="The version you loaded: a stale one is refused with 412")
    titles: dict[str, str] | None = None
    descriptions: dict[str, str] | None = None
    planned_start: Day | None = None
    planned_end: Day | None = None
    actual_start: Day | None = None
    actual_end: Day | None = None
    working_group_id: Id | None = None
    is_public: Flag | None = None
    source_title: str | None = None
    source_publisher: str | None = None
    source_url: str | None = None
    source_quote: str | None = None
    humanitarian: HumanitarianIn | None = Field(
        None, description="Replaces the humanitarian flag and scope (send the whole object)"
    )


class PhaseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    to_phase: PhaseCode
    on_date: Day | None = Field(None, description="When it happened (default today)")


class SectorIn(Schema):
    model_config = ConfigDict(extra="forbid")
    code: str
    percentage: Decimal = Field(..., description="A string or a number; the shares sum to exactly 100")


class SectorsIn(Schema):
    model_config = ConfigDict(extra="forbid")
    sectors: list[SectorIn]


class MarkerIn(Schema):
    model_config = ConfigDict(extra="forbid")
    code: str
    significance: int


class MarkersIn(Schema):
    model_config = ConfigDict(extra="forbid")
    markers: list[MarkerIn]


class NexusIn(Schema):
    model_config = ConfigDict(extra="forbid")
    climate: int
    peace: int
    migration: int
    climate_justification: str = ""
    peace_justification: str = ""
    migration_justification: str = ""
    method: str = Field("manual", description="manual, or suggested (a person accepted the suggestion)")
    assessed_on: Day | None = None


class LinksIn(Schema):
    model_config = ConfigDict(extra="forbid")
    decisions: list[Id] = Field(default_factory=list, description="JWG decision ids (the project's country)")
    commitments: list[Id] = Field(default_factory=list, description="commitment ids")


class ScreeningAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")
    answer: str = Field(..., description="yes, no or n/a")
    note: str = ""


class ScreeningIn(Schema):
    model_config = ConfigDict(extra="forbid")
    answers: dict[str, ScreeningAnswerIn]
    complete: Flag = Field(False, description="Complete it (every question answered, risks noted) or save a draft")


class LocationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    admin1_pcode: str = Field(..., description="The admin-1 unit's p-code, e.g. TD07")
    admin2_pcode: str = ""
    name: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    location_class: str = "1"
    exactness: str = "1"
    sensitivity: Literal["public", "coarsen", "hidden"] = "public"


class ParticipantIn(Schema):
    model_config = ConfigDict(extra="forbid")
    organisation: str = Field(..., description="Slug")
    role: ParticipantRoleCode = Field(..., description="1 funding, 2 accountable, 3 extending, 4 implementing")


# --- Finance --------------------------------------------------------------------------------------------------


class MoneyOut(Schema):
    amount: str
    currency: str
    value_date: dt.date = Field(..., description="Date of the exchange rate used")
    amount_usd: str
    amount_eur: str


class BudgetOut(MoneyOut):
    id: int
    project_id: int
    project_identifier: str
    country_iso3: str
    period_start: dt.date
    period_end: dt.date
    status: str = Field(..., description="1 indicative, 2 committed")
    kind: str = Field(..., description="1 original, 2 revised")


class TransactionOut(MoneyOut):
    id: int
    project_id: int
    project_identifier: str
    country_iso3: str
    kind: str = Field(..., description="1 incoming funds, 2 outgoing commitment, 3 disbursement, 4 expenditure, "
                      "11 incoming commitment")  # fmt: skip
    kind_name: str
    transaction_date: dt.date
    provider_organisation: str | None
    provider_name: str
    receiver_organisation: str | None
    receiver_name: str
    description: str


class BudgetIn(Schema):
    model_config = ConfigDict(extra="forbid")
    period_start: Day
    period_end: Day
    amount: Decimal = Field(..., description="A string or a number, at most 2 decimals")
    currency: Currency = Field(..., description="ISO 4217, e.g. USD, EUR, XAF")
    value_date: Day | None = Field(None, description="Date of the exchange rate (default: the period start)")
    status: str = "1"
    kind: str = "1"


class TransactionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: str
    transaction_date: Day
    amount: Decimal = Field(..., description="A string or a number; negative only for a de-commitment")
    currency: Currency
    value_date: Day | None = None
    provider_organisation: str | None = None
    provider_name: str = ""
    receiver_organisation: str | None = None
    receiver_name: str = ""
    description: str = ""
