"""Every error under /api/ is {code, message, errors} JSON: unknown paths, wrong methods, bodies too large or
unreadable, missing authentication and unexpected exceptions (logged with the request id, never shown)."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from bakuhub.accounts.services import api_token_create
from bakuhub.conftest import client_for

pytestmark = pytest.mark.django_db

ORGANISATION = {"name": "Sahel Peace Network", "org_type": "ngo"}


def assert_error_shape(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.fixture
def token(secretariat):
    _, raw = api_token_create(actor=secretariat, name="errors")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/countries/TCD/nope/deeper", "/api/v2/countries", "/api/"])
def test_an_unknown_api_address_answers_json_404(db, path):
    assert_error_shape(client_for(None).get(path), 404, "not_found")


def test_a_method_the_path_does_not_take_answers_json_405_with_allow(db):
    response = client_for(None).delete("/api/v1/countries")
    assert_error_shape(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_a_10_mb_json_body_answers_413(token):
    body = json.dumps({**ORGANISATION, "description": "x" * (10 * 1024 * 1024)})
    response = client_for(None).post("/api/v1/organisations", data=body, content_type="application/json", **token)
    assert "MB" in assert_error_shape(response, 413, "too_large")["message"]


def test_a_lone_surrogate_in_a_name_answers_400_not_500(token):
    body = '{"name": "Sahel \\ud800 Network", "org_type": "ngo"}'
    response = client_for(None).post("/api/v1/organisations", data=body, content_type="application/json", **token)
    assert_error_shape(response, 400, "invalid_text")


@pytest.mark.parametrize("body", ['{"name": ', '{"name": NaN, "org_type": "ngo"}', b"\xff\xfe{"])
def test_a_malformed_json_body_answers_400(token, body):
    response = client_for(None).post("/api/v1/organisations", data=body, content_type="application/json", **token)
    assert_error_shape(response, 400, "malformed_json")


@pytest.mark.parametrize("boundary", ["", "zz"])
def test_a_bad_multipart_body_answers_400_json(token, secretariat, boundary):
    from bakuhub.testing.factories import MemorandumFactory

    memo = MemorandumFactory()
    response = client_for(None).post(
        f"/api/v1/memoranda/{memo.pk}/versions",
        data=b"--zz\r\nbroken",
        content_type=f"multipart/form-data; boundary={boundary}",
        **token,
    )
    assert_error_shape(response, 400, "malformed_multipart" if not boundary else "invalid")


def test_an_anonymous_write_answers_401_not_a_csrf_failure(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/organisations", data=json.dumps(ORGANISATION), content_type="application/json")
    assert_error_shape(response, 401, "unauthorized")


def test_a_signed_in_write_without_csrf_token_answers_403_saying_so(secretariat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    response = client.post("/api/v1/organisations", data=json.dumps(ORGANISATION), content_type="application/json")
    assert "CSRF" in assert_error_shape(response, 403, "forbidden")["message"]


def test_an_unexpected_exception_answers_500_json_with_the_request_id_and_is_logged(db, monkeypatch, caplog):
    from bakuhub.partners import selectors

    def broken(**kwargs):
        raise RuntimeError("secret internals: password=hunter2")

    monkeypatch.setattr(selectors, "organisation_list", broken)
    with caplog.at_level(logging.ERROR, logger="bakuhub.api"):
        response = Client(raise_request_exception=False).get(
            "/api/v1/organisations", HTTP_X_REQUEST_ID="req-boom-12345"
        )
    body = assert_error_shape(response, 500, "server_error")
    assert "req-boom-12345" in body["message"]
    assert "hunter2" not in response.content.decode()
    logged = [r for r in caplog.records if r.name == "bakuhub.api" and r.exc_info]
    assert logged and "req-boom-12345" in logged[0].getMessage()
    assert "hunter2" in str(logged[0].exc_info[1])


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/v1/organisations", '{"name": "Sahel\\u0000Network", "org_type": "ngo"}'),
        ("GET", "/api/v1/organisations?search=%00", None),
        ("GET", "/api/v1/organisations/io%00m", None),
        ("GET", "/api/v1/countries/T%00D", None),
    ],
)
def test_a_nul_character_anywhere_in_the_request_answers_400_not_500(token, iom, method, url, body):
    client = Client(raise_request_exception=False)
    response = client.generic(method, url, body or "", content_type="application/json", **token)
    assert response.status_code == 400, response.content
    assert response.json()["code"] in {"invalid_text", "invalid"}
