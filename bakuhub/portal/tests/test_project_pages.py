"""The project list (filters, pages, exports, constant queries), the project page per role (map without sensitive
sites in public, money, results with small counts suppressed) and the country page's projects and money."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

from bakuhub.accounts.models import Role
from bakuhub.conftest import client_for
from bakuhub.projects.models import Project, ProjectParticipant, ProjectSector
from bakuhub.projects.tests.factories import PolicyMarkerFactory, ProjectDocumentFactory, ProjectFactory
from bakuhub.testing.factories import OrganisationFactory, UserFactory

from .project_helpers import SVG, add_money, add_result, add_sites, chad_units, circles, highlighted, pilot, the_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(chad):
    return chad_units(chad)


@pytest.fixture
def project(chad, iom, units):
    project = pilot(chad, iom)
    add_sites(project, units)
    return project


@pytest.fixture
def viewer(db):
    return UserFactory(username="viewer", role=Role.VIEWER)


def page(user, url, **extra):
    response = client_for(user).get(url, **extra)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


# --- the project page: the map and who sees which sites ---------------------------------------------------------


def test_anonymous_sees_only_the_public_point_on_the_map(project):
    html = page(None, f"/projects/{project.pk}/")
    dots = circles(html)
    assert len(dots) == 1
    title = dots[0].find(f"{SVG}title")
    assert title is not None and "Public well" in (title.text or "")
    # the hidden site is gone entirely; the coarsened one is its province, without name or coordinates
    assert "Hidden Site" not in html and "Ouaddai" not in html.split('class="locations"')[1]
    assert "Camp Secret Coarse" not in html
    assert "13.3" not in html and "14.2" not in html and "21.1" not in html
    assert highlighted(html) == {"TD01", "TD02"}
    assert "shown as its province only" in html


def test_every_region_has_a_title_and_the_map_a_text_fallback(project):
    html = page(None, f"/projects/{project.pk}/")
    regions = list(the_map(html).iter(f"{SVG}path"))
    assert len(regions) == 3
    assert all(r.find(f"{SVG}title") is not None for r in regions)
    assert "Batha" in html.split('class="locations"')[1]
    assert "style=" not in html


@pytest.mark.parametrize("who", ["secretariat", "chad_focal_point", "iom_editor", "gcf_funder"])
def test_insiders_see_every_site_with_its_sensitivity(project, who, request):
    html = page(request.getfixturevalue(who), f"/projects/{project.pk}/")
    assert len(circles(html)) == 3
    assert "Hidden Site" in html and "hidden from the public" in html
    assert highlighted(html) == {"TD01", "TD02", "TD03"}


def test_a_registered_viewer_sees_what_the_public_sees(project, viewer):
    html = page(viewer, f"/projects/{project.pk}/")
    assert len(circles(html)) == 1
    assert "Hidden Site" not in html


def test_a_non_public_project_is_a_404_for_the_public_and_visible_to_its_focal_point(project, chad_focal_point):
    Project.objects.filter(pk=project.pk).update(is_public=False)
    assert client_for(None).get(f"/projects/{project.pk}/").status_code == 404
    html = page(chad_focal_point, f"/projects/{project.pk}/")
    assert "Lake Chad resilience pilot" in html


# --- the project page: contents ----------------------------------------------------------------------------------


def test_the_page_shows_nexus_profile_tagging_and_sources(project):
    html = page(None, f"/projects/{project.pk}/")
    assert "Lake Chad resilience pilot" in html and project.identifier in html
    assert "Triple nexus" in html
    assert "Adaptation to a shrinking lake is why the project exists." in html
    assert "15220" in html and "60 %" in html and "41010" in html
    assert "International Organization for Migration" in html and "Accountable" in html
    assert "https://example.org/pilots" in html and "BH101" in html and "Pilots in Chad" in html


def test_the_page_shows_policy_markers_and_the_humanitarian_scope(project):
    PolicyMarkerFactory(project=project, code="7", significance=2)
    Project.objects.filter(pk=project.pk).update(
        humanitarian=True, humanitarian_scope_type="2", humanitarian_scope_vocabulary="2-1",
        humanitarian_scope_code="HTCD25",
    )  # fmt: skip
    html = page(None, f"/projects/{project.pk}/")
    assert "Climate Change - Adaptation" in html and "principal objective" in html
    assert "Appeal" in html and "HTCD25" in html and "Tchad Besoins Humanitaires et Plan de Réponse 2025" in html


def test_the_title_follows_the_language(project):
    client = Client()
    client.cookies["django_language"] = "fr"
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Projet pilote de résilience du lac Tchad" in html
    assert "L&#x27;eau et la paix autour du lac." in html


def test_the_finance_panel_shows_an_over_commitment_in_usd_and_eur(project):
    add_money(project, budget="1000.00", committed="1500.00")
    html = page(None, f"/projects/{project.pk}/")
    assert "Over-committed by" in html and "500.00" in html and "400.00" in html
    assert 'class="bar-chart"' in html


def test_the_finance_panel_shows_a_funding_gap(project):
    add_money(project, budget="2000.00", committed="500.00")
    html = page(None, f"/projects/{project.pk}/")
    assert "Funding gap" in html and "1,500.00" in html


def test_public_results_suppress_small_counts_and_insiders_see_them(project, iom, secretariat):
    add_result(project, iom, actual=3, approve_by=secretariat)
    public = page(None, f"/projects/{project.pk}/")
    assert "Households connected" in public and "&lt;5" in public
    internal = page(secretariat, f"/projects/{project.pk}/")
    assert "&lt;5" not in internal and ">3<" in internal and "approved" in internal


def test_public_results_show_progress_of_approved_actuals_only(project, iom, secretariat):
    add_result(project, iom, actual=37)
    assert "37 %" not in page(None, f"/projects/{project.pk}/")
    assert "37 %" in page(secretariat, f"/projects/{project.pk}/")


def test_private_documents_and_the_screening_are_for_insiders(project, secretariat):
    ProjectDocumentFactory(project=project, title="Public concept note", is_public=True)
    ProjectDocumentFactory(project=project, title="Internal risk memo", is_public=False)
    public = page(None, f"/projects/{project.pk}/")
    assert "Public concept note" in public and "Internal risk memo" not in public
    assert "Do-no-harm screening" not in public
    internal = page(secretariat, f"/projects/{project.pk}/")
    assert "Internal risk memo" in internal and "Do-no-harm screening" in internal and "not started" in internal


def test_managers_get_the_phase_buttons_others_do_not(project, chad_focal_point, viewer):
    html = page(chad_focal_point, f"/projects/{project.pk}/")
    assert f'action="/projects/{project.pk}/phase/"' in html and 'value="completed"' in html
    assert "/phase/" not in page(viewer, f"/projects/{project.pk}/")
    assert "/phase/" not in page(None, f"/projects/{project.pk}/")


def test_the_project_page_uses_a_bounded_number_of_queries(project, iom, secretariat, django_assert_max_num_queries):
    add_money(project)
    add_result(project, iom, actual=50, approve_by=secretariat)
    ProjectDocumentFactory(project=project, is_public=True)
    with django_assert_max_num_queries(20):
        assert Client().get(f"/projects/{project.pk}/").status_code == 200
    client = client_for(secretariat)
    with django_assert_max_num_queries(24):
        assert client.get(f"/projects/{project.pk}/").status_code == 200


def test_the_project_page_queries_do_not_grow_with_its_parts(chad, iom, units, secretariat):
    def count(project):
        client = client_for(secretariat)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/projects/{project.pk}/").status_code == 200
        return len(captured)

    small = pilot(chad, iom)
    add_sites(small, units)
    add_result(small, iom, actual=10)
    big = pilot(chad, iom)
    for _ in range(5):
        add_sites(big, units)
        add_result(big, iom, actual=10)
        add_money(big)
    assert count(small) == count(big)


# --- the list ---------------------------------------------------------------------------------------------------


@pytest.fixture
def portfolio(chad, guinea_bissau, iom, gcf):
    triple = pilot(chad, iom)
    ProjectFactory(
        country=guinea_bissau,
        lead_organisation=gcf,
        titles={"en": "Mangrove climate project"},
        phase=Project.Phase.CONCEPT,
        climate_score=2,
        sectors=[("41010", 100)],
    )
    ProjectFactory(country=chad, titles={"en": "Secret concept"}, is_public=False)
    return triple


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("", ["Lake Chad resilience pilot", "Mangrove climate project"], ["Secret concept"]),
        ("?country=tcd", ["Lake Chad resilience pilot"], ["Mangrove climate project"]),
        ("?phase=concept", ["Mangrove climate project"], ["Lake Chad resilience pilot"]),
        ("?nexus=triple", ["Lake Chad resilience pilot"], ["Mangrove climate project"]),
        ("?nexus=climate", ["Lake Chad resilience pilot", "Mangrove climate project"], []),
        ("?organisation=gcf", ["Mangrove climate project"], ["Lake Chad resilience pilot"]),
        ("?sector=152", ["Lake Chad resilience pilot"], ["Mangrove climate project"]),
        ("?sector=41010", ["Lake Chad resilience pilot", "Mangrove climate project"], []),
        ("?q=mangrove", ["Mangrove climate project"], ["Lake Chad resilience pilot"]),
    ],
)
def test_the_list_filters(portfolio, query, shown, hidden):
    html = page(None, f"/projects/{query}")
    for title in shown:
        assert title in html
    for title in hidden:
        assert title not in html


def test_the_list_shows_non_public_projects_to_the_secretariat(portfolio, secretariat):
    assert "Secret concept" in page(secretariat, "/projects/")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?country=XXX", "not a country name or ISO 3166-1 alpha-3 code"),
        ("?phase=dreaming", "not one of the available choices"),
        ("?organisation=nobody", "No organisation with the slug"),
        ("?sector=15", "DAC 5-digit sector code"),
    ],
)
def test_a_bad_filter_is_a_400_that_names_it(portfolio, query, message):
    response = client_for(None).get(f"/projects/{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    export = client_for(None).get(f"/projects/export.csv{query}")
    assert export.status_code == 400
    assert message in export.content.decode()


def test_the_list_is_paginated_by_50(chad):
    Project.objects.bulk_create(
        Project(country=chad, identifier=f"XI-IATI-HUB-L{n:04d}", titles={"en": f"Listed {n:04d}"}) for n in range(120)
    )
    html = page(None, "/projects/?country=TCD&page=2")
    assert "Page 2 of 3" in html and "Listed 0050" in html and "Listed 0049" not in html
    assert "country=TCD&amp;page=3" in html and "120 projects" in html


def _bulk_portfolio(chad, organisations, n):
    projects = Project.objects.bulk_create(
        Project(
            country=chad,
            identifier=f"XI-IATI-HUB-B{n}-{i:05d}",
            titles={"en": f"Bulk {i}"},
            lead_organisation=organisations[i % len(organisations)],
            climate_score=i % 3,
            peace_score=1,
            migration_score=1,
        )
        for i in range(n)
    )
    ProjectSector.objects.bulk_create(ProjectSector(project=p, code="15220", percentage=100) for p in projects)
    ProjectParticipant.objects.bulk_create(
        ProjectParticipant(project=p, organisation=p.lead_organisation, role="2") for p in projects
    )


def _list_queries(user, url):
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", [None, "secretariat", "chad_focal_point", "iom_editor"])
@pytest.mark.parametrize("url", ["/projects/", "/projects/?nexus=triple&organisation=iom&sector=152&q=bulk"])
def test_the_list_costs_the_same_queries_for_10_and_1000_projects(chad, iom, who, url, request):
    user = request.getfixturevalue(who) if who else None
    organisations = [iom, *(OrganisationFactory() for _ in range(4))]
    _bulk_portfolio(chad, organisations, 10)
    few = _list_queries(user, url)
    _bulk_portfolio(chad, organisations, 990)
    assert Project.objects.count() == 1000
    many = _list_queries(user, url)
    assert few == many


# --- exports ----------------------------------------------------------------------------------------------------


def test_the_csv_export_is_filtered_formula_safe_and_carries_the_money(portfolio):
    ProjectFactory(country=portfolio.country, titles={"en": '=HYPERLINK("http://evil")'}, sectors=[("15220", 100)])
    add_money(portfolio, budget="2000.00", committed="500.00")
    response = client_for(None).get("/projects/export.csv?country=TCD")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bakuhub-projects-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = {row["Title (en)"] for row in rows}
    assert titles == {"Lake Chad resilience pilot", '\'=HYPERLINK("http://evil")'}
    pilot_row = next(row for row in rows if row["Title (en)"] == "Lake Chad resilience pilot")
    assert pilot_row["Budget USD"] == "2000.00" and pilot_row["Committed USD"] == "500.00"
    assert pilot_row["Funding gap USD"] == "1500.00" and pilot_row["Triple nexus"] == "yes"
    assert pilot_row["Sectors"] == "15220 60%; 41010 40%"


def test_the_xlsx_export_is_formula_safe_and_hides_non_public_projects(portfolio):
    ProjectFactory(country=portfolio.country, titles={"en": "=1+2"})
    response = client_for(None).get("/projects/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=1+2" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert "Secret concept" not in values


def test_an_unknown_export_format_is_a_404(db):
    assert client_for(None).get("/projects/export.pdf").status_code == 404


def test_the_export_costs_the_same_queries_for_10_and_1000_projects(chad, iom):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client_for(None).get("/projects/export.csv").status_code == 200
        return len(captured)

    _bulk_portfolio(chad, [iom], 10)
    few = count()
    _bulk_portfolio(chad, [iom], 990)
    assert count() == few


# --- the country page -------------------------------------------------------------------------------------------


def test_the_country_page_lists_its_projects_and_money(project, chad_membership):
    add_money(project, budget="2000.00", committed="500.00")
    html = page(None, "/countries/TCD/")
    assert "Projects and money" in html
    assert f'href="/projects/{project.pk}/"' in html and "Triple nexus" in html
    assert "International Organization for Migration" in html and "Implementing" in html
    assert "Funding gap (budget" in html and "1,500.00" in html
    # locations: the provinces, never a hidden site's (not even highlighted on the map); sources with their fact id
    assert "<td>Batha, Lac</td>" in html and "Hidden Site" not in html
    assert highlighted(html) == {"TD01", "TD02"} and not circles(html)
    assert 'href="https://example.org/pilots"' in html and "BH101" in html


def test_insiders_do_not_see_hidden_sites_on_the_country_page_either(project, chad_membership, secretariat):
    html = page(secretariat, "/countries/TCD/")
    assert highlighted(html) == {"TD01", "TD02"} and "Hidden Site" not in html


def test_the_country_page_hides_a_non_public_project_from_the_public(project, chad_membership, chad_focal_point):
    Project.objects.filter(pk=project.pk).update(is_public=False)
    assert "Lake Chad resilience pilot" not in page(None, "/countries/TCD/")
    assert "Lake Chad resilience pilot" in page(chad_focal_point, "/countries/TCD/")


def test_the_country_page_queries_do_not_grow_with_its_projects(chad, iom, chad_membership):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client_for(None).get("/countries/TCD/").status_code == 200
        return len(captured)

    _bulk_portfolio(chad, [iom], 3)
    few = count()
    _bulk_portfolio(chad, [iom], 60)
    assert count() == few


def test_the_nav_links_to_the_projects(db):
    assert 'href="/projects/"' in page(None, "/")
