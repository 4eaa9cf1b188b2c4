"""The project managers' forms: who may open them, what a good post writes, and how a refusal reads (nothing written,
the reason on the form, the service's status: 400, 403, 409, 412)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bakuhub.accounts.models import Role
from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.finance.models import Budget, Transaction
from bakuhub.finance.tests.helpers import add_rates
from bakuhub.projects import services
from bakuhub.projects.models import Location, Project, Screening
from bakuhub.projects.screening_questions import QUESTION_IDS
from bakuhub.projects.tests.factories import ProjectFactory
from bakuhub.testing.factories import AdminUnitFactory, UserFactory

from .project_helpers import chad_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(chad, iom):
    return ProjectFactory(
        country=chad,
        lead_organisation=iom,
        titles={"en": "Lake Chad pilot", "fr": "Pilote du lac Tchad", "pt": "Piloto"},
        phase=Project.Phase.CONCEPT,
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2026, 12, 31),
    )


def post(user, url, data):
    return client_for(user).post(url, data)


def text(response):
    return response.content.decode()


# --- who may open the forms --------------------------------------------------------------------------------------


FORMS = ["edit/", "sectors/", "nexus/", "humanitarian/", "locations/new/", "budgets/new/", "transactions/new/"]


@pytest.mark.parametrize("form", FORMS)
def test_managers_open_the_forms(project, form, secretariat, chad_focal_point, iom_editor):
    for user in (secretariat, chad_focal_point, iom_editor):
        assert client_for(user).get(f"/projects/{project.pk}/{form}").status_code == 200


@pytest.mark.parametrize("form", [*FORMS, "screening/"])
def test_funders_and_viewers_get_403_and_anonymous_users_sign_in(project, form, gcf_funder):
    viewer = UserFactory(username="viewer", role=Role.VIEWER)
    for user in (gcf_funder, viewer):
        assert client_for(user).get(f"/projects/{project.pk}/{form}").status_code == 403
    response = client_for(None).get(f"/projects/{project.pk}/{form}")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_project_the_user_cannot_see_is_a_404(project):
    Project.objects.filter(pk=project.pk).update(is_public=False)
    viewer = UserFactory(username="viewer", role=Role.VIEWER)
    assert client_for(viewer).get(f"/projects/{project.pk}/edit/").status_code == 404


def test_a_partner_editor_does_not_screen(project, iom_editor):
    assert client_for(iom_editor).get(f"/projects/{project.pk}/screening/").status_code == 403


# --- create --------------------------------------------------------------------------------------------------------


CREATE = {
    "identifier": "XM-DAC-47066-TD-2026-01",
    "title_en": "Water for peace",
    "title_fr": "De l'eau pour la paix",
    "planned_start": "2026-01-01",
    "planned_end": "2027-12-31",
}


def test_a_focal_point_creates_a_project(chad, iom, chad_focal_point):
    response = post(chad_focal_point, "/projects/new/", {**CREATE, "country": chad.pk, "lead_organisation": iom.pk})
    project = Project.objects.get(identifier=CREATE["identifier"])
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.titles == {"en": "Water for peace", "fr": "De l'eau pour la paix"}
    assert project.phase == "concept" and project.lead_organisation == iom


def test_a_bad_identifier_is_refused_with_its_reason(chad, iom, secretariat):
    data = {**CREATE, "identifier": "TD-2026-01", "country": chad.pk, "lead_organisation": iom.pk}
    response = post(secretariat, "/projects/new/", data)
    assert response.status_code == 400
    assert "lead organisation&#x27;s IATI identifier" in text(response)
    assert not Project.objects.exists()


def test_a_focal_point_may_not_create_elsewhere(guinea_bissau, chad, chad_focal_point):
    response = post(
        chad_focal_point, "/projects/new/", {**CREATE, "identifier": "XI-IATI-HUB-1", "country": guinea_bissau.pk}
    )
    assert response.status_code == 403
    assert "You may not create projects in Guinea-Bissau" in text(response)
    assert not Project.objects.exists()


def test_a_viewer_may_not_open_the_create_form(db):
    viewer = UserFactory(username="viewer", role=Role.VIEWER)
    assert client_for(viewer).get("/projects/new/").status_code == 403


def test_a_duplicate_identifier_is_a_409(chad, iom, secretariat, project):
    data = {**CREATE, "identifier": project.identifier, "country": chad.pk, "lead_organisation": iom.pk}
    assert post(secretariat, "/projects/new/", data).status_code == 409


# --- edit with optimistic concurrency ----------------------------------------------------------------------------


def edit_data(project, **changes):
    data = {
        "version": project.version,
        "title_en": project.titles.get("en", ""),
        "title_fr": project.titles.get("fr", ""),
        "description_en": "",
        "description_fr": "",
        "planned_start": "2024-01-01",
        "planned_end": "2026-12-31",
        "is_public": "on",
    }
    data.update(changes)
    return data


def test_the_edit_form_carries_the_loaded_version(project, chad_focal_point):
    html = text(client_for(chad_focal_point).get(f"/projects/{project.pk}/edit/"))
    assert 'type="hidden" name="version" value="1"' in html and 'value="Lake Chad pilot"' in html


def test_an_edit_saves_and_keeps_other_languages(project, chad_focal_point):
    response = post(chad_focal_point, f"/projects/{project.pk}/edit/", edit_data(project, title_en="Renamed"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.titles == {"en": "Renamed", "fr": "Pilote du lac Tchad", "pt": "Piloto"}
    assert project.version == 2


def test_a_stale_edit_is_a_412_naming_the_changed_fields(project, chad_focal_point, iom_editor):
    loaded = edit_data(project, title_en="My new title")  # the focal point opens the form at version 1 ...
    services.project_update(  # ... the partner editor saves first
        actor=iom_editor, project=project, titles={"en": "Their title"}, planned_end=dt.date(2026, 6, 30)
    )
    response = post(chad_focal_point, f"/projects/{project.pk}/edit/", loaded)
    assert response.status_code == 412
    html = text(response)
    assert "The project changed since you read it (changed: planned_end, titles)" in html
    assert "Their title" in html and 'value="My new title"' in html
    assert re.search(r'name="version" value="2"', html)
    project.refresh_from_db()
    assert project.titles == {"en": "Their title"} and project.version == 2
    # saving again, deliberately, from the re-rendered form overwrites
    again = post(chad_focal_point, f"/projects/{project.pk}/edit/", {**loaded, "version": 2})
    assert again.status_code == 302
    project.refresh_from_db()
    assert project.titles["en"] == "My new title"


def test_an_edit_with_an_end_before_the_start_writes_nothing(project, secretariat):
    before = AuditRecord.objects.count()
    response = post(secretariat, f"/projects/{project.pk}/edit/", edit_data(project, planned_end="2023-01-01"))
    assert response.status_code == 400
    assert "is before planned_start" in text(response)
    assert AuditRecord.objects.count() == before


# --- sectors, nexus, screening -----------------------------------------------------------------------------------


def test_sectors_that_do_not_sum_to_100_are_refused(project, secretariat):
    data = {"code_0": "15220", "percentage_0": "60", "code_1": "41010", "percentage_1": "30", "code_2": ""}
    response = post(secretariat, f"/projects/{project.pk}/sectors/", data)
    assert response.status_code == 400
    assert "sum to 90; they must sum to exactly 100" in text(response)
    assert not project.sectors.exists()


def test_sectors_are_saved(project, secretariat):
    data = {"code_0": "15220", "percentage_0": "60", "code_1": "41010", "percentage_1": "40", "code_2": ""}
    assert post(secretariat, f"/projects/{project.pk}/sectors/", data).status_code == 302
    assert sorted(project.sectors.values_list("code", flat=True)) == ["15220", "41010"]
    form = client_for(secretariat).get(f"/projects/{project.pk}/sectors/")
    assert 'value="15220"' in text(form) and 'name="code_4"' in text(form)


def test_a_principal_score_needs_a_justification(project, secretariat):
    data = {"climate": "2", "peace": "1", "migration": "0", "method": "manual"}
    response = post(secretariat, f"/projects/{project.pk}/nexus/", data)
    assert response.status_code == 400
    assert "A principal (2) climate score needs a justification" in text(response)
    project.refresh_from_db()
    assert project.nexus_assessed_on is None


def test_the_humanitarian_scope_is_set_in_the_portal_with_audit(project, iom_editor):
    data = {"humanitarian": "yes", "scope_type": "2", "scope_vocabulary": "2-1", "scope_code": "HTCD25"}
    response = post(iom_editor, f"/projects/{project.pk}/humanitarian/", data)
    assert response.status_code == 302, text(response)[:500]
    project.refresh_from_db()
    assert (project.humanitarian, project.humanitarian_scope_type, project.humanitarian_scope_code) == (
        True,
        "2",
        "HTCD25",
    )
    record = AuditRecord.objects.get(action="project.humanitarian_set")
    assert record.actor == iom_editor and record.changes["humanitarian_scope_code"] == ["", "HTCD25"]
    page = text(client_for(iom_editor).get(f"/projects/{project.pk}/"))
    assert f'href="/projects/{project.pk}/humanitarian/"' in page


def test_a_scope_for_a_project_not_humanitarian_is_refused_by_the_service_rule(project, secretariat):
    data = {"humanitarian": "no", "scope_type": "1", "scope_vocabulary": "1-2", "scope_code": "EQ-2015-000048-NPL"}
    response = post(secretariat, f"/projects/{project.pk}/humanitarian/", data)
    assert response.status_code == 400
    assert "A humanitarian scope is given only for a humanitarian project." in text(response)
    project.refresh_from_db()
    assert (project.humanitarian, project.humanitarian_scope_code) == (None, "")
    assert not AuditRecord.objects.filter(action="project.humanitarian_set").exists()


def test_the_nexus_profile_is_saved(project, chad_focal_point):
    data = {"climate": "2", "climate_justification": "Adaptation.", "peace": "1", "migration": "1", "method": "manual"}
    assert post(chad_focal_point, f"/projects/{project.pk}/nexus/", data).status_code == 302
    project.refresh_from_db()
    assert (project.climate_score, project.peace_score, project.migration_score) == (2, 1, 1)
    assert project.is_triple_nexus and project.nexus_assessed_by == chad_focal_point


def screening_data(**overrides):
    data = dict.fromkeys(QUESTION_IDS, "no")
    data["grievance_mechanism"] = "yes"
    data.update(overrides)
    return data


def test_the_screening_is_completed(project, chad_focal_point):
    response = post(chad_focal_point, f"/projects/{project.pk}/screening/", {**screening_data(), "complete": "1"})
    assert response.status_code == 302
    screening = Screening.objects.get(project=project)
    assert screening.is_complete and screening.reviewer == chad_focal_point


def test_a_risky_answer_without_a_note_cannot_complete_the_screening(project, secretariat):
    data = {**screening_data(tensions="yes"), "complete": "1"}
    response = post(secretariat, f"/projects/{project.pk}/screening/", data)
    assert response.status_code == 400
    assert "signals a risk: note how it is handled" in text(response)
    assert not Screening.objects.filter(project=project).exists()


def test_a_draft_screening_may_be_incomplete(project, secretariat):
    response = post(secretariat, f"/projects/{project.pk}/screening/", {"tensions": "yes", "draft": "1"})
    assert response.status_code == 302
    assert not Screening.objects.get(project=project).is_complete


# --- locations and phases ----------------------------------------------------------------------------------------


def test_the_location_form_offers_only_the_projects_country(project, chad, guinea_bissau, secretariat):
    units = chad_units(chad)
    elsewhere = AdminUnitFactory(country=guinea_bissau, pcode="GW01", name="Bafata", level=1)
    html = text(client_for(secretariat).get(f"/projects/{project.pk}/locations/new/"))
    assert "Batha" in html and "Bafata" not in html
    response = post(secretariat, f"/projects/{project.pk}/locations/new/", {
        "admin_unit": elsewhere.pk, "location_class": "1", "exactness": "1", "sensitivity": "public",
    })  # fmt: skip
    assert response.status_code == 400
    data = {
        "admin_unit": units["TD02"].pk,
        "name": "Camp",
        "latitude": "13.3",
        "longitude": "14.2",
        "location_class": "2",
        "exactness": "1",
        "sensitivity": "coarsen",
    }
    assert post(secretariat, f"/projects/{project.pk}/locations/new/", data).status_code == 302
    location = Location.objects.get(project=project)
    assert location.precision == "point" and location.sensitivity == "coarsen"


def test_only_half_a_coordinate_is_refused(project, chad, secretariat):
    units = chad_units(chad)
    data = {"admin_unit": units["TD01"].pk, "latitude": "13.3", "location_class": "1", "exactness": "1",
            "sensitivity": "public"}  # fmt: skip
    response = post(secretariat, f"/projects/{project.pk}/locations/new/", data)
    assert response.status_code == 400
    assert "Give both latitude and longitude, or neither." in text(response)
    assert not Location.objects.exists()


def test_the_phase_moves_on(project, iom_editor):
    assert post(iom_editor, f"/projects/{project.pk}/phase/", {"to_phase": "appraisal"}).status_code == 302
    project.refresh_from_db()
    assert project.phase == "appraisal"


def test_approval_without_a_screening_is_refused_with_the_reasons(chad, iom, chad_focal_point):
    project = ProjectFactory(country=chad, lead_organisation=iom, approvable=True, screened=False)
    response = post(chad_focal_point, f"/projects/{project.pk}/phase/", {"to_phase": "approved"})
    assert response.status_code == 400
    assert "screening is not complete" in text(response)
    project.refresh_from_db()
    assert project.phase == "appraisal"


def test_a_focal_point_approves_a_screened_project(chad, iom, chad_focal_point):
    project = ProjectFactory(country=chad, lead_organisation=iom, approvable=True)
    assert post(chad_focal_point, f"/projects/{project.pk}/phase/", {"to_phase": "approved"}).status_code == 302
    project.refresh_from_db()
    assert project.phase == "approved"


def test_a_partner_editor_may_not_approve(chad, iom, iom_editor):
    project = ProjectFactory(country=chad, lead_organisation=iom, approvable=True)
    assert 'value="approved"' not in text(client_for(iom_editor).get(f"/projects/{project.pk}/"))
    assert post(iom_editor, f"/projects/{project.pk}/phase/", {"to_phase": "approved"}).status_code == 403
    project.refresh_from_db()
    assert project.phase == "appraisal"


def test_a_phase_that_is_not_next_is_refused(project, secretariat):
    assert post(secretariat, f"/projects/{project.pk}/phase/", {"to_phase": "closed"}).status_code == 400


# --- money -------------------------------------------------------------------------------------------------------


BUDGET = {"period_start": "2025-01-01", "period_end": "2025-12-31", "amount": "600000", "currency": "XOF",
          "status": "1", "kind": "1"}  # fmt: skip


def test_a_budget_is_converted_and_saved(project, chad_focal_point):
    add_rates()
    assert post(chad_focal_point, f"/projects/{project.pk}/budgets/new/", BUDGET).status_code == 302
    budget = Budget.objects.get(project=project)
    assert str(budget.amount_usd) == "1000.00" and str(budget.amount_eur) == "800.00"


def test_a_budget_without_a_rate_is_refused_and_writes_nothing(project, secretariat):
    response = post(secretariat, f"/projects/{project.pk}/budgets/new/", BUDGET)
    assert response.status_code == 400
    assert "No XOF or EUR rate" in text(response)
    assert not Budget.objects.exists()


def test_a_transaction_is_saved_and_a_negative_disbursement_refused(project, secretariat, gcf):
    add_rates()
    data = {"kind": "3", "transaction_date": "2025-03-01", "amount": "-5", "currency": "USD"}
    response = post(secretariat, f"/projects/{project.pk}/transactions/new/", data)
    assert response.status_code == 400 and "must not be negative" in text(response)
    data = {**data, "amount": "2500.50", "provider_organisation": gcf.pk, "description": "First tranche"}
    assert post(secretariat, f"/projects/{project.pk}/transactions/new/", data).status_code == 302
    row = Transaction.objects.get(project=project)
    assert row.provider_organisation == gcf and str(row.amount_usd) == "2500.50"
    assert "First tranche" in text(client_for(None).get(f"/projects/{project.pk}/"))
