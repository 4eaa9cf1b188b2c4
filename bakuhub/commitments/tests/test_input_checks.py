"""Commitments take only ISO 4217 currencies, real numbers and booleans, and plausible dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bakuhub.commitments import services
from bakuhub.commitments.models import Commitment
from bakuhub.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db
EVIDENCE = {"source_title": "Press release", "source_url": "https://example.org/pledge"}


def pledge(**kwargs):
    data = {"actor": None, "kind": "money", "title": "Pilot funding", "announced_on": dt.date(2025, 6, 1),
            "amount": Decimal("1000000"), "currency": "usd", **EVIDENCE, **kwargs}  # fmt: skip
    return services.commitment_create(**data)


@pytest.mark.parametrize("code", ["ZZZ", "XXX", "XTS", "ABC"])
def test_it_refuses_a_currency_that_is_not_active_iso_4217(iom, code):
    with pytest.raises(ValidationFailed, match="is not an ISO 4217 currency code") as refused:
        pledge(committer_organisation=iom, currency=code)
    assert "currency" in refused.value.errors
    assert not Commitment.objects.exists()


def test_it_accepts_the_cfa_franc_in_lower_case(iom):
    assert pledge(committer_organisation=iom, currency="xaf").currency == "XAF"


@pytest.mark.parametrize("amount", [True, "1000", 1000.5])
def test_an_amount_is_a_number_not_a_boolean_or_text(iom, amount):
    with pytest.raises(ValidationFailed, match="must be a number") as refused:
        pledge(committer_organisation=iom, amount=amount)
    assert "amount" in refused.value.errors
    assert not Commitment.objects.exists()


def test_is_public_is_a_boolean_not_an_integer(iom):
    with pytest.raises(ValidationFailed, match="must be true or false"):
        pledge(committer_organisation=iom, is_public=0)
    assert not Commitment.objects.exists()


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1989, 12, 31)])
def test_it_refuses_an_announcement_dated_implausibly(iom, day):
    with pytest.raises(ValidationFailed, match="not a plausible date"):
        pledge(committer_organisation=iom, announced_on=day)
    assert not Commitment.objects.exists()


def test_a_title_with_a_bidi_override_is_refused(iom):
    with pytest.raises(ValidationFailed, match=r"invisible character \(U\+202E\)"):
        pledge(committer_organisation=iom, title="Pilot \u202efunding")
