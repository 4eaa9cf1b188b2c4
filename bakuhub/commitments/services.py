"""Commitment writes: record an announcement with evidence, and move it forward to delivery with dated steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.concurrency import bump, check_version
from bakuhub.core.dates import plausible_date
from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.core.models import Country
from bakuhub.core.validation import boolean, optional_text, optional_url, required_text
from bakuhub.core.validation import currency as checked_currency
from bakuhub.core.validation import date_precision as checked_precision
from bakuhub.partners.models import Memorandum, Organisation

from .models import Commitment, CommitmentEvent
from .permissions import can

ORDER = [s.value for s in Commitment.Status]
FIELDS = ["committer_country", "committer_organisation", "beneficiary_country", "kind", "title", "amount", "currency",
          "status", "announced_on", "memorandum", "agreement_reference", "is_public"]  # fmt: skip
EVENT_FIELDS = ["commitment", "from_status", "to_status", "occurred_on", "source_title", "source_url", "note"]
SOURCE_LIMITS = {"source_publisher": 200, "source_quote": 5000, "fact_id": 10}


def _evidence(*, source_title: str, source_url: str, occurred_on: dt.date, source: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(source) - set(SOURCE_LIMITS))
    if unknown:
        raise ValidationFailed(f"Unknown field(s): {', '.join(unknown)}.")
    if plausible_date(occurred_on, "occurred_on") > timezone.localdate():
        msg = f"{occurred_on.isoformat()} is in the future; record a step once it has happened."
        raise ValidationFailed(msg, errors={"occurred_on": [msg]})
    fields = {
        "source_title": required_text(source_title, "source_title", max_length=300),
        "source_url": optional_url(source_url, "source_url"),
    }
    if not fields["source_url"]:
        msg = "Give the evidence's address (source URL)."
        raise ValidationFailed(msg, errors={"source_url": [msg]})
    fields.update({k: optional_text(source.get(k), k, max_length=n) for k, n in SOURCE_LIMITS.items()})
    return fields


def _money(kind: str, amount: object, currency: str) -> tuple[Decimal | None, str]:
    if kind not in Commitment.Kind.values:
        msg = f"'{kind}' is not a kind of commitment ({', '.join(Commitment.Kind.values)})."
        raise ValidationFailed(msg, errors={"kind": [msg]})
    if amount is None:
        if kind == Commitment.Kind.MONEY:
            raise ValidationFailed("A money commitment needs an amount.", errors={"amount": ["Required."]})
        return None, ""
    if not isinstance(amount, Decimal | int) or isinstance(amount, bool):
        msg = _("The amount must be a number such as 125000.50.")
        raise ValidationFailed(msg, errors={"amount": [msg]})
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationFailed("The amount must be positive.", errors={"amount": ["Must be more than 0."]})
    exponent = amount.as_tuple().exponent
    if not amount.is_finite() or (isinstance(exponent, int) and exponent < -2) or amount >= Decimal(10) ** 13:
        msg = "Give the amount with at most 2 decimals and below 10,000,000,000,000 (10^13)."
        raise ValidationFailed(msg, errors={"amount": [msg]})
    return amount, checked_currency(currency, "currency")


@transaction.atomic
def commitment_create(
    *,
    actor: User | None,
    kind: str,
    title: str,
    announced_on: dt.date,
    source_title: str,
    source_url: str,
    committer_country: Country | None = None,
    committer_organisation: Organisation | None = None,
    beneficiary_country: Country | None = None,
    description: str = "",
    amount: Decimal | None = None,
    currency: str = "",
    date_precision: str = "day",
    is_public: bool = True,
    is_demo: bool = False,
    **source: Any,
) -> Commitment:
    if committer_country is None and committer_organisation is None:
        msg = "Say who made the commitment: a country or an organisation."
        raise ValidationFailed(msg, errors={"committer_country": [msg]})
    draft = Commitment(
        committer_country=committer_country,
        committer_organisation=committer_organisation,
        beneficiary_country=beneficiary_country,
    )
    if actor is not None and not can(actor, "change_commitment", draft):
        raise PermissionDenied("You may record commitments only for your own countries or organisations.")
    amount, currency = _money(kind, amount, currency)
    evidence = _evidence(source_title=source_title, source_url=source_url, occurred_on=announced_on, source=source)
    commitment = Commitment.objects.create(
        committer_country=committer_country,
        committer_organisation=committer_organisation,
        beneficiary_country=beneficiary_country,
        kind=kind,
        title=required_text(title, "title", max_length=300),
        description=optional_text(description, "description", max_length=10000),
        amount=amount,
        currency=currency,
        announced_on=announced_on,
        date_precision=checked_precision(date_precision),
        is_public=boolean(is_public, "is_public"),
        is_demo=is_demo,
        **evidence,
    )
    event = CommitmentEvent.objects.create(
        commitment=commitment,
        to_status=Commitment.Status.ANNOUNCED,
        occurred_on=announced_on,
        date_precision=checked_precision(date_precision),
        actor=actor,
        is_demo=is_demo,
        **evidence,
    )
    audit.record_create(actor=actor, obj=commitment, fields=FIELDS)
    audit.record_create(actor=actor, obj=event, fields=EVENT_FIELDS)
    return commitment


@transaction.atomic
def commitment_advance(
    *,
    actor: User | None,
    commitment: Commitment,
    to_status: str,
    occurred_on: dt.date,
    source_title: str,
    source_url: str,
    note: str = "",
    memorandum: Memorandum | None = None,
    agreement_reference: str = "",
    date_precision: str = "day",
    is_demo: bool = False,
    expected_version: int | None = None,
    **source: Any,
) -> CommitmentEvent:
    """Move a commitment forward (it may skip a step, e.g. announced → funded); never backward. A stale
    `expected_version` (the version the client read) is refused with 412."""
    if actor is not None and not can(actor, "change_commitment", commitment):
        raise PermissionDenied(f"You may not change the commitment '{commitment.title}'.")
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    check_version(locked, expected_version, what=gettext("commitment"))
    if to_status not in ORDER or ORDER.index(to_status) <= ORDER.index(locked.status):
        later = ", ".join(ORDER[ORDER.index(locked.status) + 1 :]) or "none (already delivered)"
        msg = f"A commitment that is '{locked.status}' can move only forward; allowed: {later}."
        raise ValidationFailed(msg, errors={"to_status": [msg]})
    evidence = _evidence(source_title=source_title, source_url=source_url, occurred_on=occurred_on, source=source)
    last = locked.events.order_by("-occurred_on").values_list("occurred_on", flat=True).first()
    if last is not None and occurred_on < last:
        msg = f"The step is dated {occurred_on}, before the previous step ({last})."
        raise ValidationFailed(msg, errors={"occurred_on": [msg]})
    agreement_reference = optional_text(agreement_reference, "agreement_reference", max_length=300)
    formalising = ORDER.index(to_status) >= ORDER.index(Commitment.Status.FORMALISED)
    if formalising and not (memorandum or agreement_reference or locked.memorandum_id or locked.agreement_reference):
        msg = "A formalised commitment names the memorandum or the agreement that formalised it."
        raise ValidationFailed(msg, errors={"memorandum": [msg]})
    before = audit.snapshot(locked, FIELDS)
    locked.status = to_status
    if memorandum is not None:
        locked.memorandum = memorandum
    if agreement_reference:
        locked.agreement_reference = agreement_reference
    version = bump(locked)
    locked.save()
    event = CommitmentEvent.objects.create(
        commitment=locked,
        from_status=before["status"],
        to_status=to_status,
        occurred_on=occurred_on,
        date_precision=checked_precision(date_precision),
        note=optional_text(note, "note", max_length=5000),
        actor=actor,
        is_demo=is_demo,
        **evidence,
    )
    changes = {**audit.diff(before, audit.snapshot(locked, FIELDS)), "version": version}
    audit.record(actor=actor, action="commitment.advance", obj=locked, changes=changes)
    audit.record_create(actor=actor, obj=event, fields=EVENT_FIELDS)
    commitment.refresh_from_db()
    return event
