"""The pipeline, the country pages and the API say what the sources say, and the same thing as the group list."""

from __future__ import annotations

import re

import pytest

from bakuhub.conftest import client_for
from bakuhub.testing.factories import CountryFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_demo(db):
    from bakuhub.core.reference import reference_load
    from bakuhub.partners.demo import demo_load
    from bakuhub.working_groups.demo import demo_load as groups_load

    reference_load()
    demo_load()
    groups_load()


def _count(html: str, label: str) -> int:
    match = re.search(rf"<h3>{re.escape(label)}: <span class=\"count\"[^>]*>(\d+)</span>", html)
    assert match, label
    return int(match.group(1))


def test_the_home_count_of_joint_working_groups_equals_the_group_list(full_demo):
    home = client_for(None).get("/").content.decode()
    groups = client_for(None).get("/working-groups/").content.decode()
    assert _count(home, "Joint Working Group established") == 2
    assert "Chad" in groups and "Guinea-Bissau" in groups
    assert _count(home, "Memorandum signed") == 2  # Guinea-Bissau and The Gambia, whatever they reached since


def test_chad_shows_its_pilot_announced_before_the_memorandum_with_the_sources(full_demo):
    html = client_for(None).get("/countries/TCD/").content.decode()
    assert "Pilot announced or underway" in html
    assert "before memorandum approved, joint working group established" in html
    for fact in ("BH026", "BH044", "BH046"):
        assert f"fact {fact}" in html
    assert "https://www.trend.az/azerbaijan/politics/4095019.html" in html


def test_an_inferred_stage_says_from_which_fact_on_the_page_and_in_the_api(full_demo):
    html = client_for(None).get("/countries/SOM/").content.decode()
    assert "inferred from BH042" in html
    body = client_for(None).get("/api/v1/memberships/SOM").json()
    assert body["inferred_from"] == "BH042"
    assert body["milestones"][0]["is_inferred"] is True
    assert client_for(None).get("/api/v1/memberships/TCD").json()["inferred_from"] == ""


def test_no_update_since_shows_only_for_stages_that_expect_a_next_step():
    waiting = MembershipFactory(country=CountryFactory(name_en="Waitland"), stage="memorandum_signed")
    MembershipFactory(country=CountryFactory(name_en="Doneland"), stage="implementing")
    MembershipFactory(country=CountryFactory(name_en="Pauseland"), stage="paused")
    html = client_for(None).get("/").content.decode()
    assert "stalled" not in html
    assert html.count("no update since") == 1
    page = client_for(None).get(f"/countries/{waiting.country.iso3}/").content.decode()
    assert "no update since 10 January 2025" in page
