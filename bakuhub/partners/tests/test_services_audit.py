"""Every write service leaves an audit record with field-level before/after values; the trail is append-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from bakuhub.accounts.services import api_token_create, api_token_revoke
from bakuhub.core.models import AuditRecord
from bakuhub.partners import services
from bakuhub.partners.tests.audit_helpers import EVIDENCE, audit_of, created, last_audit, request_id
from bakuhub.testing.factories import MemorandumFactory
from bakuhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


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
    assert record.changes == {"description": ["", "UN Migration"], "country": [None, chad.pk], "version": [1, 2]}


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
        country=chad.pk,
        stage="interested",
        stage_since="2025-02-03",
        stage_since_precision="day",
        last_update_on="2025-02-03",
        is_public=True,
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
        "last_update_on": ["2025-01-10", "2025-06-01"],
        "version": [1, 2],
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
        "version": [1, 2],
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


def test_deleting_a_user_keeps_their_audit_records_under_their_name(secretariat, iom):
    services.organisation_update(actor=secretariat, organisation=iom, description="x")
    secretariat.delete()
    record = last_audit("organisation.update")
    assert (record.actor, record.actor_label) == (None, "secretariat")
