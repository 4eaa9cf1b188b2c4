from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bakuhub.commitments import selectors, services
from bakuhub.commitments.models import Commitment, CommitmentEvent
from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.testing.factories import MemorandumFactory

pytestmark = pytest.mark.django_db
EVIDENCE = {"source_title": "Press release", "source_url": "https://example.org/pledge"}


def pledge(**kwargs):
    data = {"actor": None, "kind": "money", "title": "Pilot funding", "announced_on": dt.date(2025, 6, 1),
            "amount": Decimal("1000000"), "currency": "usd", **EVIDENCE, **kwargs}  # fmt: skip
    return services.commitment_create(**data)


def test_it_records_an_announcement_with_its_first_step(iom, chad):
    commitment = pledge(committer_organisation=iom, beneficiary_country=chad)
    assert commitment.currency == "USD" and commitment.status == "announced"
    assert list(commitment.events.values_list("to_status", flat=True)) == ["announced"]
    assert AuditRecord.objects.filter(action="commitment.create").exists()


def test_money_needs_an_amount_and_a_currency(iom):
    with pytest.raises(ValidationFailed, match="needs an amount"):
        pledge(committer_organisation=iom, amount=None)
    with pytest.raises(ValidationFailed, match="ISO 4217"):
        pledge(committer_organisation=iom, currency="dollars")
    assert not Commitment.objects.exists()


def test_a_commitment_needs_a_committer():
    with pytest.raises(ValidationFailed, match="who made the commitment"):
        pledge()


def test_it_moves_forward_and_may_skip_a_step(iom, chad):
    commitment = pledge(committer_organisation=iom)
    services.commitment_advance(
        actor=None, commitment=commitment, to_status="funded", occurred_on=dt.date(2025, 7, 1),
        agreement_reference="Grant agreement 2025/7", **EVIDENCE,
    )  # fmt: skip
    assert commitment.status == "funded"
    with pytest.raises(ValidationFailed, match="only forward; allowed: delivered"):
        services.commitment_advance(
            actor=None, commitment=commitment, to_status="formalised", occurred_on=dt.date(2025, 8, 1), **EVIDENCE
        )
    assert CommitmentEvent.objects.filter(commitment=commitment).count() == 2


def test_formalising_needs_a_memorandum_or_an_agreement(iom):
    commitment = pledge(committer_organisation=iom)
    with pytest.raises(ValidationFailed, match="memorandum or the agreement"):
        services.commitment_advance(
            actor=None, commitment=commitment, to_status="formalised", occurred_on=dt.date(2025, 7, 1), **EVIDENCE
        )
    memo = MemorandumFactory()
    services.commitment_advance(
        actor=None, commitment=commitment, to_status="formalised", occurred_on=dt.date(2025, 7, 1), memorandum=memo,
        **EVIDENCE,
    )  # fmt: skip
    assert commitment.memorandum == memo


def test_a_partner_editor_records_only_their_own_commitments(iom, gcf, iom_editor):
    pledge(actor=iom_editor, committer_organisation=iom)
    with pytest.raises(PermissionDenied):
        pledge(actor=iom_editor, committer_organisation=gcf)


def test_a_step_cannot_predate_the_previous_one(iom):
    commitment = pledge(committer_organisation=iom)
    with pytest.raises(ValidationFailed, match="before the previous step"):
        services.commitment_advance(
            actor=None, commitment=commitment, to_status="formalised", occurred_on=dt.date(2025, 1, 1),
            agreement_reference="A", **EVIDENCE,
        )  # fmt: skip


def test_totals_count_each_stage_reached(iom, gcf, chad):
    pledge(committer_organisation=iom, beneficiary_country=chad)
    funded = pledge(committer_organisation=gcf, amount=Decimal("500"), currency="EUR")
    services.commitment_advance(
        actor=None, commitment=funded, to_status="funded", occurred_on=dt.date(2025, 7, 1), agreement_reference="G",
        **EVIDENCE,
    )  # fmt: skip
    totals = selectors.commitment_totals(user=None)
    overall = totals["overall"]["all"]
    assert overall.counts == {"announced": 2, "formalised": 1, "funded": 1, "delivered": 0}
    assert overall.money["USD"]["announced"] == Decimal("1000000") and overall.money["USD"]["funded"] == 0
    assert overall.money["EUR"]["funded"] == Decimal("500")
    assert set(totals["countries"]) == {"Chad"}


def test_non_public_commitments_are_hidden_from_the_public(iom, iom_editor, gcf_funder):
    pledge(committer_organisation=iom, is_public=False)
    assert selectors.commitment_list(user=None).count() == 0
    assert selectors.commitment_list(user=iom_editor).count() == 1
    assert selectors.commitment_list(user=gcf_funder).count() == 1
