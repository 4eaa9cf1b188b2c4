"""Request and response schemas of the results framework and of funder matching (measured values as decimal
strings; public outputs may show small counts as "<k" or "suppressed")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from ..schemas import PageOut
from ..types import Day, Flag, ResultKindCode

# --- Results --------------------------------------------------------------------------------------------------


class CellOut(Schema):
    dimension: str
    category: str
    target_value: str | None
    actual_value: str | None = Field(None, description='A number, "<k" or "suppressed" (public), or null')


class PeriodOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    target_value: str | None
    actual_value: str | None = Field(None, description='Public: approved actuals only; small counts shown as "<k"')
    status: str = Field(..., description='draft, submitted, approved or rejected ("approved" or "" in public)')
    progress: str | None = Field(None, description="Percent of the way from the baseline to the target")
    disaggregations: list[CellOut]
    comment: str | None = Field(None, description="Internal view only")
    has_evidence: bool | None = None
    evidence_url: str | None = Field(None, description="Internal view only: the evidence file's download address")
    submitted_at: dt.datetime | None = None
    reviewed_at: dt.datetime | None = None
    review_comment: str | None = None


class IndicatorOut(Schema):
    id: int
    title: str
    measure: str = Field(..., description="1 unit, 2 percentage")
    unit: str
    ascending: bool
    baseline_year: int | None
    baseline_value: str | None
    periods: list[PeriodOut]


class ResultOut(Schema):
    id: int
    project_id: int
    kind: str = Field(..., description="1 output, 2 outcome, 3 impact")
    kind_name: str
    title: str
    description: str
    reported_by: str = Field(..., description="The reporting organisation's slug")
    reported_by_name: str
    indicators: list[IndicatorOut]


class ResultPageOut(PageOut[ResultOut]):
    project_id: int
    view: str = Field(..., description="public (approved actuals, small counts suppressed) or internal")


class ResultIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: ResultKindCode = Field(..., description="1 output, 2 outcome, 3 impact")
    title: str
    reported_by: str = Field(..., description="Slug of the lead or a participating organisation")
    description: str = ""


class IndicatorIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str
    measure: str = "1"
    unit: str = ""
    ascending: Flag = True
    baseline_year: int | None = None
    baseline_value: Decimal | None = None


class PeriodIn(Schema):
    model_config = ConfigDict(extra="forbid")
    period_start: Day
    period_end: Day
    target_value: Decimal | None = None


class CellIn(Schema):
    model_config = ConfigDict(extra="forbid")
    dimension: str = Field(..., description="sex, age or displacement")
    category: str = Field(..., description="e.g. female; 18-59; refugees, idps, returnees, host_community")
    value: Decimal


class ActualIn(Schema):
    model_config = ConfigDict(extra="forbid")
    actual_value: Decimal
    comment: str = ""
    disaggregations: list[CellIn] = []


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["approve", "reject"]
    comment: str = Field("", description="Required to reject: the partner sees it")


# --- Funder matching ------------------------------------------------------------------------------------------


class FundOut(Schema):
    group: str = Field(..., description='CFU fund group (GCF, AF, GEF, ...) or "Hub"')
    name: str


class ComponentsOut(Schema):
    country: float
    theme: float | None = Field(None, description="null: not scored for this project")
    size: float | None
    recency: float | None
    bonus: float


class FunderMatchOut(Schema):
    rank: int
    fund: FundOut
    score: float = Field(..., description="0-100")
    components: ComponentsOut
    explanation: list[str]
    source: str = Field(..., description="cfu, hub or cfu+hub")


class MatchProfileOut(Schema):
    country_iso3: str
    country_name: str
    themes: list[str]
    peace: bool
    migration: bool
    size_usd: str | None
    is_ldc: bool
    is_sids: bool
    is_fcs: bool
    hub_funders: int = Field(..., description="How many of the Hub's own funders were weighed")


class FunderMatchesOut(Schema):
    project_id: int
    identifier: str
    phase: str
    profile: MatchProfileOut
    weights: dict[str, float]
    matches: list[FunderMatchOut]
