"""Inputs out of bounds are refused with a 400 naming the field, never a server error; the bounds are in the
OpenAPI document so a client can read them."""

from __future__ import annotations

import json

import pytest

from bakuhub.accounts.services import api_token_create
from bakuhub.conftest import client_for

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
ABOVE_INT64 = str(2**63)


@pytest.fixture
def token(secretariat):
    _, raw = api_token_create(actor=secretariat, name="bounds")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def send(method, url, data, headers):
    return client_for(None).generic(method, url, json.dumps(data), content_type="application/json", **headers)


@pytest.mark.parametrize("path", ["/api/v1/countries", "/api/v1/organisations", "/api/v1/projects"])
@pytest.mark.parametrize(("param", "value"), [("offset", HUGE), ("limit", HUGE), ("offset", "-1"), ("limit", "0")])
def test_a_page_out_of_bounds_is_refused_naming_the_parameter(chad, path, param, value):
    response = client_for(None).get(f"{path}?{param}={value}")
    assert response.status_code == 400, response.content
    assert param in response.json()["errors"]


@pytest.mark.parametrize("value", [ABOVE_INT64, HUGE, "0"])
@pytest.mark.parametrize("path", ["/api/v1/memoranda/{}", "/api/v1/working-groups/{}", "/api/v1/projects/{}"])
def test_a_record_id_out_of_range_is_refused_not_a_server_error(db, path, value):
    response = client_for(None).get(path.format(value))
    assert response.status_code == 400, response.content
    assert "pk" in response.json()["errors"]


def test_the_bounds_are_in_the_openapi_document(db):
    document = client_for(None).get("/api/v1/openapi.json").json()
    params = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/projects"]["get"]["parameters"]}
    assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (1, 200)
    assert params["offset"]["minimum"] == 0 and params["offset"]["maximum"] >= 10_000
    pk = document["paths"]["/api/v1/memoranda/{pk}"]["get"]["parameters"][0]["schema"]
    assert (pk["minimum"], pk["maximum"]) == (1, 2**63 - 1)
    responses = document["paths"]["/api/v1/memoranda/{pk}"]["patch"]["responses"]
    assert {"400", "401", "403", "404", "409", "412", "413", "429"} <= set(responses)
    assert responses["413"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
