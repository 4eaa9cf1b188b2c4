"""The results framework through the API: a partner builds results → indicators → periods and submits actuals (JSON
or multipart with evidence), the secretariat reviews them; the public sees approved actuals with small counts
suppressed, insiders everything; the bad input of the issue is refused with nothing written."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.projects.models import Project
from bakuhub.projects.tests.factories import ProjectParticipantFactory
from bakuhub.results import services
from bakuhub.results.models import IndicatorPeriod
from bakuhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
ACTUAL = {
    "actual_value": "40",
    "comment": "From the distribution lists.",
    "disaggregations": [
        {"dimension": "sex", "category": "female", "value": 37},
        {"dimension": "sex", "category": "male", "value": 3},
    ],
}


def send(client, method, url, data):
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def actions():
    return list(AuditRecord.objects.order_by("id").values_list("action", flat=True))


@pytest.fixture
def partnered(chad_project, undp):
    """The Chad project (led by IOM, 2024-2028) with UNDP implementing."""
    ProjectParticipantFactory(project=chad_project, organisation=undp, role="4")
    return chad_project


@pytest.fixture
def period(partnered, iom):
    """A unit indicator (households, baseline 10) with a period in the second half of 2024, target 110."""
    result = services.result_create(actor=None, project=partnered, kind="1", title="Water points", reported_by=iom)
    indicator = services.indicator_create(
        actor=None, result=result, title="Households served", unit="households", baseline_year=2024, baseline_value=10
    )
    return services.period_create(
        actor=None, indicator=indicator, period_start=dt.date(2024, 7, 1), period_end=dt.date(2024, 12, 31),
        target_value=110,
    )  # fmt: skip


def tree(client, project, query=""):
    response = client.get(f"/api/v1/results?project={project.pk}{query}")
    assert response.status_code == 200, response.content
    return response.json()


def first_period(body):
    return body["items"][0]["indicators"][0]["periods"][0]


def test_a_partner_builds_the_framework_and_submits_an_actual(partnered, iom_editor):
    client = client_for(iom_editor)
    result = send(client, "POST", f"/api/v1/projects/{partnered.pk}/results",
                  {"kind": "2", "title": "Safer water", "reported_by": "iom"})  # fmt: skip
    assert result.status_code == 201, result.content
    assert result.json() | {"id": 0} == {
        "id": 0, "project_id": partnered.pk, "kind": "2", "kind_name": "Outcome", "title": "Safer water",
        "description": "", "reported_by": "iom", "reported_by_name": "International Organization for Migration (IOM)",
        "indicators": [],
    }  # fmt: skip
    indicator = send(client, "POST", f"/api/v1/results/{result.json()['id']}/indicators",
                     {"title": "Share of safe sources", "measure": "2", "baseline_year": 2024,
                      "baseline_value": "20.5"})  # fmt: skip
    assert indicator.status_code == 201, indicator.content
    assert (indicator.json()["measure"], indicator.json()["baseline_value"]) == ("2", "20.50")
    period = send(client, "POST", f"/api/v1/indicators/{indicator.json()['id']}/periods",
                  {"period_start": "2024-07-01", "period_end": "2024-12-31", "target_value": 60})  # fmt: skip
    assert period.status_code == 201, period.content
    assert (period.json()["status"], period.json()["target_value"]) == ("draft", "60.00")
    actual = send(client, "POST", f"/api/v1/periods/{period.json()['id']}/actual", {"actual_value": 40.25})
    assert actual.status_code == 200, actual.content
    body = actual.json()
    assert (body["status"], body["actual_value"], body["progress"]) == ("submitted", "40.25", "50.00")
    assert actions() == ["result.create", "indicator.create", "indicatorperiod.create", "indicatorperiod.submit"]


def test_the_secretariat_approves_and_the_public_then_sees_the_actual_with_small_counts_suppressed(
    period, iom_editor, secretariat
):
    project = period.indicator.result.project
    assert send(client_for(iom_editor), "POST", f"/api/v1/periods/{period.pk}/actual", ACTUAL).status_code == 200
    public = first_period(tree(client_for(None), project))
    assert (public["actual_value"], public["status"], public["comment"]) == (None, "", None)
    response = send(client_for(secretariat), "POST", f"/api/v1/periods/{period.pk}/review", {"decision": "approve"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert actions()[-1] == "indicatorperiod.approve"
    body = tree(client_for(None), project)
    assert body["view"] == "public"
    public = first_period(body)
    assert (public["actual_value"], public["status"], public["progress"]) == ("40.00", "approved", "30.00")
    cells = {c["category"]: c["actual_value"] for c in public["disaggregations"]}
    assert cells == {"female": "suppressed", "male": "<5"}
    internal = first_period(tree(client_for(iom_editor), project))
    cells = {c["category"]: c["actual_value"] for c in internal["disaggregations"]}
    assert cells == {"female": "37.00", "male": "3.00"}
    assert internal["comment"] == "From the distribution lists."
    assert internal["has_evidence"] is False


def test_insiders_may_ask_for_the_public_view_and_outsiders_not_for_the_internal_one(period, iom_editor, gcf):
    project = period.indicator.result.project
    assert tree(client_for(iom_editor), project)["view"] == "internal"
    assert tree(client_for(iom_editor), project, "&view=public")["view"] == "public"
    assert client_for(None).get(f"/api/v1/results?project={project.pk}&view=internal").status_code == 401


def test_an_actual_may_come_with_evidence_as_multipart(period, iom_editor, settings):
    data = {
        "actual_value": "120",
        "comment": "Signed lists attached.",
        "disaggregations": json.dumps([{"dimension": "displacement", "category": "returnees", "value": 80}]),
        "evidence": SimpleUploadedFile("lists.pdf", PDF, content_type="application/pdf"),
    }
    response = client_for(iom_editor).post(f"/api/v1/periods/{period.pk}/actual", data)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["actual_value"], body["has_evidence"]) == ("120.00", True)
    assert IndicatorPeriod.objects.get(pk=period.pk).evidence.name.endswith(".pdf")


def test_a_rejection_needs_its_reason_and_the_partner_resubmits(period, iom_editor, secretariat, portfolio_rows):
    partner, reviewer = client_for(iom_editor), client_for(secretariat)
    assert send(partner, "POST", f"/api/v1/periods/{period.pk}/actual", ACTUAL).status_code == 200
    before = portfolio_rows()
    response = send(reviewer, "POST", f"/api/v1/periods/{period.pk}/review", {"decision": "reject"})
    assert response.status_code == 400 and "comment" in response.json()["errors"]
    assert portfolio_rows() == before
    reason = {"decision": "reject", "comment": "The lists are not signed."}
    response = send(reviewer, "POST", f"/api/v1/periods/{period.pk}/review", reason)
    assert (response.status_code, response.json()["review_comment"]) == (200, "The lists are not signed.")
    again = send(partner, "POST", f"/api/v1/periods/{period.pk}/actual", ACTUAL)
    assert (again.status_code, again.json()["status"]) == (200, "submitted")


def test_a_submitted_actual_is_not_submitted_twice_nor_a_draft_reviewed(period, iom_editor, secretariat):
    assert send(client_for(secretariat), "POST", f"/api/v1/periods/{period.pk}/review",
                {"decision": "approve"}).status_code == 409  # fmt: skip
    assert send(client_for(iom_editor), "POST", f"/api/v1/periods/{period.pk}/actual", ACTUAL).status_code == 200
    assert send(client_for(iom_editor), "POST", f"/api/v1/periods/{period.pk}/actual", ACTUAL).status_code == 409


def test_nobody_reviews_their_own_submission(period, secretariat):
    client = client_for(secretariat)
    assert send(client, "POST", f"/api/v1/periods/{period.pk}/actual", ACTUAL).status_code == 200
    assert send(client, "POST", f"/api/v1/periods/{period.pk}/review", {"decision": "approve"}).status_code == 403


def test_a_result_reported_by_an_organisation_not_on_the_project_is_refused(partnered, gcf, iom_editor, portfolio_rows):
    before = portfolio_rows()
    response = send(client_for(iom_editor), "POST", f"/api/v1/projects/{partnered.pk}/results",
                    {"kind": "1", "title": "Wells", "reported_by": "gcf"})  # fmt: skip
    assert response.status_code == 400, response.content
    assert "is not on project" in response.json()["errors"]["reported_by"][0]
    assert portfolio_rows() == before


def test_a_period_outside_the_project_dates_is_refused(period, iom_editor, portfolio_rows):
    before = portfolio_rows()
    response = send(client_for(iom_editor), "POST", f"/api/v1/indicators/{period.indicator_id}/periods",
                    {"period_start": "2023-07-01", "period_end": "2023-12-31", "target_value": 5})  # fmt: skip
    assert response.status_code == 400 and "period_start" in response.json()["errors"]
    assert portfolio_rows() == before


def test_an_actual_for_a_period_outside_the_project_dates_is_refused(period, iom_editor, portfolio_rows):
    Project.objects.filter(pk=period.indicator.result.project_id).update(actual_start=dt.date(2025, 1, 1))
    before = portfolio_rows()
    response = send(client_for(iom_editor), "POST", f"/api/v1/periods/{period.pk}/actual", ACTUAL)
    assert response.status_code == 400, response.content
    assert "lies outside the dates of project" in response.json()["errors"]["period"][0]
    assert portfolio_rows() == before
    assert IndicatorPeriod.objects.get(pk=period.pk).actual_status == "draft"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"actual_value": "abc"}, "actual_value"),
        ({"comment": "No value"}, "actual_value"),
        ({"actual_value": 10, "disaggregations": [{"dimension": "sex", "category": "other", "value": 1}]},
         "disaggregations"),
        ({"actual_value": 10, "disaggregations": [{"dimension": "sex", "category": "female", "value": 11}]},
         "disaggregations"),
        ({"actual_value": 10, "colour": "blue"}, "colour"),
    ],
)  # fmt: skip
def test_a_bad_actual_is_refused_and_nothing_is_written(period, iom_editor, portfolio_rows, body, field):
    before = portfolio_rows()
    response = send(client_for(iom_editor), "POST", f"/api/v1/periods/{period.pk}/actual", body)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert portfolio_rows() == before


def test_a_bad_multipart_actual_writes_no_file(period, iom_editor, portfolio_rows, settings):
    before = portfolio_rows()
    data = {"actual_value": "12", "disaggregations": "not json",
            "evidence": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")}  # fmt: skip
    response = client_for(iom_editor).post(f"/api/v1/periods/{period.pk}/actual", data)
    assert response.status_code == 400 and "disaggregations" in response.json()["errors"]
    data["disaggregations"] = "[]"
    data["evidence"] = SimpleUploadedFile("a.pdf", b"not a document", content_type="application/pdf")
    response = client_for(iom_editor).post(f"/api/v1/periods/{period.pk}/actual", data)
    assert response.status_code == 400 and "evidence" in response.json()["errors"]
    assert portfolio_rows() == before
    assert not IndicatorPeriod.objects.get(pk=period.pk).evidence


def test_a_malformed_json_actual_is_refused(period, iom_editor):
    response = client_for(iom_editor).post(
        f"/api/v1/periods/{period.pk}/actual", "{not json", content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "malformed_json")


def test_the_results_list_needs_a_project_it_may_see(period, chad, undp):
    assert client_for(None).get("/api/v1/results").json()["errors"] == {
        "project": ["Give the project whose results you want, e.g. ?project=12."]
    }
    assert client_for(None).get("/api/v1/results?project=999999").status_code == 404
    body = tree(client_for(None), period.indicator.result.project, "&limit=1&offset=1")
    assert (body["count"], body["items"]) == (1, [])


def test_targets_are_public_and_percentages_are_not_suppressed(period, secretariat, iom_editor):
    indicator = services.indicator_create(
        actor=None, result=period.indicator.result, title="Share", measure="2", baseline_year=2024,
        baseline_value=Decimal("1"),
    )  # fmt: skip
    share = services.period_create(
        actor=None, indicator=indicator, period_start=dt.date(2024, 7, 1), period_end=dt.date(2024, 12, 31),
        target_value=Decimal("3"),
    )  # fmt: skip
    send(client_for(iom_editor), "POST", f"/api/v1/periods/{share.pk}/actual", {"actual_value": 2})
    send(client_for(secretariat), "POST", f"/api/v1/periods/{share.pk}/review", {"decision": "approve"})
    periods = tree(client_for(None), period.indicator.result.project)["items"][0]["indicators"]
    assert [(i["title"], i["periods"][0]["target_value"], i["periods"][0]["actual_value"]) for i in periods] == [
        ("Households served", "110.00", None), ("Share", "3.00", "2.00"),
    ]  # fmt: skip


@pytest.mark.parametrize("role", ["anonymous", "iom_editor"])
def test_the_results_tree_costs_the_same_queries_however_large(request, period, iom, role):
    client = client_for(None if role == "anonymous" else request.getfixturevalue(role))
    project = period.indicator.result.project

    def queries():
        with CaptureQueriesContext(connection) as captured:
            tree(client, project)
        return len(captured)

    few = queries()
    for n in range(4):
        result = services.result_create(actor=None, project=project, kind="2", title=f"Result {n}", reported_by=iom)
        indicator = services.indicator_create(actor=None, result=result, title="Indicator")
        for month in (1, 7):
            services.period_create(actor=None, indicator=indicator, period_start=dt.date(2024, month, 1),
                                   period_end=dt.date(2024, month + 5, 28), target_value=10)  # fmt: skip
    assert queries() == few


# --- A partner editor speaks only for the organisations they edit ----------------------------------------------


def test_it_refuses_a_partner_reporting_in_another_organisations_name(partnered, iom_editor, portfolio_rows):
    before = portfolio_rows()
    response = send(client_for(iom_editor), "POST", f"/api/v1/projects/{partnered.pk}/results",
                    {"kind": "1", "title": "Wells", "reported_by": "undp"})  # fmt: skip
    assert response.status_code == 403
    assert response.json()["errors"]["reported_by"] == [
        "You may report results only in the name of an organisation you edit, not United Nations Development Programme."
    ]
    assert portfolio_rows() == before


@pytest.fixture
def undp_result(partnered, undp):
    return services.result_create(actor=None, project=partnered, kind="1", title="Solar pumps", reported_by=undp)


def test_it_refuses_a_partner_adding_indicators_to_another_organisations_result(
    undp_result, iom_editor, portfolio_rows
):
    before = portfolio_rows()
    response = send(client_for(iom_editor), "POST", f"/api/v1/results/{undp_result.pk}/indicators",
                    {"title": "Pumps installed"})  # fmt: skip
    assert response.status_code == 403
    assert "you may add only to your own organisation's results" in response.json()["message"]
    assert portfolio_rows() == before


def test_it_refuses_a_partner_adding_periods_or_actuals_to_another_organisations_result(
    undp_result, iom_editor, portfolio_rows
):
    indicator = services.indicator_create(actor=None, result=undp_result, title="Pumps installed")
    period = services.period_create(
        actor=None, indicator=indicator, period_start=dt.date(2024, 7, 1), period_end=dt.date(2024, 12, 31)
    )
    before = portfolio_rows()
    client = client_for(iom_editor)
    response = send(client, "POST", f"/api/v1/indicators/{indicator.pk}/periods",
                    {"period_start": "2025-01-01", "period_end": "2025-06-30"})  # fmt: skip
    assert response.status_code == 403
    assert send(client, "POST", f"/api/v1/periods/{period.pk}/actual", {"actual_value": 3}).status_code == 403
    assert portfolio_rows() == before


def test_the_secretariat_and_the_focal_point_still_report_for_any_organisation_on_the_project(
    partnered, secretariat, chad_focal_point, undp_result
):
    for user in (secretariat, chad_focal_point):
        response = send(client_for(user), "POST", f"/api/v1/projects/{partnered.pk}/results",
                        {"kind": "1", "title": "Wells", "reported_by": "undp"})  # fmt: skip
        assert response.status_code == 201, response.content
        response = send(client_for(user), "POST", f"/api/v1/results/{undp_result.pk}/indicators", {"title": "Pumps"})
        assert response.status_code == 201, response.content
