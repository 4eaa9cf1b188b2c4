"""Reads for the results framework: a project's results tree (internal or public) and the approval queue.

`results_for_project` returns plain frozen dataclasses, not model instances, so that a public page or API can only
ever show what the public may see: approved actuals, small counts suppressed, no comments or evidence. It runs a
constant number of queries whatever the number of results, indicators and periods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from bakuhub.accounts.permissions import is_secretariat
from bakuhub.core.errors import NotFound, PermissionDenied
from bakuhub.projects.models import Project
from bakuhub.projects.permissions import can

from .models import Disaggregation, Indicator, IndicatorPeriod, Result
from .progress import progress_percent
from .suppression import Cell, Shown, is_small, public_disaggregations, small_count_k, suppress

Status = IndicatorPeriod.Status


@dataclass(frozen=True)
class PeriodView:
    id: int
    period_start: dt.date
    period_end: dt.date
    target_value: Decimal | None
    actual_value: Shown  # a number, "<k" (public, small count) or None (none reported, or not approved yet)
    status: str  # draft, submitted, approved, rejected; public outputs show "approved" or ""
    progress: Decimal | None  # percent from baseline to target (not clipped; see results.progress)
    disaggregations: tuple[Cell, ...]
    comment: str = ""  # internal only from here on
    evidence: str = ""  # storage name of the evidence file
    submitted_at: dt.datetime | None = None
    reviewed_at: dt.datetime | None = None
    review_comment: str = ""


@dataclass(frozen=True)
class IndicatorView:
    id: int
    title: str
    measure: str
    unit: str
    ascending: bool
    baseline_year: int | None
    baseline_value: Decimal | None
    periods: tuple[PeriodView, ...]


@dataclass(frozen=True)
class ResultView:
    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    reported_by_id: int
    reported_by: str
    is_demo: bool
    indicators: tuple[IndicatorView, ...]


def _queryset(project: Project) -> QuerySet[Result]:
    periods = IndicatorPeriod.objects.order_by("period_start").prefetch_related(
        Prefetch("disaggregations", queryset=Disaggregation.objects.order_by("dimension", "category"))
    )
    indicators = Indicator.objects.order_by("id").prefetch_related(Prefetch("periods", queryset=periods))
    return (
        Result.objects.filter(project=project)
        .select_related("reported_by")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
        .order_by("kind", "id")
    )


def _internal_period(indicator: Indicator, period: IndicatorPeriod) -> PeriodView:
    cells = tuple(Cell(d.dimension, d.category, d.target_value, d.actual_value) for d in period.disaggregations.all())
    return PeriodView(
        id=period.pk,
        period_start=period.period_start,
        period_end=period.period_end,
        target_value=period.target_value,
        actual_value=period.actual_value,
        status=period.actual_status,
        progress=progress_percent(
            indicator.baseline_value, period.target_value, period.actual_value, indicator.ascending
        ),
        disaggregations=cells,
        comment=period.actual_comment,
        evidence=period.evidence.name or "",
        submitted_at=period.submitted_at,
        reviewed_at=period.reviewed_at,
        review_comment=period.review_comment,
    )


def _public_period(indicator: Indicator, period: IndicatorPeriod, k: int) -> PeriodView:
    approved = period.actual_status == Status.APPROVED
    actual = period.actual_value if approved else None
    shown: Shown = actual
    progress = progress_percent(indicator.baseline_value, period.target_value, actual, indicator.ascending)
    if actual is not None and indicator.measure == Indicator.Measure.UNIT and is_small(actual, k):
        shown, progress = suppress(actual, k), None  # the percentage would give the hidden count away
    return PeriodView(
        id=period.pk,
        period_start=period.period_start,
        period_end=period.period_end,
        target_value=period.target_value,
        actual_value=shown,
        status=Status.APPROVED if approved else "",
        progress=progress,
        disaggregations=tuple(public_disaggregations(period, k)),
    )


def results_for_project(*, user: Any, project: Project, public: bool, k: int | None = None) -> list[ResultView]:
    """The project's results → indicators → periods → disaggregation cells.

    `public=True`: what anyone may see (the project must be visible to `user`): targets of every period, actuals only
    once approved, small counts suppressed (see results.suppression), no comments, evidence or review details.
    `public=False`: everything, for those who may see the project's internals (else PermissionDenied).
    """
    if public:
        if not can(user, "view_project", project):
            raise NotFound("No such project.")
    elif not can(user, "view_internals", project):
        raise PermissionDenied(f"You may not see the internal results of project {project.identifier}.")
    threshold = small_count_k(k)
    views = []
    for result in _queryset(project):
        indicators = []
        for indicator in result.indicators.all():
            periods = tuple(
                _public_period(indicator, p, threshold) if public else _internal_period(indicator, p)
                for p in indicator.periods.all()
            )
            indicators.append(
                IndicatorView(
                    id=indicator.pk,
                    title=indicator.title,
                    measure=indicator.measure,
                    unit=indicator.unit,
                    ascending=indicator.ascending,
                    baseline_year=indicator.baseline_year,
                    baseline_value=indicator.baseline_value,
                    periods=periods,
                )
            )
        views.append(
            ResultView(
                id=result.pk,
                kind=result.kind,
                kind_label=str(result.get_kind_display()),
                title=result.title,
                description=result.description,
                reported_by_id=result.reported_by_id,
                reported_by=str(result.reported_by),
                is_demo=result.is_demo,
                indicators=tuple(indicators),
            )
        )
    return views


def pending_actuals(*, user: Any) -> QuerySet[IndicatorPeriod]:
    """The secretariat's approval queue: submitted actuals, oldest first (empty for everybody else)."""
    if not is_secretariat(user):
        return IndicatorPeriod.objects.none()
    return (
        IndicatorPeriod.objects.filter(actual_status=Status.SUBMITTED)
        .select_related("indicator__result__project__country", "indicator__result__reported_by", "submitted_by")
        .order_by("submitted_at", "id")
    )


def period_evidence_for_download(*, user: Any, pk: int) -> IndicatorPeriod | None:
    """A period's evidence file, only for those who see the project's internal results (never the public)."""
    period = (
        IndicatorPeriod.objects.select_related("indicator__result__project").filter(pk=pk).exclude(evidence="").first()
    )
    if period is None or not can(user, "view_internals", period.indicator.result.project):
        return None
    return period
