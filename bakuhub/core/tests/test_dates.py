from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bakuhub.core.dates import is_plausible, plausible_range


def test_the_plausible_range_runs_from_the_setting_to_years_ahead(settings):
    settings.BAKUHUB_DATE_MIN = dt.date(2000, 1, 1)
    settings.BAKUHUB_DATE_MAX_YEARS_AHEAD = 2
    today = timezone.localdate()
    earliest, latest = plausible_range()
    assert earliest == dt.date(2000, 1, 1)
    assert latest.year == today.year + 2
    assert not is_plausible(dt.date(1999, 12, 31))
    assert is_plausible(today)


def test_year_1_and_9999_are_not_plausible():
    assert not is_plausible(dt.date(1, 1, 1))
    assert not is_plausible(dt.date(9999, 12, 31))


def test_the_latest_date_survives_29_february(settings, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2028, 2, 29))
    settings.BAKUHUB_DATE_MAX_YEARS_AHEAD = 10
    assert plausible_range()[1] == dt.date(2038, 2, 28)
