"""The writes to a project's parts: phase (the approval gate), sectors, policy markers (with their warnings), nexus
profile, screening, locations (sensitivity), participants and documents, each with its audit record, and their bad
input refused with nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.projects.models import Location, Project, ProjectSector
from bakuhub.projects.tests.factories import LocationFactory, ProjectFactory, complete_answers
from bakuhub.testing.factories import AdminUnitFactory
from bakuhub.testing.files import pdf_bytes
from bakuhub.working_groups import services as jwg_services

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects"
PDF = pdf_bytes()


def send(client, method, url, data, **headers):
    return client.generic(method, url, json.dumps(data), content_type="application/json", **headers)


def audit_actions():
    return list(AuditRecord.objects.order_by("id").values_list("action", flat=True))


# --- Phase, sectors, markers, nexus, screening ----------------------------------------------------------------


def test_it_moves_a_project_to_appraisal(chad_project, iom_editor):
    response = send(client_for(iom_editor), "POST", f"{URL}/{chad_project.pk}/phase", {"to_phase": "appraisal"})
    assert response.status_code == 200, response.content
    assert (response.json()["phase"], response.json()["version"]) == ("appraisal", 2)
    assert audit_actions() == ["project.phase_advance"]


def test_approval_without_a_completed_screening_is_refused(chad, undp, chad_focal_point, portfolio_rows):
    project = ProjectFactory(country=chad, lead_organisation=undp, approvable=True, screened=False)
    before = portfolio_rows()
    response = send(client_for(chad_focal_point), "POST", f"{URL}/{project.pk}/phase", {"to_phase": "approved"})
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["screening"]
    assert portfolio_rows() == before
    assert Project.objects.get(pk=project.pk).phase == "appraisal"


def test_a_screened_project_is_approved(chad, undp, chad_focal_point):
    project = ProjectFactory(country=chad, lead_organisation=undp, approvable=True)
    response = send(client_for(chad_focal_point), "POST", f"{URL}/{project.pk}/phase", {"to_phase": "approved"})
    assert response.status_code == 200, response.content
    assert response.json()["phase"] == "approved"


def test_it_sets_the_sectors(chad_project, iom_editor):
    sectors = {"sectors": [{"code": "15220", "percentage": "60.5"}, {"code": "41010", "percentage": 39.5}]}
    response = send(client_for(iom_editor), "PUT", f"{URL}/{chad_project.pk}/sectors", sectors)
    assert response.status_code == 200, response.content
    assert [(s["code"], s["percentage"]) for s in response.json()["sectors"]] == [
        ("15220", "60.50"),
        ("41010", "39.50"),
    ]
    assert audit_actions() == ["project.sectors_set"]


@pytest.mark.parametrize(
    "sectors",
    [
        [{"code": "15220", "percentage": 60}, {"code": "41010", "percentage": 30}],
        [{"code": "15220", "percentage": 60}, {"code": "41010", "percentage": 50}],
        [{"code": "99999", "percentage": 100}],
        [],
    ],
    ids=["sum-90", "sum-110", "unknown-code", "none"],
)
def test_sector_percentages_that_do_not_sum_to_100_are_refused(chad_project, iom_editor, portfolio_rows, sectors):
    ProjectSector.objects.create(project=chad_project, code="15190", percentage=100)
    before = portfolio_rows()
    response = send(client_for(iom_editor), "PUT", f"{URL}/{chad_project.pk}/sectors", {"sectors": sectors})
    assert response.status_code == 400, response.content
    assert "sectors" in response.json()["errors"]
    assert portfolio_rows() == before
    assert list(chad_project.sectors.values_list("code", flat=True)) == ["15190"]


def test_the_sum_is_named_in_the_refusal(chad_project, iom_editor):
    sectors = {"sectors": [{"code": "15220", "percentage": 60}, {"code": "41010", "percentage": 30}]}
    response = send(client_for(iom_editor), "PUT", f"{URL}/{chad_project.pk}/sectors", sectors)
    assert "sum to 90" in response.json()["errors"]["sectors"][0]


def test_it_sets_the_policy_markers_and_returns_the_warnings(chad_project, iom_editor):
    client = client_for(iom_editor)
    nexus = {"climate": 0, "peace": 1, "migration": 2, "migration_justification": "Returnees are the purpose."}
    assert send(client, "PUT", f"{URL}/{chad_project.pk}/nexus", nexus).status_code == 200
    markers = {"markers": [{"code": "7", "significance": 2}, {"code": "1", "significance": 1}]}
    response = send(client, "PUT", f"{URL}/{chad_project.pk}/policy-markers", markers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(m["code"], m["significance"]) for m in body["policy_markers"]] == [("1", 1), ("7", 2)]
    assert len(body["warnings"]) == 1 and "should be 2 (principal)" in body["warnings"][0]
    assert audit_actions() == ["project.nexus_set", "project.policy_markers_set"]


def test_it_refuses_unknown_markers(chad_project, iom_editor, portfolio_rows):
    before = portfolio_rows()
    markers = {"markers": [{"code": "77", "significance": 2}]}
    response = send(client_for(iom_editor), "PUT", f"{URL}/{chad_project.pk}/policy-markers", markers)
    assert response.status_code == 400 and "markers" in response.json()["errors"]
    assert portfolio_rows() == before


def test_it_sets_the_nexus_profile(chad_project, iom_editor):
    nexus = {"climate": 2, "peace": 1, "migration": 1, "climate_justification": "Adaptation is the purpose."}
    response = send(client_for(iom_editor), "PUT", f"{URL}/{chad_project.pk}/nexus", nexus)
    assert response.status_code == 200, response.content
    body = response.json()["nexus"]
    assert (body["climate"], body["triple"], body["method"]) == (2, True, "manual")
    assert body["climate_justification"] == "Adaptation is the purpose."


def test_a_principal_score_needs_a_justification(chad_project, iom_editor, portfolio_rows):
    before = portfolio_rows()
    response = send(client_for(iom_editor), "PUT", f"{URL}/{chad_project.pk}/nexus",
                    {"climate": 2, "peace": 0, "migration": 0})  # fmt: skip
    assert response.status_code == 400 and "climate_justification" in response.json()["errors"]
    assert portfolio_rows() == before


def test_a_focal_point_completes_the_screening(chad_project, chad_focal_point):
    client = client_for(chad_focal_point)
    response = send(client, "PUT", f"{URL}/{chad_project.pk}/screening",
                    {"answers": complete_answers(), "complete": True})  # fmt: skip
    assert response.status_code == 200, response.content
    screening = response.json()["screening"]
    assert screening["is_complete"] is True and screening["reviewer"] == "chad_focal_point"
    assert audit_actions() == ["project.screening_save"]


def test_an_incomplete_screening_cannot_be_completed(chad_project, chad_focal_point, portfolio_rows):
    before = portfolio_rows()
    answers = {"tensions": {"answer": "yes"}}
    response = send(client_for(chad_focal_point), "PUT", f"{URL}/{chad_project.pk}/screening",
                    {"answers": answers, "complete": True})  # fmt: skip
    assert response.status_code == 400
    assert {"tensions", "grievance_mechanism"} <= set(response.json()["errors"])
    assert portfolio_rows() == before


# --- Locations, participants, documents -----------------------------------------------------------------------


def test_it_adds_and_removes_a_location(chad_project, lac, iom_editor):
    client = client_for(iom_editor)
    site = {"admin1_pcode": "td07", "name": "Baga Sola", "latitude": "13.53", "longitude": 14.31,
            "sensitivity": "coarsen"}  # fmt: skip
    response = send(client, "POST", f"{URL}/{chad_project.pk}/locations", site)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["admin1_pcode"], body["precision"], body["sensitivity"]) == ("TD07", "point", "coarsen")
    public = client_for(None).get(f"{URL}/{chad_project.pk}").json()["locations"]
    assert public == [{**public[0], "name": "", "latitude": None, "coarsened": True}]
    response = client.delete(f"{URL}/{chad_project.pk}/locations/{body['id']}")
    assert response.status_code == 204
    assert not Location.objects.exists()
    assert audit_actions() == ["project.location_add", "project.location_remove"]


@pytest.mark.parametrize(
    ("site", "field"),
    [
        ({"admin1_pcode": "TD99"}, "admin1_pcode"),
        ({"admin1_pcode": "GW01"}, "admin_unit"),
        ({"admin1_pcode": "TD07", "latitude": "13.5"}, "longitude"),
        ({"admin1_pcode": "TD07", "latitude": "113.5", "longitude": "14"}, "latitude"),
        ({"admin1_pcode": "TD07", "sensitivity": "secret"}, "sensitivity"),
    ],
)
def test_it_refuses_a_bad_location(chad_project, lac, guinea_bissau, secretariat, portfolio_rows, site, field):
    AdminUnitFactory(country=guinea_bissau, pcode="GW01", name="Bafatá")
    before = portfolio_rows()
    response = send(client_for(secretariat), "POST", f"{URL}/{chad_project.pk}/locations", site)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert portfolio_rows() == before


def test_a_location_of_another_project_is_not_found(chad_project, chad, lac, secretariat):
    other = LocationFactory(project=ProjectFactory(country=chad), admin_unit=lac)
    response = client_for(secretariat).delete(f"{URL}/{chad_project.pk}/locations/{other.pk}")
    assert response.status_code == 404
    assert Location.objects.filter(pk=other.pk).exists()


def test_it_adds_a_participant_once(chad_project, gcf, iom_editor, portfolio_rows):
    client = client_for(iom_editor)
    response = send(client, "POST", f"{URL}/{chad_project.pk}/participants", {"organisation": "gcf", "role": "1"})
    assert response.status_code == 201, response.content
    assert response.json() == {"organisation": "gcf", "organisation_name": "Green Climate Fund", "role": "1",
                               "role_name": "Funding"}  # fmt: skip
    assert audit_actions() == ["project.participant_add"]
    before = portfolio_rows()
    again = send(client, "POST", f"{URL}/{chad_project.pk}/participants", {"organisation": "gcf", "role": "1"})
    assert again.status_code == 409
    for body, field in [({"organisation": "gcf", "role": "9"}, "role"), ({"organisation": "x", "role": "1"},
                                                                          "organisation")]:  # fmt: skip
        response = send(client, "POST", f"{URL}/{chad_project.pk}/participants", body)
        assert response.status_code == 400 and field in response.json()["errors"]
    assert portfolio_rows() == before


def test_it_stores_a_document(chad_project, iom_editor):
    upload = SimpleUploadedFile("concept.pdf", PDF, content_type="application/pdf")
    response = client_for(iom_editor).post(
        f"{URL}/{chad_project.pk}/documents",
        {"file": upload, "title": "Concept note", "category": "a02", "is_public": "true"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["category"], body["is_public"], body["mime_type"]) == (
        "Concept note", "A02", True, "application/pdf",
    )  # fmt: skip
    assert audit_actions() == ["project.document_add"]
    assert [d["title"] for d in client_for(None).get(f"{URL}/{chad_project.pk}").json()["documents"]] == [
        "Concept note"
    ]


def test_it_refuses_a_document_that_is_not_one(chad_project, iom_editor, portfolio_rows):
    before = portfolio_rows()
    upload = SimpleUploadedFile("concept.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client_for(iom_editor).post(f"{URL}/{chad_project.pk}/documents", {"file": upload, "title": "X"})
    assert response.status_code == 400 and "file" in response.json()["errors"]
    assert portfolio_rows() == before


def test_a_focal_point_links_a_decision_of_their_countrys_jwg(chad, chad_focal_point):
    project = ProjectFactory(country=chad)
    group = jwg_services.working_group_create(actor=None, country=chad, name="Chad JWG")
    decision = jwg_services.decision_create(actor=None, working_group=group, text="Go", decided_on=dt.date(2025, 10, 1))
    client = client_for(chad_focal_point)
    url = f"/api/v1/projects/{project.pk}/links"
    response = client.put(url, json.dumps({"decisions": [decision.pk]}), content_type="application/json")
    assert response.status_code == 200, response.content
    assert list(project.decisions.values_list("pk", flat=True)) == [decision.pk]
    response = client.put(url, json.dumps({"decisions": [999999]}), content_type="application/json")
    assert response.status_code == 400
    assert "999999" in response.json()["message"]
