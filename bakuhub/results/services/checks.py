"""Input checks for the results services: numbers, dates against the project, disaggregation categories."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeAlias

from django.utils import timezone

from bakuhub.core.errors import ValidationFailed
from bakuhub.projects.models import Project
from bakuhub.results.models import Disaggregation, Indicator

Number: TypeAlias = Decimal | int | str
DisaggregationInput: TypeAlias = tuple[str, str, Number]

CENT = Decimal("0.01")
LIMIT = Decimal(10) ** 13  # 15 significant digits: exact on SQLite as on PostgreSQL
FIRST_BASELINE_YEAR = 1990

# The fixed categories per dimension, in display order (codes are stored as written here).
CATEGORIES: dict[str, tuple[str, ...]] = {
    Disaggregation.Dimension.SEX: ("female", "male"),
    Disaggregation.Dimension.AGE: ("0-4", "5-17", "18-59", "60+"),
    Disaggregation.Dimension.DISPLACEMENT: ("refugees", "idps", "returnees", "host_community"),
}


def fail(field: str, msg: str) -> ValidationFailed:
    return ValidationFailed(msg, errors={field: [msg]})


def number(value: Number | None, field: str, *, percentage: bool = False, required: bool = False) -> Decimal | None:
    """A finite decimal with at most 2 decimal places that fits the database column; 0-100 for percentages."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise fail(field, f"{field} is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str | float):
        raise fail(field, f"{field} must be a number.")
    try:
        parsed = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except decimal.InvalidOperation:
        raise fail(field, f"'{str(value)[:40]}' is not a number.") from None
    if not parsed.is_finite():
        raise fail(field, f"{field} must be a finite number.")
    if abs(parsed) >= LIMIT:
        raise fail(field, f"{field} is too large (at most 16 digits before the decimal point).")
    if parsed != parsed.quantize(CENT, rounding=decimal.ROUND_HALF_UP):
        raise fail(field, f"{field} has more than 2 decimal places ({parsed}).")
    if percentage and not Decimal(0) <= parsed <= Decimal(100):
        raise fail(field, f"{field} is a percentage and must be between 0 and 100 (got {parsed}).")
    return parsed.quantize(CENT)


def baseline_year(value: int | None) -> int | None:
    if value is None:
        return None
    last = timezone.localdate().year + 1
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_BASELINE_YEAR <= value <= last:
        msg = f"The baseline year must be between {FIRST_BASELINE_YEAR} and {last} (got {value})."
        raise fail("baseline_year", msg)
    return value


def project_window(project: Project) -> tuple[dt.date | None, dt.date | None]:
    """The project's dates: the actual start/end where known, otherwise the planned ones (None when unknown)."""
    return project.actual_start or project.planned_start, project.actual_end or project.planned_end


def within_project(project: Project, start: dt.date, end: dt.date, field: str = "period_start") -> None:
    """Refuse a period that reaches outside the project's dates, naming both."""
    first, last = project_window(project)
    outside = (first is not None and start < first) or (last is not None and end > last)
    if outside:
        window = f"{first.isoformat() if first else 'open start'} to {last.isoformat() if last else 'open end'}"
        msg = (
            f"The period {start.isoformat()} to {end.isoformat()} lies outside the dates of project "
            f"{project.identifier} ({window})."
        )
        raise fail(field, msg)
    if first is None and start.year < FIRST_BASELINE_YEAR:
        raise fail(field, f"{start.isoformat()} is not a plausible period start (before {FIRST_BASELINE_YEAR}).")
    if last is None and end.year > timezone.localdate().year + 30:
        raise fail("period_end", f"{end.isoformat()} is not a plausible period end (more than 30 years ahead).")


def disaggregations(
    rows: Sequence[DisaggregationInput], *, indicator: Indicator, total: Decimal
) -> dict[tuple[str, str], Decimal]:
    """Check (dimension, category, value) rows: known codes, no repeats, counts ≥ 0 whose sum stays within the
    total (unit indicators), or 0-100 each (percentage indicators). Returns {(dimension, category): value}."""
    percentage = indicator.measure == Indicator.Measure.PERCENTAGE
    checked: dict[tuple[str, str], Decimal] = {}
    for row in rows:
        if not isinstance(row, tuple | list) or len(row) != 3:
            raise fail("disaggregations", "Give each disaggregation as (dimension, category, value).")
        raw_dimension, raw_category, raw_value = row
        dimension = str(raw_dimension).strip().lower()
        category = str(raw_category).strip().lower()
        if dimension not in CATEGORIES:
            raise fail("disaggregations", f"'{raw_dimension}' is not a dimension. Dimensions: {', '.join(CATEGORIES)}.")
        if category not in CATEGORIES[dimension]:
            options = ", ".join(CATEGORIES[dimension])
            raise fail("disaggregations", f"'{raw_category}' is not a {dimension} category. Categories: {options}.")
        if (dimension, category) in checked:
            raise fail("disaggregations", f"{dimension}={category} is given twice.")
        value = number(raw_value, f"{dimension}={category}", percentage=percentage, required=True)
        assert value is not None
        if value < 0:
            raise fail("disaggregations", f"{dimension}={category} is negative ({value}).")
        checked[(dimension, category)] = value
    if not percentage:
        for dimension in CATEGORIES:
            parts = sum((v for (d, _), v in checked.items() if d == dimension), Decimal(0))
            if parts > total:
                msg = f"The {dimension} parts add up to {parts}, more than the total actual ({total})."
                raise fail("disaggregations", msg)
    return checked
