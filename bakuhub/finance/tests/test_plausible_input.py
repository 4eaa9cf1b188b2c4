"""Finance refuses dates no one means (year 1, year 9999) before they reach a conversion or a period rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bakuhub.core.dates import plausible_range
from bakuhub.core.errors import ValidationFailed
from bakuhub.finance.services import budget_create, rates_import, transaction_create
from bakuhub.projects.tests.factories import ProjectFactory

from .helpers import nothing_written
from .test_rates import csv_file, problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_project(chad, iom):
    """A project without planned dates: no period rule stands between a wild date and the arithmetic."""
    return ProjectFactory(country=chad, lead_organisation=iom, planned_start=None, planned_end=None)


def test_it_refuses_a_budget_in_year_9999(open_project, rates):
    with nothing_written(), pytest.raises(ValidationFailed, match="not a plausible date") as refused:
        budget_create(
            actor=None,
            project=open_project,
            period_start=dt.date(9999, 1, 1),
            period_end=dt.date(9999, 12, 31),
            amount=Decimal("100"),
            currency="USD",
        )
    assert "period_start" in refused.value.errors


def test_it_refuses_a_transaction_in_year_one(open_project, rates):
    with nothing_written(), pytest.raises(ValidationFailed, match="between 1990-01-01 and") as refused:
        transaction_create(
            actor=None,
            project=open_project,
            kind="3",
            transaction_date=dt.date(1, 1, 1),
            amount=Decimal("100"),
            currency="USD",
        )
    assert "transaction_date" in refused.value.errors


def test_it_refuses_a_rates_file_with_a_date_in_year_one(secretariat):
    file = csv_file("currency,date,per_usd", "EUR,2025-01-01,0.9", "EUR,0001-01-01,0.9")
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        rates_import(actor=secretariat, file=file)
    assert problems(refused) == [
        f"line 3: the date 0001-01-01 is not between 1990-01-01 and {plausible_range()[1].isoformat()}"
    ]
