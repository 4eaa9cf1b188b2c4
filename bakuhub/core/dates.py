"""Plausible dates: every date a service stores lies between `BAKUHUB_DATE_MIN` and `BAKUHUB_DATE_MAX_YEARS_AHEAD`
years from today. A year-1 or year-9999 date is a typing slip; stored, it breaks feeds, sorting and conversions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ValidationFailed


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def plausible_range() -> tuple[dt.date, dt.date]:
    """(earliest, latest) date accepted today, both inclusive."""
    latest = _years_after(timezone.localdate(), int(settings.BAKUHUB_DATE_MAX_YEARS_AHEAD))
    return settings.BAKUHUB_DATE_MIN, latest


def is_plausible(value: dt.date) -> bool:
    earliest, latest = plausible_range()
    day = value.date() if isinstance(value, dt.datetime) else value
    return earliest <= day <= latest


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def plausible_date(value: Any, field: str) -> dt.date:
    """`value` itself if it is a calendar date (not a date-time, a number or a string) within `plausible_range()`."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise _refuse(field, _("%(field)s must be a date (YYYY-MM-DD).") % {"field": field})
    _check_range(value, field)
    return value


def plausible_datetime(value: Any, field: str) -> dt.datetime:
    """`value` itself if it is a date-time whose day is within `plausible_range()`."""
    if not isinstance(value, dt.datetime):
        raise _refuse(field, _("%(field)s must be a date and time (YYYY-MM-DDTHH:MM).") % {"field": field})
    _check_range(value.date(), field)
    return value


def _check_range(value: dt.date, field: str) -> None:
    earliest, latest = plausible_range()
    if value < earliest or value > latest:
        message = _("%(field)s: %(value)s is not a plausible date; give a date between %(earliest)s and %(latest)s.")
        raise _refuse(
            field,
            message
            % {
                "field": field,
                "value": value.isoformat(),
                "earliest": earliest.isoformat(),
                "latest": latest.isoformat(),
            },
        )
