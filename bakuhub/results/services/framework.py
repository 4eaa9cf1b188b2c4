"""Results framework writes: results, their indicators (with a baseline) and the reporting periods (with targets)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from bakuhub.accounts.models import Role, User
from bakuhub.accounts.permissions import editor_organisation_ids
from bakuhub.core import audit
from bakuhub.core.dates import plausible_date
from bakuhub.core.errors import PermissionDenied
from bakuhub.core.validation import optional_text, required_text
from bakuhub.partners.models import Organisation
from bakuhub.projects.models import Project
from bakuhub.projects.permissions import can
from bakuhub.results.models import Indicator, IndicatorPeriod, Result

from . import checks
from .checks import Number, fail

RESULT_FIELDS = ["project", "kind", "title", "description", "reported_by", "is_demo"]
INDICATOR_FIELDS = ["result", "title", "measure", "unit", "ascending", "baseline_year", "baseline_value"]
PERIOD_FIELDS = ["indicator", "period_start", "period_end", "target_value"]


def check_report(actor: User | None, project: Project) -> None:
    if actor is not None and not can(actor, "report_results", project):
        raise PermissionDenied(f"You may not report results for project {project.identifier}.")


def _speaks_for(actor: User | None, organisation_id: int | None) -> bool:
    """A partner editor speaks only for the organisations they edit; other roles follow the project rule."""
    return actor is None or actor.role != Role.PARTNER_EDITOR or organisation_id in editor_organisation_ids(actor)


def check_result_owner(actor: User | None, result: Result) -> None:
    """A partner editor adds indicators, periods and actuals only to results of an organisation they edit."""
    if not _speaks_for(actor, result.reported_by_id):
        msg = _("'%(title)s' is reported by %(organisation)s; you may add only to your own organisation's results.")
        raise PermissionDenied(msg % {"title": result.title, "organisation": result.reported_by.name})


def _on_project(organisation: Organisation, project: Project) -> bool:
    return (
        organisation.pk == project.lead_organisation_id
        or project.participants.filter(organisation_id=organisation.pk).exists()
    )


@transaction.atomic
def result_create(
    *,
    actor: User | None,
    project: Project,
    kind: str,
    title: str,
    reported_by: Organisation,
    description: str = "",
    is_demo: bool = False,
) -> Result:
    """A result (1 output, 2 outcome, 3 impact) reported by the lead organisation or a participant of the project."""
    check_report(actor, project)
    if kind not in Result.Kind.values:
        options = ", ".join(f"{k.value} {k.label}" for k in Result.Kind)
        raise fail("kind", f"'{kind}' is not a result type. Types: {options}.")
    if not _on_project(reported_by, project):
        msg = (
            f"{reported_by.name} is not on project {project.identifier}: a result is reported by the lead "
            "organisation or a participating organisation."
        )
        raise fail("reported_by", msg)
    if not _speaks_for(actor, reported_by.pk):
        msg = _("You may report results only in the name of an organisation you edit, not %(organisation)s.") % {
            "organisation": reported_by.name
        }
        raise PermissionDenied(msg, errors={"reported_by": [msg]})
    result = Result.objects.create(
        project=project,
        kind=kind,
        title=required_text(title, "title", max_length=300),
        description=optional_text(description, "description", max_length=10000),
        reported_by=reported_by,
        is_demo=is_demo,
    )
    audit.record_create(actor=actor, obj=result, fields=RESULT_FIELDS)
    return result


@transaction.atomic
def indicator_create(
    *,
    actor: User | None,
    result: Result,
    title: str,
    measure: str = Indicator.Measure.UNIT,
    unit: str = "",
    ascending: bool = True,
    baseline_year: int | None = None,
    baseline_value: Number | None = None,
) -> Indicator:
    """An indicator of a result: a unit count or a percentage (0-100), with an optional dated baseline."""
    check_report(actor, result.project)
    check_result_owner(actor, result)
    if measure not in Indicator.Measure.values:
        options = ", ".join(f"{m.value} {m.label}" for m in Indicator.Measure)
        raise fail("measure", f"'{measure}' is not an indicator measure. Measures: {options}.")
    percentage = measure == Indicator.Measure.PERCENTAGE
    value = checks.number(baseline_value, "baseline_value", percentage=percentage)
    year = checks.baseline_year(baseline_year)
    if value is not None and year is None:
        raise fail("baseline_year", "A baseline value needs the year it was measured.")
    indicator = Indicator.objects.create(
        result=result,
        title=required_text(title, "title", max_length=300),
        measure=measure,
        unit=optional_text(unit, "unit", max_length=60),
        ascending=bool(ascending),
        baseline_year=year,
        baseline_value=value,
    )
    audit.record_create(actor=actor, obj=indicator, fields=INDICATOR_FIELDS)
    return indicator


@transaction.atomic
def period_create(
    *,
    actor: User | None,
    indicator: Indicator,
    period_start: dt.date,
    period_end: dt.date,
    target_value: Number | None = None,
) -> IndicatorPeriod:
    """A reporting period inside the project's dates that overlaps no other period of the indicator."""
    project = indicator.result.project
    check_report(actor, project)
    check_result_owner(actor, indicator.result)
    period_start = plausible_date(period_start, "period_start")
    period_end = plausible_date(period_end, "period_end")
    if period_end < period_start:
        msg = f"The period ends ({period_end.isoformat()}) before it starts ({period_start.isoformat()})."
        raise fail("period_end", msg)
    checks.within_project(project, period_start, period_end)
    target = checks.number(target_value, "target_value", percentage=indicator.measure == Indicator.Measure.PERCENTAGE)
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()  # serialise period writes per indicator
    clash = (
        indicator.periods.filter(period_start__lte=period_end, period_end__gte=period_start)
        .order_by("period_start")
        .first()
    )
    if clash is not None:
        msg = (
            f"The period {period_start.isoformat()} to {period_end.isoformat()} overlaps the period "
            f"{clash.period_start.isoformat()} to {clash.period_end.isoformat()} of this indicator."
        )
        raise fail("period_start", msg)
    period = IndicatorPeriod.objects.create(
        indicator=indicator, period_start=period_start, period_end=period_end, target_value=target
    )
    audit.record_create(actor=actor, obj=period, fields=PERIOD_FIELDS)
    return period
