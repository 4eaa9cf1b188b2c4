from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.finance.models import Transaction
from bakuhub.finance.services import transaction_create, transaction_delete

from .helpers import nothing_written

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 4)


def record(project, **kwargs):
    data = {"actor": None, "project": project, "kind": "3", "transaction_date": DAY,
            "amount": Decimal("600000"), "currency": "XOF", **kwargs}  # fmt: skip
    return transaction_create(**data)


def test_it_converts_at_the_transaction_date_and_audits(project, rates, iom, gcf, iom_editor):
    row = record(
        project, actor=iom_editor, kind="1", provider_organisation=gcf, provider_name="Green Climate Fund",
        receiver_organisation=iom, description="First tranche",
    )  # fmt: skip
    assert (row.value_date, row.amount_usd, row.amount_eur) == (DAY, Decimal("1000.00"), Decimal("800.00"))
    audit = AuditRecord.objects.get(action="transaction.create")
    assert audit.actor == iom_editor
    assert audit.changes["provider_organisation"] == [None, gcf.pk] and audit.changes["kind"] == [None, "1"]


def test_a_de_commitment_keeps_its_sign(project, rates):
    for kind in ("2", "11"):
        row = record(project, kind=kind, amount=Decimal("-300000"))
        assert (row.amount, row.amount_usd, row.amount_eur) == (
            Decimal("-300000"),
            Decimal("-500.00"),
            Decimal("-400.00"),
        )


def test_a_transaction_may_be_dated_today(project, rates, settings):
    settings.BAKUHUB_RATE_MAX_AGE_DAYS = 100_000
    assert record(project, transaction_date=timezone.localdate()).transaction_date == timezone.localdate()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "5"}, "'5' is not a transaction type accepted here"),
        ({"kind": "3", "amount": Decimal("-1")}, "allowed only for a commitment .* disbursement must not be negative"),
        ({"kind": "1", "amount": Decimal("-1")}, "incoming funds must not be negative"),
        ({"kind": "4", "amount": Decimal("-1")}, "expenditure must not be negative"),
        ({"amount": Decimal("0")}, "must not be zero"),
        ({"amount": Decimal("0.001")}, "at most 2 decimals"),
        ({"amount": None}, "is not an amount"),
        ({"currency": "ZZZ"}, "'ZZZ' is not an ISO 4217 currency code"),
        ({"currency": "UGX", "transaction_date": dt.date(2023, 5, 1)},
         "^No UGX or EUR rate on or up to 31 days before 2023-05-01; import rates first"),
        ({"currency": "USD", "transaction_date": dt.date(2023, 5, 1)}, "^No EUR rate on or up to 31 days before"),
        ({"value_date": dt.date(2023, 5, 1)}, "No XOF or EUR rate .* before 2023-05-01"),
        ({"transaction_date": dt.datetime(2025, 3, 4, 12, 0)}, "transaction_date must be a date"),
        ({"provider_name": "x" * 201}, "provider_name: At most 200 characters"),
        ({"description": "x" * 501}, "description: At most 500 characters"),
        ({"provider_organisation": "GCF"}, "Unknown organisation"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_written(project, rates, changes, message):
    with nothing_written(), pytest.raises(ValidationFailed, match=message):
        record(project, **changes)


def test_a_future_transaction_is_refused_even_a_commitment(project, rates):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for kind in ("2", "3"):
        with nothing_written(), pytest.raises(ValidationFailed, match=f"{tomorrow} is in the future"):
            record(project, kind=kind, transaction_date=tomorrow)


def test_only_those_who_may_change_the_project_record_or_delete(project, rates, gcf_funder, chad_focal_point):
    row = record(project, actor=chad_focal_point)
    with nothing_written(), pytest.raises(PermissionDenied):
        record(project, actor=gcf_funder)
    with nothing_written(), pytest.raises(PermissionDenied):
        transaction_delete(actor=gcf_funder, transaction=row)


def test_delete_is_audited_with_the_values_it_removed(project, rates, secretariat):
    row = record(project)
    pk = row.pk
    transaction_delete(actor=secretariat, transaction=row)
    assert not Transaction.objects.filter(pk=pk).exists()
    audit = AuditRecord.objects.get(action="transaction.delete")
    assert audit.actor == secretariat and audit.changes["amount_usd"] == ["1000.00", None]
