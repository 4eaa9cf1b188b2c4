"""Stored files leave only through the download views, which apply the rule of the record that owns each file:
404 for whoever may not see that record, with the file's checked type, `nosniff` and `attachment`."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, get_resolver
from django.utils import timezone

from bakuhub.accounts.models import Role
from bakuhub.accounts.services import api_token_create, api_token_revoke
from bakuhub.conftest import client_for
from bakuhub.core.tests.test_files import image_bytes
from bakuhub.partners import services as partner_services
from bakuhub.partners.models import Memorandum, MemorandumVersion
from bakuhub.projects import services as project_services
from bakuhub.projects.tests.factories import ProjectFactory
from bakuhub.results import services as result_services
from bakuhub.testing.factories import MemorandumFactory, UserFactory
from bakuhub.testing.files import pdf_bytes
from bakuhub.working_groups import services as jwg_services
from bakuhub.working_groups.tests.factories import MeetingFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

ROLES = ("secretariat", "chad_focal_point", "foreign_focal_point", "iom_editor", "gcf_funder", "anonymous")
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def foreign_focal_point(guinea_bissau):
    return UserFactory(username="gnb_focal_point", role=Role.FOCAL_POINT, countries=[guinea_bissau])


def pdf(name: str = "mou-gmb.pdf", text: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text or name), content_type="application/pdf")


def fetch(request, role: str, url: str, **headers):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    return client_for(user).get(url, **headers)


# --- one owner kind each ----------------------------------------------------------------------------------------


@pytest.fixture
def draft_version(secretariat, chad):
    memo = MemorandumFactory(status=Memorandum.Status.DRAFT, party_countries=[chad])
    return partner_services.memorandum_version_add(actor=secretariat, memorandum=memo, upload=pdf())


@pytest.fixture
def signed_version(secretariat, chad):
    memo = MemorandumFactory(status=Memorandum.Status.SIGNED, party_countries=[chad])
    return partner_services.memorandum_version_add(actor=secretariat, memorandum=memo, upload=pdf())


@pytest.fixture
def project(chad, iom):
    return ProjectFactory(
        country=chad,
        lead_organisation=iom,
        is_public=True,
        planned_start=dt.date(THIS_YEAR - 2, 1, 1),
        planned_end=dt.date(THIS_YEAR + 2, 12, 31),
    )


@pytest.fixture
def internal_document(secretariat, project):
    return project_services.project_document_add(
        actor=secretariat, project=project, upload=pdf("budget.pdf"), title="Budget", is_public=False
    )


@pytest.fixture
def public_document(secretariat, project):
    return project_services.project_document_add(
        actor=secretariat, project=project, upload=pdf("concept.pdf"), title="Concept note", is_public=True
    )


@pytest.fixture
def attachment(secretariat, chad):
    meeting = MeetingFactory(working_group=WorkingGroupFactory(country=chad))
    return jwg_services.meeting_attachment_add(actor=secretariat, meeting=meeting, upload=pdf("minutes.pdf"))


@pytest.fixture
def hidden_evidence(secretariat, chad):
    membership = partner_services.membership_create(
        actor=secretariat,
        country=chad,
        stage="interested",
        occurred_on=dt.date(2025, 6, 1),
        source_title="Letter of interest",
        document=pdf("letter.pdf"),
        is_public=False,
    )
    return membership.events.get()


@pytest.fixture
def hidden_milestone(secretariat, chad):
    membership = partner_services.membership_create(
        actor=secretariat,
        country=chad,
        stage="interested",
        occurred_on=dt.date(2025, 6, 1),
        source_title="Letter of interest",
        source_url="https://example.org/letter",
        is_public=False,
    )
    return partner_services.membership_milestone_record(
        actor=secretariat,
        membership=membership,
        milestone="intention_announced",
        reached_on=dt.date(2025, 7, 1),
        source_title="Minister's letter",
        document=pdf("minister letter.pdf"),
    )


@pytest.fixture
def result_period(secretariat, iom_editor, project, iom):
    result = result_services.result_create(
        actor=secretariat, project=project, kind="1", title="Households with water", reported_by=iom
    )
    indicator = result_services.indicator_create(actor=secretariat, result=result, title="Households", unit="hh")
    period = result_services.period_create(
        actor=secretariat,
        indicator=indicator,
        period_start=dt.date(THIS_YEAR - 1, 1, 1),
        period_end=dt.date(THIS_YEAR - 1, 12, 31),
        target_value=500,
    )
    return result_services.actual_submit(
        actor=iom_editor, period=period, actual_value=10, evidence=pdf("list of households.pdf")
    )


CASES = {
    "draft-memorandum-version": (
        "draft_version",
        "/files/memorandum-versions/{pk}/",
        {"secretariat", "chad_focal_point", "gcf_funder"},
    ),
    "signed-memorandum-version": ("signed_version", "/files/memorandum-versions/{pk}/", set(ROLES)),
    "internal-project-document": (
        "internal_document",
        "/files/project-documents/{pk}/",
        {"secretariat", "chad_focal_point", "iom_editor", "gcf_funder"},
    ),
    "public-project-document": ("public_document", "/files/project-documents/{pk}/", set(ROLES)),
    "meeting-attachment": (
        "attachment",
        "/files/meeting-attachments/{pk}/",
        {"secretariat", "chad_focal_point", "gcf_funder"},
    ),
    "hidden-membership-evidence": (
        "hidden_evidence",
        "/files/membership-evidence/{pk}/",
        {"secretariat", "chad_focal_point", "gcf_funder"},
    ),
    "hidden-milestone-evidence": (
        "hidden_milestone",
        "/files/milestone-evidence/{pk}/",
        {"secretariat", "chad_focal_point", "gcf_funder"},
    ),
    "result-evidence": (
        "result_period",
        "/files/result-evidence/{pk}/",
        {"secretariat", "chad_focal_point", "iom_editor", "gcf_funder"},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES)
def test_each_file_follows_the_rule_of_its_owner(request, case, role):
    fixture, pattern, allowed = CASES[case]
    owner = request.getfixturevalue(fixture)
    response = fetch(request, role, pattern.format(pk=owner.pk))
    if role in allowed:
        assert response.status_code == 200, (case, role)
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment; ")
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    else:
        assert response.status_code == 404, (case, role)


@pytest.mark.parametrize("case", CASES)
def test_every_stored_file_has_a_random_name_with_its_checked_extension(request, case):
    fixture = CASES[case][0]
    owner = request.getfixturevalue(fixture)
    field = {
        "hidden_evidence": "evidence_document",
        "hidden_milestone": "evidence_document",
        "result_period": "evidence",
    }.get(fixture, "file")
    name = getattr(owner, field).name
    folder = {"draft_version": "memoranda", "signed_version": "memoranda", "attachment": "meetings"}.get(
        fixture,
        {"hidden_evidence": "evidence", "hidden_milestone": "evidence", "result_period": "results"}.get(
            fixture, "projects"
        ),
    )
    assert re.fullmatch(rf"{folder}/\d{{4}}/[0-9a-f]{{32}}\.pdf", name), name


def test_the_original_name_is_kept_in_the_row_for_the_download(request, hidden_evidence, result_period):
    assert hidden_evidence.evidence_original_name == "letter.pdf"
    assert result_period.evidence_original_name == "list of households.pdf"
    response = client_for(request.getfixturevalue("secretariat")).get(f"/files/result-evidence/{result_period.pk}/")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"list of households.pdf\"; filename*=UTF-8''list%20of%20households.pdf"
    )


def test_any_original_name_is_safe_in_the_header(secretariat, chad):
    memo = MemorandumFactory(party_countries=[chad])
    name = 'mémorandum "final";\r\nSet-Cookie: x=1.pdf'
    version = partner_services.memorandum_version_add(actor=secretariat, memorandum=memo, upload=pdf(name))
    response = client_for(None).get(f"/files/memorandum-versions/{version.pk}/")
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert 'filename="m_morandum _final__Set-Cookie: x=1.pdf"' in disposition
    assert "filename*=UTF-8''" + quote('mémorandum "final";Set-Cookie: x=1.pdf', safe="") in disposition


def test_a_png_uploaded_as_html_is_stored_and_served_as_png(iom, iom_editor):
    logo = SimpleUploadedFile("evil.html", image_bytes("PNG"), content_type="text/html")
    response = client_for(iom_editor).post("/api/v1/organisations/iom/logo", {"file": logo})
    assert response.status_code == 200, response.content
    iom.refresh_from_db()
    assert re.fullmatch(r"logos/\d{4}/[0-9a-f]{32}\.png", iom.logo.name)
    served = client_for(None).get(f"/files/logos/{iom.pk}/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline; ")


def test_an_organisation_without_a_logo_has_no_logo_file(iom):
    assert client_for(None).get(f"/files/logos/{iom.pk}/").status_code == 404


def test_no_url_serves_the_media_root_even_in_debug(settings, draft_version):
    settings.DEBUG = True
    module = importlib.reload(importlib.import_module("config.urls"))
    try:
        with pytest.raises(Resolver404):
            get_resolver(module).resolve(f"/media/{draft_version.file.name}")
    finally:
        settings.DEBUG = False
        importlib.reload(module)
    assert client_for(None).get(f"/media/{draft_version.file.name}").status_code == 404


def test_pages_link_the_download_view_not_the_storage(secretariat, draft_version, internal_document, attachment):
    client = client_for(secretariat)
    memo_page = client.get(f"/memoranda/{draft_version.memorandum_id}/").content.decode()
    assert f'href="/files/memorandum-versions/{draft_version.pk}/"' in memo_page
    project_page = client.get(f"/projects/{internal_document.project_id}/").content.decode()
    assert f'href="/files/project-documents/{internal_document.pk}/"' in project_page
    for page in (memo_page, project_page):
        assert "/media/" not in page


def test_the_api_links_the_download_view(secretariat, signed_version, public_document):
    client = client_for(None)
    memo = client.get(f"/api/v1/memoranda/{signed_version.memorandum_id}").json()
    assert memo["versions"][0]["download_url"] == (
        f"http://127.0.0.1:8000/files/memorandum-versions/{signed_version.pk}/"
    )
    project = client.get(f"/api/v1/projects/{public_document.project_id}").json()
    assert project["documents"][0]["download_url"].endswith(f"/files/project-documents/{public_document.pk}/")


# --- how the bytes leave -----------------------------------------------------------------------------------------


def test_x_accel_mode_hands_the_file_to_the_web_server(settings, secretariat, draft_version):
    settings.BAKUHUB_FILE_SERVING = "x-accel-redirect"
    settings.BAKUHUB_PROTECTED_MEDIA_PREFIX = "/protected-media/"
    response = client_for(secretariat).get(f"/files/memorandum-versions/{draft_version.pk}/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{draft_version.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_x_sendfile_mode_names_the_absolute_path(settings, secretariat, draft_version):
    settings.BAKUHUB_FILE_SERVING = "x-sendfile"
    response = client_for(secretariat).get(f"/files/memorandum-versions/{draft_version.pk}/")
    assert response["X-Sendfile"] == draft_version.file.path
    assert response.content == b""


def test_x_accel_mode_still_refuses_those_not_allowed(settings, draft_version):
    settings.BAKUHUB_FILE_SERVING = "x-accel-redirect"
    response = client_for(None).get(f"/files/memorandum-versions/{draft_version.pk}/")
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


# --- the same file twice ----------------------------------------------------------------------------------------


def test_the_same_file_twice_makes_one_version(secretariat, chad):
    memo = MemorandumFactory(party_countries=[chad])
    partner_services.memorandum_version_add(actor=secretariat, memorandum=memo, upload=pdf("mou.pdf"))
    response = client_for(secretariat).post(
        f"/api/v1/memoranda/{memo.pk}/versions", {"file": pdf("mou (copy).pdf", text="mou.pdf")}
    )
    assert response.status_code == 409
    assert response.json()["message"] == "This file is already version 1 of this memorandum; no new version was stored."
    assert MemorandumVersion.objects.filter(memorandum=memo).count() == 1


def test_the_same_attachment_twice_is_stored_once(secretariat, attachment):
    with pytest.raises(Exception, match="already attached to the meeting"):
        jwg_services.meeting_attachment_add(actor=secretariat, meeting=attachment.meeting, upload=pdf("minutes.pdf"))
    assert attachment.meeting.attachments.count() == 1


def test_the_same_project_document_twice_is_stored_once(secretariat, public_document):
    with pytest.raises(Exception, match="already attached to the project"):
        project_services.project_document_add(
            actor=secretariat, project=public_document.project, upload=pdf("concept.pdf"), title="Again"
        )
    assert public_document.project.documents.count() == 1


# --- personal tokens outside the API ----------------------------------------------------------------------------


def test_a_token_downloads_a_private_file_without_a_session(chad_focal_point, draft_version):
    _, raw = api_token_create(actor=chad_focal_point, name="script")
    client = Client()
    response = client.get(f"/files/memorandum-versions/{draft_version.pk}/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert "Authorization" in response["Vary"]
    assert "sessionid" not in response.cookies
    assert client.get(f"/files/memorandum-versions/{draft_version.pk}/").status_code == 404


def test_a_token_reads_an_export_that_needs_a_login(secretariat):
    _, raw = api_token_create(actor=secretariat, name="script")
    response = Client().get("/exports/actions.csv", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_a_token_reads_the_minutes_pdf(chad_focal_point, attachment):
    meeting = attachment.meeting
    _, raw = api_token_create(actor=chad_focal_point, name="script")
    url = f"/working-groups/{meeting.working_group_id}/meetings/{meeting.pk}/minutes.pdf"
    response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("raw", ["bh_not-a-real-token", "garbage", "revoked"])
def test_a_bad_token_gets_401_not_a_redirect_and_never_the_session(secretariat, raw):
    if raw == "revoked":
        token, raw = api_token_create(actor=secretariat, name="old")
        api_token_revoke(actor=secretariat, token=token)
    client = client_for(secretariat)  # a signed-in browser session is not a fallback
    response = client.get("/exports/actions.csv", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "not valid" in response.content.decode()


def test_a_token_cannot_write_through_the_portal(secretariat, chad):
    memo = MemorandumFactory(party_countries=[chad])
    _, raw = api_token_create(actor=secretariat, name="script")
    response = Client().post(f"/memoranda/{memo.pk}/versions/", {"file": pdf()}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert not MemorandumVersion.objects.exists()


def test_every_page_that_lists_a_file_links_its_download_view(secretariat, attachment, hidden_evidence, result_period):
    client = client_for(secretariat)
    meeting = attachment.meeting
    meeting_page = f"/working-groups/{meeting.working_group_id}/meetings/{meeting.pk}/"
    pages = {
        meeting_page: f"/files/meeting-attachments/{attachment.pk}/",
        "/countries/TCD/": f"/files/membership-evidence/{hidden_evidence.pk}/",
        "/results/pending/": f"/files/result-evidence/{result_period.pk}/",
    }
    for page, link in pages.items():
        html = client.get(page).content.decode()
        assert f'href="{link}"' in html, page
        assert "/media/" not in html, page


def test_a_milestone_document_is_linked_as_a_download_view_on_the_page_and_in_the_api(secretariat, hidden_milestone):
    client = client_for(secretariat)
    link = f"/files/milestone-evidence/{hidden_milestone.pk}/"
    assert f'href="{link}"' in client.get("/countries/TCD/").content.decode()
    milestones = client.get("/api/v1/memberships/TCD").json()["milestones"]
    assert [m["document_url"] for m in milestones] == [f"http://127.0.0.1:8000{link}"]
    stored = hidden_milestone.evidence_document.name
    assert "minister" not in stored and stored.endswith(".pdf")


def test_the_api_gives_evidence_addresses_only_as_download_views(secretariat, hidden_evidence, result_period):
    client = client_for(secretariat)
    events = client.get("/api/v1/memberships/TCD/events").json()
    assert events[0]["document_url"] == f"http://127.0.0.1:8000/files/membership-evidence/{hidden_evidence.pk}/"
    project_id = result_period.indicator.result.project_id
    results = client.get(f"/api/v1/results?project={project_id}").json()
    period = results["items"][0]["indicators"][0]["periods"][0] if "items" in results else None
    assert period is not None, results
    assert period["evidence_url"] == f"http://127.0.0.1:8000/files/result-evidence/{result_period.pk}/"


def test_the_admin_offers_no_unchecked_logo_upload(secretariat, iom):
    html = client_for(secretariat).get(f"/admin/partners/organisation/{iom.pk}/change/").content.decode()
    assert 'name="name"' in html
    assert 'name="logo"' not in html


def test_bad_tokens_on_portal_downloads_are_throttled_like_the_api(settings, internal_document):
    settings.BAKUHUB_TOKEN_FAILURE_LIMIT = 3
    client = Client()
    url = f"/files/project-documents/{internal_document.pk}/"
    codes = [client.get(url, HTTP_AUTHORIZATION=f"Bearer bkh_guess{n}").status_code for n in range(6)]
    assert codes[:3] == [401, 401, 401]
    assert 429 in codes[3:]
    response = client.get(url, HTTP_AUTHORIZATION="Bearer bkh_guess-again")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
