"""Partner services refuse bad input, and refused input changes nothing."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.utils import timezone

from bakuhub.accounts.models import ApiToken
from bakuhub.accounts.services import api_token_create
from bakuhub.core.errors import Conflict, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.partners import models as m
from bakuhub.partners import services
from bakuhub.partners.tests.audit_helpers import EVIDENCE
from bakuhub.testing.factories import MemorandumFactory

pytestmark = pytest.mark.django_db


# --- bad inputs change nothing ------------------------------------------------------------------------------


WATCHED = (m.Organisation, m.Contact, m.Membership, m.MembershipEvent, m.Memorandum, m.MemorandumSignatory)


def counts():
    return {model.__name__: model.objects.count() for model in (*WATCHED, m.MemorandumVersion, ApiToken, AuditRecord)}


@contextmanager
def changes_nothing(error=ValidationFailed, field=None):
    before = counts()
    with pytest.raises(error) as refused:
        yield refused
    assert counts() == before
    if field is not None:
        assert field in refused.value.errors, refused.value.errors


@pytest.mark.parametrize(
    ("data", "error", "field"),
    [
        ({"org_type": "99"}, ValidationFailed, "org_type"),
        ({"org_type": ""}, ValidationFailed, "org_type"),
        ({"iati_identifier": "XM DAC 47066"}, ValidationFailed, "iati_identifier"),
        ({"iati_identifier": "ZZ-FOO-1"}, ValidationFailed, "iati_identifier"),
        ({"iati_identifier": "XM-DAC"}, ValidationFailed, "iati_identifier"),
        ({"iati_identifier": " XM-DAC-41114"}, ValidationFailed, "iati_identifier"),
        ({"iati_identifier": "XM-DAC-47066"}, Conflict, None),  # iom's identifier
        ({"name": "international organization for migration"}, Conflict, "name"),
        ({"name": "  "}, ValidationFailed, "name"),
        ({"website": "javascript:alert(1)"}, ValidationFailed, "website"),
        ({"colour": "red"}, ValidationFailed, "colour"),
    ],
)
def test_organisation_create_refuses_bad_input(secretariat, iom, data, error, field):
    with changes_nothing(error, field):
        services.organisation_create(actor=secretariat, **{"name": "New organisation", "org_type": "21", **data})


def test_organisation_update_refuses_a_duplicate_identifier_and_keeps_the_old_values(secretariat, iom, gcf):
    with changes_nothing(Conflict):
        services.organisation_update(actor=secretariat, organisation=gcf, iati_identifier="XM-DAC-47066")
    gcf.refresh_from_db()
    assert gcf.iati_identifier is None


def test_organisation_update_refuses_an_unknown_type(secretariat, iom):
    with changes_nothing(ValidationFailed, "org_type"):
        services.organisation_update(actor=secretariat, organisation=iom, org_type="999")
    iom.refresh_from_db()
    assert iom.org_type == "40"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"source_url": ""}, "source_url"),
        ({"source_url": "not a url"}, "source_url"),
        ({"source_title": ""}, "source_title"),
        ({"occurred_on": dt.date.today() + dt.timedelta(days=1)}, "occurred_on"),
        ({"stage": "paused"}, "stage"),
        ({"stage": "nonsense"}, "stage"),
        ({"date_precision": "week"}, "date_precision"),
        ({"note": "x" * 5001}, "note"),
    ],
)
def test_membership_create_refuses_bad_input(secretariat, chad, data, field):
    kwargs = {"stage": "interested", "occurred_on": dt.date(2025, 1, 1), **EVIDENCE, **data}
    with changes_nothing(ValidationFailed, field):
        services.membership_create(actor=secretariat, country=chad, **kwargs)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"source_url": ""}, "source_url"),
        ({"occurred_on": timezone.localdate() + dt.timedelta(days=1)}, "occurred_on"),
        ({"occurred_on": dt.date(2025, 1, 9)}, "occurred_on"),  # the last update was on 2025-01-10
        ({"to_stage": "interested"}, "to_stage"),  # a restart, but the membership was not withdrawn
        ({"to_stage": "resumed"}, "to_stage"),
        ({"date_precision": "week"}, "date_precision"),
    ],
)
def test_membership_advance_refuses_bad_input(secretariat, chad_membership, data, field):
    kwargs = {"to_stage": "paused", "occurred_on": dt.date(2025, 3, 1), **EVIDENCE, **data}
    with changes_nothing(ValidationFailed, field):
        services.membership_advance(actor=secretariat, membership=chad_membership, **kwargs)
    chad_membership.refresh_from_db()
    assert (chad_membership.stage, chad_membership.stage_since) == ("memorandum_approved", dt.date(2025, 1, 10))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "signed", "approved_on": dt.date(2025, 9, 1)}, "signed_on"),
        ({"status": "approved"}, "approved_on"),
        ({"status": "ratified"}, "status"),
        ({"approved_on": dt.date(2025, 9, 1), "signed_on": dt.date(2025, 8, 1)}, "signed_on"),
        ({"approved_on": dt.date(2025, 9, 1), "expires_on": dt.date(2025, 9, 1)}, "expires_on"),
        ({"title": ""}, "title"),
        ({"source_url": "ftp://example.org/x"}, "source_url"),
    ],
)
def test_memorandum_create_refuses_bad_input(secretariat, data, field):
    with changes_nothing(ValidationFailed, field):
        services.memorandum_create(actor=secretariat, **{"title": "MoU", **data})


def test_memorandum_create_refuses_a_jwg_with_a_non_party(secretariat, chad, guinea_bissau):
    with changes_nothing(ValidationFailed, "establishes_jwg_for"):
        services.memorandum_create(
            actor=secretariat, title="MoU", party_countries=[chad], establishes_jwg_for=[guinea_bissau]
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "signed"}, "signed_on"),
        ({"status": "draft"}, "status"),
        ({"approved_on": None}, "approved_on"),
        ({"title": "  "}, "title"),
    ],
)
def test_memorandum_update_refuses_bad_input(secretariat, data, field):
    memo = MemorandumFactory(title="Kept title")
    with changes_nothing(ValidationFailed, field):
        services.memorandum_update(actor=secretariat, memorandum=memo, **data)
    fresh = m.Memorandum.objects.get(pk=memo.pk)
    assert (fresh.title, fresh.status, fresh.approved_on) == ("Kept title", "approved", dt.date(2025, 9, 1))


def test_memorandum_update_refuses_a_jwg_with_a_non_party(secretariat, chad, guinea_bissau):
    memo = MemorandumFactory(party_countries=[chad])
    with changes_nothing(ValidationFailed, "establishes_jwg_for"):
        services.memorandum_update(actor=secretariat, memorandum=memo, establishes_jwg_for=[guinea_bissau])
    memo.establishes_jwg_for.set([chad])
    with changes_nothing(ValidationFailed, "establishes_jwg_for"):  # dropping the JWG country from the parties
        services.memorandum_update(actor=secretariat, memorandum=memo, party_countries=[guinea_bissau])
    assert list(memo.party_countries.all()) == [chad]


@pytest.mark.parametrize("status", ["approved", "signed"])
def test_memorandum_create_refuses_a_signature_or_approval_in_the_future(secretariat, status):
    future = timezone.localdate() + dt.timedelta(days=30)
    with changes_nothing(ValidationFailed):
        services.memorandum_create(actor=secretariat, title="MoU", status=status, approved_on=future, signed_on=future)


def test_memorandum_signatory_add_refuses_a_missing_name(secretariat):
    memo = MemorandumFactory()
    with changes_nothing(ValidationFailed, "name"):
        services.memorandum_signatory_add(actor=secretariat, memorandum=memo, name=" ", on_behalf_of="Chad")


@pytest.mark.parametrize(("name", "days"), [("", 30), ("laptop", 0), ("laptop", 367)])
def test_api_token_create_refuses_bad_input(chad_focal_point, name, days):
    with changes_nothing(ValidationFailed):
        api_token_create(actor=chad_focal_point, name=name, days=days)


def test_contact_create_refuses_a_malformed_email(iom_editor, iom):
    with changes_nothing(ValidationFailed, "email"):
        services.contact_create(actor=iom_editor, organisation=iom, name="Ana", email="ana.iom.int")
