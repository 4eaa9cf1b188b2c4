"""Every write service leaves an audit record with field-level before/after values; refused input changes nothing."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from bakuhub.accounts.models import ApiToken
from bakuhub.accounts.services import api_token_create, api_token_revoke
from bakuhub.core.errors import Conflict, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.core.request_context import request_id_var
from bakuhub.partners import models as m
from bakuhub.partners import services
from bakuhub.testing.factories import MemorandumFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EVIDENCE = {"source_title": "Letter", "source_url": "https://example.org/letter"}


@contextmanager
def request_id(value):
    token = request_id_var.set(value)
    try:
        yield
    finally:
        request_id_var.reset(token)


def last_audit(action):
    record = AuditRecord.objects.filter(action=action).order_by("-id").first()
    assert record is not None, f"no audit record for {action}"
    return record


def created(**values):
    """The changes of a create: every field from None to its value."""
    return {field: [None, value] for field, value in values.items()}


def audit_of(obj, action):
    record = last_audit(action)
    assert (record.object_type, record.object_id) == (obj._meta.label_lower, str(obj.pk))
    return record


# --- an audit record for every write ------------------------------------------------------------------------


def test_organisation_create_is_audited_with_the_request_id(secretariat):
    with request_id("req-org-create-1"):
        org = services.organisation_create(
            actor=secretariat,
            name="Norwegian Refugee Council",
            acronym="NRC",
            org_type="21",
            iati_identifier="NO-BRC-977538319",
        )
    record = audit_of(org, "organisation.create")
    assert record.request_id == "req-org-create-1"
    assert (record.actor, record.actor_label) == (secretariat, "secretariat")
    assert record.changes == created(
        name="Norwegian Refugee Council", acronym="NRC", org_type="21", iati_identifier="NO-BRC-977538319"
    )


def test_organisation_update_records_only_the_changed_fields(secretariat, iom, chad):
    with request_id("req-org-update-1"):
        services.organisation_update(
            actor=secretariat, organisation=iom, acronym="IOM", description="UN Migration", country=chad
        )
    record = audit_of(iom, "organisation.update")
    assert record.request_id == "req-org-update-1"
    assert record.changes == {"description": ["", "UN Migration"], "country": [None, chad.pk]}


def test_an_update_that_changes_nothing_is_not_audited(secretariat, iom):
    services.organisation_update(actor=secretariat, organisation=iom, acronym="IOM")
    assert not AuditRecord.objects.filter(action="organisation.update").exists()


def test_contact_create_is_audited(iom_editor, iom):
    contact = services.contact_create(actor=iom_editor, organisation=iom, name="Ana", email="ana@iom.int")
    record = audit_of(contact, "contact.create")
    assert record.changes == created(organisation=iom.pk, name="Ana", email="ana@iom.int", is_public=False)
    assert record.request_id == ""  # outside a request


def test_membership_create_audits_the_membership_and_its_first_event(chad_focal_point, chad):
    with request_id("req-membership-1"):
        membership = services.membership_create(
            actor=chad_focal_point, country=chad, stage="interested", occurred_on=dt.date(2025, 2, 3), **EVIDENCE
        )
    record = audit_of(membership, "membership.create")
    assert record.changes == created(
        country=chad.pk, stage="interested", stage_since="2025-02-03", stage_since_precision="day", is_public=True
    )
    event = membership.events.get()
    event_record = audit_of(event, "membershipevent.create")
    assert event_record.changes["to_stage"] == [None, "interested"]
    assert event_record.changes["source_url"] == [None, "https://example.org/letter"]
    assert {record.request_id, event_record.request_id} == {"req-membership-1"}


def test_membership_advance_audits_before_and_after(chad_membership, secretariat):
    with request_id("req-advance-1"):
        services.membership_advance(
            actor=secretariat,
            membership=chad_membership,
            to_stage="paused",
            occurred_on=dt.date(2025, 6, 1),
            date_precision="month",
            **EVIDENCE,
        )
    record = audit_of(chad_membership, "membership.advance")
    assert record.request_id == "req-advance-1"
    assert record.changes == {
        "stage": ["memorandum_approved", "paused"],
        "paused_from": ["", "memorandum_approved"],
        "stage_since": ["2025-01-10", "2025-06-01"],
        "stage_since_precision": ["day", "month"],
    }
    event_record = last_audit("membershipevent.create")
    assert event_record.changes["from_stage"] == [None, "memorandum_approved"]
    assert event_record.changes["to_stage"] == [None, "paused"]


def test_memorandum_create_is_audited_with_its_parties(secretariat, chad, iom):
    memo = services.memorandum_create(
        actor=secretariat,
        title="MoU",
        status="approved",
        approved_on=dt.date(2025, 9, 1),
        party_countries=[chad],
        party_organisations=[iom],
        establishes_jwg_for=[chad],
    )
    record = audit_of(memo, "memorandum.create")
    assert record.changes == {
        **created(title="MoU", status="approved", hub_is_party=True, approved_on="2025-09-01"),
        **{"party_countries": [[], [chad.pk]], "party_organisations": [[], [iom.pk]]},
        "establishes_jwg_for": [[], [chad.pk]],
    }


def test_memorandum_update_is_audited_field_by_field(secretariat, chad, guinea_bissau):
    memo = MemorandumFactory(party_countries=[chad])
    with request_id("req-memo-update"):
        services.memorandum_update(
            actor=secretariat,
            memorandum=memo,
            status="signed",
            signed_on=dt.date(2025, 10, 2),
            party_countries=[chad, guinea_bissau],
        )
    record = audit_of(memo, "memorandum.update")
    assert record.request_id == "req-memo-update"
    assert record.changes == {
        "status": ["approved", "signed"],
        "signed_on": [None, "2025-10-02"],
        "party_countries": [[chad.pk], sorted([chad.pk, guinea_bissau.pk])],
    }


def test_memorandum_signatory_add_is_audited(secretariat):
    memo = MemorandumFactory()
    signatory = services.memorandum_signatory_add(
        actor=secretariat, memorandum=memo, name="A. Minister", on_behalf_of="Chad", signed_on=dt.date(2025, 10, 2)
    )
    record = audit_of(signatory, "memorandumsignatory.create")
    assert record.changes == created(
        memorandum=memo.pk, name="A. Minister", on_behalf_of="Chad", signed_on="2025-10-02"
    )


def test_memorandum_version_add_is_audited_with_the_digest(secretariat):
    memo = MemorandumFactory()
    with request_id("req-version-1"):
        version = services.memorandum_version_add(
            actor=secretariat, memorandum=memo, upload=SimpleUploadedFile("mou.pdf", PDF)
        )
    record = audit_of(version, "memorandumversion.create")
    assert record.request_id == "req-version-1"
    assert record.changes == created(
        memorandum=memo.pk, number=1, original_name="mou.pdf", mime_type="application/pdf", size_bytes=len(PDF),
        sha256=version.sha256,
    )  # fmt: skip


def test_api_token_create_and_revoke_are_audited_without_the_secret(chad_focal_point):
    with request_id("req-token-1"):
        token, raw = api_token_create(actor=chad_focal_point, name="laptop")
        api_token_revoke(actor=chad_focal_point, token=token)
    created = audit_of(token, "apitoken.create")
    assert created.changes["name"] == [None, "laptop"]
    assert created.changes["prefix"] == [None, raw[:12]]
    assert raw not in str(created.changes)
    revoked = audit_of(token, "apitoken.revoke")
    assert revoked.changes == {"revoked_at": [None, token.revoked_at.isoformat()]}
    assert {created.request_id, revoked.request_id} == {"req-token-1"}
    api_token_revoke(actor=chad_focal_point, token=token)  # revoking again records nothing more
    assert AuditRecord.objects.filter(action="apitoken.revoke").count() == 1


def test_a_system_write_is_audited_as_system(chad):
    services.membership_create(
        actor=None, country=chad, stage="interested", occurred_on=dt.date(2025, 1, 1), **EVIDENCE
    )
    record = last_audit("membership.create")
    assert (record.actor, record.actor_label) == (None, "system")


# --- the audit trail is append-only -------------------------------------------------------------------------


@pytest.fixture
def audit_record(secretariat, iom):
    services.organisation_update(actor=secretariat, organisation=iom, description="x")
    return last_audit("organisation.update")


def test_an_audit_record_cannot_be_saved_again(audit_record):
    audit_record.action = "tampered"
    with pytest.raises(PermissionError):
        audit_record.save()
    assert AuditRecord.objects.get(pk=audit_record.pk).action == "organisation.update"


def test_an_audit_record_cannot_be_deleted(audit_record):
    with pytest.raises(PermissionError):
        audit_record.delete()
    with pytest.raises(PermissionError):
        AuditRecord.objects.filter(pk=audit_record.pk).delete()
    with pytest.raises(PermissionError):
        AuditRecord.objects.all().delete()
    assert AuditRecord.objects.filter(pk=audit_record.pk).exists()


def test_an_audit_record_cannot_be_updated_in_bulk(audit_record):
    with pytest.raises(PermissionError):
        AuditRecord.objects.filter(pk=audit_record.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditRecord.objects.update(action="tampered")
    with pytest.raises(PermissionError), transaction.atomic():  # bulk_update runs update() without a savepoint
        AuditRecord.objects.bulk_update([audit_record], ["action"])
    assert AuditRecord.objects.get(pk=audit_record.pk).action == "organisation.update"


def test_an_audit_record_cannot_be_overwritten_through_a_new_instance(audit_record):
    forged = AuditRecord(
        pk=audit_record.pk, created_at=audit_record.created_at, action="tampered", actor_label="mallory",
        object_type="x.y", object_id="1", object_repr="forged",
    )  # fmt: skip
    with pytest.raises((PermissionError, IntegrityError)), transaction.atomic():
        forged.save()
    assert AuditRecord.objects.get(pk=audit_record.pk).action == "organisation.update"


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
        ({"occurred_on": dt.date(2025, 1, 9)}, "occurred_on"),  # the current stage began on 2025-01-10
        ({"to_stage": "implementing"}, "to_stage"),
        ({"to_stage": "memorandum_approved"}, "to_stage"),
        ({"date_precision": "week"}, "date_precision"),
    ],
)
def test_membership_advance_refuses_bad_input(secretariat, chad_membership, data, field):
    kwargs = {"to_stage": "memorandum_signed", "occurred_on": dt.date(2025, 3, 1), **EVIDENCE, **data}
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


def test_deleting_a_user_keeps_their_audit_records_under_their_name(secretariat, iom):
    services.organisation_update(actor=secretariat, organisation=iom, description="x")
    secretariat.delete()
    record = last_audit("organisation.update")
    assert (record.actor, record.actor_label) == (None, "secretariat")
