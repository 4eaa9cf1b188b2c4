from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.partners.models import MembershipMilestone, MemorandumVersion
from bakuhub.testing.factories import MemorandumFactory
from bakuhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db

STEP = {
    "to_stage": "pilot_underway",
    "occurred_on": "2025-11-12",
    "date_precision": "day",
    "source_title": "Signed memorandum",
    "source_url": "https://example.org/mou",
}


def test_a_focal_point_records_a_step_with_evidence(chad_membership, chad_focal_point):
    response = client_for(chad_focal_point).post("/countries/TCD/transition/", STEP)
    assert response.status_code == 302
    chad_membership.refresh_from_db()
    assert chad_membership.stage == "pilot_underway"
    assert MembershipMilestone.objects.filter(membership=chad_membership, milestone="pilot_underway").exists()


def test_the_form_answers_htmx_with_a_redirect_header(chad_membership, chad_focal_point):
    response = client_for(chad_focal_point).post("/countries/TCD/transition/", STEP, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/countries/TCD/"


def test_it_rejects_a_foreign_country_focal_point(guinea_bissau_membership, chad_focal_point):
    response = client_for(chad_focal_point).post("/countries/GNB/transition/", STEP)
    assert response.status_code == 403
    guinea_bissau_membership.refresh_from_db()
    assert guinea_bissau_membership.stage == "memorandum_approved"


def test_it_sends_anonymous_users_to_sign_in(chad_membership):
    response = client_for(None).get("/countries/TCD/transition/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_why_evidence_is_missing_and_records_nothing(chad_membership, secretariat):
    data = {**STEP, "source_url": ""}
    response = client_for(secretariat).post("/countries/TCD/transition/", data)
    assert response.status_code == 400
    assert "source URL, an uploaded document, or both" in response.content.decode()
    assert MembershipMilestone.objects.filter(membership=chad_membership).count() == 1


def test_it_refuses_a_fake_pdf_as_evidence(chad_membership, secretariat):
    fake = SimpleUploadedFile("evidence.pdf", b"\x89PNG\r\n\x1a\nnot a pdf", content_type="application/pdf")
    response = client_for(secretariat).post("/countries/TCD/transition/", {**STEP, "source_url": "", "document": fake})
    assert response.status_code == 400
    assert "Only PDF, DOCX or ODT" in response.content.decode()
    chad_membership.refresh_from_db()
    assert chad_membership.stage == "memorandum_approved"


def test_a_pdf_evidence_is_stored(chad_membership, secretariat):
    pdf = SimpleUploadedFile("evidence.pdf", pdf_bytes(), content_type="application/pdf")
    response = client_for(secretariat).post("/countries/TCD/transition/", {**STEP, "source_url": "", "document": pdf})
    assert response.status_code == 302
    milestone = MembershipMilestone.objects.get(membership=chad_membership, milestone="pilot_underway")
    assert milestone.evidence_document.name.endswith(".pdf")


def test_the_secretariat_exports_the_audit_trail_with_formulas_neutralised(chad_membership, secretariat):
    client = client_for(secretariat)
    client.post("/countries/TCD/transition/", {**STEP, "source_title": "=HYPERLINK(1)"})
    records = AuditRecord.objects.filter(object_type="partners.membershipmilestone")
    assert records.exists()
    milestone = MembershipMilestone.objects.get(milestone="pilot_underway")
    response = client.get(f"/audit/partners.membershipmilestone/{milestone.pk}.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[[r[7] for r in rows].index("source_title")][7:] == ["source_title", "", "'=HYPERLINK(1)"]


def test_only_the_secretariat_reads_the_audit_trail(chad_membership, chad_focal_point):
    response = client_for(chad_focal_point).get(f"/audit/partners.membership/{chad_membership.pk}.csv")
    assert response.status_code == 403
    page = client_for(chad_focal_point).get("/countries/TCD/").content.decode()
    assert "Audit trail" not in page


def test_the_secretariat_sees_the_audit_trail_on_the_country_page(chad_membership, secretariat):
    client = client_for(secretariat)
    client.post("/countries/TCD/transition/", STEP)
    assert "Audit trail" in client.get("/countries/TCD/").content.decode()


def test_the_admin_is_for_the_secretariat_only(chad_focal_point, secretariat):
    chad_focal_point.is_staff = True
    chad_focal_point.save()
    assert client_for(chad_focal_point).get("/admin/").status_code == 302
    assert client_for(secretariat).get("/admin/").status_code == 200
    assert client_for(secretariat).get("/admin/partners/membership/").status_code == 200


def test_a_token_is_shown_once_and_can_be_revoked(secretariat):
    client = client_for(secretariat)
    response = client.post("/account/tokens/", {"name": "laptop", "days": 30})
    assert response.status_code == 200
    assert "bkh_" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    listing = client.get("/account/tokens/").content.decode()
    assert "laptop" in listing and "Your new token" not in listing
    token = secretariat.api_tokens.get()
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_partner_editor_uploads_a_version_of_their_draft_memorandum(iom, iom_editor):
    memo = MemorandumFactory(status="draft", approved_on=None)
    memo.party_organisations.add(iom)
    pdf = SimpleUploadedFile("mou.pdf", pdf_bytes())
    response = client_for(iom_editor).post(f"/memoranda/{memo.pk}/versions/", {"file": pdf})
    assert response.status_code == 302
    assert MemorandumVersion.objects.get(memorandum=memo).number == 1


def test_a_partner_editor_cannot_replace_the_document_of_a_published_memorandum(iom, iom_editor):
    memo = MemorandumFactory()
    memo.party_organisations.add(iom)
    pdf = SimpleUploadedFile("mou.pdf", pdf_bytes())
    response = client_for(iom_editor).post(f"/memoranda/{memo.pk}/versions/", {"file": pdf})
    assert response.status_code == 403
    assert not MemorandumVersion.objects.filter(memorandum=memo).exists()


def test_an_oversized_version_is_refused_naming_the_limit(iom, iom_editor, settings):
    settings.BAKUHUB_DOCUMENT_MAX_BYTES = 100
    memo = MemorandumFactory(status="draft", approved_on=None)
    memo.party_organisations.add(iom)
    pdf = SimpleUploadedFile("mou.pdf", pdf_bytes("x" * 200))
    response = client_for(iom_editor).post(f"/memoranda/{memo.pk}/versions/", {"file": pdf})
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not MemorandumVersion.objects.exists()


def test_login_and_password_reset_pages_work(db, mailoutbox, secretariat):
    client = client_for(None)
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "secretariat", "password": "correct horse battery staple"})
    assert response.status_code == 302
    response = client_for(None).post("/accounts/password-reset/", {"email": secretariat.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1


def test_admin_edits_are_audited_without_password_hashes(secretariat, iom):
    client = client_for(secretariat)
    response = client.post(
        f"/admin/partners/organisation/{iom.pk}/change/",
        {
            "name": iom.name,
            "acronym": "IOM-UN",
            "slug": iom.slug,
            "org_type": "40",
            "iati_identifier": iom.iati_identifier,
            "website": "",
            "description": "",
            "source_title": "",
            "source_publisher": "",
            "source_url": "",
            "source_quote": "",
            "fact_id": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = AuditRecord.objects.get(action="organisation.update.admin")
    assert record.changes == {"acronym": ["IOM", "IOM-UN"]}
    assert record.actor == secretariat


def test_the_step_form_records_a_milestone_out_of_order(chad_membership, chad_focal_point):
    """Chad at 'memorandum approved' may record its pilot, dated before the memorandum; the old form offered only
    the next step and refused any date before the current stage."""
    data = {**STEP, "to_stage": "pilot_underway", "occurred_on": "2024-06-01", "date_precision": "month"}
    client = client_for(chad_focal_point)
    form = client.get("/countries/TCD/transition/").content.decode()
    assert 'value="pilot_underway"' in form and 'value="memorandum_approved"' not in form
    assert client.post("/countries/TCD/transition/", data).status_code == 302
    chad_membership.refresh_from_db()
    assert chad_membership.stage == "pilot_underway"
    page = client.get("/countries/TCD/").content.decode()
    assert "June 2024" in page and "before memorandum approved" in page


def test_the_step_form_warns_that_the_document_is_published_with_a_public_membership(chad_membership, chad_focal_point):
    response = client_for(chad_focal_point).get("/countries/TCD/transition/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "this document is published with the country&#x27;s public timeline" in page
    assert 'aria-describedby="id_document_helptext"' in page and 'id="id_document_helptext"' in page


def test_the_step_form_shows_a_refused_milestone_on_its_fields(chad_membership, chad_focal_point):
    client = client_for(chad_focal_point)
    response = client.post("/countries/TCD/transition/", {**STEP, "occurred_on": "2030-01-01"})
    assert response.status_code == 400
    assert "2030-01-01 is in the future" in str(response.context["form"].errors["occurred_on"])
    response = client.post("/countries/TCD/transition/", {**STEP, "to_stage": "memorandum_signed"})
    assert "Chad has no signed memorandum on record" in str(response.context["form"].errors["to_stage"])
