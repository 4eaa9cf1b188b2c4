"""Pages show human, translatable labels for stored codes (disaggregation categories), and messages read right."""

from __future__ import annotations

import datetime as dt

import pytest

from bakuhub.conftest import client_for
from bakuhub.core.errors import Conflict
from bakuhub.projects import services as project_services
from bakuhub.projects.models import ProjectParticipant
from bakuhub.results import services as results_services
from bakuhub.results.models import IndicatorPeriod

from .project_helpers import THIS_YEAR, pilot

pytestmark = pytest.mark.django_db


@pytest.fixture
def displaced(chad, iom):
    project = pilot(chad, iom)
    result = results_services.result_create(
        actor=None, project=project, kind="1", title="Households with water", reported_by=iom
    )
    indicator = results_services.indicator_create(
        actor=None, result=result, title="Households connected", unit="households"
    )
    period = results_services.period_create(
        actor=None,
        indicator=indicator,
        period_start=dt.date(THIS_YEAR - 1, 1, 1),
        period_end=dt.date(THIS_YEAR - 1, 12, 31),
        target_value=100,
    )
    results_services.actual_submit(
        actor=None,
        period=period,
        actual_value=42,
        disaggregations=[("displacement", "idps", 20), ("displacement", "host_community", 22)],
    )
    return project, period


def _shows_labels_not_codes(html):
    assert "Internally displaced people" in html and "Host community" in html
    assert "idps" not in html and "host_community" not in html


def test_the_review_queue_shows_displacement_labels_not_codes(displaced, secretariat):
    _shows_labels_not_codes(client_for(secretariat).get("/results/pending/").content.decode())


def test_the_project_page_shows_displacement_labels_not_codes(displaced, secretariat):
    project, period = displaced
    results_services.actual_review(actor=secretariat, period=period, approve=True)
    assert IndicatorPeriod.objects.get(pk=period.pk).actual_status == IndicatorPeriod.Status.APPROVED
    _shows_labels_not_codes(client_for(secretariat).get(f"/projects/{project.pk}/").content.decode())


def test_a_repeated_role_is_refused_in_a_sentence_without_a_wrong_article(chad, iom, secretariat):
    project = pilot(chad, iom)
    project_services.project_participant_add(
        actor=secretariat, project=project, organisation=iom, role=ProjectParticipant.Role.IMPLEMENTING
    )
    with pytest.raises(Conflict) as refused:
        project_services.project_participant_add(
            actor=secretariat, project=project, organisation=iom, role=ProjectParticipant.Role.IMPLEMENTING
        )
    assert "a Implementing" not in refused.value.message
    assert refused.value.message == f"{iom} already takes part in {project.identifier} with the role Implementing."
