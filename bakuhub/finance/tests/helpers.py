"""Shared by the finance tests: a fixed rates table, a project with planned dates, and a "nothing written" check."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from bakuhub.core.models import AuditRecord
from bakuhub.finance.models import Budget, ExchangeRate, Transaction

# Round, made-up rates (units per USD), on the first of every month of 2024 and 2025.
RATES = {"EUR": Decimal("0.8"), "XOF": Decimal("600"), "GBP": Decimal("0.5"), "UGX": Decimal("4000")}
MONTHS = [dt.date(year, month, 1) for year in (2024, 2025) for month in range(1, 13)]


def add_rates(rates: dict[str, Decimal] | None = None, dates: list[dt.date] | None = None) -> None:
    ExchangeRate.objects.bulk_create(
        ExchangeRate(currency=code, on_date=day, per_usd=rate, source="test")
        for code, rate in (rates or RATES).items()
        for day in (dates or MONTHS)
    )


def counts() -> tuple[int, int, int, int]:
    return (
        Budget.objects.count(),
        Transaction.objects.count(),
        ExchangeRate.objects.count(),
        AuditRecord.objects.count(),
    )


@contextmanager
def nothing_written():
    before = counts()
    yield
    assert counts() == before, "a refused write left rows or audit records behind"
