"""Partner services store normalised text, compare names as a reader would, and refuse implausible dates."""

from __future__ import annotations

import datetime as dt

import pytest

from bakuhub.core.errors import Conflict, ValidationFailed
from bakuhub.partners import services
from bakuhub.partners.models import Contact, MembershipEvent, MembershipMilestone, Memorandum, Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["\uff29\uff2f\uff2d", "\uff49\uff4f\uff4d ", "iom "])
def test_it_refuses_an_organisation_named_like_an_existing_one_once_normalised(secretariat, name):
    services.organisation_create(actor=secretariat, name="IOM", org_type="40")
    with pytest.raises(Conflict, match="already exists"):
        services.organisation_create(actor=secretariat, name=name, org_type="40")
    assert Organisation.objects.count() == 1


def test_it_refuses_a_full_width_twin_of_a_long_name(secretariat, iom):
    twin = "International Organization for \uff2d\uff49\uff47\uff52\uff41\uff54\uff49\uff4f\uff4e"
    with pytest.raises(Conflict):
        services.organisation_create(actor=secretariat, name=twin, org_type="40")


def test_a_rename_to_a_normalised_twin_is_refused(secretariat, iom, gcf):
    with pytest.raises(Conflict):
        services.organisation_update(
            actor=secretariat, organisation=gcf, name="  international organization  FOR migration"
        )
    gcf.refresh_from_db()
    assert gcf.name != iom.name


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\ufeff", "\x00"])
def test_it_refuses_an_organisation_name_with_an_invisible_or_nul_character(secretariat, char):
    with pytest.raises(ValidationFailed, match=rf"U\+{ord(char):04X}") as refused:
        services.organisation_create(actor=secretariat, name=f"Evil{char}Corp", org_type="21")
    assert "name" in refused.value.errors
    assert not Organisation.objects.exists()


def test_it_stores_an_arabic_name_and_a_multi_line_description_as_given(secretariat):
    org = services.organisation_create(
        actor=secretariat, name="وزارة البيئة - تشاد", org_type="10", description="Ligne un\nLigne deux"
    )
    assert org.name == "وزارة البيئة - تشاد"
    assert org.description == "Ligne un\nLigne deux"


def test_an_acronym_is_stored_nfkc_normalised(secretariat):
    org = services.organisation_create(actor=secretariat, name="Example agency", acronym="\uff25\uff21", org_type="21")
    assert org.acronym == "EA"


def test_a_contact_is_public_only_with_a_real_boolean(secretariat, iom):
    with pytest.raises(ValidationFailed, match="must be true or false"):
        services.contact_create(actor=secretariat, organisation=iom, name="Ana", is_public="no")
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"status": "signed", "signed_on": dt.date(1, 1, 1)}, "signed_on"),
        ({"status": "approved", "approved_on": dt.date(1989, 12, 31)}, "approved_on"),
        ({"expires_on": dt.date(9999, 12, 31)}, "expires_on"),
    ],
)
def test_it_refuses_a_memorandum_dated_implausibly(secretariat, dates, field):
    with pytest.raises(ValidationFailed, match="not a plausible date") as refused:
        services.memorandum_create(actor=secretariat, title="Memorandum", **dates)
    assert field in refused.value.errors
    assert not Memorandum.objects.exists()


def test_it_refuses_a_membership_step_in_year_one(chad_membership, secretariat):
    before = (MembershipEvent.objects.count(), MembershipMilestone.objects.count())
    with pytest.raises(ValidationFailed, match="not a plausible date"):
        services.membership_advance(
            actor=secretariat,
            membership=chad_membership,
            to_stage="pilot_underway",
            occurred_on=dt.date(1, 1, 1),
            source_title="Signed memorandum",
            source_url="https://example.org/mou",
        )
    assert (MembershipEvent.objects.count(), MembershipMilestone.objects.count()) == before


def test_a_signatory_signing_in_year_one_is_refused(secretariat):
    memorandum = services.memorandum_create(actor=secretariat, title="Memorandum")
    with pytest.raises(ValidationFailed, match="not a plausible date"):
        services.memorandum_signatory_add(
            actor=secretariat,
            memorandum=memorandum,
            name="A. Minister",
            on_behalf_of="Chad",
            signed_on=dt.date(1, 1, 1),
        )
    assert not memorandum.signatories.exists()
