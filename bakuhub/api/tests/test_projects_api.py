"""The project endpoints: the filtered list (constant queries), the detail as insiders and outsiders see it, creating
and editing a project (bad input refused with nothing written; optimistic concurrency: 412 with the fields changed
since), and the declared statuses of every portfolio operation. The writes to a project's parts are in
test_project_parts_api.py."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.finance.models import Budget
from bakuhub.projects.models import Project, ProjectParticipant, ProjectSector
from bakuhub.projects.tests.factories import (
    LocationFactory,
    PolicyMarkerFactory,
    ProjectDocumentFactory,
    ProjectFactory,
    ProjectParticipantFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects"
NEW = {
    "country_iso3": "TCD",
    "identifier": "XM-DAC-47066-TD-2025-02",
    "titles": {"en": "Water for returnees", "fr": "De l'eau pour les retournés"},
    "lead_organisation": "iom",
    "planned_start": "2026-01-01",
    "planned_end": "2027-12-31",
    "source_title": "Concept note",
}


def send(client, method, url, data, **headers):
    return client.generic(method, url, json.dumps(data), content_type="application/json", **headers)


def audit_actions():
    return list(AuditRecord.objects.order_by("id").values_list("action", flat=True))


def ids(response):
    assert response.status_code == 200, response.content
    return [item["identifier"] for item in response.json()["items"]]


# --- The list -------------------------------------------------------------------------------------------------


@pytest.fixture
def portfolio(chad, guinea_bissau, iom, undp):
    ProjectFactory(
        country=guinea_bissau,
        lead_organisation=undp,
        identifier="XM-DAC-41114-GW-01",
        phase="implementing",
        climate_score=1,
        peace_score=1,
        migration_score=1,
        sectors=[("15220", 60), ("41010", 40)],
    )
    ProjectFactory(
        country=chad, lead_organisation=undp, identifier="XM-DAC-41114-TD-01", peace_score=2, sectors=[("15190", 100)]
    )
    ProjectFactory(country=chad, lead_organisation=undp, identifier="XM-DAC-41114-TD-02", is_public=False)
    project = ProjectFactory(country=chad, lead_organisation=iom, identifier="XM-DAC-47066-TD-01", climate_score=2)
    ProjectParticipantFactory(project=project, organisation=undp, role="4")
    return project  # fmt: skip


def test_it_lists_the_public_projects_with_their_fields(portfolio):
    response = client_for(None).get(URL)
    assert response["ETag"]
    assert ids(response) == ["XM-DAC-41114-TD-01", "XM-DAC-47066-TD-01", "XM-DAC-41114-GW-01"]
    item = response.json()["items"][1]
    assert item == {
        "id": portfolio.pk, "identifier": "XM-DAC-47066-TD-01", "title": portfolio.titles["en"],
        "titles": portfolio.titles, "country_iso3": "TCD", "country_name": "Chad", "phase": "concept",
        "nexus": {"climate": 2, "peace": 0, "migration": 0, "triple": False}, "lead_organisation": "iom",
        "planned_start": "2026-01-01", "planned_end": "2028-12-31", "actual_start": None, "actual_end": None,
        "is_public": True, "version": None,
    }  # fmt: skip


def test_the_list_shows_the_version_only_to_those_who_see_the_internals(portfolio, iom_editor, chad_focal_point):
    def versions(client):
        return {item["identifier"]: item["version"] for item in client.get(URL).json()["items"]}

    assert set(versions(client_for(None)).values()) == {None}
    assert versions(client_for(iom_editor))["XM-DAC-47066-TD-01"] == 1  # IOM leads it
    assert versions(client_for(iom_editor))["XM-DAC-41114-GW-01"] is None  # public, but not IOM's
    assert set(versions(client_for(chad_focal_point)).values()) - {None} == {1}
    assert versions(client_for(chad_focal_point))["XM-DAC-41114-GW-01"] is None  # not in Chad


def test_it_answers_304_to_a_list_that_did_not_change(portfolio):
    client = client_for(None)
    etag = client.get(URL)["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_secretariat_also_lists_the_projects_that_are_not_public(portfolio, secretariat):
    assert "XM-DAC-41114-TD-02" in ids(client_for(secretariat).get(URL))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=tcd", ["XM-DAC-41114-TD-01", "XM-DAC-47066-TD-01"]),
        ("phase=implementing", ["XM-DAC-41114-GW-01"]),
        ("nexus=triple", ["XM-DAC-41114-GW-01"]),
        ("nexus=climate", ["XM-DAC-47066-TD-01", "XM-DAC-41114-GW-01"]),
        ("nexus=peace", ["XM-DAC-41114-TD-01", "XM-DAC-41114-GW-01"]),
        ("organisation=iom", ["XM-DAC-47066-TD-01"]),
        ("organisation=undp", ["XM-DAC-41114-TD-01", "XM-DAC-47066-TD-01", "XM-DAC-41114-GW-01"]),
        ("sector=15190", ["XM-DAC-41114-TD-01"]),
        ("sector=152", ["XM-DAC-41114-GW-01"]),
        ("q=TD-01", ["XM-DAC-41114-TD-01", "XM-DAC-47066-TD-01"]),
        ("country=TCD&nexus=peace", ["XM-DAC-41114-TD-01"]),
    ],
)
def test_it_filters_the_list(portfolio, query, expected):
    assert ids(client_for(None).get(f"{URL}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("phase=finished", 400, "phase"),
        ("nexus=water", 400, "nexus"),
        ("sector=15x20", 400, "sector"),
        ("country=CHAD", 400, "iso3"),
        ("limit=0", 400, "limit"),
        ("country=NER", 404, None),
        ("organisation=nobody", 404, None),
    ],
)
def test_it_refuses_bad_filters(portfolio, query, status, field):
    response = client_for(None).get(f"{URL}?{query}")
    assert response.status_code == status, response.content
    if field:
        assert field in response.json()["errors"]


def _bulk_projects(country, organisation, numbers):
    """Projects numbered `numbers`, each with its lead as accountable participant and one sector, written in bulk."""
    projects = Project.objects.bulk_create(
        Project(
            identifier=f"XM-DAC-47066-BULK-{n:05d}",
            titles={"en": f"Bulk project {n}"},
            country=country,
            lead_organisation=organisation,
            climate_score=n % 3,
            peace_score=1,
            migration_score=1,
        )
        for n in numbers
    )
    ProjectParticipant.objects.bulk_create(
        ProjectParticipant(project=p, organisation=organisation, role="2") for p in projects
    )
    ProjectSector.objects.bulk_create(ProjectSector(project=p, code="15220", percentage=100) for p in projects)


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


@pytest.mark.parametrize("role", ["anonymous", "secretariat", "chad_focal_point", "iom_editor"])
@pytest.mark.parametrize("query", ["", "?limit=200", "?country=TCD&nexus=peace&organisation=iom&sector=15220"])
def test_the_list_costs_the_same_queries_for_10_and_1000_projects(request, chad, iom, role, query):
    client = client_for(None if role == "anonymous" else request.getfixturevalue(role))
    _bulk_projects(chad, iom, range(10))
    small, body = _list_queries(client, URL + query)
    assert body["count"] == 10
    _bulk_projects(chad, iom, range(10, 1000))
    large, body = _list_queries(client, URL + query)
    assert body["count"] == 1000
    assert len(body["items"]) == body["limit"]
    assert large == small


# --- The detail -----------------------------------------------------------------------------------------------


@pytest.fixture
def mapped(chad_project, lac, iom):
    """The Chad project with a public, a coarsened and a hidden site, a public and a private document, markers."""
    LocationFactory(
        project=chad_project,
        admin_unit=lac,
        name="Bol",
        latitude=Decimal("13.46"),
        longitude=Decimal("14.71"),
        precision="point",
    )
    LocationFactory(
        project=chad_project,
        admin_unit=lac,
        admin2_pcode="TD0702",
        name="Camp Dar es Salam",
        latitude=Decimal("13.50"),
        longitude=Decimal("14.10"),
        precision="point",
        sensitivity="coarsen",
    )
    LocationFactory(
        project=chad_project,
        admin_unit=lac,
        name="Safe house",
        latitude=Decimal("13.30"),
        longitude=Decimal("14.20"),
        precision="point",
        sensitivity="hidden",
    )
    ProjectDocumentFactory(project=chad_project, title="Concept note", is_public=True)
    ProjectDocumentFactory(project=chad_project, title="Risk register", is_public=False)
    PolicyMarkerFactory(project=chad_project, code="7", significance=2)
    ProjectSector.objects.create(project=chad_project, code="15190", percentage=100)
    return chad_project  # fmt: skip


def test_outsiders_see_public_parts_only(mapped):
    response = client_for(None).get(f"{URL}/{mapped.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["viewer_is_insider"] is False
    assert body["screening"] is None
    assert [d["title"] for d in body["documents"]] == ["Concept note"]
    assert [(loc["name"], loc["latitude"], loc["coarsened"]) for loc in body["locations"]] == [
        ("Bol", "13.46000", False),
        ("", None, True),
    ]
    assert all(loc["id"] is None and loc["sensitivity"] == "public" for loc in body["locations"])
    assert "Safe house" not in response.content.decode() and "14.10" not in response.content.decode()


def test_insiders_see_every_site_with_its_sensitivity(mapped, iom_editor):
    body = client_for(iom_editor).get(f"{URL}/{mapped.pk}").json()
    assert body["viewer_is_insider"] is True
    assert sorted((loc["name"], loc["sensitivity"]) for loc in body["locations"]) == [
        ("Bol", "public"), ("Camp Dar es Salam", "coarsen"), ("Safe house", "hidden"),
    ]  # fmt: skip
    assert all(loc["id"] for loc in body["locations"])
    assert sorted(d["title"] for d in body["documents"]) == ["Concept note", "Risk register"]


def test_the_detail_carries_tagging_participants_finance_and_warnings(mapped, exchange_rates):
    Budget.objects.create(
        project=mapped, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31), amount=Decimal("1000"),
        currency="USD", value_date=dt.date(2026, 1, 1), amount_usd=Decimal("1000"), amount_eur=Decimal("800"),
    )  # fmt: skip
    body = client_for(None).get(f"{URL}/{mapped.pk}").json()
    assert body["sectors"] == [{"code": "15190", "name": "Facilitation of orderly, safe, regular and responsible "
                                "migration and mobility", "percentage": "100.00"}]  # fmt: skip
    assert body["policy_markers"] == [{"code": "7", "name": "Aid Targeting the Objectives of the Framework Convention "
                                       "on Climate Change - Adaptation", "significance": 2}]  # fmt: skip
    assert body["warnings"] and "nexus profile has not been assessed" in body["warnings"][0]
    assert body["participants"] == [
        {"organisation": "iom", "organisation_name": "International Organization for Migration", "role": "2",
         "role_name": "Accountable"},
    ]  # fmt: skip
    assert body["finance"]["budget_usd"] == "1000.00"
    assert body["finance"]["funding_gap_eur"] == "800.00"
    assert body["allowed_next_phases"] == ["appraisal", "cancelled"]


def test_a_project_that_is_not_public_is_hidden_from_outsiders(chad, undp, chad_focal_point, iom_editor):
    hidden = ProjectFactory(country=chad, lead_organisation=undp, is_public=False)
    assert client_for(None).get(f"{URL}/{hidden.pk}").status_code == 404
    assert client_for(iom_editor).get(f"{URL}/{hidden.pk}").status_code == 404
    assert client_for(chad_focal_point).get(f"{URL}/{hidden.pk}").status_code == 200


def test_the_detail_etag_carries_the_version_for_insiders_and_answers_304(chad_project, secretariat):
    for client, version in ((client_for(None), None), (client_for(secretariat), 1)):
        response = client.get(f"{URL}/{chad_project.pk}")
        assert response.json()["version"] == version
        etag = response["ETag"]
        assert etag.endswith('.v1"') == (version is not None)
        assert client.get(f"{URL}/{chad_project.pk}", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_detail_costs_the_same_queries_however_many_parts(mapped, lac, secretariat):
    for role_client in (client_for(None), client_for(secretariat)):
        few, _ = _list_queries(role_client, f"{URL}/{mapped.pk}")
        for n in range(5):
            LocationFactory(project=mapped, admin_unit=lac, name=f"Site {n}")
            ProjectDocumentFactory(project=mapped, is_public=True)
            ProjectParticipantFactory(project=mapped)
        many, _ = _list_queries(role_client, f"{URL}/{mapped.pk}")
        assert many == few


# --- Create and edit ------------------------------------------------------------------------------------------


def test_a_focal_point_creates_a_project_in_their_country(chad, iom, chad_focal_point):
    response = send(client_for(chad_focal_point), "POST", URL, NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["identifier"], body["phase"], body["version"]) == ("XM-DAC-47066-TD-2025-02", "concept", 1)
    assert body["participants"][0]["organisation"] == "iom" and body["participants"][0]["role"] == "2"
    assert response["ETag"].endswith('.v1"')
    assert audit_actions() == ["project.create", "projectparticipant.create"]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"identifier": "TD 2025 02"}, 400, "identifier"),
        ({"identifier": "XM-DAC-41114-TD-1"}, 400, "identifier"),
        ({"titles": {"xx": "Nothing"}}, 400, "titles"),
        ({"phase": "approved"}, 400, "phase"),
        ({"planned_end": "2025-01-01"}, 400, "planned_end"),
        ({"lead_organisation": "nobody"}, 400, "lead_organisation"),
        ({"country_iso3": "NER"}, 400, "country_iso3"),
        ({"working_group_id": 999}, 400, "working_group_id"),
        ({"colour": "blue"}, 400, "colour"),
    ],
)
def test_it_refuses_a_bad_project_and_writes_nothing(chad, iom, secretariat, portfolio_rows, change, status, field):
    before = portfolio_rows()
    response = send(client_for(secretariat), "POST", URL, {**NEW, **change})
    assert response.status_code == status, response.content
    assert field in response.json()["errors"]
    assert portfolio_rows() == before


def test_an_identifier_is_used_once(chad_project, secretariat, portfolio_rows):
    before = portfolio_rows()
    response = send(client_for(secretariat), "POST", URL, {**NEW, "identifier": chad_project.identifier})
    assert response.status_code == 409
    assert portfolio_rows() == before


def test_it_edits_a_project_and_bumps_its_version(chad_project, iom_editor):
    response = send(client_for(iom_editor), "PATCH", f"{URL}/{chad_project.pk}",
                    {"version": 1, "titles": {"en": "Lake Chad water"}, "planned_start": None})  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["planned_start"], body["version"]) == ("Lake Chad water", None, 2)
    assert response["ETag"].endswith('.v2"')
    record = AuditRecord.objects.get(action="project.update")
    assert record.changes["version"] == [1, 2] and "titles" in record.changes


def test_a_stale_version_is_refused_with_the_fields_changed_since(chad_project, chad_focal_point, iom_editor,
                                                                   portfolio_rows):  # fmt: skip
    first, second = client_for(chad_focal_point), client_for(iom_editor)
    loaded = second.get(f"{URL}/{chad_project.pk}").json()["version"]
    edit = {"version": loaded, "titles": {"en": "First edit"}, "planned_end": "2029-06-30"}
    assert send(first, "PATCH", f"{URL}/{chad_project.pk}", edit).status_code == 200
    before = portfolio_rows()
    response = send(second, "PATCH", f"{URL}/{chad_project.pk}", {"version": loaded, "source_title": "Mine"})
    assert response.status_code == 412, response.content
    body = response.json()
    assert body["code"] == "precondition_failed"
    assert sorted(body["errors"]) == ["planned_end", "titles"]
    assert portfolio_rows() == before
    assert Project.objects.get(pk=chad_project.pk).source_title == ""


def test_a_stale_if_match_is_refused_with_the_fields_changed_since(chad_project, chad_focal_point, iom_editor,
                                                                    portfolio_rows):  # fmt: skip
    first, second = client_for(chad_focal_point), client_for(iom_editor)
    etag = second.get(f"{URL}/{chad_project.pk}")["ETag"]
    response = send(
        first, "PUT", f"{URL}/{chad_project.pk}/sectors", {"sectors": [{"code": "15220", "percentage": 100}]}
    )
    assert response.status_code == 200
    before = portfolio_rows()
    response = send(second, "PATCH", f"{URL}/{chad_project.pk}", {"titles": {"en": "Mine"}}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412, response.content
    assert list(response.json()["errors"]) == ["sectors"]
    assert portfolio_rows() == before
    fresh = second.get(f"{URL}/{chad_project.pk}")["ETag"]
    response = send(second, "PATCH", f"{URL}/{chad_project.pk}", {"titles": {"en": "Mine"}}, HTTP_IF_MATCH=fresh)
    assert response.status_code == 200, response.content


def test_if_match_also_guards_the_parts_of_a_project(chad_project, secretariat):
    client = client_for(secretariat)
    etag = client.get(f"{URL}/{chad_project.pk}")["ETag"]
    sectors = {"sectors": [{"code": "15220", "percentage": 100}]}
    assert send(client, "PUT", f"{URL}/{chad_project.pk}/sectors", sectors, HTTP_IF_MATCH=etag).status_code == 200
    response = send(client, "POST", f"{URL}/{chad_project.pk}/phase", {"to_phase": "appraisal"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert list(response.json()["errors"]) == ["sectors"]
    assert Project.objects.get(pk=chad_project.pk).phase == "concept"


@pytest.mark.parametrize(
    ("patch", "field"),
    [({"titles": None}, "titles"), ({"is_public": None}, "is_public"), ({"identifier": "X"}, "identifier"),
     ({"actual_start": "2099-01-01"}, "actual_start"), ({"working_group_id": 999}, "working_group_id")],
)  # fmt: skip
def test_it_refuses_a_bad_edit_and_writes_nothing(chad_project, secretariat, portfolio_rows, patch, field):
    before = portfolio_rows()
    response = send(client_for(secretariat), "PATCH", f"{URL}/{chad_project.pk}", patch)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert portfolio_rows() == before


# --- The humanitarian flag and scope, with the project ----------------------------------------------------------

APPEAL = {"humanitarian": True, "scope_type": "2", "scope_vocabulary": "2-1", "scope_code": "HTCD25"}


def test_a_project_is_created_with_its_humanitarian_scope(chad, iom, chad_focal_point):
    response = send(client_for(chad_focal_point), "POST", URL, {**NEW, "humanitarian": APPEAL})
    assert response.status_code == 201, response.content
    assert response.json()["humanitarian"] == APPEAL
    project = Project.objects.get(identifier=NEW["identifier"])
    assert (project.humanitarian, project.humanitarian_scope_code) == (True, "HTCD25")
    assert "project.humanitarian_set" in audit_actions()


def test_a_bad_humanitarian_scope_creates_no_project(chad, iom, secretariat, portfolio_rows):
    before = portfolio_rows()
    bad = {**APPEAL, "humanitarian": False}  # a scope only for a humanitarian project
    response = send(client_for(secretariat), "POST", URL, {**NEW, "humanitarian": bad})
    assert response.status_code == 400, response.content
    assert "humanitarian" in response.json()["errors"]
    assert portfolio_rows() == before


def test_a_patch_sets_the_humanitarian_scope_with_audit_and_a_new_version(chad_project, iom_editor):
    response = send(client_for(iom_editor), "PATCH", f"{URL}/{chad_project.pk}", {"version": 1, "humanitarian": APPEAL})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["humanitarian"] == APPEAL and body["version"] == 2
    record = AuditRecord.objects.get(action="project.humanitarian_set")
    assert record.changes["humanitarian"] == [None, True] and record.changes["version"] == [1, 2]
    response = send(
        client_for(iom_editor), "PATCH", f"{URL}/{chad_project.pk}", {"humanitarian": {"humanitarian": False}}
    )
    assert response.status_code == 200, response.content
    assert response.json()["humanitarian"] == {
        "humanitarian": False, "scope_type": "", "scope_vocabulary": "", "scope_code": ""
    }  # fmt: skip


@pytest.mark.parametrize(
    "humanitarian",
    [
        {**APPEAL, "scope_code": "EQ-2015-000048-NPL"},  # a GLIDE number is not a plan code
        {**APPEAL, "scope_type": "1"},  # type 1 Emergency goes with GLIDE numbers
        {**APPEAL, "scope_vocabulary": "7"},  # not in the codelist (refused by the schema)
        {"humanitarian": "yes"},
        {"scope_code": "HTCD25"},  # the flag is required
    ],
)
def test_a_bad_humanitarian_patch_writes_nothing_not_even_its_other_fields(chad_project, secretariat,
                                                                            portfolio_rows, humanitarian):  # fmt: skip
    before = portfolio_rows()
    patch = {"titles": {"en": "Changed"}, "humanitarian": humanitarian}
    response = send(client_for(secretariat), "PATCH", f"{URL}/{chad_project.pk}", patch)
    assert response.status_code == 400, response.content
    assert portfolio_rows() == before
    assert Project.objects.get(pk=chad_project.pk).title != "Changed"


def test_the_openapi_document_lists_the_humanitarian_codes(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    properties = schemas["HumanitarianIn"]["properties"]
    assert properties["scope_type"]["enum"] == ["", "1", "2"]
    assert properties["scope_vocabulary"]["enum"] == ["", "1-2", "2-1", "99"]
    assert "humanitarian" in schemas["ProjectPatch"]["properties"]


# --- The OpenAPI document declares every status of every portfolio operation -----------------------------------

READ = {"200", "304", "400", "401", "403", "404", "429"}  # every read may also be refused or throttled
WRITE = {"400", "401", "403", "404", "409", "412", "413", "429"}  # every write: the one error shape for each
DECLARED = {
    ("get", "/api/v1/projects"): READ,
    ("post", "/api/v1/projects"): {"201"} | WRITE,
    ("get", "/api/v1/projects/{pk}"): READ,
    ("patch", "/api/v1/projects/{pk}"): {"200"} | WRITE,
    ("post", "/api/v1/projects/{pk}/phase"): {"200"} | WRITE,
    ("put", "/api/v1/projects/{pk}/sectors"): {"200"} | WRITE,
    ("put", "/api/v1/projects/{pk}/policy-markers"): {"200"} | WRITE,
    ("put", "/api/v1/projects/{pk}/nexus"): {"200"} | WRITE,
    ("put", "/api/v1/projects/{pk}/links"): {"200"} | WRITE,
    ("put", "/api/v1/projects/{pk}/screening"): {"200"} | WRITE,
    ("post", "/api/v1/projects/{pk}/locations"): {"201"} | WRITE,
    ("delete", "/api/v1/projects/{pk}/locations/{location_id}"): {"204"} | WRITE,
    ("post", "/api/v1/projects/{pk}/participants"): {"201"} | WRITE,
    ("post", "/api/v1/projects/{pk}/documents"): {"201"} | WRITE,
    ("get", "/api/v1/projects/{pk}/funder-matches"): READ,
    ("get", "/api/v1/budgets"): READ,
    ("get", "/api/v1/transactions"): READ,
    ("post", "/api/v1/projects/{pk}/budgets"): {"201"} | WRITE,
    ("post", "/api/v1/projects/{pk}/transactions"): {"201"} | WRITE,
    ("delete", "/api/v1/budgets/{pk}"): {"204"} | WRITE,
    ("delete", "/api/v1/transactions/{pk}"): {"204"} | WRITE,
    ("get", "/api/v1/results"): READ,
    ("post", "/api/v1/projects/{pk}/results"): {"201"} | WRITE,
    ("post", "/api/v1/results/{pk}/indicators"): {"201"} | WRITE,
    ("post", "/api/v1/indicators/{pk}/periods"): {"201"} | WRITE,
    ("post", "/api/v1/periods/{pk}/actual"): {"200"} | WRITE,
    ("post", "/api/v1/periods/{pk}/review"): {"200"} | WRITE,
}
PORTFOLIO_PATHS = ("/api/v1/projects", "/api/v1/budgets", "/api/v1/transactions", "/api/v1/results",
                   "/api/v1/indicators", "/api/v1/periods")  # fmt: skip


def test_the_openapi_document_declares_every_status_of_every_portfolio_operation(db):
    paths = client_for(None).get("/api/v1/openapi.json").json()["paths"]
    found = {
        (method, path): set(operation["responses"])
        for path, operations in paths.items()
        if path.startswith(PORTFOLIO_PATHS)
        for method, operation in operations.items()
    }
    assert found == DECLARED
    actual = paths["/api/v1/periods/{pk}/actual"]["post"]["requestBody"]["content"]
    assert set(actual) == {"application/json", "multipart/form-data"}
