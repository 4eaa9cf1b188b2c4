"""Uploading memorandum versions through `POST /api/v1/memoranda/{id}/versions` (multipart, field `file`)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakuhub.accounts.services import api_token_create
from bakuhub.conftest import client_for
from bakuhub.core.files import DOCX_MIME, ODT_MIME
from bakuhub.core.models import AuditRecord
from bakuhub.core.tests.test_files import PDF, docx_bytes, image_bytes, odt_bytes, zip_bytes
from bakuhub.partners.models import MemorandumVersion
from bakuhub.testing.factories import MemorandumFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def memo(chad):
    # A draft: its parties may still add versions (a published memorandum's document is the secretariat's).
    return MemorandumFactory(title="Chad memorandum", status="draft", approved_on=None, party_countries=[chad])


def url(memo):
    return f"/api/v1/memoranda/{memo.pk}/versions"


def upload(client, memo, name, content, content_type="application/octet-stream", **extra):
    return client.post(url(memo), {"file": SimpleUploadedFile(name, content, content_type=content_type), **extra})


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "mime", "extension"),
    [
        ("mou.pdf", PDF, "application/pdf", "pdf"),
        ("mou.docx", docx_bytes(), DOCX_MIME, "docx"),
        ("mou.odt", odt_bytes(), ODT_MIME, "odt"),
    ],
    ids=["pdf", "docx", "odt"],
)
def test_it_stores_a_real_document(settings, secretariat, memo, name, content, mime, extension):
    response = upload(client_for(secretariat), memo, name, content, note="As signed")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1
    assert body["original_name"] == name
    assert body["mime_type"] == mime
    assert body["size_bytes"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    version = MemorandumVersion.objects.get(memorandum=memo)
    assert version.note == "As signed"
    assert version.uploaded_by == secretariat
    assert re.fullmatch(rf"memoranda/\d{{4}}/[0-9a-f]{{32}}\.{extension}", version.file.name)
    assert Path(version.file.path).read_bytes() == content
    assert stored_files(settings) == [version.file.name]


def test_it_names_the_stored_file_from_the_content_not_the_upload(secretariat, memo):
    response = upload(client_for(secretariat), memo, "../../etc/passwd.exe", docx_bytes())
    assert response.status_code == 201
    version = MemorandumVersion.objects.get()
    assert re.fullmatch(r"memoranda/\d{4}/[0-9a-f]{32}\.docx", version.file.name)
    assert version.original_name == "passwd.exe"


def test_it_numbers_versions_and_lists_them_on_the_memorandum(secretariat, memo):
    client = client_for(secretariat)
    assert upload(client, memo, "v1.pdf", PDF).json()["number"] == 1
    assert upload(client, memo, "v2.docx", docx_bytes()).json()["number"] == 2
    detail = client.get(f"/api/v1/memoranda/{memo.pk}").json()
    assert [(v["number"], v["original_name"]) for v in detail["versions"]] == [(1, "v1.pdf"), (2, "v2.docx")]


def test_a_token_may_upload(chad_focal_point, memo):
    _, raw = api_token_create(actor=chad_focal_point, name="script")
    response = client_for(None).post(
        url(memo), {"file": SimpleUploadedFile("mou.pdf", PDF)}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 201


# --- refused uploads leave nothing behind ------------------------------------------------------------------


@pytest.fixture
def nothing_stored(settings, memo):
    audits = AuditRecord.objects.count()
    yield
    assert not MemorandumVersion.objects.exists()
    assert stored_files(settings) == []
    assert AuditRecord.objects.count() == audits


def assert_refused(response, *words):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["file"]
    for word in words:
        assert word in body["message"]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("scan.pdf", image_bytes("PNG"), "application/pdf"),
        ("mou.docx", zip_bytes([("readme.txt", b"hello")]), DOCX_MIME),
        ("mou.odt", odt_bytes("application/vnd.oasis.opendocument.spreadsheet"), ODT_MIME),
        ("mou.pdf", b"<script>alert(1)</script>", "application/pdf"),
    ],
    ids=["png-renamed-pdf", "plain-zip", "ods-renamed-odt", "html"],
)
def test_it_refuses_content_that_is_not_a_document(nothing_stored, secretariat, memo, name, content, content_type):
    response = upload(client_for(secretariat), memo, name, content, content_type)
    assert_refused(response, "PDF, DOCX or ODT")


def test_it_refuses_an_empty_file(nothing_stored, secretariat, memo):
    assert_refused(upload(client_for(secretariat), memo, "empty.pdf", b""), "empty")


def test_it_refuses_a_file_over_the_limit_naming_it(nothing_stored, settings, secretariat, memo):
    settings.BAKUHUB_DOCUMENT_MAX_BYTES = 512 * 1024
    content = PDF + b"0" * (512 * 1024)
    assert_refused(upload(client_for(secretariat), memo, "big.pdf", content), "0.5 MB")


def test_it_accepts_a_file_at_the_limit(settings, secretariat, memo):
    settings.BAKUHUB_DOCUMENT_MAX_BYTES = 4096
    content = PDF + b"0" * (4096 - len(PDF))
    assert upload(client_for(secretariat), memo, "limit.pdf", content).status_code == 201


def test_it_refuses_a_request_without_a_file(nothing_stored, secretariat, memo):
    response = client_for(secretariat).post(url(memo), {"note": "no file"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_it_names_the_missing_file_field_plainly(secretariat, memo):
    response = client_for(secretariat).post(url(memo), {"note": "no file"})
    assert response.json()["errors"] == {"file": ["Field required"]}


def test_it_refuses_an_upload_by_someone_who_may_not_edit(nothing_stored, gcf_funder, iom_editor, memo):
    assert upload(client_for(gcf_funder), memo, "mou.pdf", PDF).status_code == 403
    assert upload(client_for(iom_editor), memo, "mou.pdf", PDF).status_code == 404  # not a party: the draft is hidden
    assert upload(client_for(None), memo, "mou.pdf", PDF).status_code == 401


def test_it_answers_404_for_an_unknown_memorandum(nothing_stored, secretariat, memo):
    response = client_for(secretariat).post(
        f"/api/v1/memoranda/{memo.pk + 1000}/versions", {"file": SimpleUploadedFile("mou.pdf", PDF)}
    )
    assert response.status_code == 404


def test_an_editor_uploads_their_organisation_logo(iom, iom_editor):
    logo = SimpleUploadedFile("logo.png", image_bytes("PNG"))
    response = client_for(iom_editor).post("/api/v1/organisations/iom/logo", {"file": logo})
    assert response.status_code == 200, response.content
    assert response.json()["logo_url"] == f"http://127.0.0.1:8000/files/logos/{iom.pk}/"
    iom.refresh_from_db()
    assert re.fullmatch(r"logos/\d{4}/[0-9a-f]{32}\.png", iom.logo.name)
    assert AuditRecord.objects.filter(action="organisation.update", object_id=str(iom.pk)).exists()


def test_a_replaced_logo_leaves_no_old_file_behind(iom, iom_editor, django_capture_on_commit_callbacks):
    client = client_for(iom_editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/api/v1/organisations/iom/logo", {"file": SimpleUploadedFile("a.png", image_bytes("PNG"))})
    iom.refresh_from_db()
    first = iom.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/organisations/iom/logo", {"file": SimpleUploadedFile("b.png", image_bytes("PNG"))}
        )
    assert response.status_code == 200, response.content
    iom.refresh_from_db()
    assert iom.logo.name != first
    assert not iom.logo.storage.exists(first) and iom.logo.storage.exists(iom.logo.name)


def test_an_svg_logo_is_refused_and_nothing_changes(iom, iom_editor):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client_for(iom_editor).post("/api/v1/organisations/iom/logo", {"file": SimpleUploadedFile("l.png", svg)})
    assert response.status_code == 400
    assert "PNG, JPEG or WebP" in response.json()["message"]
    iom.refresh_from_db()
    assert not iom.logo


def test_a_logo_for_another_organisation_is_forbidden(gcf, iom_editor):
    logo = SimpleUploadedFile("logo.png", image_bytes("PNG"))
    response = client_for(iom_editor).post("/api/v1/organisations/gcf/logo", {"file": logo})
    assert response.status_code == 403
