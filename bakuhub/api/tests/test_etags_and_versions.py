"""ETags and If-Match: the version a write expects comes from the ETag the client read; a malformed If-Match is
refused, never ignored; the public representation's ETag moves only when public content changes."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakuhub.conftest import client_for
from bakuhub.partners.models import Organisation
from bakuhub.testing.files import PDF

pytestmark = pytest.mark.django_db

P = "/api/v1/projects"


def send(client, method, url, data, **headers):
    return client.generic(method, url, json.dumps(data), content_type="application/json", **headers)


def test_the_public_etag_of_a_project_stays_when_a_hidden_location_or_private_document_is_added(
    chad_project, lac, secretariat
):
    anonymous, insider = client_for(None), client_for(secretariat)
    public_etag = anonymous.get(f"{P}/{chad_project.pk}")["ETag"]
    insider_etag = insider.get(f"{P}/{chad_project.pk}")["ETag"]
    hidden = {"admin1_pcode": "TD07", "name": "Safe house", "sensitivity": "hidden"}
    assert send(insider, "POST", f"{P}/{chad_project.pk}/locations", hidden).status_code == 201
    upload = SimpleUploadedFile("internal.pdf", PDF, content_type="application/pdf")
    response = insider.post(
        f"{P}/{chad_project.pk}/documents", {"file": upload, "title": "Internal", "is_public": "false"}
    )
    assert response.status_code == 201, response.content
    assert anonymous.get(f"{P}/{chad_project.pk}", HTTP_IF_NONE_MATCH=public_etag).status_code == 304
    assert insider.get(f"{P}/{chad_project.pk}", HTTP_IF_NONE_MATCH=insider_etag).status_code == 200
    # a public change does move the public ETag
    assert send(insider, "PATCH", f"{P}/{chad_project.pk}", {"titles": {"en": "Lake Chad, again"}}).status_code == 200
    assert anonymous.get(f"{P}/{chad_project.pk}", HTTP_IF_NONE_MATCH=public_etag).status_code == 200


@pytest.mark.parametrize("header", ['"abc"', "v2", '"3f2a.v"', '"3f2a.v1", "3f2a.v2"', '"zz.v1"'])
def test_it_refuses_an_if_match_that_names_no_single_version(iom, secretariat, header):
    response = send(
        client_for(secretariat), "PATCH", "/api/v1/organisations/iom", {"acronym": "X"}, HTTP_IF_MATCH=header
    )
    assert response.status_code == 412, response.content
    assert "If-Match" in response.json()["message"]
    assert Organisation.objects.get(pk=iom.pk).acronym != "X"


def test_it_refuses_a_weak_if_match_even_for_the_current_version(iom, secretariat):
    client = client_for(secretariat)
    etag = client.get("/api/v1/organisations/iom")["ETag"]
    response = send(client, "PATCH", "/api/v1/organisations/iom", {"acronym": "X"}, HTTP_IF_MATCH=f"W/{etag}")
    assert response.status_code == 412, response.content
    assert Organisation.objects.get(pk=iom.pk).acronym != "X"
    response = send(client, "PATCH", "/api/v1/organisations/iom", {"acronym": "X"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200


def test_a_stale_if_match_on_an_organisation_names_the_fields_changed_since(iom, secretariat):
    client = client_for(secretariat)
    etag = client.get("/api/v1/organisations/iom")["ETag"]
    assert etag.endswith('.v1"')
    changed = send(
        client, "PATCH", "/api/v1/organisations/iom", {"website": "https://www.iom.int/"}, HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200, changed.content
    assert changed["ETag"].endswith('.v2"')
    response = send(client, "PATCH", "/api/v1/organisations/iom", {"acronym": "OIM"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert list(response.json()["errors"]) == ["website"]
    assert send(client, "PATCH", "/api/v1/organisations/iom", {"acronym": "OIM"}, HTTP_IF_MATCH="*").status_code == 200


def test_anonymous_readers_get_no_version_in_the_etag_of_an_organisation(iom):
    etag = client_for(None).get("/api/v1/organisations/iom")["ETag"]
    assert ".v" not in etag
    assert client_for(None).get("/api/v1/organisations/iom", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_it_refuses_a_project_patch_whose_version_and_if_match_disagree(chad_project, secretariat):
    client = client_for(secretariat)
    etag = client.get(f"{P}/{chad_project.pk}")["ETag"]
    body = {"titles": {"en": "New"}, "version": 7}
    response = send(client, "PATCH", f"{P}/{chad_project.pk}", body, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert "version" in response.json()["errors"]
