"""The pure nexus rules: suggested peace/migration scores and the Rio/DRR marker warnings (domain guide §4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bakuhub.projects import nexus


def test_peace_sectors_suggest_a_peace_score_by_their_share():
    principal = nexus.suggest_scores(sectors=[("15220", 60), ("41010", 40)])
    assert principal["peace"].score == 2
    assert principal["peace"].reasons == ("15220 Civilian peace-building, conflict prevention and resolution: 60 %",)
    assert nexus.suggest_scores(sectors=[("15130", "20"), ("41010", 80)])["peace"].score == 1
    assert nexus.suggest_scores(sectors=[("15160", 10), ("15180", 40), ("41010", 50)])["peace"].score == 2
    assert nexus.suggest_scores(sectors=[("41010", 100)])["peace"] == nexus.Suggestion("peace", 0, ())


def test_migration_is_suggested_by_sectors_and_by_refugee_or_migrant_response_plans():
    assert nexus.suggest_scores(sectors=[("15190", Decimal("50.00")), ("74020", 50)])["migration"].score == 2
    assert nexus.suggest_scores(sectors=[("15136", 10), ("74020", 90)])["migration"].score == 1
    plan = nexus.suggest_scores(
        sectors=[("72010", 100)], humanitarian_scope_vocabulary="2-1", humanitarian_scope_code="rrsdn25"
    )["migration"]
    assert plan.score == 1
    assert plan.reasons == ("humanitarian scope: Sudan Emergency: Regional Refugee Response Plan 2025",)
    country_plan = nexus.suggest_scores(
        sectors=[("72010", 100)], humanitarian_scope_vocabulary="2-1", humanitarian_scope_code="HTCD25"
    )
    assert country_plan["migration"].score == 0  # a country HRP is not a refugee/migrant plan by its name
    glide = nexus.suggest_scores(
        sectors=[("72010", 100)], humanitarian_scope_vocabulary="1-2", humanitarian_scope_code="RRSDN25"
    )
    assert glide["migration"].score == 0


@pytest.mark.parametrize(
    ("markers", "climate", "expected"),
    [
        ({"7": 2}, 2, []),
        ({"7": 2}, 1, ["adaptation (marker 7) = 2 is a principal objective, but the climate score is 1"]),
        ({"6": 2, "7": 1}, 0, ["mitigation (marker 6) = 2"]),
        ({"6": 1}, 0, ["should be at least 1"]),
        ({"6": 1}, 2, []),
        ({"6": 1, "7": 1}, 1, []),
        ({"10": 1}, 0, ["please review the climate score"]),
        ({"10": 2}, 1, []),
        ({"7": 2, "10": 1}, 0, ["should be 2", "Disaster risk reduction (marker 10) = 1"]),
        ({"1": 2, "12": 1}, 0, []),  # gender and nutrition say nothing about climate
        ({}, 0, []),
        ({"7": 1}, None, ["has not been assessed yet"]),
        ({"1": 1}, None, []),
    ],
)
def test_marker_warnings_follow_the_domain_guide(markers, climate, expected):
    warnings = nexus.marker_warnings(markers=markers, climate=climate)
    assert len(warnings) == len(expected)
    for warning, needle in zip(warnings, expected, strict=True):
        assert needle in warning
