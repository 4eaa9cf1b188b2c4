from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.finance.models import Budget
from bakuhub.finance.services import budget_create, budget_delete

from .helpers import nothing_written

pytestmark = pytest.mark.django_db
JAN, DEC = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def budget(project, **kwargs):
    data = {"actor": None, "project": project, "period_start": JAN, "period_end": DEC,
            "amount": Decimal("1200000"), "currency": "XOF", **kwargs}  # fmt: skip
    return budget_create(**data)


def test_it_converts_at_the_period_start_and_audits(project, rates, secretariat):
    row = budget(project, actor=secretariat)
    assert (row.value_date, row.amount_usd, row.amount_eur) == (JAN, Decimal("2000.00"), Decimal("1600.00"))
    assert (row.status, row.kind, row.currency) == ("1", "1", "XOF")
    record = AuditRecord.objects.get(action="budget.create")
    assert record.actor == secretariat and record.changes["amount_usd"] == [None, "2000.00"]


def test_it_converts_at_a_given_value_date(project, rates):
    row = budget(project, value_date=dt.date(2024, 12, 15), currency="usd", amount=Decimal("10"))
    assert (row.currency, row.amount_usd, row.amount_eur) == ("USD", Decimal("10.00"), Decimal("8.00"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_end": dt.date(2024, 12, 31)}, r"ends \(2024-12-31\) before it starts \(2025-01-01\)"),
        ({"period_end": dt.date(2026, 1, 1)}, r"at most one year long \(IATI rule\); 2025-01-01 to 2026-01-01 is 366"),
        ({"period_start": dt.date(2023, 6, 1), "period_end": dt.date(2023, 12, 31)}, "before the project's planned"),
        ({"period_start": dt.date(2026, 6, 1), "period_end": dt.date(2027, 3, 31)}, "after the project's planned end"),
        ({"amount": Decimal("-1")}, "must not be negative"),
        ({"amount": Decimal("1.005")}, "at most 2 decimals"),
        ({"amount": Decimal("1e13")}, "below 10,000,000,000,000"),
        ({"amount": "lots"}, "is not an amount"),
        ({"amount": 1.5}, "is not an amount"),
        ({"currency": "CFA"}, "'CFA' is not an ISO 4217 currency code"),
        ({"currency": ""}, r"'\(empty\)' is not an ISO 4217"),
        ({"status": "3"}, "'3' is not a budget status"),
        ({"kind": "9"}, "'9' is not a budget kind"),
        ({"period_start": "2025-01-01"}, "period_start must be a date"),
        ({"currency": "GBP", "period_start": dt.date(2026, 2, 1), "period_end": dt.date(2026, 6, 30)},
         "^No GBP or EUR rate on or up to 31 days before 2026-02-01; import rates first"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_written(project, rates, changes, message):
    with nothing_written(), pytest.raises(ValidationFailed, match=message):
        budget(project, **changes)


def test_a_year_ending_the_day_before_the_anniversary_is_allowed(project, rates):
    budget(project, period_start=dt.date(2024, 7, 1), period_end=dt.date(2025, 6, 30))
    budget(project, period_start=dt.date(2024, 2, 29), period_end=dt.date(2025, 2, 28), kind="2")


def test_budgets_of_the_same_kind_must_not_overlap_and_the_message_names_the_other(project, rates):
    budget(project)
    with nothing_written(), pytest.raises(ValidationFailed) as exc:
        budget(project, period_start=dt.date(2025, 12, 31), period_end=dt.date(2026, 6, 30))
    assert exc.value.message == (
        "The period overlaps the original budget from 2025-01-01 to 2025-12-31 (1200000.00 XOF); "
        "budgets of the same kind must not overlap."
    )
    budget(project, kind="2", amount=Decimal("1500000"))  # a revision of the same period
    budget(project, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31))  # the next year


def test_an_empty_budget_is_allowed(project, rates):
    assert budget(project, amount=Decimal("0")).amount_usd == Decimal("0.00")


def test_only_those_who_may_change_the_project_add_or_delete_budgets(project, rates, chad_focal_point, gcf_funder):
    row = budget(project, actor=chad_focal_point)
    with nothing_written(), pytest.raises(PermissionDenied):
        budget(project, actor=gcf_funder, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31))
    with nothing_written(), pytest.raises(PermissionDenied):
        budget_delete(actor=gcf_funder, budget=row)


def test_delete_is_audited_with_the_values_it_removed(project, rates, iom_editor):
    row = budget(project)
    pk = row.pk
    budget_delete(actor=iom_editor, budget=row)
    assert not Budget.objects.filter(pk=pk).exists()
    record = AuditRecord.objects.get(action="budget.delete")
    assert record.object_id == str(pk) and record.changes["amount"] == ["1200000.00", None]
