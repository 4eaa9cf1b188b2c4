"""Transaction writes (IATI `transaction`): dated, in their own currency, converted at their value date. A negative
commitment is a de-commitment and keeps its sign; other kinds are never negative."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction as db_transaction
from django.utils import timezone

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.errors import ValidationFailed
from bakuhub.core.validation import optional_text
from bakuhub.partners.models import Organisation
from bakuhub.projects.models import Project

from ..models import Transaction
from .common import check_can_change, checked_amount, checked_currency, checked_date, converted

TRANSACTION_FIELDS = ["project", "kind", "transaction_date", "amount", "currency", "value_date", "amount_usd",
                      "amount_eur", "provider_organisation", "provider_name", "receiver_organisation",
                      "receiver_name", "description", "is_demo"]  # fmt: skip


def _kind(kind: str) -> str:
    code = str(kind).strip()
    if code not in Transaction.Kind.values:
        listed = ", ".join(f"{k.value} {k.label}" for k in Transaction.Kind)
        msg = f"'{code[:20]}' is not a transaction type accepted here ({listed})."
        raise ValidationFailed(msg, errors={"kind": [msg]})
    return code


def _organisation(value: Organisation | None, field: str) -> Organisation | None:
    if value is not None and not isinstance(value, Organisation):
        raise ValidationFailed("Unknown organisation.", errors={field: ["Unknown organisation."]})
    return value


@db_transaction.atomic
def transaction_create(
    *,
    actor: User | None,
    project: Project,
    kind: str,
    transaction_date: dt.date,
    amount: Decimal,
    currency: str,
    value_date: dt.date | None = None,
    provider_organisation: Organisation | None = None,
    provider_name: str = "",
    receiver_organisation: Organisation | None = None,
    receiver_name: str = "",
    description: str = "",
    is_demo: bool = False,
) -> Transaction:
    """Record money promised, received, paid or spent (types 1, 2, 3, 4, 11), converted to USD and EUR at
    `value_date` (default: the transaction date). Only commitments (2, 11) may be negative (de-commitments)."""
    check_can_change(actor, project, "transactions")
    kind = _kind(kind)
    transaction_date = checked_date(transaction_date, "transaction_date")
    if transaction_date > timezone.localdate():
        msg = f"The transaction date {transaction_date} is in the future; record a transaction once it has happened."
        raise ValidationFailed(msg, errors={"transaction_date": [msg]})
    value_date = transaction_date if value_date is None else checked_date(value_date, "value_date")
    label = Transaction.Kind(kind).label
    amount = checked_amount(
        amount,
        allow_negative=kind in Transaction.COMMITMENT_KINDS,
        negative_message=(
            f"A negative amount is allowed only for a commitment (a de-commitment); "
            f"{str(label).lower()} must not be negative."
        ),
    )
    if amount == 0:
        msg = "The amount must not be zero."
        raise ValidationFailed(msg, errors={"amount": [msg]})
    currency = checked_currency(currency)
    fields = {
        "provider_organisation": _organisation(provider_organisation, "provider_organisation"),
        "provider_name": optional_text(provider_name, "provider_name", max_length=200),
        "receiver_organisation": _organisation(receiver_organisation, "receiver_organisation"),
        "receiver_name": optional_text(receiver_name, "receiver_name", max_length=200),
        "description": optional_text(description, "description", max_length=500),
    }
    usd, eur = converted(amount, currency, value_date)
    row = Transaction.objects.create(
        project=project,
        kind=kind,
        transaction_date=transaction_date,
        amount=amount,
        currency=currency,
        value_date=value_date,
        amount_usd=usd,
        amount_eur=eur,
        is_demo=is_demo,
        **fields,
    )
    audit.record_create(actor=actor, obj=row, fields=TRANSACTION_FIELDS)
    return row


@db_transaction.atomic
def transaction_delete(*, actor: User | None, transaction: Transaction) -> None:
    check_can_change(actor, transaction.project, "transactions")
    before = audit.snapshot(transaction, TRANSACTION_FIELDS)
    audit.record(
        actor=actor, action="transaction.delete", obj=transaction, changes={k: [v, None] for k, v in before.items()}
    )
    transaction.delete()
