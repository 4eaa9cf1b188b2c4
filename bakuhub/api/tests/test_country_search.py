"""Country search: names in English, French, Portuguese and Arabic, accents ignored, and ISO codes."""

from __future__ import annotations

import pytest
from django.test import Client

from bakuhub.core.models import Country
from bakuhub.core.search import country_named, fold
from bakuhub.projects.tests.factories import ProjectFactory
from bakuhub.testing.factories import CountryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def countries(chad, guinea_bissau):
    Country.objects.filter(pk=chad.pk).update(name_pt="Chade", name_ar="تشاد")
    Country.objects.filter(pk=guinea_bissau.pk).update(name_pt="Guiné-Bissáu", name_ar="غينيا - بيساو")
    CountryFactory(iso3="GIN", iso2="GN", name_en="Guinea", name_fr="Guinée", name_pt="Guiné", name_ar="غينيا")
    return chad, guinea_bissau


def _found(q):
    body = Client().get("/api/v1/countries", {"q": q}).json()
    return sorted(row["iso3"] for row in body["items"])


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Chade", ["TCD"]),  # Portuguese
        ("تشاد", ["TCD"]),  # Arabic
        ("chad", ["TCD"]),
        ("TCHAD", ["TCD"]),
        ("Guiné-Bissáu", ["GNB"]),
        ("guine bissau", ["GNB"]),  # no accents, no hyphen
        ("غينيا بيساو", ["GNB"]),
        ("غينيا", ["GIN", "GNB"]),
        ("gnb", ["GNB"]),
        ("td", ["TCD"]),
    ],
)
def test_the_api_finds_a_country_by_any_of_its_names_or_codes(countries, q, expected):
    assert _found(q) == expected


def test_the_old_search_parameter_still_works(countries):
    body = Client().get("/api/v1/countries", {"search": "Chade"}).json()
    assert [row["iso3"] for row in body["items"]] == ["TCD"]


def test_folding_drops_accents_short_vowels_case_and_punctuation():
    assert fold("Guiné-Bissáu") == fold("GUINE BISSAU") == "guine bissau"
    assert fold("تَشَاد") == fold("تشاد")
    assert fold("إريتريا") == fold("اريتريا")


def test_a_name_naming_one_country_resolves_to_it(countries):
    chad, guinea_bissau = countries
    assert country_named("Chade") == chad
    assert country_named("Guinée-Bissau") == guinea_bissau
    assert country_named("Guinea").iso3 == "GIN"  # the exact name wins over Guinea-Bissau
    assert country_named("Gui") is None  # several


def test_the_portal_project_list_filters_by_a_portuguese_or_arabic_country_name(countries):
    chad, guinea_bissau = countries
    ProjectFactory(country=chad, titles={"en": "Lake pilot"}, is_public=True)
    ProjectFactory(country=guinea_bissau, titles={"en": "Bissau pilot"}, is_public=True)
    for name in ("Chade", "تشاد", "TCD"):
        response = Client().get("/projects/", {"country": name})
        html = response.content.decode()
        assert response.status_code == 200, name
        assert "Lake pilot" in html, name
        assert "Bissau pilot" not in html, name
