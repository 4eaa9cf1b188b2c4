"""The plausible range of dates: what the Hub records lies between a fixed earliest date and some years ahead."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

DEFAULT_DATE_MIN = dt.date(1990, 1, 1)
DEFAULT_YEARS_AHEAD = 10


def plausible_range() -> tuple[dt.date, dt.date]:
    """(earliest, latest) plausible date: `BAKUHUB_DATE_MIN` and today plus `BAKUHUB_DATE_MAX_YEARS_AHEAD` years."""
    earliest: dt.date = getattr(settings, "BAKUHUB_DATE_MIN", DEFAULT_DATE_MIN)
    years: int = getattr(settings, "BAKUHUB_DATE_MAX_YEARS_AHEAD", DEFAULT_YEARS_AHEAD)
    today = timezone.localdate()
    try:
        latest = today.replace(year=today.year + years)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + years, day=28)
    return earliest, latest


def is_plausible(day: dt.date) -> bool:
    earliest, latest = plausible_range()
    return earliest <= day <= latest
