"""Selectors: the results tree (internal and public) in a constant number of queries, and the approval queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bakuhub.accounts.models import User
from bakuhub.core.errors import NotFound, PermissionDenied
from bakuhub.projects.models import Project
from bakuhub.projects.tests.factories import ProjectFactory, ProjectParticipantFactory
from bakuhub.results import services
from bakuhub.results.models import IndicatorPeriod
from bakuhub.results.selectors import pending_actuals, results_for_project
from bakuhub.results.suppression import COMPLEMENT

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
D = Decimal


@pytest.fixture
def project(chad, iom):
    project = ProjectFactory(
        country=chad, planned_start=dt.date(THIS_YEAR - 3, 1, 1), planned_end=dt.date(THIS_YEAR + 2, 12, 31)
    )
    ProjectParticipantFactory(project=project, organisation=iom)
    return project


def add_indicators(project, organisation, n, *, submitter=None, reviewer=None):
    """n indicators (two per result), each with two past periods of sex and age cells; approved when asked."""
    for i in range(n):
        if i % 2 == 0:
            result = services.result_create(
                actor=None, project=project, kind="1", title=f"Result {i}", reported_by=organisation
            )
        indicator = services.indicator_create(
            actor=None, result=result, title=f"Indicator {i}", baseline_year=THIS_YEAR - 3, baseline_value=0
        )
        for year in (THIS_YEAR - 2, THIS_YEAR - 1):
            period = services.period_create(
                actor=None,
                indicator=indicator,
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                target_value=100,
            )
            services.actual_submit(
                actor=submitter,
                period=period,
                actual_value=50,
                disaggregations=[("sex", "female", 20), ("sex", "male", 30), ("age", "18-59", 50)],
            )
            if reviewer is not None:
                services.actual_review(actor=reviewer, period=period, approve=True)


def queries_for(project_pk, username, public):
    project = Project.objects.get(pk=project_pk)
    user = User.objects.get(username=username)
    with CaptureQueriesContext(connection) as captured:
        tree = results_for_project(user=user, project=project, public=public)
        for result in tree:  # everything a page would touch
            for indicator in result.indicators:
                for period in indicator.periods:
                    list(period.disaggregations)
    return len(captured), tree


@pytest.mark.parametrize(("username", "public"), [("secretariat", False), ("iom_editor", False), ("secretariat", True)])
def test_constant_queries_with_1_and_10_indicators(secretariat, iom_editor, iom, project, username, public):
    add_indicators(project, iom, 1)
    small, tree = queries_for(project.pk, username, public)
    assert sum(len(r.indicators) for r in tree) == 1
    add_indicators(project, iom, 9)
    large, tree = queries_for(project.pk, username, public)
    assert sum(len(r.indicators) for r in tree) == 10
    assert sum(len(i.periods) for r in tree for i in r.indicators) == 20
    assert large == small
    assert large <= 7, large


def test_the_public_sees_targets_but_only_approved_actuals(secretariat, iom_editor, iom, project, anonymous):
    add_indicators(project, iom, 1, submitter=iom_editor)
    first = IndicatorPeriod.objects.order_by("period_start").first()
    services.actual_review(actor=secretariat, period=first, approve=True, comment="ok")
    [result] = results_for_project(user=anonymous, project=project, public=True)
    approved, submitted = result.indicators[0].periods
    assert (approved.status, approved.actual_value, approved.progress) == ("approved", D(50), D(50))
    assert [(c.category, c.actual_value) for c in approved.disaggregations] == [
        ("18-59", D(50)),
        ("female", D(20)),
        ("male", D(30)),
    ]
    assert (submitted.status, submitted.actual_value, submitted.progress) == ("", None, None)
    assert submitted.target_value == D(100)
    assert all(c.actual_value is None for c in submitted.disaggregations)
    assert (approved.comment, approved.evidence, approved.review_comment) == ("", "", "")


def test_the_internal_view_shows_every_actual_with_its_review(secretariat, iom_editor, iom, project):
    add_indicators(project, iom, 1, submitter=iom_editor)
    [result] = results_for_project(user=secretariat, project=project, public=False)
    assert [p.status for p in result.indicators[0].periods] == ["submitted", "submitted"]
    assert [p.actual_value for p in result.indicators[0].periods] == [D(50), D(50)]
    assert result.reported_by == str(iom)


def test_public_outputs_suppress_small_counts_and_their_complement(secretariat, iom_editor, iom, project, anonymous):
    result = services.result_create(actor=None, project=project, kind="1", title="Shelter", reported_by=iom)
    people = services.indicator_create(actor=None, result=result, title="People sheltered", baseline_year=THIS_YEAR - 3,
                                       baseline_value=0)  # fmt: skip
    share = services.indicator_create(actor=None, result=result, title="Share satisfied", measure="2")
    for indicator, total, cells in (
        (people, 42, [("sex", "female", 3), ("sex", "male", 39), ("displacement", "refugees", 0)]),
        (share, 3, [("sex", "female", 2), ("sex", "male", 4)]),
    ):
        period = services.period_create(
            actor=None,
            indicator=indicator,
            period_start=dt.date(THIS_YEAR - 1, 1, 1),
            period_end=dt.date(THIS_YEAR - 1, 12, 31),
            target_value=50,
        )
        services.actual_submit(actor=iom_editor, period=period, actual_value=total, disaggregations=cells)
        services.actual_review(actor=secretariat, period=period, approve=True)
    small = services.indicator_create(actor=None, result=result, title="Ex-combatants reintegrated",
                                      baseline_year=THIS_YEAR - 3, baseline_value=0)  # fmt: skip
    period = services.period_create(
        actor=None,
        indicator=small,
        period_start=dt.date(THIS_YEAR - 1, 1, 1),
        period_end=dt.date(THIS_YEAR - 1, 12, 31),
        target_value=10,
    )
    services.actual_submit(actor=iom_editor, period=period, actual_value=4, disaggregations=[("sex", "male", 4)])
    services.actual_review(actor=secretariat, period=period, approve=True)

    [view] = results_for_project(user=anonymous, project=project, public=True)
    by_title = {i.title: i.periods[0] for i in view.indicators}
    people_period = by_title["People sheltered"]
    assert people_period.actual_value == D(42)
    assert {c.category: c.actual_value for c in people_period.disaggregations} == {
        "female": "<5",
        "male": COMPLEMENT,
        "refugees": D(0),
    }
    share_period = by_title["Share satisfied"]  # percentages are not counts
    assert share_period.actual_value == D(3)
    assert {c.category: c.actual_value for c in share_period.disaggregations} == {"female": D(2), "male": D(4)}
    small_period = by_title["Ex-combatants reintegrated"]  # a small total is hidden, and so is its progress
    assert (small_period.actual_value, small_period.progress) == ("<5", None)
    assert [c.actual_value for c in small_period.disaggregations] == ["<5"]

    internal = results_for_project(user=secretariat, project=project, public=False)
    internal_people = {i.title: i.periods[0] for i in internal[0].indicators}["People sheltered"]
    assert {c.category: c.actual_value for c in internal_people.disaggregations}["female"] == D(3)


def test_who_may_see_what(gcf_funder, chad_focal_point, anonymous, iom_editor, chad, iom):
    hidden = ProjectFactory(country=chad, is_public=False)
    with pytest.raises(NotFound):
        results_for_project(user=anonymous, project=hidden, public=True)
    with pytest.raises(PermissionDenied):
        results_for_project(user=anonymous, project=hidden, public=False)
    with pytest.raises(PermissionDenied):
        results_for_project(user=iom_editor, project=hidden, public=False)  # IOM is not on it
    assert results_for_project(user=gcf_funder, project=hidden, public=False) == []
    assert results_for_project(user=chad_focal_point, project=hidden, public=True) == []


def test_pending_actuals_is_the_secretariats_queue(secretariat, chad_focal_point, iom_editor, iom, project):
    add_indicators(project, iom, 2, submitter=iom_editor)
    first = IndicatorPeriod.objects.order_by("id").first()
    services.actual_review(actor=secretariat, period=first, approve=True)
    with CaptureQueriesContext(connection) as captured:
        queue = list(pending_actuals(user=secretariat))
        labels = [(p.indicator.result.project.identifier, p.indicator.result.reported_by.name, p.submitted_by.username)
                  for p in queue]  # fmt: skip
    assert len(captured) == 1
    assert len(queue) == 3
    assert labels[0] == (project.identifier, iom.name, "iom_editor")
    assert [p.submitted_at for p in queue] == sorted(p.submitted_at for p in queue)
    assert list(pending_actuals(user=chad_focal_point)) == []
    assert list(pending_actuals(user=iom_editor)) == []
