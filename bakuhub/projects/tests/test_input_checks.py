"""Projects store normalised titles and refuse hidden characters and implausible dates."""

from __future__ import annotations

import datetime as dt

import pytest

from bakuhub.core.errors import ValidationFailed
from bakuhub.projects import services
from bakuhub.projects.models import Project
from bakuhub.results import services as results
from bakuhub.results.models import IndicatorPeriod

pytestmark = pytest.mark.django_db

GOOD = {"identifier": "XM-DAC-47066-TD-2025-07", "titles": {"en": "Resilient Lac", "fr": "Lac résilient"}}


def create(chad, iom, **overrides):
    return services.project_create(actor=None, country=chad, lead_organisation=iom, **{**GOOD, **overrides})


@pytest.mark.parametrize(("field", "day"), [("planned_start", dt.date(1, 1, 1)), ("planned_end", dt.date(9999, 1, 1))])
def test_it_refuses_a_project_dated_implausibly(chad, iom, field, day):
    with pytest.raises(ValidationFailed, match="not a plausible date") as refused:
        create(chad, iom, **{field: day})
    assert field in refused.value.errors
    assert not Project.objects.exists()


def test_it_refuses_a_title_with_a_bidi_override(chad, iom):
    with pytest.raises(ValidationFailed, match=r"invisible character \(U\+202E\)") as refused:
        create(chad, iom, titles={"en": "Resilient \u202eLac"})
    assert "titles" in refused.value.errors


def test_it_refuses_nul_in_a_description_but_keeps_its_lines(chad, iom):
    with pytest.raises(ValidationFailed, match=r"U\+0000"):
        create(chad, iom, descriptions={"en": "One\x00two"})
    project = create(chad, iom, descriptions={"fr": "Ligne un\nLigne deux"})
    assert project.descriptions == {"fr": "Ligne un\nLigne deux"}


def test_it_stores_titles_nfkc_normalised(chad, iom):
    project = create(chad, iom, titles={"en": "Lac \uff11"})  # full-width digit one
    assert project.titles == {"en": "Lac 1"}


def test_it_refuses_a_results_period_in_year_one(chad, iom):
    project = create(chad, iom)
    result = results.result_create(actor=None, project=project, kind="1", title="Water", reported_by=iom)
    indicator = results.indicator_create(actor=None, result=result, title="Households reached", unit="households")
    with pytest.raises(ValidationFailed, match="not a plausible date") as refused:
        results.period_create(
            actor=None, indicator=indicator, period_start=dt.date(1, 1, 1), period_end=dt.date(1, 12, 31)
        )
    assert "period_start" in refused.value.errors
    assert not IndicatorPeriod.objects.exists()


def test_a_project_is_not_made_public_by_the_text_false(chad, iom):
    with pytest.raises(ValidationFailed, match="must be true or false") as refused:
        create(chad, iom, is_public="false")
    assert "is_public" in refused.value.errors
    assert not Project.objects.exists()


def test_a_nexus_assessment_dated_in_year_one_is_refused(chad, iom):
    project = create(chad, iom)
    with pytest.raises(ValidationFailed, match="not a plausible date") as refused:
        services.project_nexus_set(
            actor=None, project=project, climate=1, peace=1, migration=0, assessed_on=dt.date(1, 1, 1)
        )
    assert "assessed_on" in refused.value.errors
    project.refresh_from_db()
    assert project.nexus_assessed_on is None
