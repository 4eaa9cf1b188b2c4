"""Property tests (hypothesis) of money: sums in any order and currency are equal, USD round-trips exactly, and the
budget overlap check is symmetric."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bakuhub.core.errors import ValidationFailed
from bakuhub.finance.rates import convert, convert_with
from bakuhub.finance.selectors import finance_totals, project_finance
from bakuhub.finance.services import budget_create, periods_overlap, transaction_create
from bakuhub.projects.tests.factories import ProjectFactory

from .helpers import MONTHS, RATES

DB = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PURE = settings(max_examples=300, deadline=None)
KINDS = ["1", "2", "3", "4", "11"]
CURRENCIES = ["USD", *RATES]
WHOLE_RATES = {"USD": Decimal(1), "XOF": RATES["XOF"], "UGX": RATES["UGX"]}  # u USD is a whole number of cents

cents = st.integers(min_value=-(10**11), max_value=10**11).map(lambda n: Decimal(n).scaleb(-2))
positive_cents = st.integers(min_value=1, max_value=10**11).map(lambda n: Decimal(n).scaleb(-2))
days = st.sampled_from(MONTHS).flatmap(lambda d: st.integers(0, 27).map(lambda n: d + dt.timedelta(days=n)))


@st.composite
def transactions(draw: st.DrawFn) -> tuple[str, Decimal, str, dt.date]:
    kind = draw(st.sampled_from(KINDS))
    amount = draw(cents.filter(bool) if kind in ("2", "11") else positive_cents)
    return kind, amount, draw(st.sampled_from(CURRENCIES)), draw(days)


def _record(project, rows):
    for kind, amount, currency, day in rows:
        transaction_create(
            actor=None, project=project, kind=kind, transaction_date=day, amount=amount, currency=currency
        )


@pytest.mark.django_db
@DB
@given(rows=st.lists(transactions(), min_size=1, max_size=15), data=st.data())
def test_sums_are_equal_in_any_order_and_equal_the_sum_of_single_conversions(rates, chad, anonymous, rows, data):
    shuffled = data.draw(st.permutations(rows))
    with transaction.atomic():
        first, second = ProjectFactory(country=chad), ProjectFactory(country=chad)
        _record(first, rows)
        _record(second, shuffled)
        totals = project_finance(project=first)
        assert project_finance(project=second) == totals
        for measure, kinds in {
            "committed": ("2", "11"),
            "disbursed": ("3",),
            "spent": ("4",),
            "incoming": ("1",),
        }.items():
            single = [convert(a, c, d) for k, a, c, d in rows if k in kinds]
            assert getattr(totals, f"{measure}_usd") == sum((s.usd for s in single), Decimal(0))
            assert getattr(totals, f"{measure}_eur") == sum((s.eur for s in single), Decimal(0))
        (country,) = finance_totals(user=anonymous, by="country")
        assert country.committed_usd == 2 * totals.committed_usd and country.spent_eur == 2 * totals.spent_eur
        transaction.set_rollback(True)


@pytest.mark.django_db
@DB
@given(values=st.lists(st.tuples(positive_cents, st.sampled_from(sorted(WHOLE_RATES))), min_size=1, max_size=10))
def test_the_same_dollars_in_any_currency_sum_to_the_same_usd(rates, chad, values):
    with transaction.atomic():
        project = ProjectFactory(country=chad)
        _record(project, [("3", usd * WHOLE_RATES[code], code, dt.date(2025, 6, 15)) for usd, code in values])
        assert project_finance(project=project).disbursed_usd == sum((usd for usd, _ in values), Decimal(0))
        transaction.set_rollback(True)


@PURE
@given(amount=cents, eur=st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal(10**6), places=8))
def test_usd_round_trips_exactly_and_eur_stays_eur(amount, eur):
    assert convert_with(amount, "USD", per_usd=Decimal(1), eur_per_usd=eur).usd == amount
    assert convert_with(amount, "EUR", per_usd=eur, eur_per_usd=eur).eur == amount


@PURE
@given(usd=cents, rate=st.integers(min_value=1, max_value=10**5))
def test_a_whole_rate_converts_back_to_the_dollars_exactly(usd, rate):
    assert convert_with(usd * rate, "XOF", per_usd=Decimal(rate), eur_per_usd=Decimal("0.8")).usd == usd


@pytest.mark.django_db
@DB
@given(amount=cents)
def test_usd_needs_no_rate_of_its_own(rates, amount):
    assert convert(amount, "USD", dt.date(2025, 2, 10)).usd == amount


@PURE
@given(a=st.tuples(days, days).map(sorted), b=st.tuples(days, days).map(sorted))
def test_the_overlap_check_is_symmetric(a, b):
    assert periods_overlap(*a, *b) == periods_overlap(*b, *a)
    shared = max(a[0], b[0]) <= min(a[1], b[1])
    assert periods_overlap(*a, *b) == shared


def _second_refused(project, first, second) -> bool:
    with transaction.atomic():
        budget_create(actor=None, project=project, period_start=first[0], period_end=first[1], amount=Decimal(1),
                      currency="USD")  # fmt: skip
        try:
            budget_create(actor=None, project=project, period_start=second[0], period_end=second[1],
                          amount=Decimal(1), currency="USD")  # fmt: skip
        except ValidationFailed as exc:
            assert "overlaps the original budget" in exc.message
            refused = True
        else:
            refused = False
        transaction.set_rollback(True)
    return refused


@pytest.mark.django_db
@DB
@given(
    a=st.tuples(days, st.integers(0, 200)).map(lambda t: (t[0], t[0] + dt.timedelta(days=t[1]))),
    b=st.tuples(days, st.integers(0, 200)).map(lambda t: (t[0], t[0] + dt.timedelta(days=t[1]))),
)
def test_budget_create_refuses_an_overlap_whichever_budget_comes_first(rates, chad, a, b):
    project = ProjectFactory(country=chad, planned_start=None, planned_end=None)
    assert _second_refused(project, a, b) == _second_refused(project, b, a) == periods_overlap(*a, *b)
