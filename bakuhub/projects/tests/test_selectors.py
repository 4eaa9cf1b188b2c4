"""Project reads: who sees what, filters, constant query counts, sensitive locations, the country portfolio."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bakuhub.core.errors import ValidationFailed
from bakuhub.projects import selectors
from bakuhub.projects.models import Location
from bakuhub.projects.tests.factories import (
    LocationFactory,
    PolicyMarkerFactory,
    ProjectDocumentFactory,
    ProjectFactory,
    ProjectParticipantFactory,
)
from bakuhub.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(chad, guinea_bissau, iom, gcf):
    """Public and private projects in two countries, led by or involving different organisations."""
    other = OrganisationFactory(name="Chad Red Cross")
    return {
        "chad_public": ProjectFactory(country=chad, lead_organisation=iom, phase="implementing", climate_score=2,
                                      peace_score=1, migration_score=1, sectors=[("15220", 50), ("41010", 50)]),
        "chad_private": ProjectFactory(country=chad, lead_organisation=other, is_public=False, climate_score=1,
                                       sectors=[("74020", 100)], titles={"fr": "Prévention des inondations"}),
        "gb_private_iom": ProjectFactory(country=guinea_bissau, lead_organisation=gcf, is_public=False,
                                         migration_score=2),
        "gb_private": ProjectFactory(country=guinea_bissau, lead_organisation=gcf, is_public=False),
    }  # fmt: skip


def ids(qs):
    return {p.pk for p in qs}


def test_each_named_user_sees_the_projects_the_rules_allow(
    portfolio, secretariat, chad_focal_point, iom_editor, gcf_funder, anonymous, iom
):
    ProjectParticipantFactory(project=portfolio["gb_private_iom"], organisation=iom, role="4")
    p = {name: project.pk for name, project in portfolio.items()}
    everything = set(p.values())
    assert ids(selectors.project_list(user=anonymous)) == {p["chad_public"]}
    assert ids(selectors.project_list(user=secretariat)) == everything
    assert ids(selectors.project_list(user=gcf_funder)) == everything
    assert ids(selectors.project_list(user=chad_focal_point)) == {p["chad_public"], p["chad_private"]}
    assert ids(selectors.project_list(user=iom_editor)) == {p["chad_public"], p["gb_private_iom"]}
    for user in (secretariat, chad_focal_point, iom_editor, gcf_funder, anonymous):
        for project in portfolio.values():
            visible = project.pk in ids(selectors.project_list(user=user))
            assert visible == user.has_perm("projects.view_project", project), (user, project)
            detail = selectors.project_detail(user=user, pk=project.pk)
            assert (detail is not None) == visible


def test_filters_by_country_phase_nexus_organisation_sector_and_search(portfolio, secretariat, chad, iom):
    p = {name: project.pk for name, project in portfolio.items()}

    def found(**filters):
        return ids(selectors.project_list(user=secretariat, **filters))

    assert found(country=chad) == {p["chad_public"], p["chad_private"]}
    assert found(country=chad.pk, phase="implementing") == {p["chad_public"]}
    assert found(nexus="triple") == {p["chad_public"]}
    assert found(nexus="climate") == {p["chad_public"], p["chad_private"]}
    assert found(nexus="migration") == {p["chad_public"], p["gb_private_iom"]}
    assert found(organisation=iom) == {p["chad_public"]}
    ProjectParticipantFactory(project=portfolio["gb_private"], organisation=iom)
    assert found(organisation=iom.pk) == {p["chad_public"], p["gb_private"]}
    assert found(sector="74020") == {p["chad_private"]}
    assert found(sector="152") == {p["chad_public"]}
    assert found(search="inondations") == {p["chad_private"]}
    assert found(search=portfolio["gb_private"].identifier.lower()) == {p["gb_private"]}


@pytest.mark.parametrize(("filters", "field"), [({"phase": "dreaming"}, "phase"), ({"nexus": "quadruple"}, "nexus")])
def test_an_unknown_filter_value_is_a_validation_error(anonymous, filters, field):
    with pytest.raises(ValidationFailed) as refused:
        list(selectors.project_list(user=anonymous, **filters))
    assert field in refused.value.errors


def _page_queries(user, n):
    selectors.visible_filter(user)  # the user's scopes are read once and cached on the user
    with CaptureQueriesContext(connection) as ctx:
        page = list(selectors.project_list(user=user)[:50])
        for project in page:
            _ = (project.country.name, project.lead_organisation, [s.code for s in project.sectors.all()])
            _ = [(x.organisation.name, x.role) for x in project.participants.all()]
            _ = [m.code for m in project.policy_markers.all()]
    assert len(page) == min(n, 50)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("user_name", ["anonymous", "iom_editor", "secretariat"])
def test_a_page_of_the_list_costs_the_same_queries_for_10_and_60_projects(request, chad, iom, user_name):
    user = request.getfixturevalue(user_name)

    def make(n):
        for _ in range(n):
            project = ProjectFactory(country=chad, lead_organisation=iom, sectors=[("15220", 100)])
            PolicyMarkerFactory(project=project)

    make(10)
    small = _page_queries(user, 10)
    make(50)
    assert _page_queries(user, 60) == small


# --- locations ----------------------------------------------------------------------------------------------


@pytest.fixture
def sites(project, lac):
    return {
        "public": LocationFactory(project=project, admin_unit=lac, admin2_pcode="TD0701", name="Bol",
                                  latitude=Decimal("13.45860"), longitude=Decimal("14.71470"), precision="point"),
        "coarse": LocationFactory(project=project, admin_unit=lac, admin2_pcode="TD0702", name="Camp Dar es Salam",
                                  latitude=Decimal("13.30000"), longitude=Decimal("14.10000"), precision="point",
                                  sensitivity=Location.Sensitivity.COARSEN),
        "coarse2": LocationFactory(project=project, admin_unit=lac, admin2_pcode="TD0703", name="Site 2",
                                   sensitivity=Location.Sensitivity.COARSEN, precision="admin2"),
        "hidden": LocationFactory(project=project, admin_unit=lac, admin2_pcode="TD0704", name="Safe house",
                                  latitude=Decimal("13.50000"), longitude=Decimal("14.50000"), precision="point",
                                  sensitivity=Location.Sensitivity.HIDDEN),
    }  # fmt: skip


def test_public_locations_omit_hidden_sites_and_coarsen_sensitive_ones(sites):
    shown = selectors.public_locations(project=sites["public"].project)
    assert len(shown) == 2  # the public point, and Lac once for the two coarsened sites
    point, coarse = shown
    assert (point.name, point.latitude, point.admin2_pcode) == ("Bol", Decimal("13.45860"), "TD0701")
    assert (coarse.admin1_pcode, coarse.coarsened, coarse.precision) == ("TD07", True, "admin1")
    assert (coarse.latitude, coarse.longitude, coarse.admin2_pcode, coarse.name) == (None, None, "", "")
    text = repr(shown)
    for secret in ("Safe house", "13.50000", "Camp Dar es Salam", "13.30000", "TD0702", "TD0703", "TD0704"):
        assert secret not in text


def test_a_private_project_has_no_public_locations(sites):
    project = sites["public"].project
    project.is_public = False
    project.save()
    assert selectors.public_locations(project=project) == []


def test_the_detail_shows_sensitive_sites_only_to_insiders(sites, anonymous, gcf_funder, chad_focal_point, iom_editor):
    pk = sites["public"].project_id
    public = selectors.project_detail(user=anonymous, pk=pk)
    assert list(public.locations.all()) == []  # nothing raw for outsiders
    assert "Safe house" not in repr(public.visible_locations)
    assert all(site.latitude is None for site in public.visible_locations if site.coarsened)
    for insider in (gcf_funder, chad_focal_point, iom_editor):
        detail = selectors.project_detail(user=insider, pk=pk)
        assert len(detail.locations.all()) == 4
        names = {site.name: site for site in detail.visible_locations}
        assert names["Safe house"].sensitivity == "hidden" and names["Safe house"].latitude == Decimal("13.50000")


def test_the_detail_prefetches_everything_and_hides_private_documents(project, anonymous, secretariat):
    ProjectDocumentFactory(project=project, title="Public brief", is_public=True)
    ProjectDocumentFactory(project=project, title="Risk assessment", is_public=False)
    outside = selectors.project_detail(user=anonymous, pk=project.pk)
    assert [d.title for d in outside.documents.all()] == ["Public brief"]
    inside = selectors.project_detail(user=secretariat, pk=project.pk)
    with CaptureQueriesContext(connection) as ctx:
        _ = [d.title for d in inside.documents.all()]
        _ = [(x.organisation.name, x.role) for x in inside.participants.all()]
        _ = (list(inside.sectors.all()), list(inside.policy_markers.all()), list(inside.decisions.all()))
        _ = [loc.admin_unit.name for loc in inside.locations.all()]
        _ = (inside.country.name, inside.lead_organisation.name)
    assert len(ctx.captured_queries) == 0
    assert {d.title for d in inside.documents.all()} == {"Public brief", "Risk assessment"}
    assert selectors.project_detail(user=secretariat, pk=10**9) is None


def test_the_country_portfolio_counts_what_the_user_sees_by_phase(portfolio, chad, anonymous, secretariat):
    public = selectors.country_portfolio(user=anonymous, country=chad)
    assert public.total == 1 and public.by_phase["implementing"] == 1 and public.by_phase["concept"] == 0
    assert list(public.by_phase) == [
        "concept",
        "appraisal",
        "approved",
        "implementing",
        "completed",
        "closed",
        "cancelled",
    ]
    assert public.triple_nexus == 1
    inside = selectors.country_portfolio(user=secretariat, country=chad)
    assert inside.total == 2 and inside.by_phase["concept"] == 1
    assert {p.pk for p in inside.projects} == {portfolio["chad_public"].pk, portfolio["chad_private"].pk}
