"""The projects demo: the sourced pilots and urgent projects, their nexus profile and sources, no invented data."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.utils.html import escape

from bakuhub.core.errors import PreconditionFailed
from bakuhub.core.models import AuditRecord, Country
from bakuhub.demo.tests import make_demo_countries
from bakuhub.finance.models import Budget, Transaction
from bakuhub.partners import demo as partners_demo
from bakuhub.partners.demo_facts import FACTS_PATH
from bakuhub.partners.demo_facts import demo_countries as partner_countries
from bakuhub.partners.models import Organisation
from bakuhub.projects import demo, selectors
from bakuhub.projects.models import Location, PolicyMarker, Project, ProjectParticipant, ProjectSector, Screening
from bakuhub.projects.services import project_participant_add
from bakuhub.projects.services.projects import identifier_problem
from bakuhub.results.models import Result
from bakuhub.working_groups import demo as working_groups_demo
from bakuhub.working_groups.models import WorkingGroup

pytestmark = pytest.mark.django_db

PILOTS = {"TCD": "BH026", "IRQ": "BH027", "GNB": "BH028"}
EXPECTED = {  # identifier -> (fact cited, phase)
    "XI-IATI-BAKUHUB-DEMO-TCD-PILOT": ("BH026", "appraisal"),
    "XI-IATI-BAKUHUB-DEMO-IRQ-PILOT": ("BH027", "appraisal"),
    "XI-IATI-BAKUHUB-DEMO-GNB-PILOT": ("BH028", "appraisal"),
    "XI-IATI-BAKUHUB-DEMO-GNB-DJOBEL-ARAME": ("BH053", "appraisal"),
    "XI-IATI-BAKUHUB-DEMO-GNB-COP30-MOU": ("BH059", "appraisal"),
    "XI-IATI-BAKUHUB-DEMO-GMB-COP30-MOU": ("BH058", "appraisal"),
    "XI-IATI-BAKUHUB-DEMO-TCD-URGENT": ("BH040", "concept"),
    "XI-IATI-BAKUHUB-DEMO-GNB-URGENT": ("BH041", "concept"),
    "XI-IATI-BAKUHUB-DEMO-SOM-URGENT": ("BH042", "concept"),
    "XI-IATI-BAKUHUB-DEMO-UGA-URGENT": ("BH043", "concept"),
}
PARTS = (Project, ProjectParticipant, ProjectSector, PolicyMarker, Screening, Location, Budget, Transaction, Result)
MONEY = re.compile(r"(USD|EUR|US\$|[$€£]|\d\s*(million|billion|bn|m)\b)", re.IGNORECASE)


def facts() -> dict[str, dict[str, str]]:
    with FACTS_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["fact_id"]: row for row in csv.DictReader(handle)}


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (*PARTS, WorkingGroup, Organisation)}


@pytest.fixture
def loaded() -> dict[str, Country]:
    countries = make_demo_countries()
    call_command("load_demo", verbosity=0)
    return countries


def test_the_demo_countries_are_loaded_by_the_shared_helper():
    assert demo.demo_countries() <= partner_countries()  # `make_demo_countries` and the partners demo cover ours
    assert "GMB" in partner_countries()


def test_the_pilots_of_chad_iraq_and_guinea_bissau_cite_their_facts_with_a_climate_and_peace_profile(loaded):
    rows = facts()
    for iso3, fact_id in PILOTS.items():
        project = Project.objects.get(identifier=f"XI-IATI-BAKUHUB-DEMO-{iso3}-PILOT")
        fact = rows[fact_id]
        assert (project.country.iso3, project.is_demo, project.is_public, project.phase) == (
            iso3,
            True,
            True,
            "appraisal",
        )
        assert project.title.startswith("Climate-and-peace pilot project in ") and "(announced at SB62, Bonn)" in (
            project.title
        )
        assert (project.fact_id, project.source_quote) == (fact_id, fact["quote"])
        assert (project.source_title, project.source_publisher, project.source_url) == (
            fact["source_title"],
            fact["source_publisher"],
            fact["source_url"],
        )
        assert (project.climate_score, project.peace_score, project.migration_score) == (1, 1, 0)
        assert project.nexus_method == "manual" and project.nexus_assessed_on is not None
        assert project.nexus_assessed_by is None  # the system assessed it, from the fact
        assert fact["quote"] in project.climate_justification and fact["quote"] in project.peace_justification
        assert "BH036" in project.migration_justification and "not project content" in project.migration_justification
        for also in ("BH034", "BH035"):
            assert rows[also]["quote"] in project.description
        assert "not in public sources" in project.description.lower()
        assert "no location is recorded" in project.description
        assert project.lead_organisation is None and not project.participants.exists()
        assert not project.sectors.exists() and not project.policy_markers.exists() and not project.locations.exists()
        assert (project.planned_start, project.planned_end, project.actual_start) == (None, None, None)
        assert project.humanitarian is None
    groups = {p.country.iso3: p.working_group for p in Project.objects.filter(identifier__endswith="-PILOT")}
    assert groups["TCD"] == WorkingGroup.objects.get(code="TCD-JWG")
    assert groups["GNB"] == WorkingGroup.objects.get(code="GNB-JWG")
    assert groups["IRQ"] is None  # no source mentions a working group with Iraq
    assert not Project.decisions.through.objects.exists()  # the example decision is not a real one: not linked


def test_it_loads_the_sourced_projects_and_nothing_else(loaded):
    rows = facts()
    projects = {p.identifier: p for p in Project.objects.all()}
    assert {k: (p.fact_id, p.phase) for k, p in projects.items()} == EXPECTED
    for identifier, project in projects.items():
        assert identifier_problem(identifier, None) is None
        assert project.is_demo and project.source_quote == rows[project.fact_id]["quote"]
        assert "identifier is provisional" in project.description
        assert rows[project.fact_id]["fact"] in project.description
    for iso3, name in (("TCD", "Chad"), ("GNB", "Guinea-Bissau"), ("SOM", "Somalia"), ("UGA", "Uganda")):
        urgent = projects[f"XI-IATI-BAKUHUB-DEMO-{iso3}-URGENT"]
        assert urgent.title == f"Urgent projects reported by {name}'s environment minister at UNGA80"
        assert urgent.nexus_assessed_on is None  # the fact describes no content: not assessed
        assert demo.NOT_ASSESSED in urgent.description
        assert urgent.working_group is None
    djobel = projects["XI-IATI-BAKUHUB-DEMO-GNB-DJOBEL-ARAME"]
    assert "not their region" in djobel.description and not djobel.locations.exists()
    assert djobel.nexus_assessed_on is None and djobel.working_group.code == "GNB-JWG"
    gambia = projects["XI-IATI-BAKUHUB-DEMO-GMB-COP30-MOU"]
    assert "single source" in gambia.description and gambia.working_group is None


def test_the_country_portfolio_shows_the_pilot_with_its_profile_and_source_to_anyone(loaded):
    portfolio = selectors.country_portfolio(user=AnonymousUser(), country=loaded["TCD"])
    shown = {p.identifier: p for p in portfolio.projects}
    assert set(shown) == {"XI-IATI-BAKUHUB-DEMO-TCD-PILOT", "XI-IATI-BAKUHUB-DEMO-TCD-URGENT"}
    assert portfolio.by_phase["appraisal"] == 1 and portfolio.by_phase["concept"] == 1 and portfolio.total == 2
    assert portfolio.triple_nexus == 0
    pilot = shown["XI-IATI-BAKUHUB-DEMO-TCD-PILOT"]
    assert (pilot.climate_score, pilot.peace_score, pilot.migration_score) == (1, 1, 0)
    assert pilot.source_url == facts()["BH026"]["source_url"]
    assert selectors.public_locations(project=pilot) == []  # the page says there is no public location
    listed = selectors.project_list(user=AnonymousUser(), nexus="peace")
    assert {p.country.iso3 for p in listed} == {"TCD", "IRQ", "GNB"}


def test_the_country_page_shows_the_pilot_and_its_page_the_profile_source_and_no_location(loaded, client):
    pilot = Project.objects.get(identifier="XI-IATI-BAKUHUB-DEMO-TCD-PILOT")
    fact = facts()["BH026"]

    page = client.get("/countries/TCD/")

    assert page.status_code == 200
    section = page.content.decode().split('id="projects-title"')[1].split("</section>")[0]
    row = next(r for r in section.split("<tr>") if f"/projects/{pilot.pk}/" in r)
    assert escape(pilot.title) in row and "demo" in row
    assert ">Climate<" in row and ">Peace<" in row and "Migration" not in row  # climate 1, peace 1, migration 0
    assert escape(Project.objects.get(identifier="XI-IATI-BAKUHUB-DEMO-TCD-URGENT").title) in section

    detail = client.get(f"/projects/{pilot.pk}/")  # the country page links here for the source

    assert detail.status_code == 200
    html = detail.content.decode()
    assert escape(fact["source_url"]) in html and escape(fact["source_publisher"]) in html and "BH026" in html
    assert escape(fact["quote"]) in html  # the source's words, also quoted by the nexus justification
    assert "No locations recorded." in html


def test_loading_again_changes_nothing(loaded):
    before, audits = counts(), AuditRecord.objects.count()
    versions = dict(Project.objects.values_list("identifier", "version"))

    result = demo.demo_load()

    assert result.total == 0 and result.skipped == []
    assert counts() == before and AuditRecord.objects.count() == audits
    assert dict(Project.objects.values_list("identifier", "version")) == versions


def test_remove_and_reload(loaded):
    before = counts()
    audits = AuditRecord.objects.count()

    assert demo.demo_remove() == len(EXPECTED)

    assert Project.objects.count() == 0
    assert WorkingGroup.objects.filter(is_demo=True).count() == 2  # the groups are the working groups demo's
    assert AuditRecord.objects.filter(action="project.delete").count() == len(EXPECTED)
    assert AuditRecord.objects.count() == audits + len(EXPECTED)

    assert demo.demo_load().created == {"projects": len(EXPECTED)}
    assert counts() == before
    assert Project.objects.get(identifier="XI-IATI-BAKUHUB-DEMO-TCD-PILOT").working_group.code == "TCD-JWG"


def test_removal_refuses_in_one_transaction_while_real_rows_use_a_demo_project(loaded):
    pilot = Project.objects.get(identifier="XI-IATI-BAKUHUB-DEMO-TCD-PILOT")
    iom = Organisation.objects.get(acronym="IOM")
    project_participant_add(actor=None, project=pilot, organisation=iom, role="4")
    before = counts()

    with pytest.raises(CommandError, match=r"cannot be removed.*ProjectParticipant.*nothing was deleted"):
        call_command("load_demo", "--remove")

    assert counts() == before  # projects, groups, commitments and partners: all still there


def test_removal_refuses_while_a_real_budget_is_on_a_demo_project(loaded):
    pilot = Project.objects.get(identifier="XI-IATI-BAKUHUB-DEMO-GNB-PILOT")
    day = dt.date(2026, 1, 1)
    Budget.objects.create(
        project=pilot, period_start=day, period_end=dt.date(2026, 12, 31), amount=Decimal(1), currency="USD",
        value_date=day, amount_usd=Decimal(1), amount_eur=Decimal(1),
    )  # fmt: skip
    before = counts()

    with pytest.raises(CommandError, match=r"finance\.Budget"):
        call_command("load_demo", "--remove")
    assert counts() == before


def test_no_amount_anywhere(loaded):
    assert not Budget.objects.exists() and not Transaction.objects.exists() and not Result.objects.exists()
    for project in Project.objects.all():
        texts = [project.title, project.description, project.source_quote, project.climate_justification,
                 project.peace_justification, project.migration_justification]  # fmt: skip
        for text in texts:
            assert not MONEY.search(text), (project.identifier, MONEY.search(text))


def test_the_gambia_is_optional_and_groups_are_linked_once_they_exist():
    countries = make_demo_countries()
    countries["GMB"].delete()

    result = demo.demo_load()  # alone: no working groups yet, no Gambia

    assert result.created == {"projects": len(EXPECTED) - 1}
    assert result.skipped == ["project XI-IATI-BAKUHUB-DEMO-GMB-COP30-MOU: GMB is not in the reference data"]
    assert not Project.objects.exclude(working_group=None).exists()
    Country.objects.create(iso3="GMB", iso2="GM", numeric="270", name_en="Gambia")
    partners_demo.demo_load()
    working_groups_demo.demo_load()
    again = demo.demo_load()

    assert again.created == {"project links": 4, "projects": 1}
    linked = dict(Project.objects.exclude(working_group=None).values_list("identifier", "working_group__code"))
    assert linked == {
        "XI-IATI-BAKUHUB-DEMO-TCD-PILOT": "TCD-JWG",
        "XI-IATI-BAKUHUB-DEMO-GNB-PILOT": "GNB-JWG",
        "XI-IATI-BAKUHUB-DEMO-GNB-DJOBEL-ARAME": "GNB-JWG",
        "XI-IATI-BAKUHUB-DEMO-GNB-COP30-MOU": "GNB-JWG",
    }
    assert demo.demo_load().total == 0


def test_a_real_project_with_a_demo_identifier_is_left_alone():
    countries = make_demo_countries()
    Project.objects.create(
        identifier="XI-IATI-BAKUHUB-DEMO-SOM-URGENT", titles={"en": "Real"}, country=countries["SOM"]
    )

    result = demo.demo_load()

    assert "XI-IATI-BAKUHUB-DEMO-SOM-URGENT: a real (non-demo) project" in result.skipped[0]
    assert Project.objects.get(identifier="XI-IATI-BAKUHUB-DEMO-SOM-URGENT").title == "Real"


def test_it_refuses_without_reference_data():
    with pytest.raises(PreconditionFailed, match="run `bakuhub load_reference` first"):
        demo.demo_load()
    assert not Project.objects.exists()
