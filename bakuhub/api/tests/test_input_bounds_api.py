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


# --- Bodies: nulls, empty names, implausible dates, loose types, ids out of range, currencies --------------------

PLEDGE = {
    "committer_organisation": "gcf",
    "beneficiary_country_iso3": "TCD",
    "kind": "money",
    "title": "Readiness grant",
    "amount": "1250000.50",
    "currency": "USD",
    "announced_on": "2025-09-24",
    "source_title": "Press release",
    "source_url": "https://example.org/press",
}


@pytest.mark.parametrize("field", ["party_countries", "party_organisations", "establishes_jwg_for", "title"])
def test_null_for_a_list_or_text_in_a_memorandum_patch_is_refused_naming_the_field(memo, token, field):
    response = send("PATCH", f"/api/v1/memoranda/{memo.pk}", {field: None}, token)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_null_for_an_organisation_name_in_a_patch_is_refused_naming_the_field(iom, token):
    response = send("PATCH", "/api/v1/organisations/iom", {"name": None}, token)
    assert response.status_code == 400, response.content
    assert "name" in response.json()["errors"]


def test_an_empty_organisation_for_a_participant_is_refused_naming_the_field(chad_project, token):
    response = send(
        "POST", f"/api/v1/projects/{chad_project.pk}/participants", {"organisation": "", "role": "4"}, token
    )
    assert response.status_code == 400, response.content
    assert "organisation" in response.json()["errors"]


def test_an_empty_reporting_organisation_for_a_result_is_refused_naming_the_field(chad_project, token):
    body = {"kind": "1", "title": "Wells repaired", "reported_by": ""}
    response = send("POST", f"/api/v1/projects/{chad_project.pk}/results", body, token)
    assert response.status_code == 400, response.content
    assert "reported_by" in response.json()["errors"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1989-12-31", 20250924, True])
def test_an_implausible_or_untyped_date_is_refused_by_the_schema(memo, token, day):
    response = send("PATCH", f"/api/v1/memoranda/{memo.pk}", {"approved_on": day}, token)
    assert response.status_code == 400, response.content
    assert "approved_on" in response.json()["errors"]


@pytest.mark.parametrize("starts_at", ["0001-01-01T10:00:00", "9999-12-31T10:00:00+00:00", 1760000000])
def test_a_meeting_in_year_1_or_9999_or_as_a_number_is_refused(tcd, token, starts_at):
    body = {"title": "Second meeting", "starts_at": starts_at}
    response = send("POST", f"/api/v1/working-groups/{tcd.pk}/meetings", body, token)
    assert response.status_code == 400, response.content
    assert "starts_at" in response.json()["errors"]


@pytest.mark.parametrize("flag", [1, "yes", "true"])
def test_a_boolean_must_be_true_or_false(chad, gcf, token, flag):
    response = send("POST", "/api/v1/commitments", {**PLEDGE, "is_public": flag}, token)
    assert response.status_code == 400, response.content
    assert "is_public" in response.json()["errors"]


@pytest.mark.parametrize("ids", [[2**63], [99999999999999999999], [0]])
def test_ids_out_of_range_in_a_list_are_refused_not_a_server_error(tcd, token, ids):
    body = {"title": "Adopt the work plan", "decided_on": "2025-11-12", "commitment_ids": ids}
    response = send("POST", f"/api/v1/working-groups/{tcd.pk}/decisions", body, token)
    assert response.status_code == 400, response.content
    assert any(key.startswith("commitment_ids") for key in response.json()["errors"])


@pytest.mark.parametrize("currency", ["ZZZ", "XYZ", "dollars"])
def test_a_pledge_in_a_currency_iso_4217_does_not_know_is_refused(chad, gcf, token, currency):
    response = send("POST", "/api/v1/commitments", {**PLEDGE, "currency": currency}, token)
    assert response.status_code == 400, response.content
    assert "currency" in response.json()["errors"]


def test_codes_and_dates_carry_their_bounds_in_the_openapi_document(db):
    schemas = client_for(None).get("/api/v1/openapi.json").json()["components"]["schemas"]
    pledge = schemas["CommitmentIn"]["properties"]
    assert "USD" in pledge["currency"]["enum"] and "ZZZ" not in pledge["currency"]["enum"]
    assert pledge["announced_on"]["format"] == "date"
    assert pledge["is_public"]["type"] == "boolean"
    iso3 = schemas["ProjectIn"]["properties"]["country_iso3"]
    assert iso3["pattern"] == "^[A-Z]{3}$"
    assert schemas["ParticipantIn"]["properties"]["role"]["enum"] == ["1", "2", "3", "4"]
    assert "memorandum_signed" in schemas["TransitionIn"]["properties"]["to_stage"]["enum"]
    assert schemas["MemorandumIn"]["properties"]["status"]["enum"] == ["draft", "approved", "signed", "expired"]


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/budgets?project={ABOVE_INT64}",
        f"/api/v1/results?project={ABOVE_INT64}",
        "/api/v1/working-groups/{}/actions?owner=" + ABOVE_INT64,
    ],
)
def test_an_id_filter_out_of_range_is_refused_not_a_server_error(tcd, token, url):
    response = client_for(None).get(url.format(tcd.pk), **token)
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_budget_in_year_1_or_9999_is_refused_by_the_schema(chad_project, token, day):
    body = {"period_start": day, "period_end": "2025-12-31", "amount": "10", "currency": "USD"}
    response = send("POST", f"/api/v1/projects/{chad_project.pk}/budgets", body, token)
    assert response.status_code == 400, response.content
    assert "period_start" in response.json()["errors"]
