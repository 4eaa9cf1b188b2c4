"""Funder matches of a project: the profile read from the project (themes from the Rio markers and the nexus profile,
size from the budget, the country's flags), the Hub's own funders from its transactions, and who may see them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bakuhub.api.portfolio.matches import climate_themes
from bakuhub.conftest import client_for
from bakuhub.finance.models import Budget, Transaction
from bakuhub.projects.tests.factories import PolicyMarkerFactory, ProjectFactory
from bakuhub.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def url(project, query=""):
    return f"/api/v1/projects/{project.pk}/funder-matches{query}"


def incoming(project, provider, amount, day=dt.date(2025, 3, 1), kind="1"):
    return Transaction.objects.create(
        project=project, kind=kind, transaction_date=day, amount=amount, currency="USD", value_date=day,
        amount_usd=amount, amount_eur=amount * Decimal("0.8"), provider_organisation=provider,
    )  # fmt: skip


@pytest.fixture
def adaptation(chad_project, chad):
    """The Chad project (an LDC in conflict) with adaptation as principal objective and USD 5 m budgeted."""
    chad.is_ldc, chad.fragility = True, "conflict"
    chad.save()
    PolicyMarkerFactory(project=chad_project, code="7", significance=2)
    chad_project.peace_score = 1
    chad_project.save()
    Budget.objects.create(
        project=chad_project, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
        amount=Decimal("5000000"), currency="USD", value_date=dt.date(2026, 1, 1), amount_usd=Decimal("5000000"),
        amount_eur=Decimal("4000000"),
    )  # fmt: skip
    return chad_project


@pytest.mark.parametrize(
    ("markers", "climate", "expected"),
    [
        ({"7": 1}, 0, {"adaptation"}),
        ({"6": 2}, 2, {"mitigation"}),
        ({"6": 1, "7": 2}, 2, {"adaptation", "mitigation", "cross_cutting"}),
        ({}, 1, {"cross_cutting"}),
        ({"6": 0, "7": 0}, 2, {"cross_cutting"}),
        ({"10": 2}, 0, set()),
    ],
)
def test_the_climate_themes_come_from_the_markers_and_the_nexus_profile(markers, climate, expected):
    assert climate_themes(markers, climate) == expected


def test_anyone_sees_the_ranked_matches_of_a_public_project(adaptation, gcf):
    incoming(adaptation, gcf, Decimal("2000000"))
    response = client_for(None).get(url(adaptation, "?limit=50"))
    assert response.status_code == 200, response.content
    assert response["ETag"]
    body = response.json()
    assert (body["project_id"], body["identifier"], body["phase"]) == (adaptation.pk, adaptation.identifier, "concept")
    assert body["profile"] == {
        "country_iso3": "TCD", "country_name": "Chad", "themes": ["adaptation"], "peace": True, "migration": False,
        "size_usd": "5000000.00", "is_ldc": True, "is_sids": False, "is_fcs": True, "hub_funders": 1,
    }  # fmt: skip
    matches = body["matches"]
    assert [m["rank"] for m in matches] == list(range(1, len(matches) + 1))
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True) and 0 <= scores[-1] <= scores[0] <= 100
    assert all(m["explanation"] and set(m["components"]) == {"country", "theme", "size", "recency", "bonus"}
               for m in matches)  # fmt: skip
    gcf_match = next(m for m in matches if m["fund"]["group"] == "GCF")
    assert gcf_match["source"] == "cfu+hub"
    assert any("Through the Hub, Green Climate Fund has funded projects in Chad (USD 2 m so far)" in line
               for line in gcf_match["explanation"])  # fmt: skip
    assert body["weights"]["country"] == 40.0


def test_the_hub_s_own_funders_are_ranked_too(adaptation, undp):
    sida = OrganisationFactory(name="Swedish International Development Cooperation Agency", slug="sida")
    incoming(adaptation, sida, Decimal("300000"), kind="11")
    incoming(adaptation, sida, Decimal("250000"))  # the commitment's money arriving: one grant, not two
    matches = client_for(None).get(url(adaptation, "?limit=50")).json()["matches"]
    own = next(m for m in matches if m["fund"]["group"] == "Hub")
    assert (own["fund"]["name"], own["source"]) == ("Swedish International Development Cooperation Agency", "hub")
    assert any("(USD 0.3 m so far)" in line for line in own["explanation"])
    assert any("typical grant (USD 0.3 m)" in line for line in own["explanation"])


def test_a_project_without_budget_or_climate_theme_is_scored_on_what_it_has(chad_project):
    body = client_for(None).get(url(chad_project)).json()
    assert (body["profile"]["themes"], body["profile"]["size_usd"]) == ([], None)
    assert len(body["matches"]) == 10
    assert all(m["components"]["theme"] is None and m["components"]["size"] is None for m in body["matches"])


def test_the_matches_of_a_project_that_is_not_public_are_for_its_insiders(chad, undp, gcf_funder, iom_editor):
    hidden = ProjectFactory(country=chad, lead_organisation=undp, is_public=False)
    assert client_for(None).get(url(hidden)).status_code == 404
    assert client_for(iom_editor).get(url(hidden)).status_code == 404
    assert client_for(gcf_funder).get(url(hidden)).status_code == 200


def test_hub_funders_come_only_from_projects_the_caller_may_see(adaptation, guinea_bissau, undp, gcf, secretariat):
    hidden = ProjectFactory(country=guinea_bissau, lead_organisation=undp, is_public=False)
    incoming(hidden, gcf, Decimal("9000000"))
    assert client_for(None).get(url(adaptation)).json()["profile"]["hub_funders"] == 0
    assert client_for(secretariat).get(url(adaptation)).json()["profile"]["hub_funders"] == 1


@pytest.mark.parametrize("limit", ["0", "51", "x"])
def test_it_refuses_a_bad_limit(chad_project, limit):
    response = client_for(None).get(url(chad_project, f"?limit={limit}"))
    assert response.status_code == 400
    assert "limit" in response.json()["errors"]


def test_an_unknown_project_has_no_matches(db):
    assert client_for(None).get("/api/v1/projects/999999/funder-matches").status_code == 404
